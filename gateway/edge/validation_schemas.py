"""buf.validate rules and field behaviours as JSON Schema constraints (the OpenAPI 3.0 dialect) of
json_schemas.py: REQUIRED fields; string lengths, patterns (RE2 translated to ECMA 262), listed
values and formats; numeric ranges and values; the enum values a field allows. Pure: no I/O."""
from __future__ import annotations

import re
from typing import Any

from buf.validate import validate_pb2
from google.api import field_behavior_pb2
from google.protobuf.descriptor import FieldDescriptor as F

# A numeric field's type -> the name of its rules in buf.validate.FieldRules.
RULES_OF = {F.TYPE_INT32: "int32", F.TYPE_SINT32: "sint32", F.TYPE_SFIXED32: "sfixed32", F.TYPE_UINT32: "uint32",
            F.TYPE_FIXED32: "fixed32", F.TYPE_INT64: "int64", F.TYPE_SINT64: "sint64", F.TYPE_SFIXED64: "sfixed64",
            F.TYPE_UINT64: "uint64", F.TYPE_FIXED64: "fixed64", F.TYPE_DOUBLE: "double", F.TYPE_FLOAT: "float"}


def rules_of(f: F) -> validate_pb2.FieldRules | None:
    options = f.GetOptions()
    return options.Extensions[validate_pb2.field] if options.HasExtension(validate_pb2.field) else None


def string_rules(f: F) -> validate_pb2.StringRules:
    rules = rules_of(f)
    return rules.string if rules is not None and rules.HasField("string") else validate_pb2.StringRules()


def required(f: F) -> bool:
    if field_behavior_pb2.REQUIRED in f.GetOptions().Extensions[field_behavior_pb2.field_behavior]:
        return True
    rules = rules_of(f)
    return bool(rules is not None and rules.required)


def string_schema(rules: validate_pb2.StringRules | None) -> dict:
    schema: dict[str, Any] = {"type": "string"}
    if rules is None:
        return schema
    if rules.HasField("len"):
        schema["minLength"] = schema["maxLength"] = rules.len
    if rules.HasField("min_len"):
        schema["minLength"] = rules.min_len
    if rules.HasField("max_len"):
        schema["maxLength"] = rules.max_len
    if rules.HasField("pattern"):
        pattern = json_schema_pattern(rules.pattern)
        if pattern is not None:
            schema["pattern"] = pattern
    values = list(getattr(rules, "in"))
    if values:
        schema["enum"] = values
    if rules.HasField("uuid") and rules.uuid:
        schema["format"] = "uuid"
    elif rules.HasField("email") and rules.email:
        schema["format"] = "email"
    return schema


def json_schema_pattern(re2: str) -> str | None:
    """An RE2 pattern (protovalidate's) as a JSON Schema (ECMA 262) one; None if it does not
    translate. Only what our protos use: `\\p{Han}` becomes the CJK Unified Ideographs block."""
    pattern = re2.replace(r"\p{Han}", "[\u4e00-\u9fff]")
    try:
        re.compile(pattern)
    except re.error:
        return None
    return pattern


def numeric_rules(schema: dict, rules) -> None:
    if rules.HasField("gte"):
        schema["minimum"] = rules.gte
    elif rules.HasField("gt"):
        schema["minimum"], schema["exclusiveMinimum"] = rules.gt, True
    if rules.HasField("lte"):
        schema["maximum"] = rules.lte
    elif rules.HasField("lt"):
        schema["maximum"], schema["exclusiveMaximum"] = rules.lt, True
    if rules.HasField("const"):
        schema["enum"] = [rules.const]
    elif list(getattr(rules, "in")):
        schema["enum"] = list(getattr(rules, "in"))


def enum_allowed(number: int, rules: validate_pb2.EnumRules) -> bool:
    if rules.HasField("const"):
        return number == rules.const
    allowed = list(getattr(rules, "in"))
    return (not allowed or number in allowed) and number not in rules.not_in
