"""The gateway's own token issuer: access tokens for the built-in login, signed with ES256.

The private key is a PEM file (GATEWAY_SIGNING_KEY) shared by every gateway replica (a Kubernetes
Secret); the embedded mode generates one in its data directory on first start. Its public key is
one more issuer's key set in the JWT verifier, so a gateway token is checked exactly as a court
identity system's token is.
"""
from __future__ import annotations

import base64
import hashlib
import json
import os
import uuid
from datetime import datetime, timedelta
from pathlib import Path

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from jwt.algorithms import ECAlgorithm

from gateway.identity.jwt_auth import Issuer, KeySet, PublicKey
from services.common.settings import SettingsError


class Signer:
    def __init__(self, private_key: ec.EllipticCurvePrivateKey, *, issuer: str, audience: str) -> None:
        if not isinstance(private_key, ec.EllipticCurvePrivateKey) or not isinstance(private_key.curve, ec.SECP256R1):
            raise SettingsError("配置错误: GATEWAY_SIGNING_KEY must be an EC P-256 private key (ES256)")
        self._key = private_key
        self.issuer, self.audience = issuer, audience
        self.kid = thumbprint(private_key.public_key())

    @classmethod
    def from_pem_file(cls, path: str, *, issuer: str, audience: str) -> "Signer":
        try:
            key = serialization.load_pem_private_key(Path(path).read_bytes(), password=None)
        except (OSError, ValueError, TypeError) as exc:
            raise SettingsError(f"配置错误: GATEWAY_SIGNING_KEY={path!r} is not a readable PEM private key: {exc}")
        return cls(key, issuer=issuer, audience=audience)

    def key_set(self) -> tuple[Issuer, KeySet]:
        """This issuer for the verifier: the audience it writes and its public key."""
        issuer = Issuer(issuer=self.issuer, audience=self.audience, jwks="(GATEWAY_SIGNING_KEY)")
        return issuer, KeySet.fixed({self.kid: PublicKey(self._key.public_key(), "ES256")})

    def access_token(self, *, username: str, session: str, now: datetime, ttl: timedelta) -> tuple[str, datetime]:
        expire = now + ttl
        claims = {"iss": self.issuer, "aud": self.audience, "sub": username, "sid": session,
                  "iat": int(now.timestamp()), "exp": int(expire.timestamp()), "jti": uuid.uuid4().hex}
        return jwt.encode(claims, self._key, algorithm="ES256", headers={"kid": self.kid}), expire


def thumbprint(public_key: ec.EllipticCurvePublicKey) -> str:
    """RFC 7638 JWK thumbprint: a key id that is the same wherever the key is."""
    jwk = ECAlgorithm.to_jwk(public_key, as_dict=True)
    canonical = json.dumps({k: jwk[k] for k in ("crv", "kty", "x", "y")}, separators=(",", ":"), sort_keys=True)
    return base64.urlsafe_b64encode(hashlib.sha256(canonical.encode()).digest()).rstrip(b"=").decode()


def ensure_key_file(path: Path) -> Path:
    """Generate an ES256 private key at `path` unless one is there (embedded mode and tests)."""
    if not path.exists():
        pem = ec.generate_private_key(ec.SECP256R1()).private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as out:
            out.write(pem)
    return path
