"""Authentication of bearer tokens into a Caller (the verified identity services receive).

Two kinds of bearer token, told apart by shape:
- opaque API tokens (`cf_…`, for court systems and scripts), stored as SHA-256 digests;
- JWTs (three dot-separated parts) from a configured identity system or from the gateway's own
  login, verified by gateway/identity/jwt_auth.py; a gateway token also needs its login session live.
Either way the Caller is built from the org directory (role, court, department, scope), never
from claims in the token.
"""
from __future__ import annotations

import hashlib
import secrets
import time
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Callable

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from courtflow.common.v1.caller_pb2 import Caller

from gateway.access.permissions import scope_of
from gateway.identity.jwt_auth import JwtVerifier, looks_like_jwt
from gateway.models import ApiTokenRow, CourtRow, SessionRow, UserRow
from services.common.clock import Clock
from services.common.errors import Unauthenticated
from services.common.uow import UnitOfWork

CACHE_SECONDS = 30.0


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_token() -> str:
    return "cf_" + secrets.token_urlsafe(32)


def issue_token(uow: UnitOfWork, *, username: str, label: str, expire_time: datetime | None = None) -> str:
    """A new bearer token for a user; only its digest is stored, so it is shown once."""
    token = new_token()
    uow.session.add(ApiTokenRow(token_hash=token_digest(token), username=username, label=label,
                                create_time=uow.clock.now(), expire_time=expire_time))
    return token


def bearer(metadata) -> str:
    for key, value in metadata or ():
        if key == "authorization" and isinstance(value, str) and value.lower().startswith("bearer "):
            return value[7:].strip()
    raise Unauthenticated("未登录: 请提供 Authorization: Bearer 令牌", reason="TOKEN_MISSING")


def province_id(session: Session) -> str:
    return session.scalar(select(CourtRow.id).where(CourtRow.parent_id.is_(None))) or ""


def directory_caller(session: Session, user: UserRow) -> Caller:
    """The Caller of a directory user: what every kind of sign-in ends in."""
    court = session.get(CourtRow, user.court_id)
    level, prefix = scope_of(user.role, court=user.court_id, court_level=court.level if court else 0,
                             province=province_id(session))
    return Caller(user=f"users/{user.username}", display_name=user.display_name, role=user.role,
                  court=user.court_id, department=user.department, scope=level, scope_prefix=prefix)


@dataclass(frozen=True)
class _Entry:
    deadline: float                 # monotonic: when to look again
    caller: Caller
    session: str                    # login session (family id) of a gateway token, else ""
    expire_time: datetime | None    # business time after which the token is dead whatever the cache says


class Authenticator:
    """Checks tokens, with a short cache so a repeated token costs no query and no signature check.

    A logout or a revoked session is seen at once by this gateway process (`forget_session`) and
    by the other replicas within CACHE_SECONDS."""

    def __init__(self, uow_factory: Callable[[], UnitOfWork], *, clock: Clock, verifier: JwtVerifier | None = None,
                 own_issuer: str = "") -> None:
        self._uow = uow_factory
        self._clock = clock
        self._verifier = verifier
        self._own_issuer = own_issuer
        self._cache: dict[str, _Entry] = {}

    def cached(self, token: str) -> Caller | None:
        """The caller for a recently seen token, without touching the database (safe on the event loop)."""
        hit = self._cache.get(token_digest(token))
        if hit and hit.deadline > time.monotonic() and (hit.expire_time is None or hit.expire_time > self._clock.now()):
            caller = Caller()
            caller.CopyFrom(hit.caller)  # callers are completed per request; keep the cached one pristine
            return caller
        return None

    def authenticate(self, token: str) -> Caller:
        """Check the token (blocking: run in the database thread pool)."""
        entry = self._check_jwt(token) if looks_like_jwt(token) else self._check_opaque(token_digest(token))
        if len(self._cache) > 10_000:
            self._cache.clear()
        self._cache[token_digest(token)] = entry
        fresh = Caller()
        fresh.CopyFrom(entry.caller)
        return fresh

    def forget_session(self, session: str) -> None:
        """Drop cached access tokens of a login session that was just revoked."""
        for digest, entry in list(self._cache.items()):
            if entry.session == session:
                self._cache.pop(digest, None)

    def _check_opaque(self, digest: str) -> _Entry:
        with self._uow() as uow:
            row = uow.session.execute(select(ApiTokenRow, UserRow).join(UserRow, UserRow.username == ApiTokenRow.username)
                                      .where(ApiTokenRow.token_hash == digest)).first()
            if row is None:
                raise Unauthenticated("未登录: 令牌无效", reason="TOKEN_INVALID")
            token, user = row
            if token.expire_time is not None and token.expire_time <= uow.clock.now():
                raise Unauthenticated("未登录: 令牌已过期", reason="TOKEN_EXPIRED")
            return self._entry(uow, user, session="", expire_time=token.expire_time)

    def _check_jwt(self, token: str) -> _Entry:
        if self._verifier is None:
            raise Unauthenticated("未登录: 本网关未配置任何令牌签发方", reason="TOKEN_INVALID")
        claims = self._verifier.verify(token, now=self._clock.now())
        with self._uow() as uow:
            user = uow.session.get(UserRow, claims.username)
            if user is None:
                raise Unauthenticated(f"未登录: 组织目录中没有用户 {claims.username}", reason="USER_UNKNOWN")
            if claims.issuer == self._own_issuer and not _session_live(uow.session, claims.session, user.username):
                raise Unauthenticated("未登录: 登录会话已注销，请重新登录", reason="SESSION_REVOKED")
            return self._entry(uow, user, session=claims.session if claims.issuer == self._own_issuer else "",
                               expire_time=claims.expire_time)

    @staticmethod
    def _entry(uow: UnitOfWork, user: UserRow, *, session: str, expire_time: datetime | None) -> _Entry:
        if not user.active:
            raise Unauthenticated("未登录: 账号已停用", reason="USER_INACTIVE")
        return _Entry(deadline=time.monotonic() + CACHE_SECONDS, caller=directory_caller(uow.session, user),
                      session=session, expire_time=expire_time)


def _session_live(session: Session, family: str, username: str) -> bool:
    try:
        family_id = uuid.UUID(family)
    except ValueError:
        return False
    return bool(session.scalar(select(exists().where(SessionRow.family_id == family_id, SessionRow.username == username,
                                                     SessionRow.revoked_time.is_(None)))))
