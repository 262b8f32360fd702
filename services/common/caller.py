"""The verified caller context.

The gateway authenticates the user and forwards a Caller message signed with
the internal key in call metadata. Every service verifies the signature and
refuses a call without a valid one, then reads the caller from a contextvar.
"""
from __future__ import annotations

import contextvars
import hashlib
import hmac
from typing import Iterable

from courtflow.common.v1.caller_pb2 import Caller

from services.common.errors import Unauthenticated

CALLER_KEY = "x-courtflow-caller-bin"
SIGNATURE_KEY = "x-courtflow-caller-sig"

_current: contextvars.ContextVar[Caller | None] = contextvars.ContextVar("courtflow_caller", default=None)


def sign(caller: Caller, key: str) -> list[tuple[str, str | bytes]]:
    """Metadata entries that carry `caller` to a service."""
    blob = caller.SerializeToString(deterministic=True)
    return [(CALLER_KEY, blob), (SIGNATURE_KEY, _mac(blob, key))]


def verify(metadata: Iterable[tuple[str, str | bytes]], keys: str | Iterable[str]) -> Caller:
    """The caller the metadata carries, signed with one of `keys` (two while the key is rotated:
    the gateway replicas of the old release sign with one, those of the new with the other)."""
    entries = dict(metadata or ())
    blob, signature = entries.get(CALLER_KEY), entries.get(SIGNATURE_KEY)
    if not blob or not signature:
        raise Unauthenticated("未认证: 缺少经网关验证的调用者身份", reason="CALLER_MISSING")
    if isinstance(signature, bytes):
        signature = signature.decode()
    keys = (keys,) if isinstance(keys, str) else tuple(keys)
    # Every key is tried (no early exit), so the time taken does not tell which one matched.
    if not [k for k in keys if hmac.compare_digest(_mac(blob, k), signature)]:
        raise Unauthenticated("未认证: 调用者身份签名无效", reason="CALLER_SIGNATURE_INVALID")
    return Caller.FromString(blob)


def _mac(blob: bytes, key: str) -> str:
    return hmac.new(key.encode(), blob, hashlib.sha256).hexdigest()


def current() -> Caller:
    caller = _current.get()
    if caller is None:  # a servicer reached without the guard: a wiring bug, never a user's fault
        raise Unauthenticated("未认证", reason="CALLER_MISSING")
    return caller


def bind(caller: Caller) -> contextvars.Token:
    return _current.set(caller)


def reset(token: contextvars.Token) -> None:
    _current.reset(token)
