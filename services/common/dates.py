"""Dates and instants between Python and protobuf (google.type.Date, google.protobuf.Timestamp).

A legal date is a calendar date (``datetime.date``) in Asia/Shanghai; an instant is an aware
``datetime`` in UTC. Every conversion from a request checks its value and names the request
field in Chinese; conversions of values CourtFlow wrote itself (events) do not need to.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timezone

from google.protobuf import timestamp_pb2
from google.type import date_pb2

from services.common.errors import invalid_field

__all__ = ["from_date", "instant", "optional_date", "set_instant", "to_date", "to_dates", "event_date",
           "optional_event_date"]


def from_date(d: date) -> date_pb2.Date:
    return date_pb2.Date(year=d.year, month=d.month, day=d.day)


def to_date(d: date_pb2.Date, field: str) -> date:
    """A date from a request; an impossible one (2月30日, or unset) names the field."""
    try:
        return date(d.year, d.month, d.day)
    except ValueError:
        raise invalid_field(field, f"不是有效日期: {d.year:04d}-{d.month:02d}-{d.day:02d}") from None


def optional_date(d: date_pb2.Date, field: str) -> date | None:
    """A google.type.Date that may be unset (all zero)."""
    return None if (d.year, d.month, d.day) == (0, 0, 0) else to_date(d, field)


def to_dates(values: Iterable[date_pb2.Date], field: str) -> list[date]:
    return [to_date(d, f"{field}[{i}]") for i, d in enumerate(values)]


def event_date(d: date_pb2.Date) -> date:
    """A date from an event CourtFlow published itself: already checked when it was written."""
    return date(d.year, d.month, d.day)


def optional_event_date(d: date_pb2.Date) -> date | None:
    """An event's date that may be unset (all zero)."""
    return None if (d.year, d.month, d.day) == (0, 0, 0) else event_date(d)


def instant(message, field: str) -> datetime | None:
    """An optional Timestamp field of ``message`` as an aware UTC datetime (None when unset)."""
    return getattr(message, field).ToDatetime(tzinfo=timezone.utc) if message.HasField(field) else None


def set_instant(target: timestamp_pb2.Timestamp, value: datetime | None) -> None:
    """Write ``value`` into a Timestamp field, leaving it unset for None."""
    if value is not None:
        target.FromDatetime(value)
