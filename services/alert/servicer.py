"""gRPC AlertService: proto ↔ domain only."""
from __future__ import annotations

import uuid

from courtflow.alert.v1 import alert_pb2, alert_service_pb2 as pb, alert_service_pb2_grpc

from services.alert import convert, service
from services.alert.feed import InboxFeed
from services.common import caller
from services.common.dates import instant
from services.common.paging import page_request, parse_filter, split_page
from services.common.server import Runtime

_BOOL = {"true": True, "false": False}
MESSAGE_FILTERS = {"read": lambda v: _BOOL[v], "kind": lambda v: alert_pb2.ReminderKind.Value(f"REMINDER_KIND_{v}"),
                   "case": str}


class AlertServicer(alert_service_pb2_grpc.AlertServiceServicer):
    def __init__(self, rt: Runtime, feed: InboxFeed) -> None:
        self._rt = rt
        self._feed = feed

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

    async def MarkMessageRead(self, request: pb.MarkMessageReadRequest, context) -> pb.MarkMessageReadResponse:
        row, unread = await self._rt.db(service.mark_read, self._rt.uow, caller=caller.current(), name=request.name)
        return pb.MarkMessageReadResponse(message=convert.message_to_proto(row), unread_count=unread)

    async def MarkAllMessagesRead(self, request: pb.MarkAllMessagesReadRequest,
                                  context) -> pb.MarkAllMessagesReadResponse:
        filters = parse_filter(request.filter, MESSAGE_FILTERS)
        marked, unread = await self._rt.db(service.mark_all_read, self._rt.uow, caller=caller.current(),
                                           parent=request.parent, filters=filters)
        return pb.MarkAllMessagesReadResponse(marked_count=marked, unread_count=unread)

    async def StreamMessages(self, request: pb.StreamMessagesRequest, context):
        who = caller.current()
        user = service.own_inbox(who, request.parent)
        after = service.message_id(who, request.after)[1] if request.after else None
        queue = self._feed.subscribe(user)   # before the backlog is read, so nothing falls between
        try:
            # Headers now: the caller (the gateway's HTTP-JSON stream) knows at once that the
            # subscription is accepted, even when the inbox has nothing to send yet.
            await context.send_initial_metadata(())
            sent: set = set()
            for row in await self._rt.db(service.messages_since, self._rt.uow, user=user, after=after):
                sent.add(row.id)
                yield pb.StreamMessagesResponse(message=convert.message_to_proto(row))
            while True:
                row = await queue.get()
                if row.id not in sent:
                    if len(sent) > 10_000:   # a long-lived stream: keep the newest ids only
                        sent = set(sorted(sent)[-1000:])
                    sent.add(row.id)
                    yield pb.StreamMessagesResponse(message=convert.message_to_proto(row))
        finally:
            self._feed.unsubscribe(user, queue)

    async def GetDeliveryStats(self, request: pb.GetDeliveryStatsRequest, context) -> pb.GetDeliveryStatsResponse:
        counts = await self._rt.db(
            service.delivery_stats, self._rt.uow, caller=caller.current(),
            start=instant(request, "start_time"), end=instant(request, "end_time"))
        return pb.GetDeliveryStatsResponse(counts=[pb.DeliveryCount(channel=c, state=s, count=n)
                                                   for c, s, n in counts])
