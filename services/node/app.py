"""Composition root of the node service."""
from __future__ import annotations

from functools import partial

from courtflow.common.v1 import integrity_pb2, integrity_pb2_grpc
from courtflow.node.v1 import node_service_pb2, node_service_pb2_grpc

from services.common.clock import SharedClock
from services.common.integrity_service import IntegrityServicer
from services.common.periodic import Periodic
from services.common.server import Runtime, ServiceApp
from services.node import catalog, integrity, time_limits
from services.node.calendar_service import recompute
from services.node.calendars import CalendarStore
from services.node.config import Settings
from services.node.consumers import case_subscription, org_subscription
from services.node.due_queue import Sweeper, sample_backlog
from services.node.servicer import NodeServicer


def build_with(settings: Settings):
    def build(rt: Runtime) -> ServiceApp:
        rules = catalog.load(settings.catalog_path)
        limit_rules = time_limits.load(rules, settings.time_limits_path)
        calendars = CalendarStore()
        sweeper = Sweeper(rt.uow, batch=settings.sweep_batch, interval=settings.sweep_interval,
                          budget=settings.sweep_budget, escalation_days=settings.escalation_days)
        if isinstance(rt.clock, SharedClock):
            rt.clock.on_change(sweeper.wake)
        servicer = NodeServicer(rt, calendars, rules, limit_rules)
        reevaluation = CalendarReevaluation(rt, calendars)
        checks = IntegrityServicer(rt, schema="nodes", answer=partial(integrity.answer, catalog=rules))
        return ServiceApp(
            service_names=[node_service_pb2.DESCRIPTOR.services_by_name["NodeService"].full_name,
                           integrity_pb2.DESCRIPTOR.services_by_name["IntegrityService"].full_name],
            register=lambda server: (node_service_pb2_grpc.add_NodeServiceServicer_to_server(servicer, server),
                                     integrity_pb2_grpc.add_IntegrityServiceServicer_to_server(checks, server)),
            subscriptions=[case_subscription(catalog=rules, calendars=calendars), org_subscription()],
            loops=[sweeper.run, reevaluation.run],
            on_stop=[sweeper.stop, reevaluation.stop],
            probes=[lambda: sample_backlog(rt.uow)],
        )
    return build


class CalendarReevaluation:
    """When another replica imported a calendar year, recompute the nodes this replica opened
    meanwhile with the older calendar (the importing replica recomputed the rest at once)."""

    def __init__(self, rt: Runtime, calendars: CalendarStore, interval: float = 10.0) -> None:
        self._rt, self._calendars = rt, calendars
        self._seen = None
        self._loop = Periodic(self._once, interval=interval, name="calendar re-evaluation")
        self.run, self.stop = self._loop.run, self._loop.stop

    def _once(self) -> None:
        with self._rt.uow() as uow:
            calendar = self._calendars.current(uow.session)
        if self._calendars.version != self._seen:
            recompute(self._rt.uow, calendar, reason="节假日安排更新")
            self._seen = self._calendars.version
