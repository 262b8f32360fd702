"""The node catalogue: which case events open and complete which nodes, and how their deadlines run.

Loaded from versioned YAML and validated on load; an error names the file, the
entry and the field.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date, timedelta
from pathlib import Path

import yaml

from courtflow.case.v1.case_pb2 import CaseEvent, CaseEventType, CaseType, Procedure
from courtflow.node.v1.node_pb2 import Stage

from services.common.roles import CATALOG_ROLES, SUPERVISOR_ROLES
from services.node.periods import Period, Unit

DEFAULT_PATH = Path(__file__).with_name("catalog.yaml")
# event_date: the date of the event that opened the node; filing_date: the case's 立案日期;
# period_end: the end of `anchor_period` counted from the opening event, rolled as periods roll,
# and of every later opening event the latest (each party's appeal period runs from its own
# service, and the judgment is effective after the last one ends); node_anchor: the anchor of the
# first of `anchor_nodes` the case has (the criminal appeal's forwarding counts from the end of
# the appeal and protest periods that the effectiveness node holds).
ANCHORS = {"event_date", "filing_date", "period_end", "node_anchor"}
# due_before: a node also falls due `period` before a date the opening event names, when that is
# earlier than its own period's end (a hearing summons: three days after scheduling, but never later
# than three days before the hearing, 民事诉讼法第一百三十九条、刑事诉讼法第一百八十七条).
BEFORE_ANCHORS = {"hearing_date"}
ANY = 0  # in applies_to: every case type, or every procedure
# Case attributes a rule may select on besides type and procedure (when / unless): 涉外 (foreign-related
# cases are outside the civil limits of 民事诉讼法第一百五十二、一百八十三条, 第二百八十七条), 自诉
# (刑事诉讼法第二百一十二条第二款: six months when the defendant is not detained), 羁押.
ATTRIBUTES = ("foreign_related", "private_prosecution", "custody")

# How the catalogue marks a rule that is court management policy, not law.
COURT_POLICY_BASIS = "（法院管理规定）"
def _document_codes() -> frozenset[str]:
    """The document codes a case event may carry: CaseEvent.document's buf.validate `in` list."""
    from buf.validate import validate_pb2

    field = CaseEvent.DESCRIPTOR.fields_by_name["document"]
    return frozenset(getattr(field.GetOptions().Extensions[validate_pb2.field].string, "in"))


DOCUMENT_CODES = _document_codes()

# A case event as node rules see it: (CaseEventType, document code or "" for any document).
Trigger = tuple[int, str]
OVERDUE_ACTIONS = {"warn", "lock"}


class CatalogError(ValueError):
    pass


@dataclass(frozen=True)
class DueBefore:
    """"Due on the earlier of two dates": the rule's own period, and `period` before the date the
    opening event names as `anchor`. Not rolled: a rest day cannot shorten a minimum notice, and
    the court acts before the date, not within a period. `exempt`: (case_type, procedure) pairs the
    law exempts from the minimum (刑事诉讼法第二百一十九、二百二十四条: criminal simplified and
    fast-track procedure are not bound by the first-instance service periods)."""

    anchor: str
    period: Period
    exempt: frozenset[tuple[int, int]] = frozenset()

    def applies(self, case_type: int, procedure: int) -> bool:
        return not any(pair in self.exempt for pair in
                       ((case_type, procedure), (case_type, ANY), (ANY, procedure), (ANY, ANY)))

    def latest(self, anchors: dict[str, date]) -> date | None:
        """The last day by this form, or None when the event names no such date."""
        on = anchors.get(self.anchor)
        return None if on is None else on - timedelta(days=self.period.amount)  # a day period (load checks)


@dataclass(frozen=True)
class NodeRule:
    code: str
    display_name: str
    stage: int
    category: str
    process: str
    applies_to: frozenset[tuple[int, int]]   # (case_type, procedure); ANY matches every value
    opened_by: Trigger
    completed_by: frozenset[Trigger]
    anchor: str
    period: Period
    warning_rungs: tuple[int, ...]           # days before the due date, descending
    overdue_action: str
    responsible_role: str
    supervisors: tuple[str, ...]
    legal_basis: str
    # Checked when the case closes (S7): still open then means the step was never done, and the
    # responsible person is warned at once (the node itself stays open and runs on).
    check_at_closing: bool = False
    # Opens a node for every opening event (each hearing, each borrowing), not once per case.
    repeats: bool = False
    # A custody term (羁押期限): while the defendant is in custody it ends on its last day even
    # when that is a rest day (刑事诉讼法「期间」条). Every other period of a custody case — an
    # appeal, a service, archiving — rolls as usual (DOMAIN.md: a property of the rule).
    custody_term: bool = False
    # Whether the last day rolls over rest days (民法典第二百零三条). False where the law's period
    # is not one a party acts within but the life of a measure: a seizure or freeze must be renewed
    # before it lapses (民诉法解释第四百八十五条), and a holiday does not keep it alive.
    rollover: bool = True
    # The period the court set in the opening event's notice (CaseEvent.period_days) is the node's;
    # the catalogue's is the least the law allows, used when the event gives none (公示催告: the court
    # decides the period, not less than sixty days, 民事诉讼法公示催告程序).
    court_sets_period: bool = False
    anchor_period: Period | None = None      # anchor period_end: the other period whose end is the anchor
    anchor_nodes: tuple[str, ...] = ()       # anchor node_anchor: whose anchor this node counts from
    due_before: DueBefore | None = None      # the earlier of the period's end and a date less a period
    # Case attributes (ATTRIBUTES) that must all hold (when) or must not all hold (unless) for the rule
    # to open; an attribute not given counts as false.
    when: tuple[tuple[str, bool], ...] = ()
    unless: tuple[tuple[str, bool], ...] = ()
    # A court's setting that a check reads, not a monitored node: it opens no node, its period is
    # the value, and a court sets its own through the overrides (the minimum interval between two
    # hearings of a case, which is court policy, not law: scheduling.py).
    setting: bool = False

    @property
    def statutory(self) -> bool:
        """A period the law sets (its basis cites a law or judicial interpretation), not a court's
        own management rule: a court may hold itself to less, never give itself more."""
        return not self.legal_basis.startswith(COURT_POLICY_BASIS)

    def applies(self, case_type: int, procedure: int, attributes: Mapping[str, bool] | None = None) -> bool:
        """Whether the rule opens for such a case; `attributes` (ATTRIBUTES, absent ones false) are
        checked when given — without them, the type and procedure alone."""
        typed = any(pair in self.applies_to for pair in
                    ((case_type, procedure), (case_type, ANY), (ANY, procedure), (ANY, ANY)))
        if not typed or attributes is None:
            return typed

        def holds(condition: tuple[tuple[str, bool], ...]) -> bool:
            return all(bool(attributes.get(name, False)) is value for name, value in condition)
        return holds(self.when) and not (self.unless and holds(self.unless))

    def opens_on(self, trigger: Trigger) -> bool:
        return not self.setting and _matches(self.opened_by, trigger)

    def completed_by_event(self, trigger: Trigger) -> bool:
        return any(_matches(t, trigger) for t in self.completed_by)

    def with_court_period(self, days: int) -> NodeRule:
        """The rule as it runs for an event whose notice set `days` (court_sets_period); the law's
        least when none is given (the case service refuses a shorter one)."""
        if not self.court_sets_period or not days:
            return self
        return replace(self, period=Period(days, Unit.DAYS))


def _matches(rule_trigger: Trigger, event: Trigger) -> bool:
    return rule_trigger[0] == event[0] and rule_trigger[1] in ("", event[1])


@dataclass(frozen=True)
class Catalog:
    version: str
    rules: tuple[NodeRule, ...]

    def opened_by(self, trigger: Trigger, *, case_type: int, procedure: int,
                  attributes: Mapping[str, bool] | None = None) -> list[NodeRule]:
        """The rules a case event opens; `attributes`: the case's (ATTRIBUTES), None for an ordinary
        case (every attribute false)."""
        attributes = {} if attributes is None else attributes
        return [r for r in self.rules if r.opens_on(trigger) and r.applies(case_type, procedure, attributes)]

    def rule(self, code: str) -> NodeRule | None:
        return next((r for r in self.rules if r.code == code), None)


def load(path: Path = DEFAULT_PATH) -> Catalog:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise CatalogError(f"{path}: not valid YAML: {exc}") from None
    if not isinstance(data, dict) or "nodes" not in data or "version" not in data:
        raise CatalogError(f"{path}: needs 'version' and 'nodes'")
    if not isinstance(data["nodes"], list):
        raise CatalogError(f"{path}: 'nodes' must be a list of node entries")
    rules, seen = [], set()
    for i, entry in enumerate(data["nodes"]):
        where = f"{path}: nodes[{i}] ({entry.get('code', '?') if isinstance(entry, dict) else '?'})"
        if not isinstance(entry, dict):
            raise CatalogError(f"{where}: a node entry must be a mapping of fields")
        rule = _rule(entry, where)
        if rule.code in seen:
            raise CatalogError(f"{where}: duplicate code")
        seen.add(rule.code)
        rules.append(rule)
    by_code = {r.code: r for r in rules}
    for rule in rules:
        for code in rule.anchor_nodes:
            if code not in by_code or by_code[code].anchor not in ("period_end", "event_date", "filing_date"):
                raise CatalogError(f"{path}: {rule.code}: anchor_nodes {code!r} is not a node with its own anchor")
    return Catalog(version=str(data["version"]), rules=tuple(rules))


# What a setting (NodeRule.setting) has of a node's fields: the rest are a node's alone.
SETTING_FIELDS = {"code", "display_name", "setting", "stage", "category", "process", "period", "legal_basis"}
# A setting's node fields, fixed: it opens on nothing (the unspecified event type) and reminds nobody.
SETTING_DEFAULTS = {"applies_to": [{"case_type": "ANY", "procedure": "ANY"}], "anchor": "event_date",
                    "overdue_action": "warn", "responsible_role": "handler"}


def _rule(e: dict, where: str) -> NodeRule:
    setting = e.get("setting", False)
    if not isinstance(setting, bool):
        raise CatalogError(f"{where}: setting must be true or false")
    if setting:
        extra = sorted(set(e) - SETTING_FIELDS)
        if extra:
            raise CatalogError(f"{where}: a setting opens no node and has no {', '.join(extra)}")
        e = {**e, **SETTING_DEFAULTS}

    def need(key: str):
        if key not in e:
            raise CatalogError(f"{where}: missing '{key}'")
        return e[key]

    def enum(value: str, enum_type, prefix: str, key: str) -> int:
        try:
            number = enum_type.Value(f"{prefix}_{value}")
        except ValueError:
            number = 0
        if number == 0:  # the proto zero value means "unspecified", never a real stage or type
            raise CatalogError(f"{where}: {key} {value!r} is not a known value")
        return number

    def applicability(j: int, item) -> tuple[int, int]:
        if not isinstance(item, dict) or "case_type" not in item or "procedure" not in item:
            raise CatalogError(f"{where}: applies_to[{j}] needs 'case_type' and 'procedure'")
        return (ANY if item["case_type"] == "ANY" else enum(item["case_type"], CaseType, "CASE_TYPE", "case_type"),
                ANY if item["procedure"] == "ANY" else enum(item["procedure"], Procedure, "PROCEDURE", "procedure"))

    def trigger(key: str, item) -> Trigger:
        if not isinstance(item, dict) or "event" not in item:
            raise CatalogError(f"{where}: {key} needs 'event' (and for DOCUMENT_SERVED, 'document')")
        document = str(item.get("document", ""))
        if document not in DOCUMENT_CODES:
            # A document no case event can name would never complete the node: the list is the
            # case API's (CaseEvent.document), which court systems send.
            raise CatalogError(f"{where}: {key}.document {document!r} is not a document code of CaseEvent.document")
        return (enum(item["event"], CaseEventType, "CASE_EVENT_TYPE", f"{key}.event"), document)

    period_text = str(need("period"))
    try:
        period = Period.parse(period_text)
    except ValueError as exc:
        raise CatalogError(f"{where}: period: {exc}") from None
    try:
        rungs = tuple(sorted({int(r) for r in e.get("warning_rungs", [])}, reverse=True))
    except (TypeError, ValueError):
        raise CatalogError(f"{where}: warning_rungs {e.get('warning_rungs')!r} must be whole numbers of days") from None
    if any(r <= 0 for r in rungs):
        raise CatalogError(f"{where}: warning_rungs must be positive day counts")
    if any(r >= period.shortest_days for r in rungs):
        # a warning that many days before the due date would fire the moment the node opens
        raise CatalogError(f"{where}: warning_rungs {list(rungs)} must be fewer days than the period {period}")
    for key, allowed, value in (("anchor", ANCHORS, need("anchor")),
                                ("overdue_action", OVERDUE_ACTIONS, need("overdue_action")),
                                ("responsible_role", CATALOG_ROLES, need("responsible_role"))):
        if value not in allowed:
            raise CatalogError(f"{where}: {key} {value!r} must be one of {sorted(allowed)}")
    supervisors = e.get("supervisors", [])
    if not isinstance(supervisors, list) or any(s not in SUPERVISOR_ROLES for s in supervisors):
        raise CatalogError(f"{where}: supervisors {supervisors!r} must be a list of {sorted(SUPERVISOR_ROLES)}")
    applies = frozenset(applicability(j, a) for j, a in enumerate(need("applies_to")))
    anchor_period, anchor_nodes = None, ()
    if e["anchor"] == "period_end":
        try:
            anchor_period = Period.parse(str(e.get("anchor_period")))
        except ValueError as exc:
            raise CatalogError(f"{where}: anchor period_end needs anchor_period: {exc}") from None
    elif "anchor_period" in e:
        raise CatalogError(f"{where}: anchor_period belongs to anchor period_end")
    if e["anchor"] == "node_anchor":
        anchor_nodes = e.get("anchor_nodes")
        if not isinstance(anchor_nodes, list) or not anchor_nodes or not all(isinstance(c, str) for c in anchor_nodes):
            raise CatalogError(f"{where}: anchor node_anchor needs anchor_nodes, a list of node codes")
        anchor_nodes = tuple(anchor_nodes)
    elif "anchor_nodes" in e:
        raise CatalogError(f"{where}: anchor_nodes belongs to anchor node_anchor")

    due_before = None
    if "due_before" in e:
        form = e["due_before"]
        if not isinstance(form, dict) or form.get("anchor") not in BEFORE_ANCHORS:
            raise CatalogError(f"{where}: due_before needs anchor, one of {sorted(BEFORE_ANCHORS)}, and period")
        try:
            before = Period.parse(str(form.get("period")))
        except ValueError as exc:
            raise CatalogError(f"{where}: due_before.period: {exc}") from None
        if before.unit is not Unit.DAYS:
            raise CatalogError(f"{where}: due_before.period counts days (N d), got {before}")
        exempt = form.get("exempt", [])
        if not isinstance(exempt, list):
            raise CatalogError(f"{where}: due_before.exempt must be a list of case_type/procedure pairs")
        due_before = DueBefore(anchor=form["anchor"], period=before,
                               exempt=frozenset(applicability(j, a) for j, a in enumerate(exempt)))

    conditions = {}
    for key in ("when", "unless"):
        condition = e.get(key, {})
        if not isinstance(condition, dict) or any(name not in ATTRIBUTES or not isinstance(value, bool)
                                                  for name, value in condition.items()):
            raise CatalogError(f"{where}: {key} must map case attributes {list(ATTRIBUTES)} to true or false")
        conditions[key] = tuple(sorted(condition.items()))

    completed_by = frozenset(trigger(f"completed_by[{j}]", c) for j, c in enumerate(e.get("completed_by", [])))
    flags = {}
    for flag, default in (("check_at_closing", False), ("repeats", False), ("custody_term", False),
                          ("rollover", True), ("court_sets_period", False)):
        flags[flag] = e.get(flag, default)
        if not isinstance(flags[flag], bool):
            raise CatalogError(f"{where}: {flag} must be true or false")
    return NodeRule(code=str(need("code")), display_name=str(need("display_name")),
                    stage=enum(need("stage"), Stage, "STAGE", "stage"), category=str(need("category")),
                    process=str(need("process")), applies_to=applies,
                    opened_by=(0, "") if setting else trigger("opened_by", need("opened_by")), setting=setting,
                    completed_by=completed_by,
                    anchor=need("anchor"), anchor_period=anchor_period, anchor_nodes=anchor_nodes,
                    due_before=due_before, **conditions,
                    period=period, warning_rungs=rungs,
                    overdue_action=need("overdue_action"), responsible_role=need("responsible_role"),
                    supervisors=tuple(supervisors), legal_basis=str(need("legal_basis")),
                    **flags)
