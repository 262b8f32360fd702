"""The parts of CourtFlow as people are told of them: in the gateway's errors and /readyz, and
on the start command's console ("节点服务（node）暂时不可用")."""
from __future__ import annotations

LABELS = {"gateway": "网关", "case": "案件服务", "node": "节点服务", "alert": "提醒服务", "stats": "统计服务",
          "audit": "审计服务"}


def label(component: str) -> str:
    """节点服务（node）: the Chinese name, with the component's own name as in its log and manifests."""
    return f"{LABELS.get(component, '服务')}（{component}）"
