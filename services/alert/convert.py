"""Proto ↔ domain for the alert service."""
from __future__ import annotations

from courtflow.alert.v1 import alert_pb2

from services.alert.models import MessageRow, SmsDeliveryRow
from services.alert.phones import mask
from services.common.dates import set_instant


def message_to_proto(m: MessageRow) -> alert_pb2.Message:
    msg = alert_pb2.Message(name=f"{m.recipient}/messages/{m.id}", kind=m.kind, title=m.title, body=m.body,
                            case=m.case, node=m.node, case_number=m.case_number, read=m.read,
                            application=m.application)
    set_instant(msg.create_time, m.create_time)
    return msg


def sms_to_proto(d: SmsDeliveryRow) -> alert_pb2.SmsDelivery:
    msg = alert_pb2.SmsDelivery(name=f"{d.recipient}/smsDeliveries/{d.id}", node=d.node, masked_mobile=mask(d.mobile),
                                text=d.text, state=d.state, attempts=d.attempts, provider=d.provider or "",
                                failure_reason=d.failure_reason or "")
    set_instant(msg.create_time, d.create_time)
    set_instant(msg.send_time, d.send_time)
    return msg
