"""A plausible business history for the demo province's cases: the case events a court system
pushes after filing (送达、排期、开庭、评议、宣判、结案、归档 …), deterministic from the seed.

Pure: no I/O, no clock, no global random state. The caller passes the node catalogue (the rules
that say which event opens and which completes each node) and the holiday calendar, and gets a
plan: every event with its date, document and hearing date, and the day the court system reports
it. What the node service makes of it (which nodes warn, run out, lock their case) is not
predicted here: the start command asks the node service after loading (runtime/demo.py).

How a case's history is made:
- A script per kind of case (civil ordinary or simplified, administrative and criminal first
  instance) says which events follow which: the documents served on filing, the answer, the
  hearing and its preparations, then one ending (judgment, mediation or withdrawal), service of
  the judgment or ruling, appeal or effectiveness, execution hand-over for criminal judgments,
  closing and archiving.
- The date of an event is derived from the node it completes, found in the catalogue: usually
  before the node's first warning (on time), sometimes within the warning period, now and then
  after the due date (late). Events are on working days. A few cases wait long after the hearing
  (an appraisal, say), and a few events are reported days after they happened (补录), which
  opens their nodes late — that is how 超期未预警 arises.
- Hearing dates keep the scheduling rules the node service checks (S5): after the answer and
  evidence periods (15 days from the service of the complaint copy and the evidence notice), at
  least 3 days after the scheduling day, at least 7 days from the case's other hearings, on a
  working day of a year whose holiday schedule is known, within the trial time limit. A case
  for which no such date exists is not scheduled (it waits, and its nodes run on).
- Events after ``today`` have not happened yet. A node whose overdue action is ``lock`` and
  whose completing event comes after its due date locks the case from the next day; a locked
  case accepts no events, so its later events are left out.

The plan is meant to be pushed day by day with the shared clock following it (runtime/demo.py):
on each day, the events reported that day are recorded while the system's today is that day,
so that every warning and overdue transition happens as it would have. Within a day, an event
that completes a node opened that same day comes in a later wave than the event that opened it
(PlannedEvent.wave); the loader may push the waves apart, though the node service handles a day's
events in one go.
Work that follows an event is done from the next working day unless the node it completes would
warn by then, which keeps most days to two waves.

To time events and to stop at a lock, the plan follows the case's nodes with the node service's
own pieces: the catalogue's triggers and anchors, compute_deadline, the instant a warning fires and
a node runs out (services/node/deadlines.py), and which events complete every instance of a
repeating node (services/node/service.py); otherwise a repeating node's oldest instance first.
"""
from __future__ import annotations

import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from courtflow.case.v1.case_pb2 import CaseEventType, CaseType, Procedure

from runtime.synthetic import CaseSeed
from services.case.lifecycle import TRIAL_DOCUMENTS, TRIAL_EVENTS
from services.node.calendar import HolidayCalendar
from services.node.catalog import Catalog, NodeRule
from services.node.deadlines import DEADLINE_RUNG, fire_time, for_rule, legal_date, opening_anchor
from services.node.periods import Period, Unit, compute_deadline
from services.node.scheduling import ANSWER_PERIOD, EVIDENCE_PERIOD
from services.node.scheduling import RULES as SCHEDULING_RULES
from services.node.service import COMPLETES_EVERY_INSTANCE

# The rules the node service checks hearing dates against.
NOTICE_DAYS = SCHEDULING_RULES.notice_days
# The law sets no minimum between two hearings (a court's setting may, scheduling.hearing_rules):
# the generated cases keep a week, as courts commonly do, so that they pass a court that sets one.
HEARING_INTERVAL_DAYS = 7
# Appeal periods after service of a judgment: 15 days (民事、行政), 10 days (刑事).
APPEAL_PERIOD = {"civil": Period(15, Unit.DAYS), "administrative": Period(15, Unit.DAYS),
                 "criminal": Period(10, Unit.DAYS)}

# How an event falls relative to the node it completes.
P_WARNING = 0.12   # inside the warning period
P_WARNING_LONG = 0.30  # the same for periods of a month or more, which are often used to the end
P_LATE = 0.04      # after the due date
P_FORGOTTEN = 0.12  # a node without warnings (a booking, an upload) recorded 5–30 days late
P_SLOW = 0.12      # a case heard late in its time limit (busy court, parties abroad …)
P_STUCK = 0.05     # a case that waits 40–120 days after the hearing (庭后鉴定、补充调查 …)
P_REPORTED_LATE = 0.05  # a hearing, pronouncement or effectiveness reported 2–10 days after the fact

# Endings before judgment: (judgment, mediation at the hearing, mediation before it, withdrawal).
ENDINGS = {
    ("civil", "first_instance_ordinary"): (0.58, 0.17, 0.10, 0.15),
    ("civil", "simplified"): (0.45, 0.25, 0.12, 0.18),
    ("administrative", "first_instance_ordinary"): (0.62, 0.05, 0.0, 0.33),
    ("criminal", "first_instance_ordinary"): (1.0, 0.0, 0.0, 0.0),
}
P_APPEAL = {"civil": 0.12, "administrative": 0.25, "criminal": 0.12}
P_SECOND_HEARING = {"first_instance_ordinary": 0.15, "simplified": 0.05}
# Causes whose judgments are not published online (privacy of family matters).
UNPUBLISHED_CAUSES = frozenset({"离婚纠纷", "法定继承纠纷"})


@dataclass(frozen=True, slots=True)
class PlannedEvent:
    """One case event as the court system reports it (CaseService.RecordCaseEvent)."""

    case: CaseSeed
    seq: int                   # position in the case's history, from 0
    event: str                 # CaseEventType name without its prefix, e.g. "DOCUMENT_SERVED"
    occur_date: date           # 事件日期
    record_date: date          # the day it is reported: occur_date, or later for a late report
    document: str = ""         # DOCUMENT_SERVED: the document code of the catalogue
    hearing_date: date | None = None  # HEARING_SCHEDULED: the hearing day
    # Within its record day: 0 when it goes together with the day's filings; n when it completes a
    # node that an event of wave n-1 (or the filing, wave 0) opened the same day, so the node service
    # must have applied the earlier waves first. Never lower than the case's previous event that day.
    wave: int = 0

    @property
    def request_id(self) -> str:
        return f"{self.case.request_id}-e{self.seq}"

    @property
    def event_type(self) -> int:
        return CaseEventType.Value(f"CASE_EVENT_TYPE_{self.event}")


@dataclass(frozen=True)
class History:
    events: tuple[PlannedEvent, ...]          # by record date, then case, then seq
    # Cases whose events stop at a lock: request_id -> (the code of the node run out, the lock day).
    locked: dict[str, tuple[str, date]] = field(default_factory=dict)


def plan_history(cases: Sequence[CaseSeed], *, seed: int, today: date, catalog: Catalog,
                 calendar: HolidayCalendar | None = None) -> History:
    """The events of every case up to ``today``, and the cases whose events stop at a lock."""
    calendar = calendar or HolidayCalendar.builtin()
    rules_of: dict[tuple[str, str, bool], tuple[NodeRule, ...]] = {}
    per_case: list[list[PlannedEvent]] = []
    locked: dict[str, tuple[str, date]] = {}
    for case in cases:
        kind = (case.case_type, case.procedure, case.custody)
        if kind not in rules_of:
            ct = CaseType.Value(f"CASE_TYPE_{case.case_type.upper()}")
            pr = Procedure.Value(f"PROCEDURE_{case.procedure.upper()}")
            # as the node service selects them (catalog.ATTRIBUTES): demo cases are neither
            # foreign-related nor private prosecutions
            rules_of[kind] = tuple(r for r in catalog.rules if r.applies(ct, pr, {"custody": case.custody}))
        script = _CaseScript(case, rules_of[kind], calendar, random.Random(f"courtflow-history:{seed}:{case.request_id}"))
        script.run()
        events, lock = _replay(case, script.drafts(), rules_of[kind], calendar, today)
        per_case.append(events)
        if lock:
            locked[case.request_id] = lock
    order = {c.request_id: i for i, c in enumerate(cases)}
    events = sorted((e for es in per_case for e in es), key=lambda e: (e.record_date, order[e.case.request_id], e.seq))
    return History(tuple(events), locked)


# ── a case's script ─────────────────────────────────────────────────────────────────────────────

@dataclass
class _Node:
    rule: NodeRule
    due: date
    opened: date
    completed: bool = False


def _completed_now(nodes: list, rule_of, trigger: tuple[int, str]) -> list:
    """The open nodes an event completes, as the node service decides: every node whose rule it
    completes, but of a repeating node (rule.repeats: each hearing's summons …) only the oldest
    open instance, unless the event completes every instance (CLOSED)."""
    out, once = [], set()
    for node in nodes:
        rule = rule_of(node)
        if not rule.completed_by_event(trigger):
            continue
        if rule.repeats and trigger[0] not in COMPLETES_EVERY_INSTANCE:
            if rule.code in once:
                continue
            once.add(rule.code)
        out.append(node)
    return out


@dataclass
class _Draft:
    event: str
    occur: date
    document: str
    hearing: date | None
    lag: int     # days between the event and its report
    order: int


def _belongs_to_the_trial(draft: _Draft) -> bool:
    event_type, document = _trigger(draft.event, draft.document)
    return event_type in TRIAL_EVENTS or (draft.event == "DOCUMENT_SERVED" and document in TRIAL_DOCUMENTS)


def _trigger(event: str, document: str = "") -> tuple[int, str]:
    return CaseEventType.Value(f"CASE_EVENT_TYPE_{event}"), document


def _anchor(rule: NodeRule, on: date, filing: date, calendar: HolidayCalendar, held: dict[str, date]) -> date:
    # as the node service counts it (deadlines.opening_anchor); `held`: the anchors of the case's nodes
    return opening_anchor(rule, event_date=on, filing_date=filing, calendar=calendar, anchors=held)


def _due(rule: NodeRule, anchor: date, calendar: HolidayCalendar, custody: bool, case: CaseSeed,
         hearing: date | None) -> date:
    # as the node service counts it: only a custody term keeps its day in a custody case, and a
    # summons is due at the latest three days before the hearing (catalog.DueBefore)
    before = rule.due_before
    exempt = before is None or not before.applies(CaseType.Value(f"CASE_TYPE_{case.case_type.upper()}"),
                                                  Procedure.Value(f"PROCEDURE_{case.procedure.upper()}"))
    latest = None if exempt or hearing is None else before.latest({"hearing_date": hearing})
    return for_rule(rule, anchor=anchor, calendar=calendar, held=custody, latest=latest).due


def _fires_on(due: date, rung: int) -> date:
    """The day a node's timer fires: a warning rung of N days N days before the due date, the
    deadline (DEADLINE_RUNG: overdue, and a lock-action node locks its case) the day after it."""
    return legal_date(fire_time(due, rung))


class _CaseScript:
    def __init__(self, case: CaseSeed, rules: tuple[NodeRule, ...], calendar: HolidayCalendar,
                 rng: random.Random) -> None:
        self.case, self.rules, self.calendar, self.rng = case, rules, calendar, rng
        self.nodes: list[_Node] = []            # in opening order, so the oldest instance first
        self.out: list[_Draft] = []
        self.hearings: list[date] = []          # scheduled hearing dates
        self.served: dict[str, date] = {}       # document -> service date
        self.anchors: dict[str, date] = {}      # node code -> the day it counts from
        self.emit("FILED", case.filing_date)

    # -- primitives --------------------------------------------------------------------------------

    def node(self, code: str) -> _Node | None:
        """The oldest open node of that code."""
        return next((n for n in self.nodes if n.rule.code == code and not n.completed), None)

    def opens(self, event: str, document: str = "") -> bool:
        trigger = _trigger(event, document)
        have = {n.rule.code for n in self.nodes}
        return any(r.opens_on(trigger) and (r.code not in have or r.repeats) for r in self.rules)

    def targets(self, event: str, document: str = "") -> list[_Node]:
        return _completed_now([n for n in self.nodes if not n.completed], lambda n: n.rule,
                              _trigger(event, document))

    def emit(self, event: str, on: date, document: str = "", hearing: date | None = None, lag: int = 0) -> date:
        trigger = _trigger(event, document)
        for node in self.targets(event, document):
            node.completed = True
        have = {n.rule.code for n in self.nodes}
        for rule in self.rules:
            if rule.opens_on(trigger) and (rule.code not in have or rule.repeats):
                anchor = self.anchors[rule.code] = _anchor(rule, on, self.case.filing_date, self.calendar, self.anchors)
                self.nodes.append(_Node(rule, _due(rule, anchor, self.calendar, self.case.custody, self.case, hearing),
                                        on))
        if event != "FILED":
            self.out.append(_Draft(event, on, document, hearing, lag, len(self.out)))
        if event == "DOCUMENT_SERVED":
            self.served[document] = on
        return on

    def workday(self, d: date) -> date:
        while not self.calendar.is_working_day(d):
            d += timedelta(days=1)
        return d

    def pick(self, lo: date, hi: date) -> date:
        """A working day in [lo, hi], or the first working day from lo when there is none."""
        days = [lo + timedelta(days=n) for n in range((hi - lo).days + 1)]
        days = [d for d in days if self.calendar.is_working_day(d)]
        return self.rng.choice(days) if days else self.workday(lo)

    def within(self, after: date, lo_days: int, hi_days: int) -> date:
        return self.pick(after + timedelta(days=lo_days), after + timedelta(days=hi_days))

    def when(self, event: str, after: date, document: str = "", *, cap: int = 10,
             required: bool = False, by: str = "") -> date | None:
        """When `event` happens after `after`, timed by the earliest-due node it completes: usually
        before that node's first warning (within `cap` days), sometimes in the warning period, now
        and then after the due date. Without a node to complete, a `required` event comes within
        `cap` days and any other does not happen (None). `by` names the node to time it by instead
        (an event that starts the work the node waits for, like submitting a file for archiving)."""
        targets = self.targets(event, document)
        if by:
            targets = [n for n in (self.node(by),) if n is not None]
        if not targets and not required:
            return None
        after = self.workday(after)
        if not targets:
            return self.within(after, 0, cap)
        node = min(targets, key=lambda n: n.due)
        rungs = node.rule.warning_rungs
        quiet_end = _fires_on(node.due, max(rungs)) - timedelta(days=1) if rungs else node.due
        next_day = self.workday(node.opened + timedelta(days=1))
        if after <= node.opened and next_day <= quiet_end:
            # Work that follows an event is done from the next working day, unless the node must
            # be done the same day to stay clear of its warning: then the node service has to take
            # in the opening event before this one, which costs the loader a wait (PlannedEvent.wave).
            after = next_day
        draw = self.rng.random()
        if not rungs and draw < P_FORGOTTEN:
            return self.pick(max(after, node.due + timedelta(days=5)), max(after, node.due) + timedelta(days=30))
        if draw < P_LATE:
            late_by = max(2, min(30, (node.due - after).days // 3))
            return self.pick(max(after, node.due + timedelta(days=1)), max(after, node.due) + timedelta(days=late_by))
        long = (node.due - node.opened).days >= 28   # a month or more
        if draw < P_LATE + (P_WARNING_LONG if long else P_WARNING) and rungs:
            return self.pick(max(after, quiet_end + timedelta(days=1)), max(after, node.due))
        return self.pick(after, max(after, min(quiet_end, after + timedelta(days=cap))))

    def step(self, event: str, after: date, document: str = "", *, cap: int = 10, required: bool = False,
             lag: int = 0, by: str = "") -> date | None:
        """Emit `event` when `when` says; None when it does not happen."""
        on = self.when(event, after, document, cap=cap, required=required, by=by)
        return None if on is None else self.emit(event, on, document, lag=lag)

    # -- hearings ------------------------------------------------------------------------------------

    def trial_limit_due(self) -> date | None:
        limits = [n for n in self.nodes if n.rule.code.startswith("trial_time_limit") and not n.completed]
        return min((n.due for n in limits), default=None)

    def hearing_date(self, scheduled: date, *, spread: tuple[int, int]) -> date | None:
        """A date the scheduling rules allow, `spread` days after the earliest one or as close to
        that as the trial time limit lets it be; None when no date is allowed."""
        earliest = scheduled + timedelta(days=NOTICE_DAYS)
        for document, period in (("complaint_copy", ANSWER_PERIOD), ("evidence_notice", EVIDENCE_PERIOD)):
            if document in self.served:
                end = compute_deadline(start=self.served[document], period=period, calendar=self.calendar).due
                earliest = max(earliest, end + timedelta(days=1))
        limit = self.trial_limit_due()
        wanted = earliest + timedelta(days=self.rng.randint(*spread))
        if limit is not None:
            wanted = max(earliest, min(wanted, limit - timedelta(days=self.rng.randint(14, 24))))
        for start in (wanted, earliest):
            for d in (start + timedelta(days=n) for n in range(60)):
                if limit is not None and d > limit:
                    break
                if (self.calendar.is_known(d.year) and self.calendar.is_working_day(d)
                        and all(abs((d - h).days) >= HEARING_INTERVAL_DAYS for h in self.hearings)):
                    return d
        return None

    def schedule_and_hold(self, after: date, *, spread: tuple[int, int], lag: int = 0) -> date | None:
        """Schedule a hearing (with its preparations) and hold it; None when no date is allowed."""
        scheduled_on = self.when("HEARING_SCHEDULED", after, cap=15, required=True)
        hearing = self.hearing_date(scheduled_on, spread=spread)
        if hearing is None:
            return None
        self.hearings.append(hearing)
        self.emit("HEARING_SCHEDULED", scheduled_on, hearing=hearing)
        self.step("COURTROOM_BOOKED", scheduled_on, cap=1)
        self.step("HEARING_ANNOUNCED", scheduled_on, cap=2)
        self.step("DOCUMENT_SERVED", scheduled_on, "hearing_notice", cap=2)
        self.step("DOCUMENT_SERVED", scheduled_on, "indictment_copy", cap=2)   # criminal ordinary only
        self.emit("HEARING_HELD", hearing, lag=lag)
        self.step("HEARING_RECORDING_UPLOADED", hearing, cap=1)
        self.step("HEARING_RECORDING_BURNED", hearing, cap=2)
        self.step("PETITION_RISK_ASSESSED", hearing, cap=5)
        return hearing

    # -- the script ------------------------------------------------------------------------------------

    def run(self) -> None:
        c, rng = self.case, self.rng
        filed = c.filing_date
        for event in ("ASSIGNMENT_INDEX_SET", "COMPLEXITY_TRIAGED", "ASSIGNED"):
            self.step(event, filed, cap=1)
        # The filing documents go out together, now and then one of them separately.
        first = self.step("DOCUMENT_SERVED", filed, "complaint_copy", cap=3) or \
            self.step("DOCUMENT_SERVED", filed, "defense_rights_notice", cap=2) or filed
        for document in ("acceptance_notice", "evidence_notice", "address_confirmation", "risk_notice"):
            if self.targets("DOCUMENT_SERVED", document):
                if rng.random() < 0.85:
                    self.emit("DOCUMENT_SERVED", first, document)
                else:
                    self.step("DOCUMENT_SERVED", filed, document, cap=4)
        self.step("PETITION_RISK_ASSESSED", filed, cap=5)
        if c.procedure != "simplified" and self.opens("PANEL_FORMED"):  # a single judge hears simplified cases
            self.step("DOCUMENT_SERVED", self.emit("PANEL_FORMED", self.within(filed, 1, 5)), "panel_notice", cap=2)
        if self.opens("ANSWER_RECEIVED") and rng.random() < 0.75:
            answered = self.emit("ANSWER_RECEIVED", self.within(first, 3, 14))
            self.step("DOCUMENT_SERVED", answered, "answer_copy", cap=3)

        judgment, at_hearing, before, _ = ENDINGS.get((c.case_type, c.procedure), (1.0, 0, 0, 0))
        draw = rng.random()
        if draw >= judgment + at_hearing + before:
            self.withdrawal(self.within(first, 2, 12))
            return
        if draw >= judgment + at_hearing:
            self.mediation(self.emit("MEDIATION_AGREEMENT_REACHED", self.within(first, 3, 10)))
            return
        second = rng.random() < P_SECOND_HEARING.get(c.procedure, 0.1)
        # A hearing reported late would make the second one's scheduling day later than it says.
        lag = rng.randint(2, 10) if not second and rng.random() < P_REPORTED_LATE else 0
        hearing = self.schedule_and_hold(first, spread=(30, 100) if rng.random() < P_SLOW else (0, 20), lag=lag)
        if hearing is None:
            return  # no hearing date within the rules: the case waits
        if second:
            hearing = self.schedule_and_hold(hearing, spread=(0, 6)) or hearing
        if draw >= judgment:
            self.mediation(self.emit("MEDIATION_AGREEMENT_REACHED", hearing))
            return
        self.judgment(hearing)

    def judgment(self, hearing: date) -> None:
        c, rng = self.case, self.rng
        waited = hearing + timedelta(days=rng.randint(40, 120)) if rng.random() < P_STUCK else hearing
        deliberated = self.step("DELIBERATED", waited, cap=6, required=True)
        signed = self.step("JUDGMENT_SIGNED", deliberated, cap=6, required=True)
        lag = rng.randint(2, 10) if rng.random() < P_REPORTED_LATE else 0
        pronounced = self.step("JUDGMENT_PRONOUNCED", signed, cap=4, required=True, lag=lag)
        served = self.step("DOCUMENT_SERVED", pronounced, "judgment", cap=6, required=True)
        self.closing(served)
        # No appeal lies from a final decision (small claims, special procedure, second instance):
        # the catalogue opens no appeal node there, and the node service flags one as suspicious.
        if rng.random() < P_APPEAL[c.case_type] and self.opens("APPEALED"):
            self.appeal(served)
            return
        appeal_end = compute_deadline(start=served, period=APPEAL_PERIOD[c.case_type], calendar=self.calendar).due
        lag = rng.randint(2, 10) if rng.random() < P_REPORTED_LATE else 0
        effective = self.step("EFFECTIVE", appeal_end + timedelta(days=1), cap=2, required=True, lag=lag)
        self.publication(effective)
        if c.case_type == "criminal":
            delivered = self.step("DELIVERED_FOR_EXECUTION", effective, cap=6)
            if delivered:
                self.step("EXECUTION_RECEIPT_RETURNED", delivered, cap=20)
            if rng.random() < 0.3:
                transferred = self.step("TRANSFERRED_FOR_EXECUTION", effective, cap=4)
                if transferred:
                    self.step("EXECUTION_CASE_FILED", transferred, cap=4)
            else:
                self.step("EXECUTION_TRANSFER_NOT_REQUIRED", effective, cap=4)

    def appeal(self, served: date) -> None:
        appealed = self.emit("APPEALED", self.within(served, 3, 9 if self.case.case_type == "criminal" else 14))
        copy = self.step("DOCUMENT_SERVED", appealed, "appeal_copy", cap=3) or appealed
        self.step("APPEAL_FEE_PAID", appealed, cap=5)
        if self.targets("TRANSFERRED") and self.opens("APPEAL_ANSWER_RECEIVED") and self.rng.random() < 0.5:
            answered = self.emit("APPEAL_ANSWER_RECEIVED", self.within(copy, 4, 13))
            self.step("DOCUMENT_SERVED", answered, "appeal_answer_copy", cap=3)
            self.step("TRANSFERRED", answered, cap=3)
        elif self.node("appeal_file_transfer_after_answer_period") is not None:
            answer_end = compute_deadline(start=copy, period=ANSWER_PERIOD, calendar=self.calendar).due
            self.step("TRANSFERRED", answer_end + timedelta(days=1), cap=3)
        else:
            self.step("TRANSFERRED", copy, cap=2)

    def mediation(self, agreed: date) -> None:
        concluded = self.step("MEDIATION_CONCLUDED", agreed, cap=4, required=True)
        effective = self.step("EFFECTIVE", concluded, cap=2, required=True)
        self.step("JUDGMENT_PUBLICATION_EXEMPTED", effective, cap=5)
        self.closing(concluded)

    def withdrawal(self, ruled: date) -> None:
        self.emit("RULING_ISSUED", ruled)
        served = self.step("DOCUMENT_SERVED", ruled, "ruling", cap=4, required=True)
        effective = self.step("EFFECTIVE", served, cap=3, required=True)
        self.publication(effective)
        self.closing(served)

    def publication(self, effective: date) -> None:
        if self.case.cause in UNPUBLISHED_CAUSES or self.rng.random() < 0.08:
            self.step("JUDGMENT_PUBLICATION_EXEMPTED", effective, cap=5)
        else:
            self.step("JUDGMENT_PUBLISHED_ONLINE", effective, cap=6)

    def closing(self, after: date) -> None:
        requested = self.step("CLOSING_REQUESTED", after, cap=2, required=True)
        checked = [self.step(e, requested, cap=1) or requested
                   for e in ("CASE_INFO_VERIFIED", "SERVICE_VERIFIED", "E_FILE_VERIFIED")]
        closed = self.step("CLOSED", max(checked), cap=2, required=True)
        submitted = self.step("FILE_SUBMITTED_FOR_ARCHIVING", closed, cap=60, required=True,
                              by="archive_after_closing")
        self.step("ARCHIVED", submitted, cap=7)

    def drafts(self) -> list[_Draft]:
        return sorted(self.out, key=lambda d: (d.occur, d.order))


# ── the events as the system will take them in ────────────────────────────────────────────────────────

def _replay(case: CaseSeed, drafts: Iterable[_Draft], rules: tuple[NodeRule, ...], calendar: HolidayCalendar,
            today: date) -> tuple[list[PlannedEvent], tuple[str, date] | None]:
    """Push the drafts in order as the system would see them: events are reported on their record
    day, in waves after the events that opened the nodes they complete; a lock refuses everything
    after it, so the case's events stop there."""
    # [rule, due, opened (record day), completed (record day) or None, wave that opened it], in
    # opening order (the node service completes the oldest instance of a repeating node first)
    nodes: list[list] = []
    anchors: dict[str, date] = {}

    def open_for(trigger, on: date, recorded: date, wave: int, hearing: date | None = None) -> None:
        have = {n[0].code for n in nodes}
        for rule in rules:
            if rule.opens_on(trigger) and (rule.code not in have or rule.repeats):
                anchor = anchors[rule.code] = _anchor(rule, on, case.filing_date, calendar, anchors)
                nodes.append([rule, _due(rule, anchor, calendar, case.custody, case, hearing), recorded, None, wave])

    def lock_before(day: date) -> tuple[str, date] | None:
        locks = [(_fires_on(n[1], DEADLINE_RUNG), n[0].code) for n in nodes
                 if n[0].overdue_action == "lock" and n[3] is None and _fires_on(n[1], DEADLINE_RUNG) <= day]
        return (min(locks)[1], min(locks)[0]) if locks else None

    open_for(_trigger("FILED"), case.filing_date, case.filing_date, 0)
    events: list[PlannedEvent] = []
    lock = None
    recorded = case.filing_date
    closed = False
    for draft in drafts:
        if closed and _belongs_to_the_trial(draft):
            # The case service refuses the trial's events once the case is closed (lifecycle.py):
            # a step planned in parallel with an early closing (撤诉、调解) is not sent.
            continue
        closed = closed or draft.event == "CLOSED"
        previous = recorded
        recorded = max(recorded, draft.occur + timedelta(days=draft.lag))
        if draft.occur > today or recorded > today:
            break
        lock = lock_before(recorded)
        if lock:
            break
        trigger = _trigger(draft.event, draft.document)
        wave = 1 if recorded == case.filing_date else 0
        if events and previous == recorded:
            wave = max(wave, events[-1].wave)
        for n in _completed_now([n for n in nodes if n[3] is None], lambda n: n[0], trigger):
            n[3] = recorded
            if n[2] == recorded:
                wave = max(wave, n[4] + 1)
        open_for(trigger, draft.occur, recorded, wave, draft.hearing)
        events.append(PlannedEvent(case, len(events), draft.event, draft.occur, recorded, draft.document,
                                   draft.hearing, wave))
    lock = lock or lock_before(today)   # a limit due today runs out at midnight, not yet
    return events, lock
