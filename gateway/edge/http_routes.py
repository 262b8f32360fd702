"""The HTTP rules of the protos (`google.api.http`) as a route table. Pure: no I/O.

A route is one HTTP rule of one RPC: a method, a path template such as
`/v1/{name=courts/*/cases/*}` or `/v1/{parent=users/*}/messages:markAllRead`, and which part of
the request is the body (`*`, one field, or none). Templates follow the google.api.http grammar:
literal segments, `*` (one segment), `**` (the rest), variables over segments bound to a
(possibly nested) string field, and an optional custom verb after the last segment.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Sequence
from urllib.parse import quote, unquote

from google.api import annotations_pb2
from google.protobuf.descriptor import Descriptor, FieldDescriptor, MethodDescriptor, ServiceDescriptor


class NoRoute(Exception):
    """No rule has this path (404)."""


class MethodNotAllowed(Exception):
    """Rules have this path, but not with this HTTP method (405)."""

    def __init__(self, allowed: Sequence[str]) -> None:
        super().__init__(", ".join(allowed))
        self.allowed = tuple(allowed)


# ---------------------------------------------------------------------------------------------
# Path templates


@dataclass(frozen=True)
class Variable:
    field_path: tuple[str, ...]   # proto field names, e.g. ("node_rule", "name")
    start: int                    # the template segments it covers: [start, end)
    end: int


@dataclass(frozen=True)
class PathTemplate:
    """`/v1/{name=courts/*/cases/*}:verb` (the google.api.http template grammar): literal
    segments, `*` (one segment) and `**` (the rest), variables over segments, an optional verb."""

    text: str
    segments: tuple[str, ...]
    variables: tuple[Variable, ...]
    verb: str | None

    @classmethod
    def parse(cls, text: str) -> "PathTemplate":
        if not text.startswith("/"):
            raise ValueError(f"path template must start with '/': {text!r}")
        body, verb = text[1:], None
        close = body.rfind("}")
        colon = body.rfind(":")
        if colon > close:
            body, verb = body[:colon], body[colon + 1:]
        segments: list[str] = []
        variables: list[Variable] = []
        for part in _split_outside_braces(body):
            if part.startswith("{"):
                if not part.endswith("}"):
                    raise ValueError(f"bad variable in {text!r}: {part!r}")
                name, _, sub = part[1:-1].partition("=")
                start = len(segments)
                segments += (sub or "*").split("/")
                variables.append(Variable(tuple(name.split(".")), start, len(segments)))
            else:
                segments.append(part)
        if any(s == "" for s in segments) or "**" in segments[:-1]:
            raise ValueError(f"bad path template {text!r}")
        return cls(text, tuple(segments), tuple(variables), verb)

    @property
    def literals(self) -> int:
        return sum(1 for s in self.segments if s not in ("*", "**"))

    def match(self, segments: Sequence[str], verb: str | None) -> dict[tuple[str, ...], str] | None:
        """The variables' values if the (percent-decoded) segments and verb match, else None."""
        if verb != self.verb:
            return None
        rest = self.segments[-1] == "**"
        if len(segments) < len(self.segments) - rest or (not rest and len(segments) != len(self.segments)):
            return None
        for i, pattern in enumerate(self.segments):
            if pattern == "**":
                break
            if segments[i] == "" or (pattern != "*" and pattern != segments[i]):
                return None
        values = {}
        for v in self.variables:
            end = len(segments) if v.end == len(self.segments) and rest else v.end
            values[v.field_path] = "/".join(segments[v.start:end])
        return values

    def expand(self, values: dict[tuple[str, ...], str]) -> str:
        """The path for these variable values (each segment percent-encoded)."""
        out: list[str] = []
        i = 0
        for v in self.variables:
            out += [quote(s, safe="") for s in self.segments[i:v.start]]
            out += [quote(s, safe="") for s in values[v.field_path].split("/")]
            i = v.end
        out += [quote(s, safe="") for s in self.segments[i:]]
        return "/" + "/".join(out) + (f":{self.verb}" if self.verb else "")


def _split_outside_braces(body: str) -> list[str]:
    parts, depth, current = [], 0, ""
    for ch in body:
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
        if ch == "/" and depth == 0:
            parts.append(current)
            current = ""
        else:
            current += ch
    parts.append(current)
    return parts


# ---------------------------------------------------------------------------------------------
# Routes


@dataclass(frozen=True)
class HttpRoute:
    http_method: str             # "GET", "POST", …
    template: PathTemplate
    method: MethodDescriptor
    body: str                    # "", "*" or a top-level field name
    response_body: str = ""

    @property
    def grpc_method(self) -> str:
        return f"/{self.method.containing_service.full_name}/{self.method.name}"

    @property
    def path_fields(self) -> tuple[tuple[str, ...], ...]:
        return tuple(v.field_path for v in self.template.variables)

    @property
    def server_streaming(self) -> bool:
        return self.method.server_streaming


def routes_of(method: MethodDescriptor) -> list[HttpRoute]:
    """Every HTTP rule of an RPC (the rule and its additional bindings)."""
    options = method.GetOptions()
    if not options.HasExtension(annotations_pb2.http):
        return []
    rule = options.Extensions[annotations_pb2.http]
    out = []
    for r in [rule, *rule.additional_bindings]:
        kind = r.WhichOneof("pattern")
        if kind is None:
            continue
        if kind == "custom":
            verb, path = r.custom.kind.upper(), r.custom.path
        else:
            verb, path = kind.upper(), getattr(r, kind)
        route = HttpRoute(verb, PathTemplate.parse(path), method, r.body, r.response_body)
        _check_fields(route)
        out.append(route)
    return out


def _check_fields(route: HttpRoute) -> None:
    for path in route.path_fields:
        f = _field_at(route.method.input_type, path)
        if f is None or f.type != FieldDescriptor.TYPE_STRING or f.is_repeated:
            raise ValueError(f"{route.grpc_method}: path variable {'.'.join(path)} is not a string field")
    if route.body not in ("", "*") and route.body not in route.method.input_type.fields_by_name:
        raise ValueError(f"{route.grpc_method}: body field {route.body} does not exist")


def _field_at(message: Descriptor, path: Sequence[str]) -> FieldDescriptor | None:
    f = None
    for i, name in enumerate(path):
        if message is None:
            return None
        f = message.fields_by_name.get(name)
        if f is None:
            return None
        message = f.message_type
    return f


class RouteTable:
    """Finds the route of an HTTP request; the most specific template wins (more literal segments)."""

    def __init__(self, services: Iterable[ServiceDescriptor]) -> None:
        routes = [r for s in services for m in s.methods for r in routes_of(m)]
        self.routes: tuple[HttpRoute, ...] = tuple(sorted(routes, key=lambda r: -r.template.literals))
        self._verbs = {r.template.verb for r in self.routes if r.template.verb}

    def find(self, http_method: str, raw_path: str) -> tuple[HttpRoute, dict[tuple[str, ...], str]]:
        """The route and path variable values for a request; raw_path is still percent-encoded."""
        segments, verb = self._split(raw_path)
        allowed = []
        for route in self.routes:
            values = route.template.match(segments, verb)
            if values is None:
                continue
            if route.http_method == http_method.upper():
                return route, values
            allowed.append(route.http_method)
        if allowed:
            raise MethodNotAllowed(sorted(set(allowed)))
        raise NoRoute(raw_path)

    def _split(self, raw_path: str) -> tuple[list[str], str | None]:
        if not raw_path.startswith("/"):
            raise NoRoute(raw_path)
        raw = raw_path[1:].split("/")
        verb = None
        head, colon, tail = raw[-1].rpartition(":")
        # Only a known custom verb is one: elsewhere a colon belongs to the segment.
        if colon and unquote(tail) in self._verbs:
            raw[-1], verb = head, unquote(tail)
        return [unquote(s) for s in raw], verb
