"""The hash chain of the audit log. Pure: no I/O.

Each record's hash is SHA-256 over the previous record's hash and the record's
canonical content, so altering, deleting or reordering any record breaks every
link after it.
"""
from __future__ import annotations

import hashlib
import json
from datetime import datetime, timezone
from typing import Any, Mapping

GENESIS = "0" * 64


def canonical(content: Mapping[str, Any]) -> bytes:
    return json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=_text).encode()


def _text(value: Any) -> str:
    # An instant hashes the same whatever time zone it was read back in.
    if isinstance(value, datetime):
        return value.astimezone(timezone.utc).isoformat()
    return str(value)


def link(previous_hash: str, content: Mapping[str, Any]) -> str:
    return hashlib.sha256(previous_hash.encode() + b"\n" + canonical(content)).hexdigest()
