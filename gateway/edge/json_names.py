"""What the HTTP-JSON API calls what the protos call a field. Pure: no I/O.

A resource name in a path is one parameter per wildcard segment (`/v1/{name=courts/*/cases/*}` is
`/v1/courts/{court}/cases/{case}`), each with its segment's part of the field's pattern; the
OpenAPI document (gateway/edge/openapi.py) declares them. The services name a bad field by its
proto path (`case.case_number`, `name`), as gRPC clients see the request; an HTTP client sent
JSON, so its errors name what it sent: the JSON path inside the body (`caseNumber` when the body
is the case), the query parameter (`pageSize`), or the path parameter whose segment is wrong
(`case`, not the internal `name`).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from google.protobuf.descriptor import Descriptor, FieldDescriptor

from gateway.edge.http_routes import HttpRoute
from gateway.edge.validation_schemas import json_schema_pattern, string_rules


@dataclass(frozen=True)
class PathParameter:
    name: str                     # as the OpenAPI document names it: "court", "case"
    field_path: tuple[str, ...]   # the request field whose segment it is, e.g. ("name",)
    offset: int                   # which segment of that field's value (0 for "courts/{court}/…": 1)
    pattern: str                  # that segment's part of the field's pattern


def path_parameters(route: HttpRoute) -> list[PathParameter]:
    """One parameter per wildcard segment of the route's path, named for the collection before it
    (`cases/*` is `case`), else for the field."""
    template = route.template
    params: list[PathParameter] = []
    taken: set[str] = set()
    for var in template.variables:
        segments = template.segments[var.start:var.end]
        field = field_at(route.method.input_type, var.field_path)
        patterns = _segment_patterns(string_rules(field).pattern if field else "", segments)
        for k, seg in enumerate(segments):
            if seg not in ("*", "**"):
                continue
            previous = template.segments[var.start + k - 1] if k > 0 else ""
            name = _singular(previous) if previous and previous not in ("*", "**") else \
                ".".join(json_path(route.method.input_type, var.field_path))
            while name in taken:
                name += "_"
            taken.add(name)
            params.append(PathParameter(name, var.field_path, k, patterns[k] if patterns else "^[^/]+$"))
    return params


def http_field(route: HttpRoute, proto_path: str, path_values: dict[tuple[str, ...], str] | None = None) -> str:
    """The name an HTTP client knows for the field a violation names by its proto path."""
    if not _PATH.match(proto_path):
        return proto_path   # not a field path ("(message)")
    elements = [(m[1], m[2]) for m in _ELEMENT.finditer(proto_path)]
    names = tuple(n for n, _ in elements)
    for var_path in route.path_fields:
        if names == var_path:
            return _path_parameter(route, var_path, (path_values or {}).get(var_path))
    message = route.method.input_type
    if route.body not in ("", "*"):
        if names[0] == route.body:
            body = message.fields_by_name[route.body]
            elements = elements[1:]
            if not elements:
                return "body"
            message = body.message_type
            if message is None:
                return proto_path
        elif names[0] not in message.fields_by_name:
            inner = _body_message(route)   # named relative to the body (`document`, not `event.document`)
            message = inner if inner is not None and names[0] in inner.fields_by_name else message
    converted = _json_elements(message, elements)
    return converted if converted is not None else proto_path


def _body_message(route: HttpRoute) -> Descriptor | None:
    if route.body in ("", "*"):
        return None
    return route.method.input_type.fields_by_name[route.body].message_type


_PATH = re.compile(r"^[A-Za-z_]\w*(?:\[[^\]]*\])*(?:\.[A-Za-z_]\w*(?:\[[^\]]*\])*)*$")
_ELEMENT = re.compile(r"(?:^|\.)([A-Za-z_][A-Za-z0-9_]*)((?:\[[^\]]*\])*)")


def _json_elements(message: Descriptor | None, elements: list[tuple[str, str]]) -> str | None:
    out = []
    for name, subscript in elements:
        f = _field_named(message, name) if message is not None else None
        if f is None:
            return None
        out.append(f.json_name + subscript)
        message = f.message_type
        if message is not None and message.GetOptions().map_entry:
            message = message.fields_by_name["value"].message_type
    return ".".join(out)


def _path_parameter(route: HttpRoute, var_path: tuple[str, ...], value: str | None) -> str:
    """The parameter whose segment of the value is wrong (the first that breaks its pattern), else
    the last of the field's parameters: the one that names the resource itself."""
    params = [p for p in path_parameters(route) if p.field_path == var_path]
    if not params:
        return ".".join(var_path)
    parts = value.split("/") if value is not None else []
    var = next(v for v in route.template.variables if v.field_path == var_path)
    if len(parts) == var.end - var.start:
        for p in params:
            if not re.search(p.pattern, parts[p.offset]):
                return p.name
    return params[-1].name


def field_at(message: Descriptor, path: tuple[str, ...]) -> FieldDescriptor | None:
    f = None
    for name in path:
        f = message.fields_by_name.get(name) if message is not None else None
        if f is None:
            return None
        message = f.message_type
    return f


def json_path(message: Descriptor, path: tuple[str, ...]) -> list[str]:
    out = []
    for name in path:
        f = message.fields_by_name[name]
        out.append(f.json_name)
        message = f.message_type
    return out


def _field_named(message: Descriptor, name: str) -> FieldDescriptor | None:
    return message.fields_by_name.get(name) or next((x for x in message.fields if x.json_name == name), None)


def _singular(word: str) -> str:
    if word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith("s"):
        return word[:-1]
    return word + "Id"


def _segment_patterns(field_pattern: str, segments: tuple[str, ...]) -> list[str] | None:
    """Per-segment patterns of a resource-name pattern such as `^courts/([0-9]{2,12}|-)/cases/…$`,
    when its top-level '/' split lines up with the template's segments; else None."""
    converted = json_schema_pattern(field_pattern) if field_pattern else None
    if not converted or not converted.startswith("^") or not converted.endswith("$"):
        return None
    pieces, depth, current, escaped = [], 0, "", False
    for ch in converted[1:-1]:
        if escaped:
            current, escaped = current + ch, False
            continue
        if ch == "\\":
            escaped = True
        elif ch in "([":
            depth += 1
        elif ch in ")]":
            depth -= 1
        if ch == "/" and depth == 0:
            pieces.append(current)
            current = ""
        else:
            current += ch
    pieces.append(current)
    if len(pieces) != len(segments):
        return None
    for piece, segment in zip(pieces, segments):
        if segment not in ("*", "**") and piece != re.escape(segment):
            return None
    return [f"^{p}$" for p in pieces]
