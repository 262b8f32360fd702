"""When a node's rungs fire and what a firing means. Pure: no I/O.

A node is overdue from 00:00 (Asia/Shanghai) of the day after its due date: the
whole last day belongs to the party. A warning rung of N days fires at 00:00 of
the day N days before the due date. A rung that comes due together with a later
one (after downtime, or a node created late) is superseded: only the latest
applicable reminder goes out, and a node whose deadline already passed gets no
warning at all — it counts as overdue without warning (超期未预警).

An overdue node climbs the escalation ladder (DOMAIN §5): rung -N fires at 00:00 of
its N-th overdue day. Those timers are armed only when the node goes overdue, so a
node finished on time never carries them; a later rung supersedes an earlier one
that comes due with it, as warnings do.
"""
from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, timedelta
from enum import Enum

from services.common.clock import legal_date, start_of_legal_day
from services.node.calendar import HolidayCalendar
from services.node.periods import Deadline, Exclusion, Extension, LateSpan, Period, compute_deadline

DEADLINE_RUNG = 0


def deadline_time(due: date) -> datetime:
    return start_of_legal_day(due + timedelta(days=1))


def fire_time(due: date, rung: int) -> datetime:
    # rung > 0: N days before the due date; rung -N: the start of the N-th day overdue.
    return deadline_time(due) if rung == DEADLINE_RUNG else start_of_legal_day(due - timedelta(days=rung))


def escalation_rung(days_overdue: int) -> int:
    return -days_overdue


def escalation_schedule(due: date, days: tuple[int, ...] | list[int]) -> list[tuple[int, datetime]]:
    """The escalation timers armed when a node goes overdue (days overdue at each further rung)."""
    return [(escalation_rung(d), fire_time(due, escalation_rung(d))) for d in sorted(set(days))]


def escalation_level(rung: int, days: tuple[int, ...] | list[int]) -> int:
    """Ladder level of an escalation rung: the deadline is level 1, the first escalation 2, …
    (counted, not looked up, so a timer armed under an older setting still has a level)."""
    return 2 + len({d for d in days if d < -rung})


def schedule(due: date, rungs: tuple[int, ...] | list[int]) -> list[tuple[int, datetime]]:
    """Every timer of a node: its warning rungs and the deadline."""
    return [(r, fire_time(due, r)) for r in sorted(set(rungs), reverse=True)] + \
        [(DEADLINE_RUNG, deadline_time(due))]


class Firing(Enum):
    WARN = "warned"
    OVERDUE = "overdue"
    ESCALATE = "escalated"
    SKIP = "skipped"


def decide(*, rung: int, due: date, rungs: list[int], completed: bool, now: datetime,
           escalation_days: tuple[int, ...] | list[int] = ()) -> Firing:
    if completed:
        return Firing.SKIP
    if rung == DEADLINE_RUNG:
        return Firing.OVERDUE
    if rung < 0:
        further = [escalation_rung(d) for d in escalation_days if escalation_rung(d) < rung]
        return Firing.SKIP if any(fire_time(due, r) <= now for r in further) else Firing.ESCALATE
    later = [r for r in rungs if r < rung] + [DEADLINE_RUNG]
    if any(fire_time(due, r) <= now for r in later):
        return Firing.SKIP
    return Firing.WARN


def days_remaining(due: date, now: datetime) -> int:
    return (due - legal_date(now)).days


def days_overdue(due: date, now: datetime) -> int:
    return (legal_date(now) - due).days


def opening_anchor(rule, *, event_date: date, filing_date: date | None, calendar: HolidayCalendar,
                   anchors: Mapping[str, date]) -> date | None:
    """The day a node of `rule` opened by an event on `event_date` counts from, or None when the
    case does not have it yet. `anchors`: the anchors of the case's nodes, by code; a node counted
    from another's anchor counts from its own event when the case has none of them (an appeal
    recorded before any service), as it did before it had one."""
    if rule.anchor == "event_date":
        return event_date
    if rule.anchor == "filing_date":
        return filing_date
    if rule.anchor == "period_end":
        # Each party's period from its own service, rolled as a party's period rolls (民法典第二百零三条).
        return compute_deadline(start=event_date, period=rule.anchor_period, calendar=calendar).due
    return next((anchors[code] for code in rule.anchor_nodes if code in anchors), event_date)


def for_rule(rule, *, anchor: date, calendar: HolidayCalendar, held: bool, latest: date | None = None) -> Deadline:
    """The deadline a node of `rule` opens with, counted from `anchor`: only a custody term keeps
    its last day while the defendant is `held` (刑事诉讼法「期间」条), and the rule says whether its
    last day rolls at all (a measure that lapses does not, 民诉法解释第四百八十五条). `latest`: the
    rule's due_before date for this case (catalog.DueBefore.latest), if any."""
    return capped(compute_deadline(start=anchor, period=rule.period, calendar=calendar,
                                   custody=held and rule.custody_term, rollover=rule.rollover, basis=rule.legal_basis),
                  latest)


def capped(deadline: Deadline, latest: date | None) -> Deadline:
    """The earlier of the period's end and `latest`, the last day a minimum notice before a date
    leaves (开庭三日前送达传票, 民事诉讼法第一百三十九条; 开庭十日前送达起诉书副本, 刑事诉讼法第一百八十七条).
    That day never rolls: moving it past a rest day would shorten the notice the law guarantees."""
    if latest is None:
        return deadline
    if latest >= deadline.due:
        line = f"另须不晚于 {latest}（开庭前的法定最短期间，见依据）；{deadline.due} 较早，仍以其为届满日"
        return Deadline(due=deadline.due, unrolled_due=deadline.unrolled_due, calendar_known=deadline.calendar_known,
                        explanation=(*deadline.explanation, line), basis=deadline.basis)
    line = (f"另须不晚于 {latest}（开庭前的法定最短期间，见依据），早于 {deadline.due}：两者以较早者为届满日，"
            f"届满日为 {latest}，不因节假日顺延")
    return Deadline(due=latest, unrolled_due=latest, calendar_known=deadline.calendar_known,
                    explanation=(*deadline.explanation, line), basis=deadline.basis)


def derive(node, calendar: HolidayCalendar, *, new_span: Exclusion | None = None) -> Deadline:
    """A node's deadline from its clock's inputs (DOMAIN §6): anchor, period, custody, the rule's
    rollover, approved extensions and deducted or suspended spans. Every recomputation goes through
    here, so a calendar import or a rule change never loses a suspension or an extension. A span
    that starts after the limit ran out is refused where it is applied for; one stored before that
    was refused is left out here with a line saying so, never counted (issue 15, item 2).
    `new_span`: a span applied for, judged with the stored ones; LateSpan when it comes too late."""
    lines = []
    stored = [Exclusion(date.fromisoformat(x["start"]), date.fromisoformat(x["end"]), x["reason"])
              for x in node.exclusions]
    inputs = dict(start=node.anchor_date, period=Period.parse(node.period), calendar=calendar, custody=node.custody,
                  rollover=node.rollover, basis=node.legal_basis,
                  extensions=[Extension(Period.parse(e["period"]), e["reason"], e.get("to", False))
                              for e in node.extensions])
    if new_span is not None:
        try:
            compute_deadline(**inputs, exclusions=stored)
        except LateSpan:
            return compute_deadline(**inputs, exclusions=stored, late_spans="ignore")  # stored before refused
        if node.suspended_since is not None:
            # A suspension still running stops the clock to this day: the limit cannot run out
            # under it, so it counts as a span up to the new one's end.
            stored.append(Exclusion(node.suspended_since, max(node.suspended_since, new_span.end)))
        return compute_deadline(**inputs, exclusions=[*stored, new_span])
    deadline = capped(compute_deadline(**inputs, exclusions=stored, late_spans="ignore"), node.latest_due)
    if node.suspended_since is not None:
        lines.append(f"自 {node.suspended_since} 起中止，期限暂停计算；恢复后中止期间不计入，届满日将后移")
    return Deadline(due=deadline.due, unrolled_due=deadline.unrolled_due, calendar_known=deadline.calendar_known,
                    explanation=deadline.explanation + tuple(lines), basis=deadline.basis)
