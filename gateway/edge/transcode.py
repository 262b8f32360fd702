"""HTTP-JSON ↔ gRPC transcoding along the protos' `google.api.http` rules (gateway/edge/http_routes.py).
Pure: no I/O.

A request's message is built from, in order, its body, its query parameters (every field not
bound by the path or the body; nested fields as `a.b`, repeated fields by repeating the
parameter, enums by name, timestamps and durations in their JSON forms, a date as `2026-08-25`)
and its path variables, which win. JSON follows the
proto3 JSON mapping: field names in lowerCamelCase (snake_case accepted on input), 64-bit
integers as strings, enums by name. Every resource in an answer also carries the path values of
its name, `nameParts`, which a request may send back and are ignored (gateway/edge/name_parts.py).
The inverse, a request message as an HTTP client sends it, is http_requests.py; errors as
AIP-193 JSON bodies are http_errors.py.
"""
from __future__ import annotations

import json
import re
from typing import Any, Iterable

from google.protobuf import json_format, message_factory
from google.protobuf.descriptor import Descriptor, FieldDescriptor
from google.protobuf.message import Message

from gateway.edge import name_parts
from gateway.edge.http_routes import HttpRoute
from services.common.errors import FieldViolation, InvalidArgument

# Well-known types whose JSON form is a string (or a scalar), not an object.
STRING_WKT = {"google.protobuf.Timestamp", "google.protobuf.Duration", "google.protobuf.FieldMask"}
WRAPPERS = {f"google.protobuf.{n}Value" for n in
            ("Double", "Float", "Int64", "UInt64", "Int32", "UInt32", "Bool", "String", "Bytes")}
DATE = "google.type.Date"
_DATE_TEXT = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


# ---------------------------------------------------------------------------------------------
# Requests


def decode_request(route: HttpRoute, path_values: dict[tuple[str, ...], str],
                   query: Iterable[tuple[str, str]], body: bytes) -> Message:
    """The request message of an HTTP request; InvalidArgument naming the problem otherwise."""
    descriptor = route.method.input_type
    data: dict[str, Any] = {}
    if route.body:
        payload = _parse_body(body)
        if route.body == "*":
            if not isinstance(payload, dict):
                raise _bad("body", "请求体必须是 JSON 对象")
            data = payload
        else:
            data[route.body] = payload
    elif body.strip():
        raise _bad("body", f"{route.http_method} {route.template.text} 不接受请求体")
    covered = {route.body} if route.body not in ("", "*") else set()
    for key, value in query:
        if route.body == "*":
            raise _bad(key, "请求体已包含全部字段，不接受查询参数")
        _set_query_value(descriptor, data, key, value, covered)
    for path, value in path_values.items():
        target = data
        message = descriptor
        for name in path[:-1]:
            f = message.fields_by_name[name]
            key = _existing_key(target, f)
            if not isinstance(target.get(key), dict):
                target[key] = {}
            target, message = target[key], f.message_type
        target[_existing_key(target, message.fields_by_name[path[-1]])] = value
    message = message_factory.GetMessageClass(descriptor)()
    name_parts.strip(descriptor, data)   # read-only: a resource sent back as it was read is accepted
    _camel_field_masks(descriptor, data)
    try:
        json_format.ParseDict(data, message)
    except json_format.ParseError as exc:
        raise _parse_failure(descriptor, data, str(exc)) from None
    return message


def _camel_field_masks(descriptor: Descriptor, data: dict) -> None:
    """FieldMask paths as the proto3 JSON mapping wants them (lowerCamelCase): `update_mask=
    warning_rungs` is accepted like `updateMask=warningRungs`, as every other name is in either case
    (json_format refuses a path with "_" in English)."""
    for key, value in list(data.items()):
        f = _field_named(descriptor, key)
        if f is None or f.message_type is None:
            continue
        if f.message_type.full_name == "google.protobuf.FieldMask" and isinstance(value, str):
            data[key] = ",".join(".".join(_lower_camel(part) for part in path.strip().split("."))
                                 for path in value.split(",")) if value else value
        elif isinstance(value, dict) and not f.message_type.GetOptions().map_entry:
            _camel_field_masks(f.message_type, value)


def _lower_camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(w[:1].upper() + w[1:] for w in rest)


def _parse_body(body: bytes) -> Any:
    if not body.strip():
        return {}
    try:
        return json.loads(body.decode("utf-8-sig"))   # JSON is UTF-8 (RFC 8259); a BOM is tolerated
    except UnicodeDecodeError:
        raise _bad("body", "请求体不是 UTF-8 编码") from None
    except json.JSONDecodeError as exc:
        raise _bad("body", f"请求体不是有效的 JSON：第 {exc.lineno} 行第 {exc.colno} 列，{exc.msg}") from None


def _existing_key(target: dict, f: FieldDescriptor) -> str:
    """The key a field already has in a JSON object (camelCase or snake_case), else its proto name."""
    for key in (f.json_name, f.name):
        if key in target:
            return key
    return f.name


def _set_query_value(descriptor: Descriptor, data: dict, key: str, value: str, covered: set[str]) -> None:
    names = key.split(".")
    target, message = data, descriptor
    for i, name in enumerate(names):
        f = _field_named(message, name)
        if f is None or (i == 0 and f.name in covered):
            raise _bad(key, "未知的查询参数" if f is None else "该字段在请求体中")
        last = i == len(names) - 1
        if f.message_type is not None and not last and not is_scalar_like(f.message_type) \
                and not f.message_type.GetOptions().map_entry and not f.is_repeated:
            k = _existing_key(target, f)
            if not isinstance(target.get(k), dict):
                target[k] = {}
            target, message = target[k], f.message_type
            continue
        if not last:
            raise _bad(key, "不能在此字段下设置子字段")
        converted = _query_scalar(f, key, value)
        k = _existing_key(target, f)
        if f.is_repeated:
            target.setdefault(k, []).append(converted)
        elif k in target:
            raise _bad(key, "参数重复")
        else:
            target[k] = converted
        return


def _field_named(message: Descriptor, name: str) -> FieldDescriptor | None:
    f = message.fields_by_name.get(name)
    if f is None:
        f = next((x for x in message.fields if x.json_name == name), None)
    return f


def is_scalar_like(message: Descriptor) -> bool:
    return message.full_name in STRING_WKT or message.full_name in WRAPPERS or message.full_name == DATE


def _query_scalar(f: FieldDescriptor, key: str, value: str) -> Any:
    if f.message_type is not None:
        full = f.message_type.full_name
        if f.message_type.GetOptions().map_entry:
            raise _bad(key, "映射字段不能作为查询参数")
        if full == DATE:
            m = _DATE_TEXT.match(value)
            if not m:
                raise _bad(key, "日期格式应为 YYYY-MM-DD")
            return {"year": int(m[1]), "month": int(m[2]), "day": int(m[3])}
        if full == "google.protobuf.BoolValue":
            return _bool(key, value)
        if full in STRING_WKT or full in WRAPPERS:
            return value
        raise _bad(key, "消息字段不能作为查询参数，请使用子字段")
    if f.type == FieldDescriptor.TYPE_BOOL:
        return _bool(key, value)
    if f.type == FieldDescriptor.TYPE_ENUM and value.lstrip("-").isdigit():
        return int(value)
    return value   # json_format parses numbers given as strings, enums by name, bytes as base64


def _bool(key: str, value: str) -> bool:
    if value in ("true", "1"):
        return True
    if value in ("false", "0"):
        return False
    raise _bad(key, "布尔值应为 true 或 false")


_FAILED_FIELD = re.compile(r"Failed to parse (\w+) field")


def _parse_failure(descriptor: Descriptor, data: Any, text: str) -> InvalidArgument:
    """json_format's ParseError (English, names the fields on the way) as a field violation in
    Chinese, the field named by its proto path like the services' own violations
    (`case.case_number`; the HTTP server names it as the client sent it)."""
    path: list[str] = []
    f, value = None, data
    for name in _FAILED_FIELD.findall(text):
        f = _field_named(descriptor, name) if descriptor is not None else None
        path.append(f.name if f is not None else name)
        value = value.get(name) if isinstance(value, dict) else None
        descriptor = f.message_type if f is not None else None
    unknown = re.search(r'no field named "([^"]+)"', text)
    if unknown and isinstance(value, dict):
        path.append(unknown.group(1))
        words = "没有这个字段"
    else:
        words = _expected(f, value, text)
    return _bad(".".join(path) or "body", words)


def _expected(f: FieldDescriptor | None, value: Any, text: str) -> str:
    """What a field's JSON value must be, in Chinese."""
    if f is None:
        return "取值无效"
    if "out of range" in text:
        return "数值超出范围"
    if f.message_type is not None and f.message_type.GetOptions().map_entry:
        return "须为 JSON 对象"
    if f.is_repeated and not isinstance(value, list):
        return "须为数组"
    item = "各项" if f.is_repeated else ""
    if f.message_type is not None:
        full = f.message_type.full_name
        if full in WRAPPERS:
            f = f.message_type.fields_by_name["value"]
        else:
            return item + {"google.protobuf.Timestamp": "须为 RFC 3339 时间，如 2026-03-02T10:00:00+08:00",
                           "google.protobuf.Duration": "须为时长（秒），如 3.5s",
                           "google.protobuf.FieldMask": "须为逗号分隔的字段名",
                           DATE: "须为日期 {\"year\", \"month\", \"day\"}"}.get(full, "须为 JSON 对象")
    t = f.type
    if t == FieldDescriptor.TYPE_ENUM:
        return item + f"须为 {f.enum_type.name} 的取值之一（见 API 文档）"
    if t == FieldDescriptor.TYPE_BOOL:
        return item + "须为 true 或 false"
    if t in (FieldDescriptor.TYPE_DOUBLE, FieldDescriptor.TYPE_FLOAT):
        return item + "须为数字"
    if t == FieldDescriptor.TYPE_STRING:
        return item + "须为字符串"
    if t == FieldDescriptor.TYPE_BYTES:
        return item + "须为 base64 编码"
    return item + "须为整数"


def _bad(field: str, description: str) -> InvalidArgument:
    return InvalidArgument(f"参数错误: {field}: {description}", reason="INVALID_JSON_REQUEST",
                           violations=(FieldViolation(field, description),))


# ---------------------------------------------------------------------------------------------
# Responses


def field_json(message: Message, name: str, *, defaults: bool) -> Any:
    f = message.DESCRIPTOR.fields_by_name[name]
    if f.message_type is not None and not f.is_repeated:
        return to_json(getattr(message, name), defaults=defaults)
    return json_format.MessageToDict(message, always_print_fields_with_no_presence=True,
                                     preserving_proto_field_name=True).get(name)




def to_json(message: Message, *, defaults: bool = True) -> Any:
    """Proto3 JSON: lowerCamelCase names; fields with default values included unless told not to."""
    return json_format.MessageToDict(message, always_print_fields_with_no_presence=defaults)


def decode_response(route: HttpRoute, data: bytes) -> Any:
    """The JSON answer of a response message, each resource in it with its `nameParts`."""
    output = route.method.output_type
    message = message_factory.GetMessageClass(output).FromString(data)
    if route.response_body:
        return name_parts.add_to_field(output.fields_by_name[route.response_body],
                                       field_json(message, route.response_body, defaults=True))
    return name_parts.add(output, to_json(message))
