"""The protos' comments, for the OpenAPI document: scripts/gen_protos.py writes every comment of
CourtFlow's protos into gen/python/courtflow/docs.json by full name (generated descriptors carry
none), and this module reads it once."""
from __future__ import annotations

import functools
import json
from importlib import resources


@functools.cache
def _docs() -> dict[str, str]:
    try:
        return json.loads(resources.files("courtflow").joinpath("docs.json").read_text(encoding="utf-8"))
    except FileNotFoundError:   # generated code from before the comments were kept
        return {}


# The common types CourtFlow's messages use, whose protos are not CourtFlow's.
COMMON = {
    "google.type.Date": "A calendar date (legal dates are Asia/Shanghai dates); all three fields zero: unset.",
    "google.type.Date.year": "Year, 1–9999.",
    "google.type.Date.month": "Month, 1–12.",
    "google.type.Date.day": "Day of the month, 1–31.",
}


def comment(full_name: str) -> str:
    """The comment on a service, method, message, field ("pkg.Message.field"), enum or enum value
    ("pkg.Enum.VALUE"); "" when it has none."""
    return _docs().get(full_name) or COMMON.get(full_name, "")
