"""Verification of bearer JWTs from the configured issuers (issue 4, item 2).

A court's identity system signs tokens with RS256 or ES256 and publishes its public keys as a
JWKS (a file or an https URL); the gateway's own login (gateway/identity/signing.py) is one more issuer
whose key set is its own public key. A token names its issuer (`iss`), which selects the keys
and the audience to check; nothing else in the token is trusted until its signature holds.

Only the identity comes from the token (the username claim): role, court, department and scope
come from the org directory (gateway/identity/auth.py), so an identity system cannot grant itself a role.

Time is read from the business clock passed in, not from PyJWT's wall clock: tokens the gateway
issues under the shared clock of a test or demo must expire by that clock.
"""
from __future__ import annotations

import json
import logging
import threading
import time
import urllib.request
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable

import jwt
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from services.common.errors import Unauthenticated, Unavailable
from services.common.settings import SettingsError

# Asymmetric only: HS* would let anyone holding the verification key mint tokens, and `none` is no
# signature at all.
ALGORITHMS = ("RS256", "ES256")
LEEWAY_SECONDS = 30          # clock skew tolerated between the identity system and the gateway
MAX_JWKS_BYTES = 1024 * 1024
MIN_RSA_BITS = 2048


def looks_like_jwt(token: str) -> bool:
    """JWTs are three dot-separated parts; the opaque `cf_…` tokens never contain a dot."""
    return token.count(".") == 2


@dataclass(frozen=True)
class Issuer:
    issuer: str
    audience: str
    jwks: str                   # a file path or an https URL
    username_claim: str = "sub"  # or "preferred_username", as the identity system fills it


@dataclass(frozen=True)
class Claims:
    issuer: str
    username: str
    session: str            # `sid`: the login session of tokens the gateway issued, else ""
    expire_time: datetime


def parse_issuers(raw: str) -> tuple[Issuer, ...]:
    """GATEWAY_JWT_ISSUERS: a JSON list of {"issuer", "audience", "jwks"[, "username_claim"]}."""
    if not raw.strip():
        return ()
    try:
        entries = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise SettingsError(f"配置错误: GATEWAY_JWT_ISSUERS is not JSON: {exc}") from None
    if isinstance(entries, dict):
        entries = [entries]
    issuers = []
    for i, entry in enumerate(entries if isinstance(entries, list) else [None]):
        if not isinstance(entry, dict) or not all(isinstance(entry.get(k), str) and entry[k]
                                                  for k in ("issuer", "audience", "jwks")):
            raise SettingsError(f"配置错误: GATEWAY_JWT_ISSUERS[{i}] needs non-empty \"issuer\", \"audience\" "
                                f"and \"jwks\" (a file path or an https URL)")
        unknown = set(entry) - {"issuer", "audience", "jwks", "username_claim"}
        if unknown:
            raise SettingsError(f"配置错误: GATEWAY_JWT_ISSUERS[{i}] has unknown keys {sorted(unknown)}")
        if entry["jwks"].startswith("http://"):
            raise SettingsError(f"配置错误: GATEWAY_JWT_ISSUERS[{i}].jwks must be https (keys fetched over "
                                f"plain http could be replaced in transit)")
        claim = entry.get("username_claim", "sub")
        if claim not in ("sub", "preferred_username"):
            raise SettingsError(f"配置错误: GATEWAY_JWT_ISSUERS[{i}].username_claim must be \"sub\" or "
                                f"\"preferred_username\"")
        issuers.append(Issuer(issuer=entry["issuer"], audience=entry["audience"], jwks=entry["jwks"],
                              username_claim=claim))
    names = [i.issuer for i in issuers]
    if len(set(names)) != len(names):
        raise SettingsError("配置错误: GATEWAY_JWT_ISSUERS names an issuer twice")
    return tuple(issuers)


def jwks_loader(source: str, *, timeout: float = 5.0) -> Callable[[], dict]:
    """A function reading the JWKS document from a file or an https URL."""
    if source.startswith("https://"):
        def fetch() -> dict:
            with urllib.request.urlopen(source, timeout=timeout) as reply:  # noqa: S310 (https only)
                return json.loads(reply.read(MAX_JWKS_BYTES + 1)[:MAX_JWKS_BYTES])
        return fetch
    path = Path(source)
    return lambda: json.loads(path.read_text(encoding="utf-8"))


@dataclass(frozen=True)
class PublicKey:
    key: Any
    alg: str = ""   # the JWK's own `alg`, when it names one


def public_keys(document: dict) -> dict[str, PublicKey]:
    """kid -> public key of the usable signing keys of a JWKS (others are skipped with a warning)."""
    keys: dict[str, PublicKey] = {}
    for jwk in document.get("keys", []) if isinstance(document, dict) else []:
        kid = str(jwk.get("kid", ""))
        if jwk.get("use", "sig") != "sig" or jwk.get("kty") not in ("RSA", "EC"):
            continue
        try:
            key = jwt.PyJWK(jwk).key
        except jwt.PyJWTError as exc:
            logging.getLogger(__name__).warning("JWKS key %r skipped: %s", kid, exc)
            continue
        # A JWKS should hold public keys only; never use a private half for verifying.
        keys[kid] = PublicKey(key.public_key() if hasattr(key, "public_key") else key, str(jwk.get("alg", "")))
    return keys


class KeySet:
    """The public keys of one issuer, loaded lazily and reloaded when a token names a key we do
    not know (the identity system rotated) or the set is older than `max_age` — but at most once
    every `min_refresh` seconds, so a flood of tokens with made-up key ids cannot make the gateway
    hammer the identity system. A failed reload keeps the keys already known."""

    def __init__(self, load: Callable[[], dict], *, min_refresh: float = 60.0, max_age: float = 3600.0,
                 monotonic: Callable[[], float] = time.monotonic) -> None:
        self._load = load
        self._min_refresh, self._max_age = min_refresh, max_age
        self._monotonic = monotonic
        self._keys: dict[str, PublicKey] | None = None
        self._loaded_at = self._tried_at = float("-inf")
        self._lock = threading.Lock()
        self.loads = 0

    @classmethod
    def fixed(cls, keys: dict[str, PublicKey]) -> "KeySet":
        """Keys known in advance (the gateway's own): never reloaded."""
        ks = cls(lambda: {}, min_refresh=float("inf"), max_age=float("inf"))
        ks._keys = dict(keys)
        ks._loaded_at = ks._tried_at = 0.0
        return ks

    def key(self, kid: str | None) -> PublicKey | None:
        keys = self._keys
        now = self._monotonic()
        if keys is None or now - self._loaded_at > self._max_age or self._pick(keys, kid) is None:
            keys = self._reload(now)
        if keys is None:
            raise Unavailable("身份系统的签名公钥暂时无法获取，请稍后重试", reason="JWKS_UNAVAILABLE")
        return self._pick(keys, kid)

    @staticmethod
    def _pick(keys: dict[str, PublicKey], kid: str | None) -> PublicKey | None:
        if kid:
            return keys.get(kid)
        return next(iter(keys.values())) if len(keys) == 1 else None   # no kid: only if unambiguous

    def _reload(self, now: float) -> dict[str, PublicKey] | None:
        with self._lock:
            if now - self._tried_at < self._min_refresh:
                return self._keys
            self._tried_at = now
            try:
                self._keys = public_keys(self._load())
                self._loaded_at = now
                self.loads += 1
            except Exception:
                logging.getLogger(__name__).warning("could not load JWKS; keeping the keys known", exc_info=True)
            return self._keys


class JwtVerifier:
    def __init__(self, issuers: list[tuple[Issuer, KeySet]]) -> None:
        self._issuers = {issuer.issuer: (issuer, keys) for issuer, keys in issuers}

    def verify(self, token: str, *, now: datetime) -> Claims:
        try:
            header = jwt.get_unverified_header(token)
            unverified = jwt.decode(token, options={"verify_signature": False})
        except jwt.PyJWTError:
            raise _invalid("令牌格式无效") from None
        alg = header.get("alg")
        if alg not in ALGORITHMS:
            raise _invalid(f"签名算法 {alg} 不被接受（仅 RS256、ES256）")
        found = self._issuers.get(unverified.get("iss")) if isinstance(unverified.get("iss"), str) else None
        if found is None:
            raise _invalid(f"签发方 {unverified.get('iss')!r} 未配置")
        issuer, keys = found
        key = keys.key(header.get("kid"))
        if key is None:
            raise _invalid(f"签名密钥 {header.get('kid')!r} 未知")
        if not _fits(key, alg):
            raise _invalid(f"签名密钥 {header.get('kid')!r} 不能用于 {alg}")
        try:
            claims = jwt.decode(token, key.key, algorithms=[alg], audience=issuer.audience, issuer=issuer.issuer,
                                options={"require": ["iss", "aud", "exp", "iat"], "verify_exp": False,
                                         "verify_nbf": False, "verify_iat": False})
        except jwt.InvalidAudienceError:
            raise _invalid("令牌的受众（aud）不是本系统") from None
        except jwt.MissingRequiredClaimError as exc:
            raise _invalid(f"令牌缺少声明 {exc.claim}") from None
        except jwt.InvalidSignatureError:
            raise _invalid("令牌签名无效") from None
        except jwt.PyJWTError as exc:
            raise _invalid(f"令牌无效（{type(exc).__name__}）") from None
        return Claims(issuer=issuer.issuer, username=_username(claims, issuer.username_claim),
                      session=str(claims.get("sid", "")), expire_time=_check_times(claims, now))


def _check_times(claims: dict, now: datetime) -> datetime:
    stamps = {k: claims[k] for k in ("exp", "iat", "nbf") if k in claims}
    if not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in stamps.values()):
        raise _invalid("令牌的时间声明不是数字")
    t = now.timestamp()
    if stamps["exp"] <= t - LEEWAY_SECONDS:
        raise Unauthenticated("未登录: 令牌已过期", reason="TOKEN_EXPIRED")
    if stamps.get("nbf", stamps["iat"]) > t + LEEWAY_SECONDS or stamps["iat"] > t + LEEWAY_SECONDS:
        raise Unauthenticated("未登录: 令牌尚未生效", reason="TOKEN_NOT_YET_VALID")
    return datetime.fromtimestamp(stamps["exp"], timezone.utc)


def _username(claims: dict, claim: str) -> str:
    value = claims.get(claim)
    if not isinstance(value, str) or not value:
        raise _invalid(f"令牌缺少用户名声明 {claim}")
    return value


def _fits(key: PublicKey, alg: str) -> bool:
    """The key must be meant for the token's algorithm: the JWK's own `alg` if it names one, and
    the key's type: RSA of 2048 bits or more for RS256, P-256 for ES256."""
    if key.alg and key.alg != alg:
        return False
    if alg == "RS256":
        return isinstance(key.key, rsa.RSAPublicKey) and key.key.key_size >= MIN_RSA_BITS
    return isinstance(key.key, ec.EllipticCurvePublicKey) and isinstance(key.key.curve, ec.SECP256R1)


def _invalid(detail: str) -> Unauthenticated:
    return Unauthenticated(f"未登录: {detail}", reason="TOKEN_INVALID")
