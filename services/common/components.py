"""The parts of CourtFlow as people are told of them: in the gateway's errors and /readyz, and
on the start command's console ("节点服务（node）暂时不可用")."""
from __future__ import annotations

LABELS = {"gateway": "网关", "case": "案件服务", "node": "节点服务", "alert": "提醒服务", "stats": "统计服务",
          "audit": "审计服务"}


def label(component: str) -> str:
    """节点服务（node）: the Chinese name, with the component's own name as in its log and manifests."""
    return f"{LABELS.get(component, '服务')}（{component}）"


# Each component's default gRPC port, written once: its own settings, the gateway's backends, the
# case service's node address and the start command all read it here. Metrics listen 1000 above.
DEFAULT_PORTS = {"gateway": 50050, "case": 50051, "node": 50052, "alert": 50053, "stats": 50054, "audit": 50055}


def default_address(component: str) -> str:
    """Where a component listens by default on one machine: 127.0.0.1:50052 for the node service."""
    return f"127.0.0.1:{DEFAULT_PORTS[component]}"
