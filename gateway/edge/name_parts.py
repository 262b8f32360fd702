"""`nameParts`: the path values of a resource's `name`, beside it in every HTTP-JSON answer, so that
a portal calls a resource's methods without splitting names by hand. Pure: no I/O.

A Case `{"name": "courts/440101/cases/abc…", "nameParts": {"court": "440101", "case": "abc…"}}` is
fetched again with `GET /v1/courts/{court}/cases/{case}`, a generated client's
`get_case(court=c.name_parts.court, case=c.name_parts.case)`. The keys are the path parameters
the resource's operations have (gateway/edge/json_names.py names them for the collection before
each wildcard: `nodeRules/*` is `nodeRule`), which are its pattern's variables in lowerCamelCase;
the values come from services/common/names.py's parsers, the one place names are read.

Which messages carry it: every resource (a `google.api.resource` pattern), and the read model's
rows that are named by the case or node they show. Fields that refer to another resource by its
name (a message's `case` and `node`, a case's `handler`) get no parts: a client reads the resource they name,
or takes its parts from its own list answers. In requests `nameParts` is read-only and ignored,
so a resource read, changed and sent back whole is accepted.
"""
from __future__ import annotations

import logging
from functools import cache
from typing import Any

from google.api import resource_pb2
from google.protobuf.descriptor import Descriptor, FieldDescriptor

from services.common.errors import InvalidArgument
from services.common.names import RESOURCE_NAMES, CaseName, NodeName, pattern_values

log = logging.getLogger(__name__)
KEY = "nameParts"
_KEYS = (KEY, "name_parts")   # requests: either name form, like every field
# Rows of the read model that are no resource of their own: their `name` is the case's or node's.
VIEWS: dict[str, type] = {"courtflow.stats.v1.SupervisedCase": CaseName,
                          "courtflow.stats.v1.SupervisedNode": NodeName}


@cache
def name_class(message: Descriptor) -> type | None:
    """The services/common/names.py class of a message's `name`, or None if it carries no parts.
    ValueError for a resource whose pattern names.py does not know: it must get a class there."""
    if message.full_name in VIEWS:
        return VIEWS[message.full_name]
    options = message.GetOptions()
    if "name" not in message.fields_by_name or not options.HasExtension(resource_pb2.resource):
        return None
    patterns = list(options.Extensions[resource_pb2.resource].pattern)
    known = [RESOURCE_NAMES[p] for p in patterns if p in RESOURCE_NAMES]
    if len(known) != 1:
        raise ValueError(f"{message.full_name}: resource pattern {patterns} has no class in "
                         "services/common/names.py (RESOURCE_NAMES)")
    return known[0]


def keys(cls: type) -> list[str]:
    """The keys of a name class's parts: its pattern's variables as path parameters name them."""
    return [_lower_camel(w[1:-1]) for w in cls.PATTERN.split("/") if w.startswith("{")]


def template(cls: type) -> str:
    """A name class's pattern as the HTTP paths spell it: `courts/{court}/nodeRules/{nodeRule}`."""
    return "/".join("{" + _lower_camel(w[1:-1]) + "}" if w.startswith("{") else w for w in cls.PATTERN.split("/"))


def component(cls: type) -> str:
    """The OpenAPI schema of a name class's parts: `CaseName` → `CaseNameParts`."""
    return cls.__name__ + "Parts"


def parts(cls: type, name: str) -> dict[str, str] | None:
    """`name`'s parts, or None when it is empty or not a name of its kind (logged: the resource is
    still answered, only without its parts)."""
    if not name:
        return None
    try:
        parsed = cls.parse(name)
    except InvalidArgument:
        log.error("%s is not a %s; answered without %s", name, cls.__name__, KEY)
        return None
    return {_lower_camel(k): v for k, v in pattern_values(parsed).items()}


def add(message: Descriptor, data: Any) -> Any:
    """`data`, the proto3 JSON of a `message` (or a list of them), with parts beside each name in
    it, nested resources included."""
    if _reaches(message):
        for item in data if isinstance(data, list) else [data]:
            _add(message, item)
    return data


def add_to_field(f: FieldDescriptor, data: Any) -> Any:
    """The same for the JSON of one field (a response_body)."""
    if f.message_type is None or f.message_type.GetOptions().map_entry:
        return data
    return add(f.message_type, data)


def strip(message: Descriptor, data: Any) -> None:
    """Drops the parts a client sent back with a resource (they are read-only), in place."""
    if not isinstance(data, dict) or not _reaches(message):
        return
    if name_class(message) is not None:
        for key in _KEYS:
            data.pop(key, None)
    for f, value in _nested(message, data, both_names=True):
        strip(f, value)


def _add(message: Descriptor, data: Any) -> None:
    if not isinstance(data, dict):
        return
    cls = name_class(message)
    if cls is not None:
        values = parts(cls, data.get("name", ""))
        if values is not None:   # right after `name`, where a reader looks for it
            items = list(data.items())
            data.clear()
            for key, value in items:
                data[key] = value
                if key == "name":
                    data[KEY] = values
    for f, value in _nested(message, data, both_names=False):
        _add(f, value)


def _nested(message: Descriptor, data: dict, *, both_names: bool):
    """(message type, JSON value) of each field of `data` that may hold a named resource."""
    for f, sub, is_map in _holders(message):
        for key in dict.fromkeys((f.json_name, f.name) if both_names else (f.json_name,)):
            value = data.get(key)
            if is_map:
                yield from ((sub, v) for v in value.values()) if isinstance(value, dict) else ()
            else:
                yield from ((sub, v) for v in value) if isinstance(value, list) else [(sub, value)]


@cache
def _holders(message: Descriptor) -> tuple[tuple[FieldDescriptor, Descriptor, bool], ...]:
    """The fields of a message that may hold a named resource: (field, its message type, a map)."""
    out = []
    for f in message.fields:
        sub, is_map = f.message_type, False
        if sub is not None and sub.GetOptions().map_entry:
            sub, is_map = sub.fields_by_name["value"].message_type, True
        if sub is not None and _reaches(sub):
            out.append((f, sub, is_map))
    return tuple(out)


@cache
def _reaches(message: Descriptor) -> bool:
    """Whether a message is, or holds at any depth, one that carries parts (well-known types never)."""
    return _search(message, set())


def _search(message: Descriptor, seen: set[str]) -> bool:
    if message.full_name.startswith("google.") or message.full_name in seen:
        return False
    seen.add(message.full_name)
    if name_class(message) is not None:
        return True
    for f in message.fields:
        sub = f.message_type
        if sub is not None and sub.GetOptions().map_entry:
            sub = sub.fields_by_name["value"].message_type
        if sub is not None and _search(sub, seen):
            return True
    return False


def _lower_camel(name: str) -> str:
    """`node_rule` → `nodeRule`, as protoc names JSON fields (transcode.py does the same for field
    mask paths; it cannot be imported from there, which imports this module)."""
    head, *rest = name.split("_")
    return head + "".join(w[:1].upper() + w[1:] for w in rest)
