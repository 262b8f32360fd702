"""Bearer JWT verification (gateway/identity/jwt_auth.py): RS256 and ES256 from a JWKS, nothing else; the
issuer, audience and times checked against the business clock; unknown key ids reload the JWKS,
at a bounded rate; the gateway's own tokens go through the same path."""
from __future__ import annotations

import base64
import json
from datetime import datetime, timedelta, timezone

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from jwt.algorithms import ECAlgorithm, RSAAlgorithm

from gateway.identity.jwt_auth import Issuer, JwtVerifier, KeySet, jwks_loader, looks_like_jwt, parse_issuers
from gateway.identity.signing import Signer
from services.common.errors import Unauthenticated, Unavailable
from services.common.settings import SettingsError

NOW = datetime(2026, 3, 2, 2, 0, tzinfo=timezone.utc)   # the business clock, far from the wall clock
ISS, AUD = "https://idp.court.example", "courtflow"
RSA_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
EC_KEY = ec.generate_private_key(ec.SECP256R1())


def jwk(private_key, kid: str, **extra) -> dict:
    algorithm = RSAAlgorithm if isinstance(private_key, rsa.RSAPrivateKey) else ECAlgorithm
    return {**algorithm.to_jwk(private_key.public_key(), as_dict=True), "kid": kid, "use": "sig", **extra}


def token(private_key, kid: str | None = "rsa-1", alg: str = "RS256", **claims) -> str:
    body = {"iss": ISS, "aud": AUD, "sub": "judge.440101.civil1.1", "iat": int(NOW.timestamp()),
            "exp": int((NOW + timedelta(minutes=10)).timestamp()), **claims}
    body = {k: v for k, v in body.items() if v is not None}
    return jwt.encode(body, private_key, algorithm=alg, headers={"kid": kid} if kid else None)


class Jwks:
    """A JWKS 'file' the tests change, counting how often it is read."""

    def __init__(self, *keys: dict) -> None:
        self.keys, self.reads = list(keys), 0

    def __call__(self) -> dict:
        self.reads += 1
        return {"keys": list(self.keys)}


class Ticks:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def verifier(jwks: Jwks, ticks: Ticks | None = None, **issuer) -> JwtVerifier:
    keys = KeySet(jwks, min_refresh=60.0, max_age=3600.0, monotonic=ticks or Ticks())
    return JwtVerifier([(Issuer(issuer=ISS, audience=AUD, jwks="test", **issuer), keys)])


def refused(v: JwtVerifier, tok: str, reason: str = "TOKEN_INVALID", now: datetime = NOW) -> str:
    with pytest.raises(Unauthenticated) as exc:
        v.verify(tok, now=now)
    assert exc.value.reason == reason, exc.value.message
    return exc.value.message


@pytest.fixture
def jwks() -> Jwks:
    return Jwks(jwk(RSA_KEY, "rsa-1"), jwk(EC_KEY, "ec-1"))


def test_rs256_and_es256_are_accepted_with_the_username_from_the_token(jwks):
    v = verifier(jwks)
    claims = v.verify(token(RSA_KEY, "rsa-1", "RS256"), now=NOW)
    assert (claims.issuer, claims.username, claims.session) == (ISS, "judge.440101.civil1.1", "")
    assert claims.expire_time == NOW + timedelta(minutes=10)
    assert v.verify(token(EC_KEY, "ec-1", "ES256"), now=NOW).username == "judge.440101.civil1.1"


def test_a_configured_username_claim_is_used():
    v = verifier(Jwks(jwk(RSA_KEY, "rsa-1")), username_claim="preferred_username")
    assert v.verify(token(RSA_KEY, sub="8d1f-uuid", preferred_username="clerk.440101.civil1.1"),
                    now=NOW).username == "clerk.440101.civil1.1"
    assert "preferred_username" in refused(v, token(RSA_KEY, sub="8d1f-uuid"))


def test_symmetric_and_unsigned_tokens_are_refused(jwks):
    v = verifier(jwks)
    assert "HS256" in refused(v, jwt.encode({"iss": ISS, "aud": AUD, "sub": "admin", "iat": 1, "exp": 2**40},
                                            "s" * 32, algorithm="HS256", headers={"kid": "rsa-1"}))
    # alg "none": header and claims with an empty signature.
    part = lambda d: base64.urlsafe_b64encode(json.dumps(d).encode()).rstrip(b"=").decode()  # noqa: E731
    unsigned = f"{part({'alg': 'none', 'typ': 'JWT'})}.{part({'iss': ISS, 'aud': AUD, 'sub': 'admin'})}."
    assert "none" in refused(v, unsigned)
    # HS256 signed with the RSA public key's PEM (the classic algorithm confusion) gets nowhere either.
    assert "HS256" in refused(v, unsigned.replace(part({"alg": "none", "typ": "JWT"}), part({"alg": "HS256"})))


def test_a_key_is_used_only_for_its_own_algorithm(jwks):
    v = verifier(jwks)
    # A token claiming ES256 but naming the RSA key, and the reverse.
    assert "不能用于" in refused(v, token(EC_KEY, "rsa-1", "ES256"))
    assert "不能用于" in refused(v, token(RSA_KEY, "ec-1", "RS256"))
    # PS256 is not on the list even with a matching key.
    assert "PS256" in refused(v, token(RSA_KEY, "rsa-1", "PS256"))


def test_a_wrong_signature_is_refused(jwks):
    other = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    assert "签名无效" in refused(verifier(jwks), token(other, "rsa-1"))


def test_expiry_not_before_and_issue_time_follow_the_business_clock(jwks):
    v = verifier(jwks)
    tok = token(RSA_KEY)
    v.verify(tok, now=NOW + timedelta(minutes=10, seconds=20))           # within the leeway
    refused(v, tok, "TOKEN_EXPIRED", now=NOW + timedelta(minutes=11))
    refused(v, token(RSA_KEY, nbf=int((NOW + timedelta(minutes=5)).timestamp())), "TOKEN_NOT_YET_VALID")
    refused(v, token(RSA_KEY, iat=int((NOW + timedelta(minutes=5)).timestamp())), "TOKEN_NOT_YET_VALID")
    assert "exp" in refused(v, token(RSA_KEY, exp=None))
    assert "iat" in refused(v, token(RSA_KEY, iat=None))


def test_issuer_and_audience_must_be_the_configured_ones(jwks):
    v = verifier(jwks)
    assert "签发方" in refused(v, token(RSA_KEY, iss="https://evil.example"))
    assert "签发方" in refused(v, token(RSA_KEY, iss=None))
    assert "受众" in refused(v, token(RSA_KEY, aud="another-system"))
    assert "aud" in refused(v, token(RSA_KEY, aud=None))
    assert v.verify(token(RSA_KEY, aud=["portal", AUD]), now=NOW).username   # one of several audiences


def test_an_unknown_kid_reloads_the_jwks_at_a_bounded_rate(jwks):
    ticks = Ticks()
    v = verifier(jwks, ticks)
    v.verify(token(RSA_KEY), now=NOW)
    assert jwks.reads == 1
    # The identity system rotates: a new key appears in its JWKS.
    new_key = ec.generate_private_key(ec.SECP256R1())
    jwks.keys.append(jwk(new_key, "ec-2"))
    ticks.now += 61
    assert v.verify(token(new_key, "ec-2", "ES256"), now=NOW).username and jwks.reads == 2
    # Made-up kids do not make it fetch again and again: at most once a minute.
    for i in range(20):
        assert "未知" in refused(v, token(RSA_KEY, f"made-up-{i}"))
    assert jwks.reads == 2
    ticks.now += 61
    refused(v, token(RSA_KEY, "made-up-again"))
    assert jwks.reads == 3
    # A key removed from the JWKS stops working once the set is reloaded (here: for its age).
    jwks.keys = [k for k in jwks.keys if k["kid"] != "rsa-1"]
    ticks.now += 3601
    assert "未知" in refused(v, token(RSA_KEY, "rsa-1"))


def test_a_jwks_that_cannot_be_read_keeps_the_keys_known(jwks):
    ticks = Ticks()
    broken = {"now": False}

    def load():
        if broken["now"]:
            raise OSError("connection refused")
        return jwks()
    v = JwtVerifier([(Issuer(ISS, AUD, "test"), KeySet(load, min_refresh=60, max_age=3600, monotonic=ticks))])
    v.verify(token(RSA_KEY), now=NOW)
    broken["now"] = True
    ticks.now += 4000
    assert v.verify(token(RSA_KEY), now=NOW).username
    # Never loaded at all: the identity system is unavailable, which is not the user's fault.
    never = JwtVerifier([(Issuer(ISS, AUD, "test"), KeySet(load, monotonic=ticks))])
    with pytest.raises(Unavailable):
        never.verify(token(RSA_KEY), now=NOW)


@pytest.mark.filterwarnings("ignore:The RSA key is 1024 bits")
def test_keys_unfit_for_signing_are_skipped():
    weak = rsa.generate_private_key(public_exponent=65537, key_size=1024)
    v = verifier(Jwks(jwk(weak, "weak"), {"kty": "oct", "k": "c2VjcmV0", "kid": "oct"},
                      jwk(EC_KEY, "enc", use="enc"), jwk(RSA_KEY, "ps", alg="PS256")))
    assert "不能用于" in refused(v, token(weak, "weak"))
    assert "HS256" in refused(v, jwt.encode({"iss": ISS}, "s" * 32, algorithm="HS256", headers={"kid": "oct"}))
    assert "未知" in refused(v, token(EC_KEY, "enc", "ES256"))
    assert "不能用于" in refused(v, token(RSA_KEY, "ps", "RS256"))   # the JWK says PS256


def test_a_token_without_kid_needs_a_single_key():
    assert verifier(Jwks(jwk(RSA_KEY, "only"))).verify(token(RSA_KEY, kid=None), now=NOW).username
    assert "未知" in refused(verifier(Jwks(jwk(RSA_KEY, "a"), jwk(EC_KEY, "b"))), token(RSA_KEY, kid=None))


def test_the_gateways_own_tokens_take_the_same_path():
    signer = Signer(ec.generate_private_key(ec.SECP256R1()), issuer="courtflow-gateway", audience="courtflow")
    v = JwtVerifier([signer.key_set()])
    access, expire = signer.access_token(username="judge.440101.civil1.1", session="fam-1", now=NOW,
                                         ttl=timedelta(minutes=15))
    claims = v.verify(access, now=NOW + timedelta(minutes=14))
    assert (claims.issuer, claims.username, claims.session, claims.expire_time) == (
        "courtflow-gateway", "judge.440101.civil1.1", "fam-1", expire)
    refused(v, access, "TOKEN_EXPIRED", now=NOW + timedelta(minutes=16))
    # Another gateway's key (or a stolen issuer name) does not verify.
    forger = Signer(ec.generate_private_key(ec.SECP256R1()), issuer="courtflow-gateway", audience="courtflow")
    forged, _ = forger.access_token(username="admin", session="x", now=NOW, ttl=timedelta(minutes=15))
    refused(v, forged)


def test_jwts_and_opaque_tokens_are_told_apart_by_shape():
    assert looks_like_jwt(token(RSA_KEY)) and not looks_like_jwt("cf_abc-DEF_123")


def test_issuer_settings_are_checked_at_start(tmp_path):
    path = tmp_path / "jwks.json"
    path.write_text(json.dumps({"keys": [jwk(RSA_KEY, "rsa-1")]}))
    issuers = parse_issuers(json.dumps([{"issuer": ISS, "audience": AUD, "jwks": str(path)}]))
    assert issuers == (Issuer(ISS, AUD, str(path)),)
    assert list(jwks_loader(str(path))()["keys"][0]) and parse_issuers("") == ()
    for bad in ("not json", '[{"issuer": "x"}]', '[{"issuer": "x", "audience": "a", "jwks": "http://idp/jwks"}]',
                '[{"issuer": "x", "audience": "a", "jwks": "/k", "algorithms": ["HS256"]}]',
                '[{"issuer": "x", "audience": "a", "jwks": "/k", "username_claim": "role"}]',
                '[{"issuer": "x", "audience": "a", "jwks": "/k"}, {"issuer": "x", "audience": "b", "jwks": "/j"}]'):
        with pytest.raises(SettingsError):
            parse_issuers(bad)
