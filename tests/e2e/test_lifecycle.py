"""Process lifecycle: every component reports SERVING on grpc.health.v1 once started, and
NOT_SERVING while it shuts down (so load balancers stop sending it work), then exits cleanly."""
from __future__ import annotations

import re
import signal
import time
import urllib.request

import grpc
import pytest
from grpc_health.v1 import health_pb2
from grpc_reflection.v1alpha import reflection_pb2, reflection_pb2_grpc

from courtflow.case.v1 import case_service_pb2 as cs

from runtime.system import health_status
from support import JUDGE, eventually

pytestmark = pytest.mark.timeout(240)


def reflected_services(address: str) -> list[str]:
    with grpc.insecure_channel(address) as channel:
        stub = reflection_pb2_grpc.ServerReflectionStub(channel)
        replies = stub.ServerReflectionInfo(iter([reflection_pb2.ServerReflectionRequest(list_services="")]),
                                            timeout=5)
        return [s.name for reply in replies for s in reply.list_services_response.service]


def scrape(port: int) -> str:
    return urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5).read().decode()


def test_health_serving_after_start_and_not_serving_while_shutting_down(start_system):
    cf = start_system("lifecycle", env={"COURTFLOW_SHUTDOWN_DRAIN": "2", "COURTFLOW_METRICS_INTERVAL": "0.5"})
    try:
        components = cf.system.components
        for c in components.values():
            assert health_status(c.address) == health_pb2.HealthCheckResponse.SERVING, c.name
            assert any(name.startswith("courtflow.") for name in reflected_services(c.address)), c.name
            metrics = scrape(c.metrics_port)
            assert "courtflow_rpcs_total" in metrics and "courtflow_events_published_total" in metrics, c.name
            assert re.search(rf'^courtflow_build_info{{[^}}]*service="{c.name}"[^}}]*}} 1\.0$', metrics, re.M), c.name
            # What it made while starting is out of the full collections' reach (a 50 ms pause each).
            frozen = re.search(r'^courtflow_gc_frozen_objects ([0-9.e+]+)$', metrics, re.M)
            assert frozen and float(frozen[1]) > 50_000, (c.name, frozen)
            # What an operator watches for work that is not happening, sampled in every process.
            eventually(lambda: f'courtflow_outbox_unpublished_events{{service="{c.name}"}}' in scrape(c.metrics_port),
                       what=f"{c.name}'s outbox gauge")
        # The gateway counts and times what its callers get, by method and status code.
        with pytest.raises(grpc.RpcError) as refused:
            cf.cases.GetCase(cs.GetCaseRequest(name="courts/440101/cases/00000000-0000-0000-0000-000000000000"),
                             metadata=cf.md(JUDGE), timeout=10)
        code = refused.value.code().name
        gateway = scrape(components["gateway"].metrics_port)
        method = 'method="/courtflow.case.v1.CaseService/GetCase"'
        assert re.search(rf'^courtflow_gateway_requests_total{{code="{code}",{method}}} 1\.0$', gateway, re.M), gateway
        assert re.search(rf'^courtflow_gateway_request_duration_seconds_count{{{method}}} 1\.0$', gateway, re.M)
        assert "courtflow_consumer_pending_messages{consumer=\"node-case\"}" in scrape(components["node"].metrics_port)
        for name, c in components.items():
            c.proc.send_signal(signal.SIGTERM)
            seen = []
            deadline = time.monotonic() + 10
            while c.proc.poll() is None and time.monotonic() < deadline:
                seen.append(health_status(c.address, timeout=0.5))
                time.sleep(0.05)
            assert health_pb2.HealthCheckResponse.NOT_SERVING in seen, (name, seen)
            assert health_pb2.HealthCheckResponse.SERVING not in seen[seen.index(health_pb2.HealthCheckResponse.NOT_SERVING):]
            assert c.proc.wait(15) == 0, f"{name} did not exit cleanly; see {c.log_path}"
    finally:
        cf.system.stop()
