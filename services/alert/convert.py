"""Proto ↔ domain for the alert service."""
from __future__ import annotations

from courtflow.alert.v1 import alert_pb2

from services.alert.models import MessageRow, SmsDeliveryRow


def message_to_proto(m: MessageRow) -> alert_pb2.Message:
    msg = alert_pb2.Message(name=f"{m.recipient}/messages/{m.id}", kind=m.kind, title=m.title, body=m.body,
                            case=m.case, node=m.node, case_number=m.case_number, read=m.read,
                            application=m.application)
    msg.create_time.FromDatetime(m.create_time)
    return msg


def mask(mobile: str | None) -> str:
    return f"{mobile[:3]}****{mobile[-4:]}" if mobile and len(mobile) >= 7 else ""


def sms_to_proto(d: SmsDeliveryRow) -> alert_pb2.SmsDelivery:
    msg = alert_pb2.SmsDelivery(name=f"{d.recipient}/smsDeliveries/{d.id}", node=d.node, masked_mobile=mask(d.mobile),
                                text=d.text, state=d.state, attempts=d.attempts, provider=d.provider or "",
                                failure_reason=d.failure_reason or "")
    msg.create_time.FromDatetime(d.create_time)
    if d.send_time:
        msg.send_time.FromDatetime(d.send_time)
    return msg
