"""The signed caller context and the one mapping of domain errors to google.rpc.Status."""
from __future__ import annotations

import grpc
import pytest
from google.rpc import code_pb2, error_details_pb2, status_pb2

from courtflow.common.v1.caller_pb2 import Caller, Role, ScopeLevel

from services.common import caller as caller_ctx
from services.common.caller import CALLER_KEY, SIGNATURE_KEY, sign, verify
from services.common.errors import (DOMAIN, AlreadyExists, DomainError, FailedPrecondition, FieldViolation,
                                    InvalidArgument, NotFound, PermissionDenied, Unauthenticated, details_of,
                                    invalid_field, to_status)

KEY = "internal-signing-key"
JUDGE = Caller(user="users/judge.440101.civil1.1", display_name="张法官", role=Role.ROLE_JUDGE, court="440101",
               department="courts/440101/departments/440101-civil1", scope=ScopeLevel.SCOPE_LEVEL_OWN,
               scope_prefix="440101", client_address="10.0.0.8", user_agent="pytest")


def unauthenticated(metadata, key=KEY) -> Unauthenticated:
    with pytest.raises(Unauthenticated) as info:
        verify(metadata, key)
    assert info.value.code == grpc.StatusCode.UNAUTHENTICATED
    return info.value


# -- sign / verify -----------------------------------------------------------------------------------

def test_sign_then_verify_returns_the_same_caller():
    assert verify(sign(JUDGE, KEY), KEY) == JUDGE


def test_during_a_key_rotation_either_key_is_accepted_and_no_other():
    """deploy/k8s/README.md's rotation: (1) the new key accepted while the old signs, (2) the new
    signs and the old is accepted, (3) the new alone. Pods of two neighbouring steps run together
    during each rolling update, and every caller context one signs, the other accepts."""
    from services.common.settings import CommonSettings, Env

    old, new = "o" * 32, "n" * 32
    base = {"DATABASE_URL": "postgresql://u@db/c", "NATS_URL": "nats://n:4222"}
    steps = [CommonSettings.from_env("case", 50051, Env({**base, "COURTFLOW_INTERNAL_KEY": key,
                                                         "COURTFLOW_INTERNAL_KEY_ACCEPTED": accepted}))
             for key, accepted in ((old, ""), (old, new), (new, old), (new, ""))]
    for before, after in zip(steps, steps[1:]):
        for signer in (before, after):
            for service in (before, after):
                assert verify(sign(JUDGE, signer.internal_key), service.verification_keys) == JUDGE
    assert verify(sign(JUDGE, old), (old, new)) == verify(sign(JUDGE, new), (old, new)) == JUDGE
    assert unauthenticated(sign(JUDGE, old), key=(new,)).reason == "CALLER_SIGNATURE_INVALID"
    assert unauthenticated(sign(JUDGE, "a third key of 32 characters...."), key=(old, new)).reason == \
        "CALLER_SIGNATURE_INVALID"


def test_metadata_keys_are_the_documented_ones_and_the_caller_travels_binary():
    entries = dict(sign(JUDGE, KEY))
    assert set(entries) == {CALLER_KEY, SIGNATURE_KEY}
    assert CALLER_KEY.endswith("-bin") and isinstance(entries[CALLER_KEY], bytes)
    assert not SIGNATURE_KEY.endswith("-bin") and isinstance(entries[SIGNATURE_KEY], str)


def test_verify_ignores_other_metadata_and_accepts_a_bytes_signature():
    entries = dict(sign(JUDGE, KEY))
    metadata = [("user-agent", "grpc-python"), (CALLER_KEY, entries[CALLER_KEY]),
                (SIGNATURE_KEY, entries[SIGNATURE_KEY].encode()), ("x-request-id", "1")]
    assert verify(metadata, KEY) == JUDGE


def test_tampered_caller_bytes_are_refused():
    entries = dict(sign(JUDGE, KEY))
    promoted = Caller()
    promoted.CopyFrom(JUDGE)
    promoted.scope, promoted.scope_prefix = ScopeLevel.SCOPE_LEVEL_PROVINCE, "44"
    forged = [(CALLER_KEY, promoted.SerializeToString(deterministic=True)), (SIGNATURE_KEY, entries[SIGNATURE_KEY])]
    assert unauthenticated(forged).reason == "CALLER_SIGNATURE_INVALID"


def test_flipped_byte_in_caller_is_refused():
    entries = dict(sign(JUDGE, KEY))
    blob = bytearray(entries[CALLER_KEY])
    blob[-1] ^= 0x01
    assert unauthenticated([(CALLER_KEY, bytes(blob)), (SIGNATURE_KEY, entries[SIGNATURE_KEY])]).reason == \
        "CALLER_SIGNATURE_INVALID"


def test_tampered_signature_is_refused():
    entries = dict(sign(JUDGE, KEY))
    sig = entries[SIGNATURE_KEY]
    bad_sig = ("0" if sig[0] != "0" else "1") + sig[1:]
    assert unauthenticated([(CALLER_KEY, entries[CALLER_KEY]), (SIGNATURE_KEY, bad_sig)]).reason == \
        "CALLER_SIGNATURE_INVALID"


def test_signature_made_with_another_key_is_refused():
    assert unauthenticated(sign(JUDGE, "some-other-key")).reason == "CALLER_SIGNATURE_INVALID"


@pytest.mark.parametrize("keep", [set(), {CALLER_KEY}, {SIGNATURE_KEY}])
def test_missing_metadata_is_refused(keep):
    metadata = [(k, v) for k, v in sign(JUDGE, KEY) if k in keep]
    assert unauthenticated(metadata).reason == "CALLER_MISSING"


def test_no_metadata_at_all_is_refused():
    assert unauthenticated(None).reason == "CALLER_MISSING"


@pytest.mark.parametrize("empty", [CALLER_KEY, SIGNATURE_KEY])
def test_empty_values_are_missing(empty):
    entries = dict(sign(JUDGE, KEY))
    entries[empty] = b"" if empty == CALLER_KEY else ""
    assert unauthenticated(list(entries.items())).reason == "CALLER_MISSING"


def test_current_caller_is_bound_and_reset():
    with pytest.raises(Unauthenticated) as info:
        caller_ctx.current()
    assert info.value.reason == "CALLER_MISSING"
    token = caller_ctx.bind(JUDGE)
    try:
        assert caller_ctx.current() == JUDGE
    finally:
        caller_ctx.reset(token)
    with pytest.raises(Unauthenticated):
        caller_ctx.current()


# -- errors → google.rpc.Status ----------------------------------------------------------------------

def decode(err: DomainError) -> tuple[grpc.Status, status_pb2.Status, error_details_pb2.ErrorInfo,
                                      error_details_pb2.BadRequest | None]:
    status = to_status(err)
    entries = dict(status.trailing_metadata)
    rpc = status_pb2.Status.FromString(entries["grpc-status-details-bin"])
    info, bad = None, None
    for detail in rpc.details:
        if detail.Is(error_details_pb2.ErrorInfo.DESCRIPTOR):
            assert info is None
            info = error_details_pb2.ErrorInfo()
            detail.Unpack(info)
        elif detail.Is(error_details_pb2.BadRequest.DESCRIPTOR):
            assert bad is None
            bad = error_details_pb2.BadRequest()
            detail.Unpack(bad)
    assert info is not None
    return status, rpc, info, bad


def test_invalid_argument_carries_error_info_and_field_violations():
    status, rpc, info, bad = decode(invalid_field("page_token", "无效的分页标记"))
    assert status.code == grpc.StatusCode.INVALID_ARGUMENT
    assert rpc.code == code_pb2.INVALID_ARGUMENT
    assert rpc.message == status.details and "page_token" in rpc.message
    assert (info.reason, info.domain) == ("INVALID_ARGUMENT", DOMAIN)
    assert [(v.field, v.description) for v in bad.field_violations] == [("page_token", "无效的分页标记")]


def test_several_field_violations_are_all_reported():
    err = InvalidArgument("参数错误", violations=(FieldViolation("case.title", "required"),
                                                  FieldViolation("case.court", "pattern")))
    *_, bad = decode(err)
    assert [v.field for v in bad.field_violations] == ["case.title", "case.court"]


@pytest.mark.parametrize("err_type, grpc_code, rpc_code, reason", [
    (NotFound, grpc.StatusCode.NOT_FOUND, code_pb2.NOT_FOUND, "NOT_FOUND"),
    (AlreadyExists, grpc.StatusCode.ALREADY_EXISTS, code_pb2.ALREADY_EXISTS, "ALREADY_EXISTS"),
    (PermissionDenied, grpc.StatusCode.PERMISSION_DENIED, code_pb2.PERMISSION_DENIED, "PERMISSION_DENIED"),
    (Unauthenticated, grpc.StatusCode.UNAUTHENTICATED, code_pb2.UNAUTHENTICATED, "UNAUTHENTICATED"),
    (FailedPrecondition, grpc.StatusCode.FAILED_PRECONDITION, code_pb2.FAILED_PRECONDITION, "FAILED_PRECONDITION"),
    (InvalidArgument, grpc.StatusCode.INVALID_ARGUMENT, code_pb2.INVALID_ARGUMENT, "INVALID_ARGUMENT"),
])
def test_each_error_maps_to_its_code_with_a_default_reason(err_type, grpc_code, rpc_code, reason):
    status, rpc, info, bad = decode(err_type("出错了"))
    assert status.code == grpc_code and rpc.code == rpc_code
    assert status.details == rpc.message == "出错了"
    assert (info.reason, info.domain) == (reason, DOMAIN)
    assert bad is None


def test_specific_reason_and_metadata_reach_the_client():
    err = PermissionDenied("无权访问该法院的数据", reason="OUT_OF_SCOPE", metadata={"court": "440201"})
    status, rpc, info, _ = decode(err)
    assert status.code == grpc.StatusCode.PERMISSION_DENIED
    assert info.reason == "OUT_OF_SCOPE" and dict(info.metadata) == {"court": "440201"}


def test_overriding_the_reason_does_not_change_the_class_default():
    PermissionDenied("x", reason="OUT_OF_SCOPE")
    assert PermissionDenied("y").reason == "PERMISSION_DENIED"


def test_caller_errors_map_to_unauthenticated_with_their_reason():
    with pytest.raises(Unauthenticated) as info:
        verify(sign(JUDGE, "wrong"), KEY)
    status, _, detail, _ = decode(info.value)
    assert status.code == grpc.StatusCode.UNAUTHENTICATED and detail.reason == "CALLER_SIGNATURE_INVALID"


class FakeRpcError(grpc.RpcError):
    """What a client sees when a service aborts with `to_status(err)`."""

    def __init__(self, status: grpc.Status) -> None:
        self._status = status

    def code(self):
        return self._status.code

    def details(self):
        return self._status.details

    def trailing_metadata(self):
        return self._status.trailing_metadata


def test_details_of_reads_reason_and_violations_back():
    err = FakeRpcError(to_status(invalid_field("filter", "不支持按 secret 过滤")))
    assert details_of(err) == ("INVALID_ARGUMENT", [("filter", "不支持按 secret 过滤")])


def test_details_of_an_error_without_details():
    class Bare(grpc.RpcError):
        pass
    assert details_of(Bare()) == (None, [])


def test_an_error_with_hundreds_of_violations_still_fits_in_grpc_trailers():
    # Found by the HTTP-JSON schemathesis run: 200 parties with overlong names gave a BadRequest
    # trailer over gRPC's 16 KiB metadata limit, and the client saw RESOURCE_EXHAUSTED instead.
    import protovalidate
    from courtflow.case.v1 import case_pb2, case_service_pb2
    from services.common.errors import MAX_VIOLATIONS, from_validation_error

    request = case_service_pb2.CreateCaseRequest(parent="courts/440101", request_id="r1", case=case_pb2.Case(
        parties=[case_pb2.Party(role=case_pb2.PARTY_ROLE_PLAINTIFF, display_name="名" * 300)] * 200))
    with pytest.raises(protovalidate.ValidationError) as invalid:
        protovalidate.validate(request)
    err = from_validation_error(invalid.value)
    status = to_status(err)
    assert status.code == grpc.StatusCode.INVALID_ARGUMENT and len(err.violations) == MAX_VIOLATIONS
    assert sum(len(k) + len(v) for k, v in status.trailing_metadata) < 8 * 1024
    assert len(status.details.encode()) < 2048 and f"等共 {len(invalid.value.violations)} 项" in err.message
