"""The OpenAPI 3.0 document of the HTTP-JSON API, generated from the protos' descriptors and their
`google.api.http` rules (the same route table the gateway serves). Pure: no I/O.

Schemas are the messages' proto3 JSON mapping with their buf.validate constraints
(gateway/edge/json_schemas.py). A resource name in the path is split into one parameter per
wildcard, with that segment's part of the field's pattern: `/v1/{name=courts/*/cases/*}` is
`/v1/courts/{court}/cases/{case}` (gateway/edge/json_names.py). Query parameters are the fields
bound neither by the path nor by the body (nested ones as `a.b`). Every operation declares the
errors it can answer (gateway/edge/error_schemas.py).

A server stream answers newline-delimited JSON and never ends by itself, which code generators
cannot handle (one types it as an error and waits for the end, another reads it as a blob): such
operations are left out of `paths`, so that a client generated from the document works, and
described apart in `x-courtflow-streams`, with an example in the document's description.
"""
from __future__ import annotations

from typing import Any, Iterable

from google.protobuf.descriptor import Descriptor

from gateway.edge import error_schemas
from gateway.edge.docs import comment
from gateway.edge.http_routes import HttpRoute, RouteTable
from gateway.edge.json_names import field_at, path_parameters
from gateway.edge.json_schemas import Schemas, component_name, field_comment, ref
from gateway.edge.validation_schemas import required
from gateway.edge.transcode import DATE, WRAPPERS

OPENAPI_VERSION = "3.0.3"
NDJSON = "application/x-ndjson"
STREAMS_WORDS = """

## 实时推送（服务端流，不在 paths 中）

服务端流的回答是换行分隔的 JSON（`application/x-ndjson`）：连接保持打开，每推送一条写一行
`{"result": …}`；流出错或网关停止时写一行 `{"error": …}`（与其他错误的 `error` 相同，见 `Status`）后结束，
客户端随后重新连接（带上收到的最后一条的名称作 `after`，不会漏掉消息）。代码生成器处理不了一直打开的回答，
故这些操作不列在 `paths` 中，以免生成的客户端一直等待；它们的描述（与 `paths` 同形）在 `x-courtflow-streams`，
每行的模式在 components 中（如 `StreamMessagesLine`），可用生成的模型逐行解析。

例：收件箱的实时推送（`AlertService.StreamMessages`）

```
GET /v1/users/me/messages:stream?after=users/judge.440101.civil1.1/messages/0190d1e0-…
Authorization: Bearer …
Accept: application/x-ndjson

{"result": {"message": {"name": "users/judge.440101.civil1.1/messages/0190d1e1-…", "kind": "REMINDER_KIND_WARNING", …}}}
{"result": {"message": {…}}}
{"error": {"code": 503, "message": "网关正在停止，请重新连接", "status": "UNAVAILABLE", "details": […]}}
```
"""


def document(table: RouteTable, *, public_methods: Iterable[str] = (), title: str = "CourtFlow API",
             version: str = "v1") -> dict:
    gen = _Operations(Schemas())
    for name, schema in error_schemas.SCHEMAS.items():   # the error body's, named like the messages'
        gen.schemas.claim(name, f"google.rpc:{name}")
        gen.schemas.schemas[name] = schema
    public = set(public_methods)
    paths: dict[str, dict] = {}
    streams: dict[str, dict] = {}
    for route in sorted(table.routes, key=lambda r: (r.template.text, r.http_method)):
        path, operation = gen.operation(route)
        if route.grpc_method in public:
            operation["security"] = []
        (streams if route.server_streaming else paths).setdefault(path, {})[route.http_method.lower()] = operation
    doc = {
        "openapi": OPENAPI_VERSION,
        "info": {"title": title, "version": version,
                 "description": "HTTP-JSON transcoding of CourtFlow's gRPC API (google.api.http rules). "
                                "Errors are AIP-193 bodies (`Error`); every operation declares the statuses "
                                "it can answer." + (STREAMS_WORDS if streams else "")},
        "servers": [{"url": "/"}],
        "security": [{"bearerAuth": []}],
        "tags": [{"name": t} for t in sorted({op["tags"][0] for ops in [*paths.values(), *streams.values()]
                                               for op in ops.values()})],
        "paths": paths,
        "components": {
            "schemas": dict(sorted(gen.schemas.schemas.items())),
            "responses": error_schemas.components(),
            "securitySchemes": {"bearerAuth": {
                "type": "http", "scheme": "bearer",
                "description": "An API token (cf_…) of a court system, or a JWT: the built-in login's "
                               "(POST /v1/auth:login) or a court identity system's"}},
        },
    }
    if streams:
        doc["x-courtflow-streams"] = streams
    return doc


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
            content = {NDJSON: {"schema": self._stream_line(output, schema)}}
        else:
            content = {"application/json": {"schema": schema}}
        op["responses"] = {"200": {"description": "OK", "content": content}, **error_schemas.operation_responses()}
        return path, op

    def _stream_line(self, output: Descriptor, result: dict) -> dict:
        """The schema of one line of a server stream, named `<Rpc>Line`."""
        name = component_name(output).removesuffix("Response") + "Line"
        if self.schemas.claim(name, output.full_name + ":line"):
            self.schemas.schemas[name] = {
                "type": "object", "description": "服务端流的一行：一条推送（result），或流结束前的错误（error）",
                "properties": {"result": {"allOf": [result], "description": "一条推送"},
                               "error": {"allOf": [ref("Status")], "description": "流出错或网关停止；随后流结束"}}}
        return ref(name)

    def _path(self, route: HttpRoute) -> tuple[str, list[dict]]:
        template = route.template
        parameters = path_parameters(route)
        names = iter(parameters)
        parts = [s if s not in ("*", "**") else "{" + next(names).name + "}" for s in template.segments]
        params = []
        for p in parameters:
            field = field_at(route.method.input_type, p.field_path)
            whole = ".".join(p.field_path)
            said = comment(f"{route.method.input_type.full_name}.{p.field_path[0]}") if field else ""
            params.append({"name": p.name, "in": "path", "required": True,
                           "description": f"{p.name}: one segment of {whole}" + (f" ({said})" if said else ""),
                           "schema": {"type": "string", "minLength": 1, "pattern": p.pattern}})
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
            body = self.schemas.object(message, skip=top_path)
            needed = bool(body.get("required"))
            if top_path:   # the request less what the path carries, named for generators
                name = component_name(message) + "Body"
                if self.schemas.claim(name, message.full_name + ":body"):
                    self.schemas.schemas[name] = {**body, "description": f"{message.name} without the fields "
                                                  f"the path carries ({', '.join(sorted(top_path))})"}
                schema = ref(name)
            else:
                schema = self.schemas.message_ref(message)
        else:
            f = message.fields_by_name[route.body]
            schema = self.schemas.field(f)
            needed = required(f)
        return {"required": needed, "content": {"application/json": {"schema": schema}}}


def _scalar_like(message: Descriptor) -> bool:
    return message.full_name in WRAPPERS or message.full_name == DATE or message.full_name in (
        "google.protobuf.Timestamp", "google.protobuf.Duration", "google.protobuf.FieldMask")
