"""Reporting operations to the audit service, through the reporter's own outbox.

A service reports a successful change in the same transaction as the change, so
the audit record exists if and only if the change does; the gateway reports the
calls that failed or were denied, and reads.
"""
from __future__ import annotations

from opentelemetry import trace

from courtflow.audit.v1.audit_events_pb2 import OperationRecorded
from courtflow.audit.v1.audit_pb2 import AuditResult, Operation
from courtflow.common.v1.caller_pb2 import Caller

from services.common.events import new_event_id
from services.common.uow import UnitOfWork


def record_operation(uow: UnitOfWork, *, reporter: str, caller: Caller | None, action: str, resource: str,
                     result: AuditResult.ValueType, error_reason: str = "", client_address: str = "",
                     user_agent: str = "", detail: str = "") -> None:
    op_id = new_event_id()
    ctx = trace.get_current_span().get_span_context()
    op = Operation(id=str(op_id), action=action, resource=resource, result=result, error_reason=error_reason,
                   reporter=reporter, trace_id=format(ctx.trace_id, "032x") if ctx.is_valid else "",
                   client_address=client_address, user_agent=user_agent, detail=detail)
    if caller is not None:
        op.actor, op.actor_display_name, op.role = caller.user, caller.display_name, caller.role
        op.court, op.department = caller.court, caller.department
        op.client_address = client_address or caller.client_address
        op.user_agent = user_agent or caller.user_agent
    op.occur_time.FromDatetime(uow.clock.now())
    uow.publish(OperationRecorded(operation=op), court=caller.court if caller else "",
                aggregate_type="operation", aggregate_id=resource or action, event_id=op_id)
