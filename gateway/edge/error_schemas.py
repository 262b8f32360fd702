"""The HTTP-JSON API's errors in the OpenAPI document: the AIP-193 body the gateway answers
(gateway/edge/transcode.py error_of) as named schemas, and one response per HTTP status an
operation can answer, so that a generated client has a typed error for each. Pure data.

`details` holds google.rpc.ErrorInfo (the reason programs branch on) and, for bad input,
google.rpc.BadRequest (each bad field by the name the client sent, and the rule in Chinese),
told apart by `@type`; the gateway passes on no other detail type.
"""
from __future__ import annotations

from google.rpc import code_pb2

ERROR_INFO_TYPE = "type.googleapis.com/google.rpc.ErrorInfo"
BAD_REQUEST_TYPE = "type.googleapis.com/google.rpc.BadRequest"
DETAIL_TYPES = (ERROR_INFO_TYPE, BAD_REQUEST_TYPE)

# google.rpc.Code, in Chinese: what the caller should make of it.
_CODE_WORDS = {
    "OK": "成功", "CANCELLED": "调用方取消", "UNKNOWN": "未知错误", "INVALID_ARGUMENT": "参数错误（见 BadRequest）",
    "DEADLINE_EXCEEDED": "超时", "NOT_FOUND": "资源不存在", "ALREADY_EXISTS": "资源已存在",
    "PERMISSION_DENIED": "无权访问", "RESOURCE_EXHAUSTED": "请求过多或过大（见 Retry-After）",
    "FAILED_PRECONDITION": "当前状态不允许此操作（见 ErrorInfo.reason）", "ABORTED": "并发修改冲突，请重新读取后重试",
    "OUT_OF_RANGE": "超出范围", "UNIMPLEMENTED": "不支持的接口或方法", "INTERNAL": "内部错误",
    "UNAVAILABLE": "服务暂时不可用，请稍后重试（见 Retry-After）", "DATA_LOSS": "数据损坏", "UNAUTHENTICATED": "未登录或凭证无效",
}
_CODES = sorted(code_pb2.Code.keys(), key=code_pb2.Code.Value)
_RETRY_AFTER = {"Retry-After": {"description": "几秒后再试（整数秒）",
                                "schema": {"type": "integer", "minimum": 1}}}

SCHEMAS = {
    "Error": {
        "type": "object", "required": ["error"],
        "description": "AIP-193 错误：调用的 google.rpc.Status，code 为 HTTP 状态码",
        "properties": {"error": {"allOf": [{"$ref": "#/components/schemas/Status"}],
                                 "description": "出了什么错：HTTP 状态码、中文说明、gRPC 代码和细节"}},
    },
    "Status": {
        "type": "object", "required": ["code", "message", "status"],
        "description": "google.rpc.Status 的 JSON 形式（AIP-193）",
        "properties": {
            "code": {"type": "integer", "format": "int32", "description": "HTTP 状态码"},
            "message": {"type": "string", "description": "给人看的中文说明"},
            "status": {"allOf": [{"$ref": "#/components/schemas/Code"}], "description": "google.rpc.Code 的名称"},
            "details": {"type": "array", "description": "ErrorInfo（原因代码）与参数错误时的 BadRequest",
                        "items": {"oneOf": [{"$ref": "#/components/schemas/ErrorInfo"},
                                            {"$ref": "#/components/schemas/BadRequest"}],
                                  "discriminator": {"propertyName": "@type", "mapping": {
                                      ERROR_INFO_TYPE: "#/components/schemas/ErrorInfo",
                                      BAD_REQUEST_TYPE: "#/components/schemas/BadRequest"}}}},
        },
    },
    "Code": {"type": "string", "enum": _CODES, "x-enum-descriptions": [_CODE_WORDS.get(c, c) for c in _CODES],
             "description": "google.rpc.Code：错误的类别（google/rpc/code.proto，取值固定）"},
    "ErrorInfo": {
        "type": "object", "required": ["@type", "reason"],
        "description": "google.rpc.ErrorInfo：程序据以判断的原因代码",
        "properties": {
            "@type": {"type": "string", "enum": [ERROR_INFO_TYPE], "description": "细节的类型"},
            "reason": {"type": "string", "description": "原因代码（大写蛇形，如 CASE_LOCKED、RATE_LIMITED）"},
            "domain": {"type": "string", "description": "courtflow.court.gov.cn"},
            "metadata": {"type": "object", "additionalProperties": {"type": "string"},
                         "description": "与原因相关的值（如 retry_after_ms）"},
        },
    },
    "BadRequest": {
        "type": "object", "required": ["@type"],
        "description": "google.rpc.BadRequest：逐项指出有问题的字段",
        "properties": {
            "@type": {"type": "string", "enum": [BAD_REQUEST_TYPE], "description": "细节的类型"},
            "fieldViolations": {"type": "array", "items": {"$ref": "#/components/schemas/FieldViolation"},
                                "description": "每个有问题的字段一项"},
        },
    },
    "FieldViolation": {
        "type": "object", "required": ["field", "description"],
        "description": "一个有问题的字段",
        "properties": {
            "field": {"type": "string", "description": "按客户端所发的名称：请求体中的 JSON 路径（caseNumber、"
                                                       "parties[0].displayName）、查询参数（pageSize）或路径参数（case）"},
            "description": {"type": "string", "description": "规则编号与中文说明，如 string.pattern: 格式不正确（…）"},
        },
    },
}


def _response(description: str, headers: dict | None = None) -> dict:
    response = {"description": description,
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
    if headers:
        response["headers"] = headers
    return response


# The statuses every operation can answer (HTTP status -> component response).
RESPONSES = {
    "400": ("InvalidArgument", _response(
        "参数错误（INVALID_ARGUMENT：BadRequest 指出字段与规则）或当前状态不允许（FAILED_PRECONDITION、OUT_OF_RANGE："
        "ErrorInfo.reason 说明）")),
    "401": ("Unauthenticated", _response("未登录、令牌无效或过期（UNAUTHENTICATED）", {
        "WWW-Authenticate": {"description": "Bearer realm=\"courtflow\"", "schema": {"type": "string"}}})),
    "403": ("PermissionDenied", _response("无权访问（PERMISSION_DENIED）：角色或范围不允许；先于是否存在判断")),
    "404": ("NotFound", _response("资源不存在（NOT_FOUND）")),
    "409": ("Conflict", _response("已存在（ALREADY_EXISTS）或并发修改冲突（ABORTED：重新读取后重试）")),
    "429": ("RateLimited", _response("请求过多（RESOURCE_EXHAUSTED，reason RATE_LIMITED）：Retry-After 秒后再试",
                                     _RETRY_AFTER)),
    "503": ("Unavailable", _response("服务暂时不可用（UNAVAILABLE）：稍后重试，有 Retry-After 时按它", _RETRY_AFTER)),
}
DEFAULT = ("Error", _response("其他错误（AIP-193 错误体），如 413 请求过大、500 内部错误"))


def components() -> dict:
    """The `responses` components: one per status above, and the default."""
    return {name: response for name, response in [*RESPONSES.values(), DEFAULT]}


def operation_responses() -> dict:
    return {**{status: {"$ref": f"#/components/responses/{name}"} for status, (name, _) in RESPONSES.items()},
            "default": {"$ref": f"#/components/responses/{DEFAULT[0]}"}}
