"""gRPC CaseService: proto ↔ domain only."""
from __future__ import annotations

import uuid

from courtflow.case.v1 import case_service_pb2 as pb
from courtflow.case.v1 import case_service_pb2_grpc

from services.case import convert, service
from services.case.node_client import NodeClient
from services.common import caller
from services.common.dates import optional_date, to_date
from services.common.names import CaseName, CourtName
from services.common.paging import page_request, parse_filter, split_page
from services.common.server import Runtime

LIST_FILTERS = {"handler": str, "department": str, "case_number": str}


class CaseServicer(case_service_pb2_grpc.CaseServiceServicer):
    def __init__(self, rt: Runtime, node: NodeClient) -> None:
        self._rt = rt
        self._node = node

    async def CreateCase(self, request: pb.CreateCaseRequest, context) -> pb.CreateCaseResponse:
        case = await self._rt.db(service.create_case, self._rt.uow, caller=caller.current(),
                                 new=convert.new_case(request))
        return pb.CreateCaseResponse(case=convert.case_to_proto(case))

    async def GetCase(self, request: pb.GetCaseRequest, context) -> pb.GetCaseResponse:
        name = CaseName.parse(request.name)
        case = await self._rt.db(service.get_case, self._rt.uow, caller=caller.current(), court=name.court,
                                 case_id=name.case_id)
        return pb.GetCaseResponse(case=convert.case_to_proto(case))

    async def ListCases(self, request: pb.ListCasesRequest, context) -> pb.ListCasesResponse:
        filters = parse_filter(request.filter, LIST_FILTERS)
        page = page_request(request.page_size, request.page_token, filter_text=request.filter,
                            parent=request.parent, key_type=uuid.UUID)
        court = CourtName.parse(request.parent, "parent", wildcard=True).court
        cases = await self._rt.db(service.list_cases, self._rt.uow, caller=caller.current(),
                                  court=court, filters=filters, page=page)
        cases, token = split_page(cases, page, lambda c: c.id)
        return pb.ListCasesResponse(cases=[convert.case_to_proto(c) for c in cases], next_page_token=token)

    async def UpdateCase(self, request: pb.UpdateCaseRequest, context) -> pb.UpdateCaseResponse:
        case = await self._rt.db(service.update_case, self._rt.uow, caller=caller.current(),
                                 change=convert.case_change(request))
        return pb.UpdateCaseResponse(case=convert.case_to_proto(case))

    async def RevokeCaseClosing(self, request: pb.RevokeCaseClosingRequest,
                                context) -> pb.RevokeCaseClosingResponse:
        name = CaseName.parse(request.name)
        case = await self._rt.db(service.revoke_closing, self._rt.uow, caller=caller.current(), court=name.court,
                                 case_id=name.case_id, reason=request.reason, etag=request.etag,
                                 request_id=request.request_id)
        return pb.RevokeCaseClosingResponse(case=convert.case_to_proto(case))

    async def RecordCaseEvent(self, request: pb.RecordCaseEventRequest, context) -> pb.RecordCaseEventResponse:
        name = CaseName.parse(request.parent, "parent")
        e = request.case_event
        row = await self._rt.db(service.record_event, self._rt.uow, caller=caller.current(), court=name.court,
                                case_id=name.case_id, event_type=e.event_type,
                                occur_date=to_date(e.occur_date, "case_event.occur_date"),
                                hearing_date=optional_date(e.hearing_date, "case_event.hearing_date"),
                                posted_date=optional_date(e.posted_date, "case_event.posted_date"),
                                period_days=e.period_days,
                                bill_payment_date=optional_date(e.bill_payment_date, "case_event.bill_payment_date"),
                                document=e.document, detail=e.detail, request_id=request.request_id,
                                check_hearing=self._node.validate_hearing)
        return pb.RecordCaseEventResponse(case_event=convert.case_event_to_proto(row))
