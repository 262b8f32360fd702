"""Domain errors and their one mapping to google.rpc.Status.

Services raise these (or subclasses in their errors.py); the server guard turns
them into a gRPC status with an ErrorInfo (reason in UPPER_SNAKE) and, for bad
input, BadRequest field violations that name the field and the rule.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import grpc
from google.protobuf import any_pb2
from google.rpc import code_pb2, error_details_pb2, status_pb2
from grpc_status import rpc_status

DOMAIN = "courtflow.court.gov.cn"


@dataclass(frozen=True)
class FieldViolation:
    field: str
    description: str


class DomainError(Exception):
    code = grpc.StatusCode.FAILED_PRECONDITION
    reason = "FAILED_PRECONDITION"

    def __init__(self, message: str, *, reason: str | None = None,
                 violations: tuple[FieldViolation, ...] = (), metadata: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        if reason:
            self.reason = reason
        self.violations = violations
        self.metadata = metadata or {}


class InvalidArgument(DomainError):
    code = grpc.StatusCode.INVALID_ARGUMENT
    reason = "INVALID_ARGUMENT"


class NotFound(DomainError):
    code = grpc.StatusCode.NOT_FOUND
    reason = "NOT_FOUND"


class AlreadyExists(DomainError):
    code = grpc.StatusCode.ALREADY_EXISTS
    reason = "ALREADY_EXISTS"


class PermissionDenied(DomainError):
    code = grpc.StatusCode.PERMISSION_DENIED
    reason = "PERMISSION_DENIED"


class Unauthenticated(DomainError):
    code = grpc.StatusCode.UNAUTHENTICATED
    reason = "UNAUTHENTICATED"


class Unavailable(DomainError):
    """A dependency (the database) is down for a moment; the caller may retry."""

    code = grpc.StatusCode.UNAVAILABLE
    reason = "UNAVAILABLE"


def database_unavailable() -> Unavailable:
    """What a call that needed the database gets while it is down (a broken or refused
    connection: sqlalchemy's OperationalError), in every service and the gateway alike."""
    return Unavailable("数据库暂时不可用，请稍后重试", reason="DATABASE_UNAVAILABLE")


class DeadlineExceeded(DomainError):
    """The caller's deadline passed while the database was still at work (deadline.py): the
    statement was cancelled."""

    code = grpc.StatusCode.DEADLINE_EXCEEDED
    reason = "QUERY_CANCELLED"


def query_cancelled() -> DeadlineExceeded:
    return DeadlineExceeded("查询未在调用时限内完成，已取消；请缩小查询范围（法院、日期）后重试")


class ResourceExhausted(DomainError):
    """Too much: a request too large, or too many requests from one caller."""

    code = grpc.StatusCode.RESOURCE_EXHAUSTED
    reason = "RESOURCE_EXHAUSTED"


class FailedPrecondition(DomainError):
    code = grpc.StatusCode.FAILED_PRECONDITION
    reason = "FAILED_PRECONDITION"


class Aborted(DomainError):
    """A concurrent change won (AIP-154: a stale etag); read again, then retry."""

    code = grpc.StatusCode.ABORTED
    reason = "ABORTED"


def has_chinese(text: str) -> bool:
    """Whether a message is worded for people here (ours are Chinese; gRPC's own are English)."""
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def invalid_field(field: str, description: str, message: str | None = None) -> InvalidArgument:
    return InvalidArgument(message or f"参数错误: {field}: {description}",
                           violations=(FieldViolation(field, description),))


def request_id_reused(earlier: str) -> InvalidArgument:
    """AIP-155: a request id names one request. Sent again with another body it is refused, never
    answered with the first request's result as if it were this one's."""
    return invalid_field("request_id", f"该请求编号已用于内容不同的另一请求（{earlier}）；"
                                       "重试须与原请求完全相同，新的请求请使用新的请求编号")


# An error travels in gRPC trailers, which clients refuse beyond 8–16 KiB: a request with hundreds
# of bad items (200 parties with overlong names) must still get its INVALID_ARGUMENT, so an error
# names at most this many violations (the message, the first few).
MAX_VIOLATIONS = 20
MESSAGE_VIOLATIONS = 5


_NUMBERS = re.compile(r"-?[0-9]+(?:\.[0-9]+)?")


def validation_words(v) -> str:
    """A protovalidate violation in Chinese: protovalidate words its messages in English ("does
    not match regex pattern …"), which a court's user should not have to read."""
    rule, message = v.proto.rule_id, v.proto.message
    value = getattr(v, "rule_value", None)
    numbers = _NUMBERS.findall(message)
    kind = rule.rsplit(".", 1)[-1]
    if rule == "required":
        return "必须填写"
    if kind == "in" and isinstance(value, (list, tuple)):
        shown = [f"「{x}」" if x != "" else "空" for x in value]
        if len(shown) > 8:   # a long list (document codes) is in the API document; name a few
            return f"取值无效，只能是 API 文档所列 {len(shown)} 个取值之一（如 {'、'.join(shown[:4])} …）"
        return f"取值无效，只能是：{'、'.join(shown)}"
    if kind == "not_in":
        return "不能取该值"
    if kind == "pattern":
        return f"格式不正确（须符合 {value}）"
    if kind in ("min_len", "min_bytes") and numbers:
        return f"长度至少为 {numbers[0]}"
    if kind in ("max_len", "max_bytes") and numbers:
        return f"长度至多为 {numbers[0]}"
    if kind == "len" and numbers:
        return f"长度须为 {numbers[0]}"
    if kind == "defined_only":
        return "不是已定义的取值"
    if kind == "min_items" and numbers:
        return f"至少 {numbers[0]} 项"
    if kind == "max_items" and numbers:
        return f"至多 {numbers[0]} 项"
    if kind == "unique":
        return "各项不能重复"
    if kind in ("gte_lte", "gt_lt", "gte_lt", "gt_lte") and len(numbers) >= 2:
        low = "不小于" if kind.startswith("gte") else "大于"
        high = "不大于" if kind.endswith("lte") else "小于"
        return f"须{low} {numbers[0]} 且{high} {numbers[1]}"
    if kind in ("gte", "gt", "lte", "lt") and numbers:
        return {"gte": "须不小于", "gt": "须大于", "lte": "须不大于", "lt": "须小于"}[kind] + f" {numbers[0]}"
    if kind == "const":
        return "取值无效"
    return f"不符合规则（{message}）"


def field_path(elements) -> str:
    """A protovalidate field path as AIP-193 writes it: which item of a list or map is bad
    (`parties[1].display_name`, `labels["k"]`), not only which field."""
    out = []
    for e in elements:
        sub = e.subscript   # None, or a oneof: (field, value), field one of index / *_key
        out.append(e.field_name + ("" if sub is None else f'["{sub.value}"]' if sub.field == "string_key"
                                   else f"[{str(sub.value).lower() if sub.field == 'bool_key' else sub.value}]"))
    return ".".join(out)


def from_validation_error(exc, prefix: str = "") -> InvalidArgument:
    """A protovalidate ValidationError (or its list of violations) as INVALID_ARGUMENT naming the
    bad fields and rules (the first MAX_VIOLATIONS of them); `prefix` names the message checked
    when it is a field of the request ("case.")."""
    found = exc if isinstance(exc, list) else exc.violations
    violations = []
    for v in found[:MAX_VIOLATIONS]:
        path = prefix + (field_path(v.proto.field.elements) or "(message)")
        violations.append(FieldViolation(path, f"{v.proto.rule_id}: {validation_words(v)}"[:300]))
    text = "; ".join(f"{fv.field}: {fv.description}" for fv in violations[:MESSAGE_VIOLATIONS])
    if len(found) > MESSAGE_VIOLATIONS:
        text += f"（等共 {len(found)} 项）"
    return InvalidArgument(f"参数错误: {text}", violations=tuple(violations))


def to_status(err: DomainError) -> grpc.Status:
    details = []
    info = error_details_pb2.ErrorInfo(reason=err.reason, domain=DOMAIN, metadata=err.metadata)
    details.append(_pack(info))
    if err.violations:
        bad = error_details_pb2.BadRequest(field_violations=[
            error_details_pb2.BadRequest.FieldViolation(field=v.field, description=v.description)
            for v in err.violations])
        details.append(_pack(bad))
    status = status_pb2.Status(code=_CODES[err.code], message=err.message, details=details)
    return rpc_status.to_status(status)


def _pack(msg) -> any_pb2.Any:
    packed = any_pb2.Any()
    packed.Pack(msg)
    return packed


_CODES = {c: getattr(code_pb2, c.name) for c in grpc.StatusCode if hasattr(code_pb2, c.name)}


def details_of(rpc_error: grpc.RpcError) -> tuple[str | None, list[tuple[str, str]]]:
    """(ErrorInfo reason, field violations) of an error returned by a CourtFlow service."""
    status = rpc_status.from_call(rpc_error) if hasattr(rpc_error, "trailing_metadata") else None
    reason, violations = None, []
    for detail in (status.details if status else []):
        if detail.Is(error_details_pb2.ErrorInfo.DESCRIPTOR):
            info = error_details_pb2.ErrorInfo()
            detail.Unpack(info)
            reason = info.reason
        elif detail.Is(error_details_pb2.BadRequest.DESCRIPTOR):
            bad = error_details_pb2.BadRequest()
            detail.Unpack(bad)
            violations += [(v.field, v.description) for v in bad.field_violations]
    return reason, violations
