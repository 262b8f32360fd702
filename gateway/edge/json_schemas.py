"""Protobuf messages and fields as JSON Schema (the OpenAPI 3.0 dialect), in the proto3 JSON
mapping the gateway speaks: lowerCamelCase names, 64-bit integers as strings, enums by name,
Timestamp as an RFC 3339 string, google.type.Date as {year, month, day}, FieldMask as a
comma-separated string. OUTPUT_ONLY fields are readOnly, INPUT_ONLY ones writeOnly; REQUIRED
fields and buf.validate rules (patterns, lengths, ranges, item counts, enum values) become
constraints (validation_schemas.py). A resource has, after its `name`, the read-only `nameParts` the gateway adds to its
answers (gateway/edge/name_parts.py), typed by one schema per kind of name (`CaseNameParts`).
Pure: no I/O.

Component names are what generators turn into class names, so they are short and stable: a
type's own name (`Case`), a nested type's joined to its parents' with the word they share said
once (`CaseEvent.EventType` is `CaseEventType`), never the package. Two types with one name stop
the document from being made (a test makes it); COMPONENT_NAMES then names one of them. Enums are
named schemas; a field of an enum type also takes a string it does not know (`anyOf`), so that a
value added later does not break a client generated before it.
"""
from __future__ import annotations

import re
from typing import Any

from buf.validate import validate_pb2
from google.api import field_behavior_pb2
from google.protobuf.descriptor import Descriptor, EnumDescriptor, FieldDescriptor as F

from gateway.edge import name_parts
from gateway.edge.docs import comment
from gateway.edge.transcode import DATE, WRAPPERS
from gateway.edge.validation_schemas import (RULES_OF, enum_allowed, numeric_rules, required, rules_of,
                                             string_schema)

_INT32 = {F.TYPE_INT32, F.TYPE_SINT32, F.TYPE_SFIXED32}
_UINT32 = {F.TYPE_UINT32, F.TYPE_FIXED32}
_INT64 = {F.TYPE_INT64, F.TYPE_SINT64, F.TYPE_SFIXED64}
_UINT64 = {F.TYPE_UINT64, F.TYPE_FIXED64}

# Types whose short name another type has, named here (full name -> component name).
COMPONENT_NAMES: dict[str, str] = {}
_WORDS = re.compile(r"[A-Z]+(?=[A-Z][a-z0-9]|$)|[A-Z]?[a-z0-9]+|[A-Z]+")


def component_name(descriptor: Descriptor | EnumDescriptor) -> str:
    """`CaseEvent.EventType` -> `CaseEventType`; a top-level type's own name."""
    if descriptor.full_name in COMPONENT_NAMES:
        return COMPONENT_NAMES[descriptor.full_name]
    chain = []
    while descriptor is not None:
        chain.insert(0, descriptor.name)
        descriptor = descriptor.containing_type
    words: list[str] = []
    for name in chain:
        inner = _WORDS.findall(name)
        overlap = next((n for n in range(min(len(words), len(inner)), 0, -1) if words[-n:] == inner[:n]), 0)
        words += inner[overlap:]
    return "".join(words)


def open_enum(schema: dict) -> dict:
    """An enum field's schema that also takes values added after this document: generators type
    it as the enum or a string, and an old client reads a new value instead of failing."""
    return {"anyOf": [schema, {"type": "string", "description": "本文档之后新增的取值（旧客户端应当容忍）"}]}


def ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def enum_schema(values) -> dict:
    """An enum's values by name, each value's comment (its Chinese label, and what it means) in
    `x-enum-descriptions`, in the same order, as generators and documentation tools read them."""
    names = [v.name for v in values]
    described = [comment(f"{v.type.full_name}.{v.name}") for v in values]
    schema: dict[str, Any] = {"type": "string", "enum": names}
    if any(described):
        schema["x-enum-descriptions"] = described
    return schema


# Fields that mean the same in every message, described once (AIP-158 paging, AIP-148 times).
COMMON_FIELDS = {
    "next_page_token": "下一页的分页标记（page_token）；为空表示没有更多结果",
    "page_token": "上一次回答的 next_page_token，取下一页；须与首页的其他查询条件相同",
    "page_size": "每页条数，默认 50，最多 1000",
    "create_time": "创建时间（UTC，RFC 3339）",
    "update_time": "最后修改时间（UTC，RFC 3339）",
    "start_time": "起始时间（含，UTC，RFC 3339）；不填为不限",
    "end_time": "截止时间（不含，UTC，RFC 3339）；不填为不限",
    "password": "密码",
    "refresh_token": "登录时得到的刷新令牌",
}


def field_comment(f: F) -> str:
    """What a field means: its own comment, else the one its paging or time name always has, else
    the comment of its type (Case.case_type is what CaseType says)."""
    own = comment(f"{f.containing_type.full_name}.{f.name}") or COMMON_FIELDS.get(f.name, "")
    if own:
        return own
    if f.enum_type is not None:
        return comment(f.enum_type.full_name)
    if f.message_type is not None and not f.message_type.GetOptions().map_entry:
        return comment(f.message_type.full_name)
    return ""


NAME_PARTS_WORDS = ("name 的路径参数值：调用本资源的方法时直接按键填入路径参数（如 GetCase 的 court 与 case），"
                    "不必自己拆分 name。只读：请求中带上也被忽略。引用其他资源的字段（如消息的 case、node）不附各段："
                    "请读取所引用的资源，或使用其列表结果中的 nameParts")
INT64_WORDS = "64 位整数，按 proto3 JSON 写作十进制字符串，因 JavaScript 的数字装不下"


def _described(schema: dict, text: str) -> dict:
    """The schema with a description (beside a $ref, in an allOf: OpenAPI 3.0 ignores a $ref's
    siblings); a description the type already has (64-bit integers) follows the field's."""
    if not text:
        return schema
    if "$ref" in schema:
        return {"allOf": [schema], "description": text}
    if schema.get("description"):
        text = f"{text}（{schema['description']}）"
    return {**schema, "description": text}


class Schemas:
    """Component schemas, one per message and enum reached, and the schemas of fields."""

    def __init__(self) -> None:
        self.schemas: dict[str, dict] = {}
        self.owners: dict[str, str] = {}   # component name -> the full name of the type it is

    def claim(self, name: str, owner: str) -> bool:
        """Whether `name` is still to be made for `owner`; ValueError if another type has it."""
        if self.owners.setdefault(name, owner) != owner:
            raise ValueError(f"OpenAPI component name {name} is both {self.owners[name]} and {owner}: "
                             f"name one of them in gateway/edge/json_schemas.py COMPONENT_NAMES")
        return name not in self.schemas

    def message_ref(self, message: Descriptor) -> dict:
        name = component_name(message)
        if self.claim(name, message.full_name):
            self.schemas[name] = {}   # placeholder: recursive messages refer to themselves
            schema = self.object(message)
            if message.full_name == DATE:   # a date is whole or absent
                schema["required"] = ["year", "month", "day"]
            names = name_parts.name_class(message)
            if names is not None:
                self._name_parts(schema, names)
            self.schemas[name] = _described(schema, comment(message.full_name))
        return ref(name)

    def _name_parts(self, schema: dict, names: type) -> None:
        """`nameParts` right after `name` (gateway/edge/name_parts.py), its type one schema per kind
        of name (`CaseNameParts`), shared by the messages named alike."""
        name = name_parts.component(names)
        keys = name_parts.keys(names)
        if self.claim(name, f"{names.__module__}.{names.__name__}"):
            self.schemas[name] = {
                "type": "object", "required": keys,
                "description": f"name（{name_parts.template(names)}）中各段的值，键即本资源各方法的路径参数名",
                "properties": {k: {"type": "string", "minLength": 1, "description": f"路径参数 {{{k}}} 的值"}
                               for k in keys}}
        prop = {"allOf": [ref(name)], "readOnly": True, "description": NAME_PARTS_WORDS}
        properties = {}
        for key, value in schema["properties"].items():
            properties[key] = value
            if key == "name":
                properties[name_parts.KEY] = prop
        schema["properties"] = properties

    def enum_ref(self, enum: EnumDescriptor) -> dict:
        name = component_name(enum)
        if self.claim(name, enum.full_name):
            self.schemas[name] = _described(enum_schema(enum.values), comment(enum.full_name))
        return ref(name)

    def object(self, message: Descriptor, skip: set[str] = frozenset()) -> dict:
        properties, names = {}, []
        for f in message.fields:
            if f.name in skip:
                continue
            properties[f.json_name] = _described(self.field(f), field_comment(f))
            if required(f):
                names.append(f.json_name)
        schema: dict[str, Any] = {"type": "object", "properties": properties}
        if names:
            schema["required"] = names
        return schema

    def field(self, f: F) -> dict:
        behaviors = set(f.GetOptions().Extensions[field_behavior_pb2.field_behavior])
        rules = rules_of(f)
        if f.message_type is not None and f.message_type.GetOptions().map_entry:
            schema = {"type": "object", "additionalProperties": self._open(f.message_type.fields_by_name["value"])}
        elif f.is_repeated:
            schema = {"type": "array", "items": self._open(f, rules.repeated.items if rules else None)}
            if rules and rules.HasField("repeated"):
                r = rules.repeated
                if r.HasField("min_items"):
                    schema["minItems"] = r.min_items
                if r.HasField("max_items"):
                    schema["maxItems"] = r.max_items
                if r.unique:
                    schema["uniqueItems"] = True
        else:
            schema = self._open(f, rules)
        if field_behavior_pb2.OUTPUT_ONLY in behaviors or field_behavior_pb2.INPUT_ONLY in behaviors:
            if "$ref" in schema:
                schema = {"allOf": [schema]}   # OpenAPI 3.0 ignores keywords beside a $ref
            schema["readOnly" if field_behavior_pb2.OUTPUT_ONLY in behaviors else "writeOnly"] = True
        return schema

    def _open(self, f: F, rules: validate_pb2.FieldRules | None = None) -> dict:
        """A field's value as a property has it: enums (and strings limited to a list, such as
        document codes) named and open."""
        value = self.value(f, rules)
        if rules is None and not f.is_repeated:
            rules = rules_of(f)
        if f.type == F.TYPE_STRING and "enum" in value:
            name = component_name(f.containing_type) + f.json_name[:1].upper() + f.json_name[1:]
            if self.claim(name, f.full_name):
                self.schemas[name] = _described(value, field_comment(f))
            return open_enum(ref(name))
        if f.type != F.TYPE_ENUM:
            return value
        schema = open_enum(value)
        if rules is not None and rules.HasField("enum"):
            allowed = [v.name for v in f.enum_type.values if enum_allowed(v.number, rules.enum)]
            refused = [v.name for v in f.enum_type.values if v.name not in allowed]
            if refused:
                schema["description"] = ("不能取：" + "、".join(refused)) if len(refused) <= len(allowed) \
                    else ("只能取：" + "、".join(allowed))
        return schema

    def value(self, f: F, rules: validate_pb2.FieldRules | None = None) -> dict:
        """The schema of one value of a field (an element, if repeated)."""
        if rules is None and not f.is_repeated:
            rules = rules_of(f)
        t = f.type
        if t == F.TYPE_MESSAGE:
            return self._message_value(f.message_type)
        if t == F.TYPE_ENUM:
            # The named enum, whatever values buf.validate allows here (the description says;
            # the service refuses the others naming the field).
            return self.enum_ref(f.enum_type)
        if t == F.TYPE_STRING:
            return string_schema(rules.string if rules is not None and rules.HasField("string") else None)
        if t == F.TYPE_BYTES:
            return {"type": "string", "format": "byte"}
        if t == F.TYPE_BOOL:
            return {"type": "boolean"}
        schema: dict[str, Any]
        if t in _INT32:
            schema = {"type": "integer", "format": "int32"}
        elif t in _UINT32:
            schema = {"type": "integer", "format": "int64", "minimum": 0}
        elif t in _INT64:
            return {"type": "string", "format": "int64", "pattern": "^-?[0-9]+$", "description": INT64_WORDS}
        elif t in _UINT64:
            return {"type": "string", "format": "uint64", "pattern": "^[0-9]+$", "description": INT64_WORDS}
        else:
            schema = {"type": "number", "format": "double" if t == F.TYPE_DOUBLE else "float"}
        kind = RULES_OF.get(t)
        if rules is not None and kind and rules.HasField(kind):
            numeric_rules(schema, getattr(rules, kind))
        return schema

    def _message_value(self, message: Descriptor) -> dict:
        name = message.full_name
        if name == "google.protobuf.Timestamp":
            return {"type": "string", "format": "date-time"}
        if name == "google.protobuf.Duration":
            return {"type": "string", "pattern": r"^-?[0-9]+(\.[0-9]{1,9})?s$"}
        if name == "google.protobuf.FieldMask":
            return {"type": "string", "description": "Comma-separated field paths in lowerCamelCase"}
        if name in ("google.protobuf.Struct", "google.protobuf.Empty"):
            return {"type": "object"}
        if name == "google.protobuf.Value":
            return {}
        if name == "google.protobuf.ListValue":
            return {"type": "array", "items": {}}
        if name == "google.protobuf.Any":
            return {"type": "object", "required": ["@type"], "properties": {"@type": {"type": "string"}}}
        if name in WRAPPERS:
            return self.value(message.fields_by_name["value"])
        return self.message_ref(message)
