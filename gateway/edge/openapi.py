"""The OpenAPI 3.0 document of the HTTP-JSON API, generated from the protos' descriptors and their
`google.api.http` rules (the same route table the gateway serves). Pure: no I/O.

Schemas are the messages' proto3 JSON mapping with their buf.validate constraints
(gateway/edge/json_schemas.py). A resource name in the path is split into one parameter per
wildcard, with that segment's part of the field's pattern: `/v1/{name=courts/*/cases/*}` is
`/v1/courts/{court}/cases/{case}`. Query parameters are the fields bound neither by the path
nor by the body (nested ones as `a.b`); a server stream answers newline-delimited JSON.
"""
from __future__ import annotations

import re
from typing import Any, Iterable

from google.protobuf.descriptor import Descriptor, FieldDescriptor as F

from gateway.edge.docs import comment
from gateway.edge.http_routes import HttpRoute, RouteTable
from gateway.edge.json_schemas import Schemas, field_comment, json_schema_pattern, ref, required, string_rules
from gateway.edge.transcode import DATE, WRAPPERS

OPENAPI_VERSION = "3.0.3"
NDJSON = "application/x-ndjson"
ERROR_SCHEMA = {
    "type": "object",
    "description": "AIP-193 error: the google.rpc.Status of the call, with the HTTP status as code.",
    "required": ["error"],
    "properties": {"error": {
        "type": "object",
        "description": "What went wrong: the HTTP status, a message in Chinese, the gRPC code and details",
        "required": ["code", "message", "status"],
        "properties": {
            "code": {"type": "integer", "description": "HTTP status"},
            "message": {"type": "string", "description": "For people, in Chinese"},
            "status": {"type": "string", "description": "google.rpc.Code name, e.g. PERMISSION_DENIED"},
            "details": {"type": "array", "items": {
                "type": "object", "required": ["@type"], "properties": {"@type": {"type": "string"}},
                "description": "google.rpc.ErrorInfo (reason, domain, metadata) or google.rpc.BadRequest "
                               "(fieldViolations: field, description)"}},
        },
    }},
}


def document(table: RouteTable, *, public_methods: Iterable[str] = (), title: str = "CourtFlow API",
             version: str = "v1") -> dict:
    gen = _Operations(Schemas())
    public = set(public_methods)
    paths: dict[str, dict] = {}
    for route in sorted(table.routes, key=lambda r: (r.template.text, r.http_method)):
        path, operation = gen.operation(route)
        if route.grpc_method in public:
            operation["security"] = []
        paths.setdefault(path, {})[route.http_method.lower()] = operation
    return {
        "openapi": OPENAPI_VERSION,
        "info": {"title": title, "version": version,
                 "description": "HTTP-JSON transcoding of CourtFlow's gRPC API (google.api.http rules). "
                                "Server streams are newline-delimited JSON: one {\"result\": …} per message, "
                                "an {\"error\": …} line if the stream fails."},
        "servers": [{"url": "/"}],
        "security": [{"bearerAuth": []}],
        "tags": [{"name": t} for t in sorted({op["tags"][0] for ops in paths.values() for op in ops.values()})],
        "paths": paths,
        "components": {
            "schemas": {**dict(sorted(gen.schemas.schemas.items())), "Error": ERROR_SCHEMA},
            "responses": {"Error": {"description": "The call failed (AIP-193 error)",
                                    "content": {"application/json": {"schema": ref("Error")}}}},
            "securitySchemes": {"bearerAuth": {
                "type": "http", "scheme": "bearer",
                "description": "An API token (cf_…) of a court system, or a JWT: the built-in login's "
                               "(POST /v1/auth:login) or a court identity system's"}},
        },
    }


class _Operations:
    def __init__(self, schemas: Schemas) -> None:
        self.schemas = schemas

    # -- operations -------------------------------------------------------------------------

    def operation(self, route: HttpRoute) -> tuple[str, dict]:
        method = route.method
        service = method.containing_service
        path, parameters = self._path(route)
        op: dict[str, Any] = {
            "operationId": f"{service.name}_{method.name}",
            "tags": [service.name],
            "summary": method.name,
            "x-courtflow-grpc-method": route.grpc_method,
        }
        if comment(method.full_name):
            op["description"] = comment(method.full_name)
        excluded = {p[0] for p in route.path_fields}
        if route.body not in ("", "*"):
            excluded.add(route.body)
        if route.body != "*":
            parameters += self._query(method.input_type, excluded, prefix="", depth=0)
        if parameters:
            op["parameters"] = parameters
        if route.body:
            op["requestBody"] = self._request_body(route)
        output = method.output_type
        if route.response_body:
            schema = self.schemas.field(output.fields_by_name[route.response_body])
        else:
            schema = self.schemas.message_ref(output)
        if route.server_streaming:
            content = {NDJSON: {"schema": {
                "type": "object", "description": "One line of the stream",
                "properties": {"result": schema, "error": ERROR_SCHEMA["properties"]["error"]}}}}
        else:
            content = {"application/json": {"schema": schema}}
        op["responses"] = {"200": {"description": "OK", "content": content},
                           "default": {"$ref": "#/components/responses/Error"}}
        return path, op

    def _path(self, route: HttpRoute) -> tuple[str, list[dict]]:
        template = route.template
        parts: list[str] = []
        params: list[dict] = []
        taken: set[str] = set()
        i = 0
        for var in template.variables:
            parts += template.segments[i:var.start]
            field = _field_at(route.method.input_type, var.field_path)
            segment_patterns = _segment_patterns(string_rules(field).pattern if field else "",
                                                 template.segments[var.start:var.end])
            for k, seg in enumerate(template.segments[var.start:var.end]):
                if seg not in ("*", "**"):
                    parts.append(seg)
                    continue
                previous = template.segments[var.start + k - 1] if k > 0 else ""
                name = _singular(previous) if previous and previous not in ("*", "**") else \
                    ".".join(_json_path(route.method.input_type, var.field_path))
                while name in taken:
                    name += "_"
                taken.add(name)
                parts.append("{" + name + "}")
                pattern = segment_patterns[k] if segment_patterns else "^[^/]+$"
                whole = ".".join(var.field_path)
                said = comment(f"{route.method.input_type.full_name}.{var.field_path[0]}") if field else ""
                params.append({"name": name, "in": "path", "required": True,
                               "description": f"{name}: one segment of {whole}" + (f" ({said})" if said else ""),
                               "schema": {"type": "string", "minLength": 1, "pattern": pattern}})
            i = var.end
        parts += template.segments[i:]
        return "/" + "/".join(parts) + (f":{template.verb}" if template.verb else ""), params

    def _query(self, message: Descriptor, excluded: set[str], *, prefix: str, depth: int) -> list[dict]:
        params = []
        for f in message.fields:
            if f.name in excluded or (f.message_type is not None and f.message_type.GetOptions().map_entry):
                continue
            name = prefix + f.json_name
            sub = f.message_type
            if sub is not None and not _scalar_like(sub):
                if not f.is_repeated and depth < 3:
                    params += self._query(sub, set(), prefix=name + ".", depth=depth + 1)
                continue
            if sub is not None and sub.full_name == DATE:
                schema = {"type": "string", "format": "date"}
            else:
                schema = self.schemas.value(f)
            schema = {k: v for k, v in schema.items() if k not in ("readOnly", "writeOnly")}
            param = {"name": name, "in": "query", "schema": schema}
            if field_comment(f):
                param["description"] = field_comment(f)
            if f.is_repeated:
                param.update(schema={"type": "array", "items": schema}, style="form", explode=True)
            if required(f) and not prefix:
                param["required"] = True
            params.append(param)
        return params

    def _request_body(self, route: HttpRoute) -> dict:
        message = route.method.input_type
        if route.body == "*":
            top_path = {p[0] for p in route.path_fields if len(p) == 1}
            schema = self.schemas.object(message, skip=top_path)
            needed = bool(schema.get("required"))
        else:
            f = message.fields_by_name[route.body]
            schema = self.schemas.field(f)
            needed = required(f)
        return {"required": needed, "content": {"application/json": {"schema": schema}}}


def _scalar_like(message: Descriptor) -> bool:
    return message.full_name in WRAPPERS or message.full_name == DATE or message.full_name in (
        "google.protobuf.Timestamp", "google.protobuf.Duration", "google.protobuf.FieldMask")


def _field_at(message: Descriptor, path: tuple[str, ...]) -> F | None:
    f = None
    for name in path:
        f = message.fields_by_name.get(name) if message is not None else None
        if f is None:
            return None
        message = f.message_type
    return f


def _json_path(message: Descriptor, path: tuple[str, ...]) -> list[str]:
    out = []
    for name in path:
        f = message.fields_by_name[name]
        out.append(f.json_name)
        message = f.message_type
    return out


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
