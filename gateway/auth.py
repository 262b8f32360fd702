"""Authentication of bearer tokens into a Caller (the verified identity services receive)."""
from __future__ import annotations

import hashlib
import secrets
import time
from typing import Callable

from sqlalchemy import select

from courtflow.common.v1.caller_pb2 import Caller

from gateway.models import ApiTokenRow, CourtRow, UserRow
from gateway.permissions import scope_of
from services.common.errors import Unauthenticated
from services.common.uow import UnitOfWork

CACHE_SECONDS = 30.0


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_token() -> str:
    return "cf_" + secrets.token_urlsafe(32)


def bearer(metadata) -> str:
    for key, value in metadata or ():
        if key == "authorization" and isinstance(value, str) and value.lower().startswith("bearer "):
            return value[7:].strip()
    raise Unauthenticated("未登录: 请提供 Authorization: Bearer 令牌", reason="TOKEN_MISSING")


class Authenticator:
    """Looks tokens up in the gateway schema, with a short cache so each call costs no query."""

    def __init__(self, uow_factory: Callable[[], UnitOfWork]) -> None:
        self._uow = uow_factory
        self._cache: dict[str, tuple[float, Caller]] = {}

    def cached(self, token: str) -> Caller | None:
        """The caller for a recently seen token, without touching the database (safe on the event loop)."""
        hit = self._cache.get(token_digest(token))
        if hit and hit[0] > time.monotonic():
            caller = Caller()
            caller.CopyFrom(hit[1])  # callers are completed per request; keep the cached one pristine
            return caller
        return None

    def authenticate(self, token: str) -> Caller:
        """Look the token up (blocking: run in the database thread pool)."""
        digest = token_digest(token)
        caller = self._lookup(digest)
        if len(self._cache) > 10_000:
            self._cache.clear()
        self._cache[digest] = (time.monotonic() + CACHE_SECONDS, caller)
        fresh = Caller()
        fresh.CopyFrom(caller)
        return fresh

    def _lookup(self, digest: str) -> Caller:
        with self._uow() as uow:
            row = uow.session.execute(
                select(ApiTokenRow, UserRow, CourtRow)
                .join(UserRow, UserRow.username == ApiTokenRow.username)
                .join(CourtRow, CourtRow.id == UserRow.court_id)
                .where(ApiTokenRow.token_hash == digest)).first()
            province = uow.session.scalar(select(CourtRow.id).where(CourtRow.parent_id.is_(None)))
            now = uow.clock.now()
        if row is None:
            raise Unauthenticated("未登录: 令牌无效", reason="TOKEN_INVALID")
        token, user, court = row
        if token.expire_time is not None and token.expire_time <= now:
            raise Unauthenticated("未登录: 令牌已过期", reason="TOKEN_EXPIRED")
        if not user.active:
            raise Unauthenticated("未登录: 账号已停用", reason="USER_INACTIVE")
        level, prefix = scope_of(user.role, court=user.court_id, court_level=court.level, province=province or "")
        return Caller(user=f"users/{user.username}", display_name=user.display_name, role=user.role,
                      court=user.court_id, department=user.department, scope=level, scope_prefix=prefix)
