"""Signing in (issue 4, item 2), through the gateway of a whole running system.

The built-in login: a password gives an access token (a JWT of the gateway) and a refresh token;
the access token reaches the APIs; a refresh rotates the pair, and an old refresh token presented
again ends the session; logout ends it too. Five wrong passwords lock the account until the
(shared, injected) clock has moved past the lockout. A court identity system's JWT, verified
against a JWKS file, is accepted with the directory's role, not the one it claims. Every step
is in the audit log."""
from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import grpc
import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from google.protobuf.field_mask_pb2 import FieldMask
from jwt.algorithms import ECAlgorithm, RSAAlgorithm

from courtflow.audit.v1 import audit_pb2, audit_service_pb2 as aus
from courtflow.common.v1.caller_pb2 import Role, ScopeLevel
from courtflow.gateway.v1 import auth_service_pb2 as auths
from courtflow.gateway.v1 import gateway_service_pb2 as gs
from courtflow.gateway.v1 import org_service_pb2 as orgs
from courtflow.gateway.v1.gateway_pb2 import User

from services.common.clock import LEGAL_TZ
from services.common.errors import details_of
from support import JUDGE, eventually

from .conftest import audit_records, auth_service, gateway_service, org_service, refused

pytestmark = pytest.mark.timeout(300)
IDP = "https://idp.court44.example"
IDP_RSA = rsa.generate_private_key(public_exponent=65537, key_size=2048)
IDP_EC = ec.generate_private_key(ec.SECP256R1())
SUCCEEDED, DENIED, FAILED = (audit_pb2.AUDIT_RESULT_SUCCEEDED, audit_pb2.AUDIT_RESULT_DENIED,
                             audit_pb2.AUDIT_RESULT_FAILED)


@pytest.fixture(scope="module")
def cf(start_system, tmp_path_factory):
    jwks = tmp_path_factory.mktemp("idp") / "idp-jwks.json"
    jwks.write_text(json.dumps({"keys": [
        {**RSAAlgorithm.to_jwk(IDP_RSA.public_key(), as_dict=True), "kid": "idp-rsa", "use": "sig"},
        {**ECAlgorithm.to_jwk(IDP_EC.public_key(), as_dict=True), "kid": "idp-ec", "use": "sig"}]}))
    return start_system("login", clock=datetime(2026, 3, 2, 9, tzinfo=LEGAL_TZ), env={"GATEWAY_JWT_ISSUERS": json.dumps(
        [{"issuer": IDP, "audience": "courtflow", "jwks": str(jwks)}])})


def whoami(cf, access_token: str):
    return gateway_service(cf).GetCaller(
        gs.GetCallerRequest(), metadata=[("authorization", f"Bearer {access_token}")], timeout=15).caller


def refusal(call) -> tuple[grpc.StatusCode, str, str]:
    err = refused(call)
    return err.code(), details_of(err)[0], err.details()


def login(cf, user: str, password: str | None = None):
    return auth_service(cf).Login(auths.LoginRequest(username=user, password=password or cf.logins[user]["password"]),
                                  timeout=15)


def audit_trail(cf, user: str, last: tuple[str, int, str]) -> list[tuple[str, int, str]]:
    """(action, result, reason) of the user's sign-in records, oldest first, once `last` is the newest."""
    def trail():
        found = audit_records(cf, f'resource = "users/{user}"')
        steps = [(r.operation.action, r.operation.result, r.operation.error_reason) for r in reversed(found)]
        return steps if steps and steps[-1] == last else None
    return eventually(trail, what=f"audit records of {user} up to {last}")


def test_login_refresh_reuse_and_logout(cf):
    user = JUDGE
    first = login(cf, user)
    assert first.access_token.count(".") == 2 and first.refresh_token.startswith("cfr_")
    assert first.expire_time.ToDatetime(tzinfo=timezone.utc) - cf.now() == timedelta(minutes=15)
    caller = whoami(cf, first.access_token)
    assert (caller.user, caller.role, caller.scope) == (f"users/{user}", Role.ROLE_JUDGE, ScopeLevel.SCOPE_LEVEL_OWN)

    second = auth_service(cf).RefreshToken(auths.RefreshTokenRequest(refresh_token=first.refresh_token))
    assert second.refresh_token != first.refresh_token
    assert whoami(cf, second.access_token).user == f"users/{user}"

    # The first refresh token again: someone copied it. The whole session ends, for both holders.
    code, reason, _ = refusal(lambda: auth_service(cf).RefreshToken(
        auths.RefreshTokenRequest(refresh_token=first.refresh_token)))
    assert (code, reason) == (grpc.StatusCode.UNAUTHENTICATED, "REFRESH_TOKEN_REUSED")
    assert refusal(lambda: whoami(cf, second.access_token))[1] == "SESSION_REVOKED"
    assert refusal(lambda: auth_service(cf).RefreshToken(
        auths.RefreshTokenRequest(refresh_token=second.refresh_token)))[1] == "SESSION_REVOKED"

    # A new session, ended by logging out.
    third = login(cf, user)
    assert whoami(cf, third.access_token).user == f"users/{user}"
    md = [("authorization", f"Bearer {third.access_token}")]
    auth_service(cf).Logout(auths.LogoutRequest(refresh_token=third.refresh_token), metadata=md)
    assert refusal(lambda: whoami(cf, third.access_token))[:2] == (grpc.StatusCode.UNAUTHENTICATED, "SESSION_REVOKED")
    assert refusal(lambda: auth_service(cf).RefreshToken(
        auths.RefreshTokenRequest(refresh_token=third.refresh_token)))[1] == "SESSION_REVOKED"
    # Logout needs a token.
    assert refusal(lambda: auth_service(cf).Logout(auths.LogoutRequest(refresh_token=third.refresh_token)))[0] == \
        grpc.StatusCode.UNAUTHENTICATED

    trail = audit_trail(cf, user, ("RefreshToken", DENIED, "SESSION_REVOKED"))
    assert trail[-7:] == [("Login", SUCCEEDED, ""), ("RefreshToken", SUCCEEDED, ""),
                          ("RefreshToken", DENIED, "REFRESH_TOKEN_REUSED"), ("RefreshToken", DENIED, "SESSION_REVOKED"),
                          ("Login", SUCCEEDED, ""), ("Logout", SUCCEEDED, ""), ("RefreshToken", DENIED, "SESSION_REVOKED")]


def test_lockout_after_five_wrong_passwords_until_the_clock_moves_on(cf):
    user = "judge.440101.civil2.1"
    answers = [refusal(lambda: login(cf, user, "wrong-password"))[:2] for _ in range(5)]
    assert answers == [(grpc.StatusCode.UNAUTHENTICATED, "INVALID_CREDENTIALS")] * 4 + [
        (grpc.StatusCode.UNAUTHENTICATED, "ACCOUNT_LOCKED")]
    # Locked: even the right password is not checked.
    code, reason, message = refusal(lambda: login(cf, user))
    assert (code, reason) == (grpc.StatusCode.UNAUTHENTICATED, "ACCOUNT_LOCKED") and "锁定" in message
    # An unknown username gets the same answer as a wrong password.
    unknown = refusal(lambda: login(cf, "nobody.440101", "wrong-password"))
    assert unknown == refusal(lambda: login(cf, "judge.440101.civil2.2", "wrong-password"))

    cf.set_clock(cf.now() + timedelta(minutes=14))   # returns once the gateway runs on it
    assert refusal(lambda: login(cf, user))[1] == "ACCOUNT_LOCKED"
    cf.set_clock(cf.now() + timedelta(minutes=2))
    assert eventually(lambda: _logs_in(cf, user), what="login after the lockout")

    trail = audit_trail(cf, user, ("Login", SUCCEEDED, ""))
    while trail.count(("Login", DENIED, "ACCOUNT_LOCKED")) > 2:   # tries while the clock was on its way
        trail.remove(("Login", DENIED, "ACCOUNT_LOCKED"))
    assert trail == [("Login", FAILED, "WRONG_PASSWORD")] * 5 + [
        ("LockAccount", SUCCEEDED, "TOO_MANY_FAILURES"), ("Login", DENIED, "ACCOUNT_LOCKED"),
        ("Login", DENIED, "ACCOUNT_LOCKED"), ("Login", SUCCEEDED, "")]
    # The unknown username's attempt is filed under the province, where its auditors see it.
    assert audit_trail(cf, "nobody.440101", ("Login", FAILED, "UNKNOWN_USER"))


def test_an_unknown_username_locks_like_an_account(cf):
    """Five wrong passwords lock a username nobody holds exactly as they lock a judge's account,
    with the same answers, so lockout tells a guesser nothing about which usernames exist
    (issue 19, item 8: an unknown user never locked)."""
    real, unknown = "assistant.440101.civil2.2", "assistant.440101.civil9.9"
    answers = {who: [refusal(lambda: login(cf, who, "wrong-password")) for _ in range(6)] for who in (real, unknown)}
    assert answers[real] == answers[unknown]
    assert [reason for _, reason, _ in answers[unknown]] == ["INVALID_CREDENTIALS"] * 4 + ["ACCOUNT_LOCKED"] * 2
    cf.set_clock(cf.now() + timedelta(minutes=16))
    # After the lockout both take a password again (and are refused as before).
    assert refusal(lambda: login(cf, unknown, "wrong-password")) == refusal(lambda: login(cf, real, "wrong-password"))
    assert refusal(lambda: login(cf, unknown, "wrong-password"))[1] == "INVALID_CREDENTIALS"
    trail = audit_trail(cf, unknown, ("Login", FAILED, "UNKNOWN_USER"))
    assert ("LockAccount", SUCCEEDED, "TOO_MANY_FAILURES") in trail and ("Login", DENIED, "ACCOUNT_LOCKED") in trail


def _logs_in(cf, user: str) -> bool:
    try:
        return bool(login(cf, user).access_token)
    except grpc.RpcError as exc:
        assert details_of(exc)[0] == "ACCOUNT_LOCKED", exc.details()
        return False


def idp_token(cf, key, kid: str, alg: str, **claims) -> str:
    now = cf.now()
    body = {"iss": IDP, "aud": "courtflow", "iat": int(now.timestamp()),
            "exp": int((now + timedelta(minutes=5)).timestamp()), **claims}
    return jwt.encode(body, key, algorithm=alg, headers={"kid": kid})


def test_an_identity_systems_token_gets_the_directorys_role(cf):
    # The identity system claims more than it may: the directory decides role and scope.
    token = idp_token(cf, IDP_RSA, "idp-rsa", "RS256", sub="clerk.440101.civil1.1", role="ROLE_SYSTEM_ADMIN",
                      roles=["admin"], scope="province")
    caller = whoami(cf, token)
    assert (caller.user, caller.role, caller.scope, caller.court) == (
        "users/clerk.440101.civil1.1", Role.ROLE_CLERK, ScopeLevel.SCOPE_LEVEL_OWN, "440101")
    assert whoami(cf, idp_token(cf, IDP_EC, "idp-ec", "ES256", sub="president.440101")).role == Role.ROLE_PRESIDENT
    # And it is refused what the directory's role may not do.
    code, reason, _ = refusal(lambda: cf.audit.ListAuditRecords(aus.ListAuditRecordsRequest(),
                                                                metadata=[("authorization", f"Bearer {token}")]))
    assert (code, reason) == (grpc.StatusCode.PERMISSION_DENIED, "ROLE_NOT_PERMITTED")

    assert refusal(lambda: whoami(cf, idp_token(cf, IDP_RSA, "idp-rsa", "RS256", sub="stranger")))[1] == "USER_UNKNOWN"
    # Deactivated by the court's administrator, as the directory is changed.
    org_service(cf).UpdateUser(orgs.UpdateUserRequest(
        user=User(name="users/assistant.440101.civil1.1", active=False),
        update_mask=FieldMask(paths=["active"])), metadata=cf.md("admin.440101"))
    assert refusal(lambda: whoami(cf, idp_token(cf, IDP_RSA, "idp-rsa", "RS256",
                                                sub="assistant.440101.civil1.1")))[1] == "USER_INACTIVE"
    # Signed with a key the JWKS does not hold, or for another audience: not ours.
    stranger_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    assert refusal(lambda: whoami(cf, idp_token(cf, stranger_key, "idp-rsa", "RS256",
                                                sub="clerk.440101.civil1.1")))[1] == "TOKEN_INVALID"
    assert refusal(lambda: whoami(cf, idp_token(cf, IDP_RSA, "idp-rsa", "RS256", sub="clerk.440101.civil1.1",
                                                aud="another-system")))[1] == "TOKEN_INVALID"
    # The demo's opaque tokens keep working beside JWTs.
    assert gateway_service(cf).GetCaller(gs.GetCallerRequest(), metadata=cf.md(JUDGE)).caller.user == f"users/{JUDGE}"
