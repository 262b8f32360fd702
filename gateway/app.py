"""Composition root of the gateway."""
from __future__ import annotations

import grpc
from opentelemetry.instrumentation.grpc import aio_client_interceptors

# Importing the service modules registers every method descriptor the proxy looks up.
from courtflow.alert.v1 import alert_service_pb2  # noqa: F401
from courtflow.audit.v1 import audit_service_pb2  # noqa: F401
from courtflow.case.v1 import case_service_pb2  # noqa: F401
from courtflow.gateway.v1 import gateway_service_pb2
from courtflow.node.v1 import node_service_pb2  # noqa: F401
from courtflow.stats.v1 import stats_service_pb2  # noqa: F401

from gateway import servicer
from gateway.auth import Authenticator
from gateway.config import Settings
from gateway.limits import RateLimiter
from gateway.proxy import Limits, Proxy, Route
from services.common.server import Runtime, ServiceApp

GATEWAY_SERVICE = gateway_service_pb2.DESCRIPTOR.services_by_name["GatewayService"].full_name


def build_with(settings: Settings):
    def build(rt: Runtime) -> ServiceApp:
        # round_robin over every address the name resolves to (a headless Service lists all replicas).
        # Reconnect quickly after a service restarts (the default backoff grows to two minutes).
        options = [("grpc.lb_policy_name", "round_robin"), ("grpc.initial_reconnect_backoff_ms", 100),
                   ("grpc.min_reconnect_backoff_ms", 100), ("grpc.max_reconnect_backoff_ms", 1000)]
        channels = [grpc.aio.insecure_channel(addr, interceptors=aio_client_interceptors(), options=options)
                    for addr in settings.backends.values()]
        routes = {svc: Route(channel=ch) for svc, ch in zip(settings.backends, channels)}
        routes[GATEWAY_SERVICE] = Route(local=servicer.HANDLERS)
        limits = Limits(users=RateLimiter(rate=settings.rate_limit, burst=settings.rate_burst),
                        court_systems=RateLimiter(rate=settings.court_system_rate_limit,
                                                  burst=max(settings.rate_burst, int(settings.court_system_rate_limit))),
                        max_request_bytes=settings.max_request_bytes)
        proxy = Proxy(rt, routes, Authenticator(rt.uow), limits)

        async def close_channels() -> None:
            for ch in channels:
                await ch.close()

        return ServiceApp(service_names=[GATEWAY_SERVICE, *settings.backends],
                          register=lambda server: server.add_generic_rpc_handlers((proxy,)),
                          on_stop=[close_channels], guarded=False)
    return build
