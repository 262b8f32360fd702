"""A case's time limits follow a correction of the attributes that select them (issue 15).

The catalogue selects some limits on the case's attributes besides its type and procedure
(`when` / `unless` over catalog.ATTRIBUTES: 涉外, 自诉, 羁押). When UpdateCase changes one of them
(`case_updated`), the limits are selected again as if the case had been registered so:
- A running limit the new attributes no longer select is withdrawn (已撤回: completed without being
  done, no reminders); a lock it holds is released, since the law it enforced does not apply (a
  foreign-related civil case is not bound by 民事诉讼法第一百五十二、一百八十三条 and is never locked
  for them).
- A limit they now select opens as the catalogue counts it — from filing (the day after it), as
  a limit would have run had the case been registered right, and as the law counts a limit that
  changes with the procedure (民事诉讼法第一百七十条, 民诉法解释第二百五十八条: 转为普通程序的，审理
  期限自立案之日起计算) — if the event that opens it has happened (FILED: the case has a filing date;
  another: a node that event opened is there) and none that ends it (the case has no judgment
  or closing, no node opened by an event that completes the limit). Counted from filing, a limit
  whose day has passed is overdue at once (the sweeper fires its timers), and warned of if not.
- Procedure conversions are events (PROCEDURE_CONVERTED_TO_ORDINARY / _SIMPLIFIED): the catalogue
  closes the simplified limit and opens the converted one; a correction does not touch them.

Custody: a correction (更正: the defendant was in fact held, or not, when the case was filed)
selects anew. A real change of custody later (羁押变化) keeps the limit selected at filing: it
re-derives the custody terms only (reassignment.py), so that detaining a privately prosecuted
defendant in the fifth month does not make the case two months old and overdue.

Idempotent: a rule opens only where the case has no node of it that was not withdrawn, and only
running nodes are withdrawn, so the same change handled again (or two changes that cancel out,
which withdraw the node and open a new instance from filing) leaves one running limit. A new node
starts its own clock generation with every timer armed; extensions granted on a withdrawn limit
stay with it (they were granted under a law that does not apply).
"""
from __future__ import annotations

from datetime import date

from courtflow.case.v1.case_pb2 import (CASE_EVENT_TYPE_FILED,
                                        CASE_EVENT_TYPE_JUDGMENT_PRONOUNCED, Case, CaseChangeReason, CaseState)
from courtflow.node.v1.node_pb2 import NodeState

from services.common.dates import event_date
from services.common.names import CaseName
from services.common.uow import UnitOfWork
from services.node import repository, service
from services.node.calendar import HolidayCalendar
from services.node.catalog import ATTRIBUTES, Catalog, NodeRule, Trigger
from services.node.models import NodeRow
from services.node.people import case_team
from services.node.reopening import withdraw

ENDED_STATES = {CaseState.CASE_STATE_CLOSED, CaseState.CASE_STATE_ARCHIVED}
WORDS = {"foreign_related": ("涉外", "非涉外"), "private_prosecution": ("自诉", "公诉"), "custody": ("在押", "未羁押")}


def attributes_of(case: Case) -> dict[str, bool]:
    """The case attributes rules select on (catalog.ATTRIBUTES): 涉外, 自诉, 羁押."""
    return {name: bool(getattr(case, name)) for name in ATTRIBUTES}


def selecting_changes(changed: list[str], reason: int) -> list[str]:
    """The changed attributes that select limits anew: 涉外 and 自诉 whatever the reason (they are
    facts of the case from its start), custody only when corrected (see the module's docstring)."""
    return [f for f in ATTRIBUTES if f in changed
            and (f != "custody" or reason == CaseChangeReason.CASE_CHANGE_REASON_CORRECTION)]


def follow_attributes(uow: UnitOfWork, *, catalog: Catalog, calendar: HolidayCalendar, case: Case, previous: Case,
                      changed: list[str], reason: int, effective_on: str) -> tuple[list[NodeRow], list[NodeRow]]:
    """Select the case's attribute-dependent limits again: (opened, withdrawn)."""
    fields = selecting_changes(changed, reason)
    if not fields:
        return [], []
    now_attrs = attributes_of(case)
    was_attrs = {**now_attrs, **{f: bool(getattr(previous, f)) for f in fields}}
    name = CaseName.parse(case.name, "case.name")
    nodes = repository.nodes_of_case(uow.session, name.court, name.case_id)
    why = "、".join(f"{WORDS[f][1 - getattr(previous, f)]}→{WORDS[f][1 - getattr(case, f)]}" for f in fields)
    selected, withdrawn = [], []
    for rule in catalog.rules:
        if not (rule.when or rule.unless) or not rule.applies(case.case_type, case.procedure):
            continue
        was = rule.applies(case.case_type, case.procedure, was_attrs)
        now = rule.applies(case.case_type, case.procedure, now_attrs)
        mine = [n for n in nodes if n.node_type == rule.code and not n.withdrawn]
        if was and not now:
            for node in mine:
                if node.state != NodeState.NODE_STATE_COMPLETED:
                    # Its timers, then the node, locked: the order the sweeper takes them in.
                    repository.node(uow.session, name.court, name.case_id, node.node_type, node.instance, lock=True)
                    withdraw(uow, node, explanation=f"案件属性更正（{why}，{effective_on}起）：本案不适用本期限，节点撤回")
                    withdrawn.append(node)
        elif now and not was and not mine and not _ended(case, rule, nodes, catalog):
            on = _started(case, rule.opened_by, nodes, catalog)
            if on is not None:
                selected.append((rule, on))
    opened = []
    for rule, on in selected:
        opened += service.open_nodes(
            uow, catalog=catalog, calendar=calendar, trigger=rule.opened_by, court=name.court, case_id=name.case_id,
            case_number=case.case_number, case_type=case.case_type, procedure=case.procedure,
            department=case.department, handler=case.handler, anchors=_anchors(case, on), custody=case.custody,
            attributes=now_attrs, overrides=repository.overrides_in(uow.session, name.court),
            assistant=case.assistant, clerk=case.clerk, team=case_team(case), codes={rule.code})
    return opened, withdrawn


def _anchors(case: Case, on: date) -> dict[str, date]:
    anchors = {"event_date": on}
    if case.HasField("filing_date"):
        anchors["filing_date"] = event_date(case.filing_date)
    return anchors


def _started(case: Case, trigger: Trigger, nodes: list[NodeRow], catalog: Catalog) -> date | None:
    """The day the event that opens a rule happened, None if it has not (or its day is not known)."""
    if trigger[0] == CASE_EVENT_TYPE_FILED:
        return event_date(case.filing_date) if case.HasField("filing_date") else None
    for node in nodes:
        rule = catalog.rule(node.node_type)
        if node.opened_by and not node.withdrawn and rule is not None and rule.opens_on(trigger) \
                and rule.anchor == "event_date":
            return node.anchor_date
    return None


def _ended(case: Case, rule: NodeRule, nodes: list[NodeRow], catalog: Catalog) -> bool:
    """Whether an event that completes `rule` has happened: the case's judgment or closing, or a
    node opened by such an event."""
    if case.state in ENDED_STATES or case.HasField("close_date"):
        return True   # every limit ends on CLOSED
    if case.HasField("judgment_date") and rule.completed_by_event((CASE_EVENT_TYPE_JUDGMENT_PRONOUNCED, "")):
        return True
    for node in nodes:
        other = catalog.rule(node.node_type)
        if node.opened_by and not node.withdrawn and other is not None and \
                any(other.opens_on(t) for t in rule.completed_by):
            return True
    return False

