"""The built-in login's use cases against a real PostgreSQL, with a hand-moved clock: what each
refusal leaves behind (failure count, lock, revoked sessions, the audit event in the outbox),
users without a password or no longer active, setting a password from the console, and the
purge of expired refresh tokens."""
from __future__ import annotations

import os
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric import ec
from sqlalchemy import create_engine, select

from courtflow.audit.v1.audit_events_pb2 import OperationRecorded
from courtflow.common.v1.caller_pb2 import Caller, Role
from courtflow.common.v1.envelope_pb2 import EventEnvelope

from conftest import new_database
from gateway.directory import org
from gateway.identity import credentials
from gateway.identity.jwt_auth import JwtVerifier
from gateway.identity.signing import Signer
from gateway.models import MESSAGING, SCHEMA, SessionRow, UserRow
from services.common.clock import ManualClock
from services.common.errors import DomainError, NotFound
from services.common.migrate import upgrade
from services.common.uow import uow_factory

pytestmark = pytest.mark.timeout(120)
ROOT = Path(__file__).resolve().parents[2]
T0 = datetime(2026, 3, 2, 1, tzinfo=timezone.utc)
POLICY = credentials.Policy(max_failures=3, lockout=timedelta(minutes=15), access_ttl=timedelta(minutes=15),
                            refresh_ttl=timedelta(hours=12))
SIGNER = Signer(ec.generate_private_key(ec.SECP256R1()), issuer="courtflow-gateway", audience="courtflow")
SEEN = Caller(client_address="ipv4:10.1.2.3:50000", user_agent="pytest")


@pytest.fixture
def gw(postgres):
    url = new_database(postgres, "credentials")
    upgrade(url, schema=SCHEMA, migrations=ROOT / "gateway" / "migrations")
    engine = create_engine(url)
    clock = ManualClock(T0)
    factory = uow_factory(engine, producer="gateway", messaging=MESSAGING, clock=clock)
    with factory() as uow:
        org.upsert_court(uow, court_id="44", display_name="高院", level="high", parent_id=None, abbreviation="粤")
        org.upsert_court(uow, court_id="440101", display_name="一区法院", level="basic", parent_id="44",
                         abbreviation="示")
        for name, role in (("judge.a", Role.ROLE_JUDGE), ("judge.b", Role.ROLE_JUDGE), ("nopass", Role.ROLE_CLERK)):
            org.upsert_user(uow, org.UserSpec(username=name, display_name=name, role=role, court_id="440101",
                                              department="", mobile=""))
        uow.commit()
    for name in ("judge.a", "judge.b"):
        credentials.set_password(factory, username=name, password=f"{name}-password")
    yield url, factory, clock
    engine.dispose()


def do_login(factory, user: str, password: str | None = None) -> credentials.Tokens:
    return credentials.login(factory, username=user, password=password or f"{user}-password", caller=SEEN,
                             policy=POLICY, signer=SIGNER)


def refused(fn, *args, **kwargs) -> DomainError:
    with pytest.raises(DomainError) as exc:
        fn(*args, **kwargs)
    return exc.value


def audited(factory) -> list[tuple[str, str, int, str, str]]:
    """(action, resource, result, reason, court) of the audit events in the outbox, in order."""
    with factory() as uow:
        rows = uow.session.execute(select(MESSAGING.outbox.c.payload, MESSAGING.outbox.c.event_type)
                                   .order_by(MESSAGING.outbox.c.id)).all()
    ops = []
    for payload, kind in rows:
        if kind == OperationRecorded.DESCRIPTOR.full_name:
            op = OperationRecorded()
            EventEnvelope.FromString(payload).payload.Unpack(op)
            ops.append((op.operation.action, op.operation.resource, op.operation.result, op.operation.error_reason,
                        op.operation.court))
    return ops


def user_row(factory, name: str) -> UserRow:
    with factory() as uow:
        return uow.session.get(UserRow, name)


def test_failures_are_committed_with_their_audit_record_and_lock_the_account(gw):
    _, factory, clock = gw
    for _ in range(2):
        assert refused(do_login, factory, "judge.a", "wrong").reason == "INVALID_CREDENTIALS"
    assert user_row(factory, "judge.a").failed_logins == 2
    assert refused(do_login, factory, "judge.a", "wrong").reason == "ACCOUNT_LOCKED"
    row = user_row(factory, "judge.a")
    assert (row.failed_logins, row.locked_until) == (0, T0 + timedelta(minutes=15))
    clock.advance(timedelta(minutes=15))
    tokens = do_login(factory, "judge.a")
    assert user_row(factory, "judge.a").locked_until is None
    claims = JwtVerifier([SIGNER.key_set()]).verify(tokens.access_token, now=clock.now())
    assert claims.username == "judge.a" and claims.session
    logins = [op for op in audited(factory) if op[1] == "users/judge.a" and op[0] != "SetPassword"]
    assert logins == [("Login", "users/judge.a", 3, "WRONG_PASSWORD", "440101")] * 3 + [
        ("LockAccount", "users/judge.a", 1, "TOO_MANY_FAILURES", "440101"), ("Login", "users/judge.a", 1, "", "440101")]


def test_a_success_clears_the_failure_count(gw):
    _, factory, _ = gw
    refused(do_login, factory, "judge.b", "wrong")
    do_login(factory, "judge.b")
    refused(do_login, factory, "judge.b", "wrong")
    refused(do_login, factory, "judge.b", "wrong")
    assert user_row(factory, "judge.b").locked_until is None   # 2 since the success, not 3


def test_users_without_a_password_or_inactive_cannot_sign_in(gw):
    _, factory, _ = gw
    assert refused(do_login, factory, "nopass", "anything").reason == "INVALID_CREDENTIALS"
    assert refused(do_login, factory, "nobody", "anything").reason == "INVALID_CREDENTIALS"
    with factory() as uow:
        uow.session.get(UserRow, "judge.b").active = False
        uow.commit()
    assert refused(do_login, factory, "judge.b").reason == "USER_INACTIVE"
    reasons = [(op[1], op[3], op[4]) for op in audited(factory) if op[0] == "Login"]
    assert reasons == [("users/nopass", "NO_PASSWORD", "440101"), ("users/nobody", "UNKNOWN_USER", "44"),
                       ("users/judge.b", "USER_INACTIVE", "440101")]


def test_a_session_refreshes_until_it_expires_and_a_deactivated_user_loses_it(gw):
    _, factory, clock = gw
    tokens = do_login(factory, "judge.b")
    revoked: list[str] = []
    for _ in range(3):
        clock.advance(timedelta(hours=11))
        tokens = credentials.refresh(factory, refresh_token=tokens.refresh_token, caller=SEEN, policy=POLICY,
                                     signer=SIGNER, revoked=revoked.append)
    clock.advance(timedelta(hours=13))
    assert refused(credentials.refresh, factory, refresh_token=tokens.refresh_token, caller=SEEN, policy=POLICY,
                   signer=SIGNER, revoked=revoked.append).reason == "REFRESH_TOKEN_EXPIRED"
    tokens = do_login(factory, "judge.b")
    with factory() as uow:
        uow.session.get(UserRow, "judge.b").active = False
        uow.commit()
    assert refused(credentials.refresh, factory, refresh_token=tokens.refresh_token, caller=SEEN, policy=POLICY,
                   signer=SIGNER, revoked=revoked.append).reason == "USER_INACTIVE"
    with factory() as uow:   # only the first, expired session's last token is still unrevoked
        live = uow.session.scalars(select(SessionRow).where(SessionRow.revoked_time.is_(None))).all()
    assert [r.expire_time <= clock.now() for r in live] == [True]


def test_logout_is_only_for_the_sessions_owner(gw):
    _, factory, _ = gw
    tokens = do_login(factory, "judge.a")
    other = Caller(user="users/judge.b", court="440101")
    revoked: list[str] = []
    error = refused(credentials.logout, factory, refresh_token=tokens.refresh_token, caller=other,
                    revoked=revoked.append)
    assert isinstance(error, NotFound) and revoked == []
    credentials.logout(factory, refresh_token=tokens.refresh_token, caller=Caller(user="users/judge.a"),
                       revoked=revoked.append)
    assert len(revoked) == 1
    assert [op[:4] for op in audited(factory) if op[0] == "Logout"] == [
        ("Logout", "users/judge.b", 2, "SESSION_NOT_FOUND"), ("Logout", "users/judge.a", 1, "")]


def test_expired_refresh_tokens_are_purged(gw):
    _, factory, clock = gw
    do_login(factory, "judge.a")
    clock.advance(timedelta(hours=12, minutes=1))
    assert credentials.purge_expired(factory) == 0       # kept a day after expiry
    clock.advance(timedelta(days=1))
    do_login(factory, "judge.a")
    assert credentials.purge_expired(factory) == 1


def test_set_password_from_the_console_unlocks_and_ends_sessions(gw):
    url, factory, _ = gw
    tokens = do_login(factory, "judge.a")
    for _ in range(3):
        refused(do_login, factory, "judge.a", "wrong")
    env = {**os.environ, "DATABASE_URL": url}
    done = subprocess.run([sys.executable, "-m", "gateway", "set-password", "judge.a"], input="a-new-password-9\n",
                          env=env, cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert user_row(factory, "judge.a").locked_until is None
    assert do_login(factory, "judge.a", "a-new-password-9").access_token
    assert refused(credentials.refresh, factory, refresh_token=tokens.refresh_token, caller=SEEN, policy=POLICY,
                   signer=SIGNER, revoked=lambda _: None).reason == "SESSION_REVOKED"
    short = subprocess.run([sys.executable, "-m", "gateway", "set-password", "judge.a"], input="short\n", env=env,
                           cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert short.returncode != 0 and "至少" in short.stderr
    unknown = subprocess.run([sys.executable, "-m", "gateway", "set-password", "nobody"], input="long-enough-1\n",
                             env=env, cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert unknown.returncode != 0 and "nobody" in unknown.stderr
    assert isinstance(refused(credentials.set_password, factory, username="nobody", password="long-enough-1"), NotFound)
