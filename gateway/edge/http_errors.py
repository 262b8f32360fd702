"""Errors as the HTTP-JSON API answers them: AIP-193 bodies with the HTTP status of their
google.rpc code. Pure: no I/O."""
from __future__ import annotations

import re
from dataclasses import dataclass, field as dc_field
from typing import Callable

from google.protobuf import any_pb2, json_format
from google.rpc import code_pb2, error_details_pb2, status_pb2

# google.rpc.Code -> HTTP status, as google/rpc/code.proto and AIP-193 give them.
HTTP_STATUS = {
    code_pb2.OK: 200, code_pb2.CANCELLED: 499, code_pb2.UNKNOWN: 500, code_pb2.INVALID_ARGUMENT: 400,
    code_pb2.DEADLINE_EXCEEDED: 504, code_pb2.NOT_FOUND: 404, code_pb2.ALREADY_EXISTS: 409,
    code_pb2.PERMISSION_DENIED: 403, code_pb2.UNAUTHENTICATED: 401, code_pb2.RESOURCE_EXHAUSTED: 429,
    code_pb2.FAILED_PRECONDITION: 400, code_pb2.ABORTED: 409, code_pb2.OUT_OF_RANGE: 400,
    code_pb2.UNIMPLEMENTED: 501, code_pb2.INTERNAL: 500, code_pb2.UNAVAILABLE: 503, code_pb2.DATA_LOSS: 500,
}


@dataclass
class HttpError:
    status: int
    body: dict = dc_field(default_factory=dict)
    reason: str = ""
    metadata: dict = dc_field(default_factory=dict)


def error_of(status: status_pb2.Status, field_name: Callable[[str], str] | None = None) -> HttpError:
    """An AIP-193 error: {"error": {"code": HTTP status, "message", "status": "NOT_FOUND", "details": [...]}}.
    Details are the ErrorInfo and the BadRequest (the two types the OpenAPI document declares);
    `field_name` gives each bad field the name the HTTP client knows (gateway/edge/json_names.py),
    in the violations and in the message alike."""
    http = HTTP_STATUS.get(status.code, 500)
    reason, metadata, details, renamed = "", {}, [], {}
    for any_detail in status.details:
        if any_detail.Is(error_details_pb2.ErrorInfo.DESCRIPTOR):
            info = error_details_pb2.ErrorInfo()
            any_detail.Unpack(info)
            reason, metadata = info.reason, dict(info.metadata)
        elif any_detail.Is(error_details_pb2.BadRequest.DESCRIPTOR):
            bad = error_details_pb2.BadRequest()
            any_detail.Unpack(bad)
            for v in bad.field_violations:
                renamed[v.field] = v.field = field_name(v.field) if field_name else v.field
            any_detail = any_pb2.Any()
            any_detail.Pack(bad)
        else:
            continue   # a detail type the document does not declare is left out
        detail = json_format.MessageToDict(any_detail)
        for v in detail.get("fieldViolations", []):   # proto3 JSON leaves out an empty name, the document not
            v.setdefault("field", "")
            v.setdefault("description", "")
        details.append(detail)
    message = status.message
    for old, new in renamed.items():
        if old != new:   # "参数错误: case.case_number: …" names the field as the violation does
            message = re.sub(r"(?<![\w.\[\]])" + re.escape(old) + r"(?=[:：])", new, message)
    name = code_pb2.Code.Name(status.code) if status.code in code_pb2.Code.values() else "UNKNOWN"
    body = {"error": {"code": http, "message": message, "status": name, "details": details}}
    return HttpError(http, body, reason, metadata)
