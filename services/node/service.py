"""Use cases of the node service. Keyword-only; they raise domain errors."""
from __future__ import annotations

import logging
import uuid
from collections import Counter
from datetime import date
from typing import Callable, Collection, Mapping, Sequence

from opentelemetry import propagate

from courtflow.common.v1.caller_pb2 import Caller
from courtflow.case.v1.case_pb2 import CaseEventType
from courtflow.node.v1.node_pb2 import NodeState

from services.common import scope
from services.common.events import new_event_id
from services.common.names import NodeName
from services.common.paging import Page
from services.common.uow import UnitOfWork
from services.node import deadlines, events, repository
from services.node.calendar import HolidayCalendar
from services.node.catalog import Catalog, NodeRule, Trigger
from services.node.errors import NodeNotFound
from services.node.models import DueTimerRow, NodeRow, split_node_id
from services.node.overrides import Override, effective
from services.node.people import ResponsibleResolver


log = logging.getLogger(__name__)
# Events that end every open instance of a repeating node, not just the oldest.
COMPLETES_EVERY_INSTANCE = frozenset({CaseEventType.CASE_EVENT_TYPE_CLOSED})
NODE_COLUMNS = tuple(c.key for c in NodeRow.__table__.columns)


def open_nodes(uow: UnitOfWork, *, catalog: Catalog, calendar: HolidayCalendar, trigger: Trigger, court: str,
               case_id: uuid.UUID, case_number: str, case_type: int, procedure: int, department: str,
               handler: str, anchors: dict[str, date], custody: bool,
               overrides: Sequence[Override] = (), assistant: str = "", clerk: str = "",
               team: Sequence[str] = (), event: str = "", attributes: Mapping[str, bool] | None = None,
               codes: Collection[str] | None = None, period_days: int = 0) -> list[NodeRow]:
    """Open the catalogue's nodes for a case event, with their deadlines and timers, under the
    rules in force in the court (the catalogue with the court's overrides). `team`: the case's
    people (people.case_team), who see its nodes; `event`: the case event's name, if one opens them;
    `attributes`: the case's attributes the catalogue selects on (catalog.ATTRIBUTES: 涉外, 自诉, 羁押);
    `codes`: only these of the event's rules (a corrected attribute opens one limit, attributes.py);
    `period_days`: the period the event's notice set, for rules whose period the court sets."""
    now = uow.clock.now()
    opened = []
    rules = [effective(r, court, overrides).rule.with_court_period(period_days)
             for r in catalog.opened_by(trigger, case_type=case_type, procedure=procedure, attributes=attributes)
             if codes is None or r.code in codes]
    if trigger[0] == CaseEventType.CASE_EVENT_TYPE_APPEALED and not rules and codes is None:
        # No appeal lies from a final decision (民事诉讼法第一百六十五、一百八十二、一百八十五条,
        # 刑事诉讼法第二百四十四条) and the catalogue opens no appeal node there: suspicious input.
        log.warning("APPEALED recorded on case %s (%s), whose decisions are final: no appeal node opened",
                    case_id, case_number)
    # No autoflush: the nodes of a whole consumer batch are written together at commit.
    with uow.session.no_autoflush:
        kinds = repository.node_types_of_case(uow.session, case_id)
    # ... and those an earlier event of the same batch opened, still held for the bulk insert.
    kinds += [(r["node_type"], False) for r in uow.pending_rows(NodeRow) if r["case_id"] == case_id]
    # Instances are numbered after every one so far; a withdrawn one (its opening undone) does not
    # keep its rule from opening again.
    existing = Counter(code for code, _ in kinds)
    live = Counter(code for code, withdrawn in kinds if not withdrawn)
    responsible = ResponsibleResolver(uow.session, court=court, department=department, handler=handler,
                                      assistant=assistant, clerk=clerk)
    for rule in rules:
        if live[rule.code] and not rule.repeats:
            if rule.anchor == "period_end":
                _later_period_end(uow, rule, calendar=calendar, court=court, case_id=case_id, on=anchors["event_date"],
                                  instance=existing[rule.code])  # the live one: instances before it were withdrawn
            continue
        anchor = _anchor(uow, rule, calendar=calendar, court=court, case_id=case_id, anchors=anchors)
        if anchor is None:
            # Counted from the filing date on a case not filed yet: it opens with the filing.
            log.warning("node %s of case %s not opened: no %s yet", rule.code, case_id, rule.anchor)
            continue
        before = rule.due_before
        latest = before.latest(anchors) if before is not None and before.applies(case_type, procedure) else None
        node = _new_node(rule, catalog=catalog, calendar=calendar, now=now, court=court, case_id=case_id,
                         case_number=case_number, department=department,
                         responsible=responsible(rule.responsible_role), anchor=anchor, latest=latest,
                         custody=custody and rule.custody_term, instance=existing[rule.code] + 1,
                         team=list(team) or [handler], event=event)
        # A filing opens a dozen nodes with several timers each: bulk rows, not ORM objects.
        uow.insert_later(NodeRow, [{c: getattr(node, c) for c in NODE_COLUMNS}])
        uow.insert_later(DueTimerRow, [dict(node_id=node.id, rung=rung, fire_at=at, fired_at=None, outcome=None)
                                       for rung, at in deadlines.schedule(node.due_date, node.warning_rungs)])
        uow.publish(events.node_opened(node), court=court, aggregate_type="node", aggregate_id=node.name)
        opened.append(node)
    return opened


def _anchor(uow: UnitOfWork, rule: NodeRule, *, calendar: HolidayCalendar, court: str, case_id: uuid.UUID,
            anchors: dict[str, date]) -> date | None:
    """The day a new node of `rule` counts from (deadlines.opening_anchor), None if not known yet."""
    held: dict[str, date] = {}
    if rule.anchor == "node_anchor":
        uow.flush_later()  # an earlier event of this batch may have opened the node it counts from
        held = {n.node_type: n.anchor_date for n in repository.nodes_of_case(uow.session, court, case_id)}
    return deadlines.opening_anchor(rule, event_date=anchors["event_date"], filing_date=anchors.get("filing_date"),
                                    calendar=calendar, anchors=held)


def _later_period_end(uow: UnitOfWork, rule: NodeRule, *, calendar: HolidayCalendar, court: str,
                      case_id: uuid.UUID, on: date, instance: int) -> None:
    """Another opening event of a node counted from the end of a period (another party served):
    the node counts from the latest end (民事诉讼法第一百七十一条、刑事诉讼法第二百三十条: each
    party's appeal period runs from its own service), so a later end moves it; an earlier one not."""
    end = deadlines.opening_anchor(rule, event_date=on, filing_date=None, calendar=calendar, anchors={})
    uow.flush_later()
    node = repository.node(uow.session, court, case_id, rule.code, instance, lock=True)
    if node is None or end <= node.anchor_date:
        return
    previous, node.anchor_date = node.anchor_date, end
    reschedule(uow, node, calendar, reason=f"另一当事人于 {on} 收到，其{rule.anchor_period.label}期间至 {end} 届满，"
                                          f"起算日由 {previous} 后移至 {end}")


def _new_node(rule: NodeRule, *, catalog: Catalog, calendar: HolidayCalendar, now, court: str,
              case_id: uuid.UUID, case_number: str, department: str, responsible: str, anchor: date,
              custody: bool, instance: int, team: list[str], event: str, latest: date | None = None) -> NodeRow:
    """`custody`: the node's own period is a custody term running while the defendant is held
    (it does not roll over rest days); the case's custody alone does not make it one. `latest`:
    the rule's due_before day (at the latest N days before the hearing), if it has one."""
    deadline = deadlines.for_rule(rule, anchor=anchor, calendar=calendar, held=custody, latest=latest)
    trace_context: dict[str, str] = {}
    propagate.inject(trace_context)
    return NodeRow(
        id=new_event_id(), court=court, case_id=case_id, case_number=case_number, department=department,
        responsible=responsible, node_type=rule.code, display_name=rule.display_name, stage=rule.stage,
        category=rule.category, legal_basis=rule.legal_basis, catalog_version=catalog.version,
        state=NodeState.NODE_STATE_RUNNING, anchor_date=anchor, period=str(rule.period), custody=custody,
        rollover=rule.rollover, latest_due=latest,
        due_date=deadline.due,
        calendar_known=deadline.calendar_known, explanation=list(deadline.explanation),
        warning_rungs=list(rule.warning_rungs), deadline_time=deadlines.deadline_time(deadline.due),
        warned=False, open_time=now, trace_context=trace_context, overdue_action=rule.overdue_action,
        extensions=[], exclusions=[], suspended_since=None, suspension_application=None, clock_generation=0,
        change_count=0, locked=False, lock_type=None, lock_reason=None, lock_date=None, lock_time=None,
        unlock_date=None, unlock_time=None, unlock_user=None, unlock_application=None, instance=instance,
        responsible_role=rule.responsible_role, supervisors=list(rule.supervisors), team=team,
        opened_by=event or None, completed_by=None, withdrawn=False)


def complete_nodes(uow: UnitOfWork, *, catalog: Catalog, case_id: uuid.UUID, trigger: Trigger,
                   on: date, event: str = "", posted: date | None = None) -> list[NodeRow]:
    """Complete the case's open nodes that this event completes; their pending timers are cancelled.
    Each keeps the name of the case event that completed it (`event`), for a revoked closing.
    `posted`: the day the event's document was posted; time in transit is not counted (民事诉讼法
    第八十五条, 刑事诉讼法第一百零五条), so the node is done on that day, in time if it is by the due date."""
    now = uow.clock.now()
    completed = []
    if any(r["case_id"] == case_id for r in uow.pending_rows(NodeRow)):
        uow.flush_later()  # an earlier event of this batch opened nodes of the case: let them complete
    done_once: set[str] = set()
    for node in repository.open_nodes_oldest_first(uow.session, case_id):
        rule = catalog.rule(node.node_type)
        if rule is None or not rule.completed_by_event(trigger):
            continue
        if rule.repeats and trigger[0] not in COMPLETES_EVERY_INSTANCE:
            # One event completes one instance, the oldest (the recording of the first hearing).
            if node.node_type in done_once:
                continue
            done_once.add(node.node_type)
        node.state, node.complete_time, node.completed_by = NodeState.NODE_STATE_COMPLETED, now, event or None
        node.completed_on = done_on(node, on=on, posted=posted)
        repository.cancel_timers(uow.session, node.id, now)
        uow.publish(events.node_completed(node, on=node.completed_on), court=node.court, aggregate_type="node",
                    aggregate_id=node.name)
        completed.append(node)
    return completed


def done_on(node: NodeRow, *, on: date, posted: date | None) -> date:
    """The legal day a completing event did the node's step, with a line for its explanation when
    the document went by post."""
    if posted is None or posted >= on:
        return on
    in_time = "在期限内交邮，不算过期" if posted <= node.due_date else "交邮时期限已届满"
    node.explanation = [*node.explanation, f"完成：{on} 收到，{posted} 交邮；期间不包括在途时间，{in_time}"
                                           "（民事诉讼法第八十五条、刑事诉讼法第一百零五条）"]
    return posted


def check_at_closing(uow: UnitOfWork, *, catalog: Catalog, case_id: uuid.UUID, on: date) -> list[NodeRow]:
    """S7: the case has closed; every node still open that closing must not skip is reported."""
    flagged = []
    for node in repository.open_nodes(uow.session, case_id):
        rule = catalog.rule(node.node_type)
        if rule is not None and rule.check_at_closing:
            uow.publish(events.node_open_at_closing(node, on=on), court=node.court, aggregate_type="node",
                        aggregate_id=node.name)
            flagged.append(node)
    return flagged


def reschedule(uow: UnitOfWork, node: NodeRow, calendar: HolidayCalendar, *, reason: str,
               application: str = "") -> date:
    """Derive the node's deadline again after an approved change of its clock and start a new
    generation: the node runs again from its new date (the sweeper at once fires whatever is due
    by then, so a limit extended into a warning period warns again, S4), and every timer is armed
    anew — none while the clock is suspended. Returns the previous due date."""
    previous = node.due_date
    result = deadlines.derive(node, calendar)
    node.due_date, node.calendar_known = result.due, result.calendar_known
    node.explanation = [*result.explanation, f"变更：{reason}"]
    node.deadline_time = deadlines.deadline_time(result.due)
    node.clock_generation += 1
    if node.state != NodeState.NODE_STATE_COMPLETED:
        node.state, node.warned, node.warning_time, node.overdue_time = NodeState.NODE_STATE_RUNNING, False, None, None
    repository.delete_timers(uow.session, node.id)
    if node.state != NodeState.NODE_STATE_COMPLETED and node.suspended_since is None:
        uow.insert_later(DueTimerRow, [dict(node_id=node.id, rung=rung, fire_at=at, fired_at=None, outcome=None)
                                       for rung, at in deadlines.schedule(node.due_date, node.warning_rungs)])
    if previous != result.due:
        uow.publish(events.node_deadline_changed(node, previous=previous, reason=reason, application=application),
                    court=node.court, aggregate_type="node", aggregate_id=node.name)
    return previous


def get_node(uow_factory: Callable[[], UnitOfWork], *, caller: Caller, court: str, case_id: uuid.UUID,
             node_type: str) -> NodeRow:
    scope.require_court(caller, court)
    with uow_factory() as uow:
        return visible_node(uow, caller, court, case_id, node_type)


def visible_node(uow: UnitOfWork, caller: Caller, court: str, case_id: uuid.UUID, node_id: str, *,
                 lock: bool = False) -> NodeRow:
    """The node if the caller may see it; NOT_FOUND only for those who see the whole court, so a
    narrow caller cannot probe which nodes exist. With `lock`, its clock is locked for a change."""
    code, instance = split_node_id(node_id)
    node = repository.node(uow.session, court, case_id, code, instance, lock=lock)
    scope.check_visible(caller, node, court=court, owner="responsible", team=("team",), denial="无权查看该节点",
                        missing=NodeNotFound(f"节点 {NodeName(court, case_id, node_id)} 不存在"))
    return node


def list_nodes(uow_factory: Callable[[], UnitOfWork], *, caller: Caller, court: str, case_id: uuid.UUID | None,
               filters: dict, page: Page) -> list[NodeRow]:
    scope.require_court(caller, court)
    with uow_factory() as uow:
        return repository.visible_nodes(uow.session, caller=caller, court=court, equal={"case_id": case_id, **filters},
                                        page=page)
