"""Built-in sign-in for the embedded mode: login with lockout, token refresh, logout, passwords.

A login session is a family of refresh tokens: each refresh retires the token it was given and
issues the next (rotation); a retired token presented again must have been copied, so the whole
family is revoked. Access tokens are short-lived JWTs naming their family (`sid`), accepted only
while the family is live (gateway/identity/auth.py).

Every outcome is an audit event written in the same transaction as the state it changes; a
failed attempt commits its failure count and its audit record, and only then raises. Time is the
injected business clock (uow.clock), so tests move it instead of sleeping.
"""
from __future__ import annotations

import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Callable, NoReturn

from sqlalchemy import delete, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert

from courtflow.audit.v1.audit_pb2 import AuditResult
from courtflow.common.v1.caller_pb2 import Caller

from gateway.identity import passwords
from gateway.identity.auth import directory_caller, province_id, token_digest
from gateway.identity.signing import Signer
from gateway.models import LoginFailureRow, SessionRow, UserRow
from services.common.audit import record_operation
from services.common.clock import LEGAL_TZ
from services.common.errors import DomainError, FailedPrecondition, NotFound, Unauthenticated
from services.common.uow import UnitOfWork

SUCCEEDED, DENIED, FAILED = (AuditResult.AUDIT_RESULT_SUCCEEDED, AuditResult.AUDIT_RESULT_DENIED,
                             AuditResult.AUDIT_RESULT_FAILED)
# One answer for an unknown username and a wrong password, so neither tells which usernames exist.
BAD_CREDENTIALS = "登录失败: 用户名或密码错误"


@dataclass(frozen=True)
class Policy:
    max_failures: int
    lockout: timedelta
    access_ttl: timedelta
    refresh_ttl: timedelta


@dataclass(frozen=True)
class Tokens:
    access_token: str
    refresh_token: str
    expire_time: datetime
    refresh_expire_time: datetime


def login(uow_factory: Callable[[], UnitOfWork], *, username: str, password: str, caller: Caller, policy: Policy,
          signer: Signer) -> Tokens:
    with uow_factory() as uow:
        now = uow.clock.now()
        # Locked row: concurrent attempts on one account count their failures one after another.
        user = uow.session.scalar(select(UserRow).where(UserRow.username == username).with_for_update())
        if user is None:
            _unknown_user(uow, username, password, _anonymous(uow, caller), policy, now)
        actor = _as(uow, user, caller)
        if user.locked_until is not None and user.locked_until > now:
            # Not even checked: a locked account gives a guesser nothing, and costs us no hashing.
            raise _refuse(uow, "Login", username, actor, "ACCOUNT_LOCKED", DENIED, _locked(user.locked_until))
        if not passwords.verify(user.password_hash, password):
            _wrong_password(uow, user, actor, policy, now, "WRONG_PASSWORD" if user.password_hash else "NO_PASSWORD")
        if not user.active:
            raise _refuse(uow, "Login", username, actor, "USER_INACTIVE", DENIED,
                          Unauthenticated("登录失败: 账号已停用", reason="USER_INACTIVE"))
        user.failed_logins, user.locked_until = 0, None
        if passwords.needs_rehash(user.password_hash):
            user.password_hash = passwords.hash_password(password)
        tokens = _issue(uow, username=username, family=uuid.uuid4(), now=now, policy=policy, signer=signer)
        _record(uow, "Login", username, actor, SUCCEEDED)
        uow.commit()
        return tokens


def refresh(uow_factory: Callable[[], UnitOfWork], *, refresh_token: str, caller: Caller, policy: Policy,
            signer: Signer, revoked: Callable[[str], None]) -> Tokens:
    """A new pair for a live refresh token; `revoked(family)` is told of a family ended here."""
    with uow_factory() as uow:
        now = uow.clock.now()
        row = _session_of(uow, refresh_token)
        if row is None:
            raise _refuse(uow, "RefreshToken", "", _anonymous(uow, caller), "REFRESH_TOKEN_INVALID", DENIED,
                          Unauthenticated("未登录: 刷新令牌无效", reason="REFRESH_TOKEN_INVALID"))
        user = uow.session.get(UserRow, row.username)
        actor = _as(uow, user, caller) if user else _anonymous(uow, caller)
        if row.revoked_time is not None:
            if row.revoke_reason != "ROTATED":
                raise _refuse(uow, "RefreshToken", row.username, actor, "SESSION_REVOKED", DENIED,
                              Unauthenticated("未登录: 登录会话已注销，请重新登录", reason="SESSION_REVOKED"))
            # A used token again: someone holds a copy. End the session for both holders.
            _revoke_family(uow, row.family_id, now, "REUSED")
            error = _refuse(uow, "RefreshToken", row.username, actor, "REFRESH_TOKEN_REUSED", DENIED,
                            Unauthenticated("未登录: 刷新令牌已使用过，为安全起见该登录会话已注销，请重新登录",
                                            reason="REFRESH_TOKEN_REUSED"))
            revoked(str(row.family_id))
            raise error
        if row.expire_time <= now:
            raise _refuse(uow, "RefreshToken", row.username, actor, "REFRESH_TOKEN_EXPIRED", DENIED,
                          Unauthenticated("未登录: 刷新令牌已过期，请重新登录", reason="REFRESH_TOKEN_EXPIRED"))
        if user is None or not user.active:
            _revoke_family(uow, row.family_id, now, "USER_INACTIVE")
            raise _refuse(uow, "RefreshToken", row.username, actor, "USER_INACTIVE", DENIED,
                          Unauthenticated("未登录: 账号已停用", reason="USER_INACTIVE"))
        row.revoked_time, row.revoke_reason = now, "ROTATED"
        tokens = _issue(uow, username=row.username, family=row.family_id, now=now, policy=policy, signer=signer)
        _record(uow, "RefreshToken", row.username, actor, SUCCEEDED)
        uow.commit()
        return tokens


def logout(uow_factory: Callable[[], UnitOfWork], *, refresh_token: str, caller: Caller,
           revoked: Callable[[str], None]) -> None:
    """End the caller's session the refresh token belongs to (again: a no-op, still recorded)."""
    with uow_factory() as uow:
        row = _session_of(uow, refresh_token)
        username = caller.user.removeprefix("users/")
        if row is None or row.username != username:
            # Someone else's session is, to this caller, no session at all.
            raise _refuse(uow, "Logout", username, caller, "SESSION_NOT_FOUND", DENIED,
                          NotFound("登录会话不存在", reason="SESSION_NOT_FOUND"))
        _revoke_family(uow, row.family_id, uow.clock.now(), "LOGOUT")
        _record(uow, "Logout", username, caller, SUCCEEDED)
        uow.commit()
    revoked(str(row.family_id))


def record_failure(uow_factory: Callable[[], UnitOfWork], *, action: str, caller: Caller, reason: str) -> None:
    """Record an attempt refused before it reached a use case (malformed, or login disabled)."""
    with uow_factory() as uow:
        actor = caller if caller.user else _anonymous(uow, caller)
        _record(uow, action, actor.user.removeprefix("users/"), actor, FAILED, reason)
        uow.commit()


def set_password(uow_factory: Callable[[], UnitOfWork], *, username: str, password: str) -> None:
    """An administrator sets a password: it unlocks the account and ends the user's sessions."""
    if len(password) < passwords.MIN_LENGTH:
        raise FailedPrecondition(f"密码至少 {passwords.MIN_LENGTH} 个字符", reason="PASSWORD_TOO_SHORT")
    hashed = passwords.hash_password(password)
    with uow_factory() as uow:
        user = uow.session.get(UserRow, username, with_for_update=True)
        if user is None:
            raise NotFound(f"组织目录中没有用户 {username}", reason="USER_NOT_FOUND")
        user.password_hash, user.failed_logins, user.locked_until = hashed, 0, None
        uow.session.execute(update(SessionRow).where(SessionRow.username == username, SessionRow.revoked_time.is_(None))
                            .values(revoked_time=uow.clock.now(), revoke_reason="PASSWORD_SET"))
        # Done at the console: no signed-in actor, but filed under the user's court so its auditors see it.
        _record(uow, "SetPassword", username, Caller(court=user.court_id, user_agent="python -m gateway set-password"),
                SUCCEEDED)
        uow.commit()


def purge_expired(uow_factory: Callable[[], UnitOfWork], *, keep: timedelta = timedelta(days=1),
                  keep_failures: timedelta = timedelta(days=30)) -> int:
    """Delete refresh tokens expired for a while (they are refused by their expiry anyway), and
    the failure counts of unknown usernames nobody has tried for a month (and not locked)."""
    with uow_factory() as uow:
        now = uow.clock.now()
        done = uow.session.execute(delete(SessionRow).where(SessionRow.expire_time < now - keep))
        uow.session.execute(delete(LoginFailureRow).where(
            LoginFailureRow.update_time < now - keep_failures,
            (LoginFailureRow.locked_until.is_(None)) | (LoginFailureRow.locked_until < now)))
        uow.commit()
        return done.rowcount or 0


def _wrong_password(uow: UnitOfWork, user: UserRow | LoginFailureRow, actor: Caller, policy: Policy, now: datetime,
                    reason: str) -> NoReturn:
    """Count a failure; the last one allowed locks the account (or the name nobody holds)."""
    user.failed_logins += 1
    if user.failed_logins < policy.max_failures:
        raise _refuse(uow, "Login", user.username, actor, reason, FAILED,
                      Unauthenticated(BAD_CREDENTIALS, reason="INVALID_CREDENTIALS"))
    user.failed_logins, user.locked_until = 0, now + policy.lockout
    _record(uow, "Login", user.username, actor, FAILED, reason)
    raise _refuse(uow, "LockAccount", user.username, actor, "TOO_MANY_FAILURES", SUCCEEDED, _locked(user.locked_until))


def _unknown_user(uow: UnitOfWork, username: str, password: str, actor: Caller, policy: Policy,
                  now: datetime) -> NoReturn:
    """A username nobody holds answers as an account would: the same refusals, in the same time
    (one password check, none while locked), and locked after the same number of failures."""
    uow.session.execute(pg_insert(LoginFailureRow).values(username=username, failed_logins=0, update_time=now)
                        .on_conflict_do_nothing())
    row = uow.session.scalar(select(LoginFailureRow).where(LoginFailureRow.username == username).with_for_update())
    row.update_time = now
    if row.locked_until is not None and row.locked_until > now:
        raise _refuse(uow, "Login", username, actor, "ACCOUNT_LOCKED", DENIED, _locked(row.locked_until))
    passwords.burn(password)
    _wrong_password(uow, row, actor, policy, now, "UNKNOWN_USER")


def _locked(until: datetime) -> Unauthenticated:
    local = until.astimezone(LEGAL_TZ).strftime("%H:%M")  # the time on the court's clocks
    return Unauthenticated(f"登录失败: 密码连续错误次数过多，账号已锁定，请于 {local} 后再试", reason="ACCOUNT_LOCKED",
                           metadata={"locked_until": until.isoformat()})


def _issue(uow: UnitOfWork, *, username: str, family: uuid.UUID, now: datetime, policy: Policy,
           signer: Signer) -> Tokens:
    refresh_token = "cfr_" + secrets.token_urlsafe(32)
    refresh_expire = now + policy.refresh_ttl
    uow.session.add(SessionRow(id=uuid.uuid4(), username=username, refresh_digest=token_digest(refresh_token),
                               family_id=family, create_time=now, expire_time=refresh_expire, revoke_reason=""))
    access, expire = signer.access_token(username=username, session=str(family), now=now, ttl=policy.access_ttl)
    return Tokens(access_token=access, refresh_token=refresh_token, expire_time=expire,
                  refresh_expire_time=refresh_expire)


def _session_of(uow: UnitOfWork, refresh_token: str) -> SessionRow | None:
    return uow.session.scalar(select(SessionRow).where(SessionRow.refresh_digest == token_digest(refresh_token))
                              .with_for_update())


def _revoke_family(uow: UnitOfWork, family: uuid.UUID, now: datetime, reason: str) -> None:
    uow.session.execute(update(SessionRow).where(SessionRow.family_id == family, SessionRow.revoked_time.is_(None))
                        .values(revoked_time=now, revoke_reason=reason))


def _as(uow: UnitOfWork, user: UserRow, seen: Caller) -> Caller:
    """The directory's caller for `user`, at the address the gateway saw."""
    actor = directory_caller(uow.session, user)
    actor.client_address, actor.user_agent = seen.client_address, seen.user_agent
    return actor


def _anonymous(uow: UnitOfWork, seen: Caller) -> Caller:
    """No known user: the record is filed under the province, whose auditors watch sign-in attempts."""
    return Caller(court=province_id(uow.session), client_address=seen.client_address, user_agent=seen.user_agent)


def _record(uow: UnitOfWork, action: str, username: str, actor: Caller, result: int, reason: str = "") -> None:
    record_operation(uow, reporter="gateway", caller=actor, action=action,
                     resource=f"users/{username}" if username else "", result=result, error_reason=reason)


def _refuse(uow: UnitOfWork, action: str, username: str, actor: Caller, reason: str, result: int,
            error: DomainError) -> DomainError:
    """Record the refusal and commit it (with any failure count), then hand back the error to raise."""
    _record(uow, action, username, actor, result, reason)
    uow.commit()
    return error

