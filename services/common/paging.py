"""AIP-158 pagination (keyset, opaque tokens) and an AIP-160 filter subset.

Filters: `field = "value"` or `field = VALUE` (enum names, true/false),
joined by AND. Anything else is INVALID_ARGUMENT naming `filter`.
"""
from __future__ import annotations

import base64
import hashlib
import json
import re
from dataclasses import dataclass
from typing import Any, Callable

from sqlalchemy import Select
from sqlalchemy.orm import Session

from services.common.errors import invalid_field

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 1000

_TERM = re.compile(r'\s*([a-z_]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([A-Za-z0-9_.-]+))\s*(?:\s+AND\s+(?=\S)|$)')


@dataclass(frozen=True)
class Page:
    size: int
    after: Any | None
    fingerprint: str

    def token_for(self, last_key: Any) -> str:
        raw = json.dumps({"k": str(last_key), "f": self.fingerprint}).encode()
        return base64.urlsafe_b64encode(raw).decode()


def page_request(page_size: int, page_token: str, *, filter_text: str = "", parent: str = "",
                 key_type: Callable[[str], Any] = str) -> Page:
    size = DEFAULT_PAGE_SIZE if page_size <= 0 else min(page_size, MAX_PAGE_SIZE)
    fingerprint = hashlib.sha256(f"{parent}\x00{filter_text}".encode()).hexdigest()[:16]
    if not page_token:
        return Page(size, None, fingerprint)
    try:
        data = json.loads(base64.urlsafe_b64decode(page_token.encode()))
        after = key_type(data["k"])
    except Exception:
        raise invalid_field("page_token", "无效的分页标记") from None
    if data.get("f") != fingerprint:
        raise invalid_field("page_token", "分页标记与本次查询条件不符")
    return Page(size, after, fingerprint)


def page_of(session: Session, query: Select, *, key, page: Page, descending: bool = False) -> list:
    """Rows of one page; one extra row is fetched and left on the list to tell whether more exist."""
    if page.after is not None:
        query = query.where(key < page.after if descending else key > page.after)
    query = query.order_by(key.desc() if descending else key).limit(page.size + 1)
    return list(session.scalars(query))


def split_page(rows: list, page: Page, key_of: Callable[[Any], Any]) -> tuple[list, str]:
    if len(rows) <= page.size:
        return rows, ""
    rows = rows[: page.size]
    return rows, page.token_for(key_of(rows[-1]))


def parse_filter(text: str, allowed: dict[str, Callable[[str], Any]], field_name: str = "filter") -> dict[str, Any]:
    result: dict[str, Any] = {}
    pos, text = 0, text.strip()
    while pos < len(text):
        # Term by term from the left, so a quoted value may itself contain " AND ".
        m = _TERM.match(text, pos)
        if not m:
            raise invalid_field(field_name, f"无法解析的条件 {text[pos:]!r}: 仅支持 field = \"value\"，以 AND 连接")
        field, quoted, bare = m.group(1), m.group(2), m.group(3)
        if field not in allowed:
            raise invalid_field(field_name, f"不支持按 {field} 过滤; 可用字段: {', '.join(sorted(allowed))}")
        value = quoted.replace('\\"', '"') if quoted is not None else bare
        try:
            result[field] = allowed[field](value)
        except (ValueError, KeyError):
            raise invalid_field(field_name, f"{field} 的值 {value!r} 无效") from None
        pos = m.end()
    return result
