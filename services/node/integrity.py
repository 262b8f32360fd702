"""Integrity checks of the node service's data (`courtflow verify`): the nodes a filed case must
have, each node's timers against its clock, and each node's clock against its approved
applications. Queries stream the schema node by node (ordered by node id, timers and applications
merged in); the checks are pure functions of one node and what belongs to it.

The same checks answer StatsService.VerifyIntegrity over a caller's scope (`answer`): the
per-node ones here, the comparison with the case service's cases where both answers meet.

Timers carry no generation of their own: a rescheduled clock deletes them and arms them anew
(service.reschedule), so a timer is of the node's current generation exactly when it fires when
the current due date says it must.
"""
from __future__ import annotations

import itertools
import uuid
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from sqlalchemy import Connection, select

from courtflow.case.v1.case_pb2 import CASE_EVENT_TYPE_FILED, CaseType, Procedure
from courtflow.common.v1 import integrity_pb2 as pb
from courtflow.node.v1.node_pb2 import ApplicationKind as K, ApplicationState, NodeState

from services.common.integrity import EVERYTHING, Finding, Scope, findings_to_proto
from services.common.labels import APPLICATION_KINDS
from services.common.names import ApplicationName, CaseName, NodeName
from services.node import deadlines
from services.node.catalog import Catalog
from services.node.models import ApplicationRow, DueTimerRow, NodeRow, node_id

Row = Mapping[str, Any]
OPEN = (NodeState.NODE_STATE_RUNNING, NodeState.NODE_STATE_WARNING)
APPROVED = ApplicationState.APPLICATION_STATE_APPROVED
# The approved applications that change a clock and count in the node's change_count (applications._apply).
COUNTED = (K.APPLICATION_KIND_EXTENSION, K.APPLICATION_KIND_DEDUCTION, K.APPLICATION_KIND_SUSPENSION)
NODE_COLUMNS = (NodeRow.id, NodeRow.court, NodeRow.case_id, NodeRow.node_type, NodeRow.instance, NodeRow.state,
                NodeRow.withdrawn, NodeRow.suspended_since, NodeRow.suspension_application, NodeRow.due_date,
                NodeRow.warning_rungs, NodeRow.anchor_date, NodeRow.extensions, NodeRow.exclusions,
                NodeRow.change_count, NodeRow.locked, NodeRow.lock_time, NodeRow.unlock_application)
BATCH = 5000
# Cases per message of the answer to VerifyIntegrity.
STREAMED = 1000
# The warning an approval carries when it does not change the limit (time_limits.unextended).
NOT_EXTENDED = "LIMIT_NOT_EXTENDED"


# --- queries -------------------------------------------------------------------------------------

def nodes_with_parts(conn: Connection, scope: Scope = EVERYTHING) -> Iterator[tuple[Row, list[Row], list[Row]]]:
    """Every node in scope with its timers and its applications, one node at a time."""
    nodes = conn.execution_options(yield_per=BATCH).execute(
        select(*NODE_COLUMNS).where(scope.courts(NodeRow.court)).order_by(NodeRow.id)).mappings()
    timers = select(DueTimerRow.node_id, DueTimerRow.rung, DueTimerRow.fire_at, DueTimerRow.fired_at)
    if scope is not EVERYTHING:   # (the whole schema's are read without a join)
        timers = timers.join(NodeRow, NodeRow.id == DueTimerRow.node_id).where(scope.courts(NodeRow.court))
    timers = _grouped(conn.execution_options(yield_per=BATCH).execute(
        timers.order_by(DueTimerRow.node_id, DueTimerRow.rung)).mappings())
    apps = _grouped(conn.execution_options(yield_per=BATCH).execute(
        select(ApplicationRow.id, ApplicationRow.node_id, ApplicationRow.court, ApplicationRow.case_id,
               ApplicationRow.node_type, ApplicationRow.kind, ApplicationRow.state, ApplicationRow.decide_time,
               ApplicationRow.end_date, ApplicationRow.warnings).where(scope.courts(ApplicationRow.court))
        .order_by(ApplicationRow.node_id, ApplicationRow.create_time)).mappings())
    for node in nodes:
        yield node, timers.take(node["id"]), apps.take(node["id"])


def by_case(conn: Connection, scope: Scope = EVERYTHING) -> Iterator[tuple[uuid.UUID, str, set[str], set[str]]]:
    """(case id, court, the codes of its nodes, the names of its locked nodes), ordered by case id."""
    rows = conn.execution_options(yield_per=BATCH).execute(
        select(NodeRow.case_id, NodeRow.court, NodeRow.node_type, NodeRow.instance, NodeRow.locked)
        .where(scope.courts(NodeRow.court)).order_by(NodeRow.case_id)).mappings()
    for case_id, group in itertools.groupby(rows, key=lambda r: r["case_id"]):
        nodes = list(group)
        yield (case_id, nodes[0]["court"], {n["node_type"] for n in nodes},
               {name({**n, "case_id": case_id}) for n in nodes if n["locked"]})


def orphan_parts(conn: Connection) -> Iterator[tuple[str, uuid.UUID]]:
    """Timers and applications of a node that does not exist: ("timer"|"application", node id)."""
    exists = select(NodeRow.id).where(NodeRow.id == DueTimerRow.node_id).exists()
    for (nid,) in conn.execute(select(DueTimerRow.node_id).where(~exists).distinct()):
        yield "timer", nid
    exists = select(NodeRow.id).where(NodeRow.id == ApplicationRow.node_id).exists()
    for (nid,) in conn.execute(select(ApplicationRow.node_id).where(~exists).distinct()):
        yield "application", nid


class _grouped:
    """Rows ordered by node id, handed out node by node as the nodes' own ordered walk asks."""

    def __init__(self, rows: Iterable[Row]) -> None:
        self._groups = itertools.groupby(rows, key=lambda r: r["node_id"])
        self._next = next(self._groups, None)

    def take(self, nid: uuid.UUID) -> list[Row]:
        # Rows of nodes that do not exist come before it: orphan_parts reports those.
        while self._next is not None and self._next[0] < nid:
            self._next = next(self._groups, None)
        if self._next is None or self._next[0] != nid:
            return []
        rows = list(self._next[1])
        self._next = next(self._groups, None)
        return rows


def name(node: Row) -> str:
    return str(NodeName(node["court"], node["case_id"], node_id(node["node_type"], node["instance"])))


def answer(conn: Connection, scope: Scope, emit, *, catalog: Catalog) -> None:
    """This service's part of VerifyIntegrity: the nodes its catalogue opens at filing, its nodes
    per case in scope (ordered by case id), then what is wrong with each node's timers and
    applications (and, for the whole service, timers and applications without a node)."""
    emit(pb.CheckIntegrityResponse(filing_expectations=filing_expectations(catalog),
                                   node_type_names=node_type_names(catalog)))
    walk = by_case(conn, scope)
    while batch := list(itertools.islice(walk, STREAMED)):
        emit(pb.CheckIntegrityResponse(case_nodes=[
            pb.CaseNodes(case=str(CaseName(court, case_id)), node_types=sorted(codes), locked_nodes=sorted(locked))
            for case_id, court, codes, locked in batch]))
    found = []
    for node, timers, apps in nodes_with_parts(conn, scope):
        found += timer_findings(node, timers)
        found += application_findings(node, apps)
    if scope.whole_service:
        found += orphan_findings(orphan_parts(conn))
    emit(pb.CheckIntegrityResponse(findings=findings_to_proto(found), checks=["case_nodes", "timers", "applications"]))


def node_type_names(catalog: Catalog) -> dict[str, str]:
    """The catalogue's Chinese name of each node type, for findings users read."""
    return {r.code: r.display_name for r in catalog.rules}


def filing_expectations(catalog: Catalog) -> list[pb.FilingExpectation]:
    """expected_at_filing for every kind of case there is."""
    found = []
    for case_type, procedure, foreign, private in itertools.product(
            CaseType.values(), Procedure.values(), (False, True), (False, True)):
        codes = expected_at_filing(catalog, case_type=case_type, procedure=procedure, foreign_related=foreign,
                                   private_prosecution=private)
        if codes:
            found.append(pb.FilingExpectation(case_type=case_type, procedure=procedure, foreign_related=foreign,
                                              private_prosecution=private, node_types=sorted(codes)))
    return found


# --- checks --------------------------------------------------------------------------------------

def expected_at_filing(catalog: Catalog, *, case_type: int, procedure: int, foreign_related: bool = False,
                       private_prosecution: bool = False) -> set[str]:
    """The codes of the nodes the catalogue opens when a case of this type, procedure and kind
    (涉外, 自诉) is filed (those counted from another node's anchor may wait for it, so are not
    required). Custody may have changed since filing, and the limits opened then stay (a real change
    does not swap a running limit; a correction does, attributes.py): only what opens with custody
    and without it is required."""
    opened = [{r.code for r in catalog.opened_by(
        (CASE_EVENT_TYPE_FILED, ""), case_type=case_type, procedure=procedure,
        attributes={"foreign_related": foreign_related, "private_prosecution": private_prosecution, "custody": custody})
        if r.anchor != "node_anchor"} for custody in (False, True)]
    return opened[0] & opened[1]


def orphan_findings(parts: Iterable[tuple[str, uuid.UUID]]) -> list[Finding]:
    """Timers and applications of a node that does not exist."""
    return [Finding("timers" if part == "timer" else "applications", f"nodes/{node_id}",
                    "计时器所属的节点不存在" if part == "timer" else "申请所属的节点不存在") for part, node_id in parts]


def named(codes, names: dict[str, str]) -> str:
    """Node types as users know them, each with its code for support: 审理期限（trial_time_limit）."""
    return "、".join(f"{names[c]}（{c}）" if c in names else c for c in sorted(codes))


def missing_nodes(case_name: str, expected: set[str], present: set[str], names: dict[str, str]) -> list[Finding]:
    """A filed case without a node its catalogue opens at filing."""
    missing = expected - present
    return [Finding("case_nodes", case_name, f"已立案，但缺少目录在立案时开启的节点：{named(missing, names)}")] \
        if missing else []


def timer_findings(node: Row, timers: list[Row]) -> list[Finding]:
    """Every armed timer has a basis (an open node, not suspended, firing when the node's current
    due date says), and an open, running clock has its deadline armed."""
    armed = [t for t in timers if t["fired_at"] is None]
    where, found = name(node), []

    def finding(problem: str) -> None:
        found.append(Finding("timers", where, problem))

    ended = node["withdrawn"] or node["state"] == NodeState.NODE_STATE_COMPLETED
    if armed and (ended or node["suspended_since"] is not None):
        why = "已撤回" if node["withdrawn"] else "已完成" if ended else f"审限自 {node['suspended_since']} 起中止"
        finding(f"节点{why}，仍有 {len(armed)} 个未触发的计时器（档位 {_rungs(armed)}）")
        return found
    if ended or node["suspended_since"] is not None:
        return found
    overdue = node["state"] == NodeState.NODE_STATE_OVERDUE
    for t in armed:
        rung = t["rung"]
        if overdue and rung >= 0:
            finding(f"节点已超期，{_rung(rung)}计时器仍未触发")
        elif not overdue and rung < 0:
            finding(f"节点未超期，却已布置{_rung(rung)}计时器")
        elif rung > 0 and rung not in node["warning_rungs"]:
            finding(f"{_rung(rung)}计时器不在节点的预警档位 {sorted(node['warning_rungs'])} 中")
        elif t["fire_at"] != deadlines.fire_time(node["due_date"], rung):
            finding(f"{_rung(rung)}计时器定于 {t['fire_at'].isoformat()} 触发，与到期日 {node['due_date']} "
                    f"应有的 {deadlines.fire_time(node['due_date'], rung).isoformat()} 不符（不属于当前的审限）")
    if node["state"] in OPEN and not any(t["rung"] == deadlines.DEADLINE_RUNG for t in armed):
        finding(f"节点在计时中（到期日 {node['due_date']}），却没有未触发的到期计时器")
    return found


def application_findings(node: Row, apps: list[Row]) -> list[Finding]:
    """Every approved application took effect on the node's clock, and no clock change lacks an
    approved application of the node."""
    where, found = name(node), []
    approved = [a for a in apps if a["state"] == APPROVED and not _recorded_only(a)]
    names = {_app_name(a): a for a in approved}
    counted = sum(1 for a in approved if a["kind"] in COUNTED)
    if counted != node["change_count"]:
        found.append(Finding("applications", where, f"审限变更 {node['change_count']} 次，"
                                                    f"但经批准的延长、扣除、中止申请为 {counted} 个"))
    cited = [e.get("application", "") for e in [*node["extensions"], *node["exclusions"]]]
    cited += [node["suspension_application"] or "", node["unlock_application"] or ""]
    for app in sorted({c for c in cited if c} - set(names)):
        found.append(Finding("applications", where, f"审限或锁定的变更引用申请 {app}，该申请不存在或未经批准"))
    for app in approved:
        if not _took_effect(node, app, approved, cited):
            found.append(Finding("applications", _app_name(app),
                                 f"{APPLICATION_KINDS[app['kind']]}申请已批准，但未作用于节点 {where}"))
    return found


def _took_effect(node: Row, app: Row, approved: list[Row], cited: list[str]) -> bool:
    kind, own, decided = app["kind"], _app_name(app), app["decide_time"]
    later = [a for a in approved if a["decide_time"] > decided]
    # A deduction that restarts the count (刑事诉讼法第二百零八条第三款) clears the spans and
    # extensions before it: what it cleared took effect, and is recorded in the applications.
    restart = node["anchor_date"] == app["end_date"] and kind == K.APPLICATION_KIND_DEDUCTION
    cleared = any(a["kind"] == K.APPLICATION_KIND_DEDUCTION and a["end_date"] == node["anchor_date"] for a in later)
    if kind in (K.APPLICATION_KIND_EXTENSION, K.APPLICATION_KIND_DEDUCTION, K.APPLICATION_KIND_SUSPENSION):
        return own in cited or restart or cleared
    if kind == K.APPLICATION_KIND_RESUMPTION:
        # The clock runs again, or was suspended again by a later approval.
        return node["suspended_since"] is None or node["suspension_application"] in {_app_name(a) for a in later}
    if kind == K.APPLICATION_KIND_UNLOCK:
        relocked = node["lock_time"] is not None and node["lock_time"] > decided
        return node["unlock_application"] == own or relocked or \
            node["unlock_application"] in {_app_name(a) for a in later}
    return True   # a hearing exception allows one hearing date; no clock to change


def _recorded_only(app: Row) -> bool:
    """Approved beyond the approver's authority or what the law allows: the approval is recorded
    and the limit stays (applications.approve, time_limits.unextended)."""
    return any(w.get("code") == NOT_EXTENDED for w in app.get("warnings") or ())


def _app_name(app: Row) -> str:
    return str(ApplicationName(app["court"], app["case_id"], app["node_type"], app["id"]))


def _rung(rung: int) -> str:
    if rung == deadlines.DEADLINE_RUNG:
        return "到期"
    return f"提前 {rung} 日预警" if rung > 0 else f"超期 {-rung} 日督办"


def _rungs(timers: list[Row]) -> str:
    return "、".join(str(t["rung"]) for t in timers)
