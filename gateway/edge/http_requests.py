"""A request message as an HTTP client sends it (method, path, query parameters, JSON body): the
inverse of transcode.decode_request, along the same `google.api.http` rule, for clients and
tests. Pure: no I/O."""
from __future__ import annotations

import base64
import json
import math
from typing import Any, Iterable

from google.protobuf import json_format
from google.protobuf.descriptor import FieldDescriptor
from google.protobuf.message import Message

from gateway.edge.http_routes import HttpRoute
from gateway.edge.transcode import DATE, field_json, is_scalar_like, to_json


def encode_request(route: HttpRoute, message: Message) -> tuple[str, str, list[tuple[str, str]], bytes | None]:
    """(HTTP method, path, query parameters, JSON body) of a request message: the inverse of
    decode_request, for clients and tests."""
    values = {}
    rest = type(message)()
    rest.CopyFrom(message)
    for path in route.path_fields:
        holder = rest
        for name in path[:-1]:
            holder = getattr(holder, name)
        values[path] = getattr(holder, path[-1])
        holder.ClearField(path[-1])
    body = None
    if route.body == "*":
        body = json.dumps(to_json(rest, defaults=False), ensure_ascii=False).encode()
        query = []
    else:
        if route.body:
            body = json.dumps(field_json(rest, route.body, defaults=False), ensure_ascii=False).encode()
            rest.ClearField(route.body)
        query = list(_query_of(rest, ""))
    return route.http_method, route.template.expand(values), query, body


def _query_of(message: Message, prefix: str) -> Iterable[tuple[str, str]]:
    for f, value in message.ListFields():
        key = prefix + f.json_name
        items = value if f.is_repeated else [value]
        for item in items:
            if f.message_type is None:
                yield key, _scalar_text(f, item)
            elif f.message_type.full_name == DATE:
                yield key, f"{item.year:04d}-{item.month:02d}-{item.day:02d}"
            elif is_scalar_like(f.message_type):
                text = json_format.MessageToDict(item)   # the well-known type's JSON value
                yield key, text if isinstance(text, str) else json.dumps(text)
            else:
                yield from _query_of(item, key + ".")


def _scalar_text(f: FieldDescriptor, value: Any) -> str:
    if f.type == FieldDescriptor.TYPE_ENUM:
        v = f.enum_type.values_by_number.get(value)
        return v.name if v else str(value)
    if f.type == FieldDescriptor.TYPE_BOOL:
        return "true" if value else "false"
    if f.type == FieldDescriptor.TYPE_BYTES:
        return base64.urlsafe_b64encode(value).decode()
    if f.type in (FieldDescriptor.TYPE_DOUBLE, FieldDescriptor.TYPE_FLOAT):
        return "NaN" if math.isnan(value) else "Infinity" if value == math.inf else "-Infinity" \
            if value == -math.inf else repr(value)
    return str(value)
