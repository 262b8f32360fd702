"""The hash chain of the audit log. Pure: no I/O.

Each record's hash is SHA-256 over the previous record's hash and the record's
canonical content, so altering, deleting or reordering any record breaks every
link after it. Every so many records the chain head is written down as a checkpoint
signed with a key the database does not hold: rewriting the whole table with fresh
hashes, or cutting its tail, then disagrees with a checkpoint.
"""
from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Iterable, Mapping

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


# The fields a record's hash covers, in the order append() builds them.
CONTENT_FIELDS = ("sequence", "operation_id", "actor", "actor_display_name", "role", "court", "department",
                  "action", "resource", "result", "error_reason", "client_address", "user_agent", "trace_id",
                  "reporter", "occur_time", "record_time")


# Added later and hashed only when set, so that every record written before verifies as it was.
OPTIONAL_FIELDS = ("detail",)


def hashed_content(record: Mapping[str, Any]) -> dict[str, Any]:
    """What a record's hash covers."""
    return {**{f: record[f] for f in CONTENT_FIELDS}, **{f: record[f] for f in OPTIONAL_FIELDS if record.get(f)}}


def sign(key: str, sequence: int, digest: str) -> str:
    """A checkpoint's signature: HMAC-SHA256 under a key the database does not hold, so whoever can
    rewrite the whole table consistently still cannot make checkpoints agree with the rewrite."""
    return hmac.new(key.encode(), f"{sequence}:{digest}".encode(), hashlib.sha256).hexdigest()


def sign_anchor(key: str, sequence: int, digest: str) -> str:
    """The signature of a retention anchor: records up to `sequence` were removed on purpose, and the
    chain goes on from `digest`. Labelled apart from checkpoints, so one cannot pass for the other."""
    return hmac.new(key.encode(), f"anchor:{sequence}:{digest}".encode(), hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class Anchor:
    """Where the kept part of the chain starts after retention removed older records."""

    sequence: int      # the last removed record
    hash: str          # its hash: the next record's previous_hash
    signature: str


@dataclass(frozen=True)
class Finding:
    """The first bad place in the chain."""

    sequence: int
    problem: str     # MISSING, BROKEN_LINK, ALTERED, REWRITTEN, CHECKPOINT_FORGED, ANCHOR_FORGED
    message: str     # for auditors, in Chinese


class Verifier:
    """Walks the records in sequence order (fed in batches) and stops at the first bad one."""

    def __init__(self, *, key: str, checkpoints: Mapping[int, tuple[str, str]], anchor: Anchor | None = None) -> None:
        self._key = key
        self._checkpoints = checkpoints        # sequence → (hash, signature)
        self.previous_hash = GENESIS
        self.last_sequence = 0
        self.checked = 0
        self.checkpoints_verified = 0
        self.finding: Finding | None = None
        if anchor is not None:
            # The walk starts after the records retention removed, from a point the key vouches for.
            if not hmac.compare_digest(sign_anchor(key, anchor.sequence, anchor.hash), anchor.signature):
                self.finding = Finding(anchor.sequence, "ANCHOR_FORGED",
                                       f"保留期起点（第{anchor.sequence}条）的签名无效：清理记录被伪造")
            self.previous_hash, self.last_sequence = anchor.hash, anchor.sequence

    def feed(self, records: Iterable[Mapping[str, Any]]) -> bool:
        """Check the next records; False once a bad one is found."""
        if self.finding is not None:
            return False
        for r in records:
            self.finding = self._check(r)
            if self.finding is not None:
                return False
            self.previous_hash, self.last_sequence = r["hash"], r["sequence"]
            self.checked += 1
        return True

    def _check(self, r: Mapping[str, Any]) -> Finding | None:
        n, expected = r["sequence"], self.last_sequence + 1
        if n != expected:
            return Finding(expected, "MISSING", f"第{expected}条记录缺失（其后的记录从第{n}条开始）")
        if r["previous_hash"] != self.previous_hash:
            return Finding(n, "BROKEN_LINK", f"第{n}条记录与前一条不相连：有记录被删除、插入或调换了顺序")
        if link(r["previous_hash"], hashed_content(r)) != r["hash"]:
            return Finding(n, "ALTERED", f"第{n}条记录的内容与其哈希不符：记录被改动")
        if n in self._checkpoints:
            digest, signature = self._checkpoints[n]
            if not hmac.compare_digest(sign(self._key, n, digest), signature):
                return Finding(n, "CHECKPOINT_FORGED", f"第{n}条记录处的检查点签名无效：检查点被伪造")
            if digest != r["hash"]:
                return Finding(n, "REWRITTEN", f"第{n}条记录与签名检查点不符：日志自此被整体改写")
            self.checkpoints_verified += 1
        return None

    def finish(self, *, head_sequence: int, head_hash: str) -> Finding | None:
        """After the last record: nothing may be missing at the tail."""
        if self.finding is not None:
            return self.finding
        beyond = [s for s in self._checkpoints if s > self.last_sequence]
        end = max([head_sequence, *beyond])
        if end > self.last_sequence:
            self.finding = Finding(self.last_sequence + 1, "MISSING",
                                   f"第{self.last_sequence + 1}条至第{end}条记录缺失（日志末尾被删除）")
        elif head_hash != self.previous_hash:
            self.finding = Finding(self.last_sequence, "BROKEN_LINK", f"链头与第{self.last_sequence}条记录不符")
        return self.finding
