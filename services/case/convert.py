"""Proto ↔ domain for the case service."""
from __future__ import annotations

import protovalidate

from courtflow.case.v1 import case_pb2, case_service_pb2

from services.case.changes import CHANGEABLE, CaseChange
from services.case.domain import Case, NewCase, Party
from services.common.dates import from_date, optional_date
from services.common.errors import from_validation_error, invalid_field
from services.common.names import CaseName, CourtName


def new_case(request: case_service_pb2.CreateCaseRequest) -> NewCase:
    c = request.case
    return NewCase(court=CourtName.parse(request.parent, "parent").court, case_number=c.case_number, case_type=c.case_type,
                   procedure=c.procedure, cause=c.cause,
                   parties=tuple(Party(p.role, p.display_name) for p in c.parties),
                   department=c.department, handler=c.handler,
                   filing_date=optional_date(c.filing_date, "case.filing_date"),
                   receive_date=optional_date(c.receive_date, "case.receive_date"), custody=c.custody,
                   request_id=request.request_id, assistant=c.assistant, clerk=c.clerk, panel=tuple(c.panel),
                   foreign_related=c.foreign_related, private_prosecution=c.private_prosecution)


def case_event_to_proto(row) -> case_pb2.CaseEvent:
    msg = case_pb2.CaseEvent(name=row.name, event_type=row.event_type, document=row.document, detail=row.detail,
                             recorder=row.recorder, period_days=row.period_days or 0)
    msg.occur_date.CopyFrom(from_date(row.occur_date))
    if row.hearing_date is not None:
        msg.hearing_date.CopyFrom(from_date(row.hearing_date))
    if row.posted_date is not None:
        msg.posted_date.CopyFrom(from_date(row.posted_date))
    if row.bill_payment_date is not None:
        msg.bill_payment_date.CopyFrom(from_date(row.bill_payment_date))
    msg.record_time.FromDatetime(row.record_time)
    return msg


def case_to_proto(case: Case) -> case_pb2.Case:
    msg = case_pb2.Case(name=case.name, case_number=case.case_number, case_type=case.case_type,
                        procedure=case.procedure, cause=case.cause, department=case.department,
                        handler=case.handler, custody=case.custody, state=case.state, locked=case.locked,
                        locked_nodes=list(case.locked_nodes),
                        parties=[case_pb2.Party(role=p.role, display_name=p.display_name) for p in case.parties])
    if case.filing_date is not None:
        msg.filing_date.CopyFrom(from_date(case.filing_date))
    msg.receive_date.CopyFrom(from_date(case.receive_date))
    msg.etag = case.etag
    msg.assistant, msg.clerk = case.assistant, case.clerk
    msg.panel.extend(case.panel)
    msg.foreign_related, msg.private_prosecution = case.foreign_related, case.private_prosecution
    for field in ("judgment_date", "effective_date", "close_date", "archive_date"):
        if (day := getattr(case, field)) is not None:
            getattr(msg, field).CopyFrom(from_date(day))
    msg.create_time.FromDatetime(case.create_time)
    msg.update_time.FromDatetime(case.update_time)
    return msg


def case_change(request: case_service_pb2.UpdateCaseRequest) -> CaseChange:
    """The change asked for: the masked fields of request.case, checked by their own rules (the
    fields not masked are left out of the request and so not checked)."""
    name = CaseName.parse(request.case.name, "case.name")
    court, case_id = name.court, name.case_id
    paths = list(request.update_mask.paths)
    bad = [v for v in protovalidate.collect_violations(request.case)
           if v.proto.field.elements and v.proto.field.elements[0].field_name in paths]
    if bad:
        raise from_validation_error(bad, prefix="case.")
    c = request.case
    values = {}
    for path in paths:
        if path == "parties":
            values[path] = [{"role": p.role, "display_name": p.display_name} for p in c.parties]
        elif path == "panel":
            values[path] = list(c.panel)
        elif path in CHANGEABLE:
            values[path] = getattr(c, path)
        else:
            raise invalid_field("update_mask", f"{path} 不可修改；可修改：{', '.join(CHANGEABLE)}")
    return CaseChange(court=court, case_id=case_id, values=values, reason=request.reason,
                      effective_date=optional_date(request.effective_date, "effective_date"),
                      request_id=request.request_id, etag=c.etag)
