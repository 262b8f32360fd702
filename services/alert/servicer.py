"""gRPC AlertService: proto ↔ domain only."""
from __future__ import annotations

import uuid

from courtflow.alert.v1 import alert_pb2, alert_service_pb2 as pb, alert_service_pb2_grpc

from services.alert import convert, service
from services.common import caller
from services.common.paging import page_request, parse_filter, split_page
from services.common.server import Runtime

_BOOL = {"true": True, "false": False}
MESSAGE_FILTERS = {"read": lambda v: _BOOL[v], "kind": lambda v: alert_pb2.ReminderKind.Value(f"REMINDER_KIND_{v}"),
                   "case": str}


class AlertServicer(alert_service_pb2_grpc.AlertServiceServicer):
    def __init__(self, rt: Runtime) -> None:
        self._rt = rt

    async def ListMessages(self, request: pb.ListMessagesRequest, context) -> pb.ListMessagesResponse:
        filters = parse_filter(request.filter, MESSAGE_FILTERS)
        page = page_request(request.page_size, request.page_token, filter_text=request.filter,
                            parent=request.parent, key_type=uuid.UUID)
        rows, unread = await self._rt.db(service.list_messages, self._rt.uow, caller=caller.current(),
                                         parent=request.parent, filters=filters, page=page)
        rows, token = split_page(rows, page, lambda m: m.id)
        return pb.ListMessagesResponse(messages=[convert.message_to_proto(m) for m in rows],
                                       next_page_token=token, unread_count=unread)

    async def ListSmsDeliveries(self, request: pb.ListSmsDeliveriesRequest, context) -> pb.ListSmsDeliveriesResponse:
        page = page_request(request.page_size, request.page_token, parent=request.parent, key_type=uuid.UUID)
        rows = await self._rt.db(service.list_sms, self._rt.uow, caller=caller.current(), parent=request.parent,
                                 page=page)
        rows, token = split_page(rows, page, lambda d: d.id)
        return pb.ListSmsDeliveriesResponse(sms_deliveries=[convert.sms_to_proto(d) for d in rows],
                                            next_page_token=token)
