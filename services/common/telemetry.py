"""OpenTelemetry tracing and JSON logs with trace ids.

Spans cross gRPC (client and server interceptors) and NATS (trace context in
message headers, see uow.publish and consumer). Finished spans go to a JSON-lines
file (COURTFLOW_SPAN_EXPORT=/path, used by the embedded runtime and the tests)
or to an OTLP collector (COURTFLOW_SPAN_EXPORT=otlp, with the standard OTEL_* variables).
Span attributes we add are prefixed `courtflow.`: event.id, event.type,
consumer, aggregate, case, node, caller.user, caller.court.
"""
from __future__ import annotations

import json
import logging
import sys
import threading
from datetime import datetime, timezone
from typing import Sequence

from opentelemetry import trace
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor, SpanExporter, SpanExportResult


class JsonFileSpanExporter(SpanExporter):
    """Appends one JSON object per finished span; several processes may share the file."""

    def __init__(self, path: str, service: str) -> None:
        self._path = path
        self._service = service
        self._lock = threading.Lock()

    def export(self, spans: Sequence[ReadableSpan]) -> SpanExportResult:
        lines = []
        for s in spans:
            lines.append(json.dumps({
                "service": self._service, "name": s.name,
                "trace_id": format(s.context.trace_id, "032x"), "span_id": format(s.context.span_id, "016x"),
                "parent_id": format(s.parent.span_id, "016x") if s.parent else None,
                "kind": s.kind.name, "start": s.start_time, "end": s.end_time,
                "attributes": {k: v if isinstance(v, (str, int, float, bool)) else str(v)
                               for k, v in (s.attributes or {}).items()},
                "status": s.status.status_code.name,
                # A batch consumer's span links to the messages it handled, each in its own trace:
                # without the links in the file, a filing's trace would not lead to its audit record.
                "links": [{"trace_id": format(link.context.trace_id, "032x"),
                           "span_id": format(link.context.span_id, "016x")} for link in s.links or ()],
            }, ensure_ascii=False))
        with self._lock, open(self._path, "a", encoding="utf-8") as f:
            f.write("\n".join(lines) + "\n")  # one write: lines from processes do not interleave
        return SpanExportResult.SUCCESS

    def shutdown(self) -> None:
        pass


def setup_tracing(service: str, span_export: str) -> TracerProvider:
    provider = TracerProvider(resource=Resource.create({"service.name": f"courtflow-{service}"}))
    if span_export == "otlp":
        from opentelemetry.exporter.otlp.proto.grpc.trace_exporter import OTLPSpanExporter  # optional extra

        provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))
    elif span_export:
        provider.add_span_processor(BatchSpanProcessor(JsonFileSpanExporter(span_export, service),
                                                       schedule_delay_millis=500))
    trace.set_tracer_provider(provider)
    return provider


class JsonFormatter(logging.Formatter):
    def __init__(self, service: str) -> None:
        super().__init__()
        self._service = service

    def format(self, record: logging.LogRecord) -> str:
        ctx = trace.get_current_span().get_span_context()
        entry = {
            "time": datetime.fromtimestamp(record.created, timezone.utc).isoformat(timespec="milliseconds"),
            "level": record.levelname, "service": self._service, "logger": record.name,
            "message": record.getMessage(),
        }
        if ctx.is_valid:
            entry["trace_id"] = format(ctx.trace_id, "032x")
            entry["span_id"] = format(ctx.span_id, "016x")
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


def setup_logging(service: str, level: str) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter(service))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    for noisy in ("nats", "alembic", "sqlalchemy.engine"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
