"""Time-limit change rules (S4, S6, S11): who approves what, what the rules allow, and the
supervision warnings an application or an approval earns. Pure: no I/O, no clock.

The rules are versioned data (time_limits.yaml), validated on load against the node catalogue;
errors name the file and the entry. Warnings never block: an application beyond the rules or an
approval beyond authority is recorded and shown (S6), because the decision is the court's and
CourtFlow's part is to make it visible.
"""
from __future__ import annotations

from calendar import monthrange
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import IntEnum
from pathlib import Path

import yaml

from courtflow.common.v1.caller_pb2 import Caller, Role
from courtflow.node.v1.node_pb2 import ApplicationKind

from services.common.labels import APPLICATION_KINDS
from services.node.catalog import Catalog
from services.node.periods import Period, Unit

DEFAULT_PATH = Path(__file__).with_name("time_limits.yaml")
K = ApplicationKind


class Level(IntEnum):
    """Approver levels, lowest first."""

    DIVISION_HEAD = 1
    VICE_PRESIDENT = 2
    PRESIDENT = 3
    HIGHER_COURT = 4
    HIGH_COURT = 5
    SUPREME_COURT = 6

    @property
    def label(self) -> str:
        return _LEVEL_LABELS[self]


_LEVEL_LABELS = {Level.DIVISION_HEAD: "本庭庭长", Level.VICE_PRESIDENT: "分管院领导", Level.PRESIDENT: "本院院长",
                 Level.HIGHER_COURT: "上一级人民法院", Level.HIGH_COURT: "高级人民法院",
                 Level.SUPREME_COURT: "最高人民法院"}
_KIND_KEYS = {"suspension": K.APPLICATION_KIND_SUSPENSION, "resumption": K.APPLICATION_KIND_RESUMPTION,
              "deduction": K.APPLICATION_KIND_DEDUCTION, "unlock": K.APPLICATION_KIND_UNLOCK,
              "hearing_exception": K.APPLICATION_KIND_HEARING_EXCEPTION}
# Kinds that change no clock: no second-change or material warnings, no change count.
NOT_CLOCK_CHANGES = (K.APPLICATION_KIND_UNLOCK, K.APPLICATION_KIND_RESUMPTION, K.APPLICATION_KIND_HEARING_EXCEPTION)
HIGH_COURT_ID_LENGTH = 2  # court ids nest by prefix: 44 high court, 4401 intermediate, 440101 basic


class TimeLimitRulesError(ValueError):
    pass


@dataclass(frozen=True)
class Step:
    approver: Level
    max: Period | None
    lead_days: int
    # The length the limit is extended *to*, counted from its anchor (刑事诉讼法第二百二十条:
    # 二十日，可以延长至一个半月), not by; the application names that length.
    to: Period | None = None


@dataclass(frozen=True)
class DeductionReason:
    code: str
    label: str
    max: Period | None
    # The limit is counted again from the span's end (刑事诉讼法第二百零八条第三款), not moved by it.
    restarts: bool = False


@dataclass(frozen=True)
class TimeLimitRules:
    version: str
    extensions: dict[str, tuple[Step, ...]]   # node code → steps; a code absent here is no time limit
    approvers: dict[int, Level]                # ApplicationKind → level, for all but extensions
    reasons: dict[str, DeductionReason]

    def is_time_limit(self, node_type: str) -> bool:
        return node_type in self.extensions


@dataclass(frozen=True)
class Warning:
    code: str
    message: str


@dataclass(frozen=True)
class ClockFacts:
    """What the rules look at: the node's clock as it stands and the application's own terms."""

    node_type: str
    node_court: str
    due_date: date
    approved_extensions: int
    change_count: int
    kind: int
    today: date
    extension: Period | None = None
    start: date | None = None
    end: date | None = None
    reason_code: str = ""
    materials: tuple[str, ...] = field(default_factory=tuple)


def required_level(rules: TimeLimitRules, facts: ClockFacts) -> Level:
    if facts.kind == K.APPLICATION_KIND_EXTENSION:
        step = extension_step(rules, facts)
        level = step.approver if step else Level.SUPREME_COURT
    else:
        level = rules.approvers[facts.kind]
    # A higher court's approval for a node tried at the high court is the SPC's.
    if level in (Level.HIGHER_COURT, Level.HIGH_COURT) and len(facts.node_court) <= HIGH_COURT_ID_LENGTH:
        return Level.SUPREME_COURT
    return level


def extension_step(rules: TimeLimitRules, facts: ClockFacts) -> Step | None:
    steps = rules.extensions.get(facts.node_type, ())
    if not steps:
        return None
    if facts.approved_extensions < len(steps):
        return steps[facts.approved_extensions]
    # Only an open-ended step repeats; a step "to" a length extends once (a second would add nothing).
    return steps[-1] if steps[-1].max is None and steps[-1].to is None else None


def application_warnings(rules: TimeLimitRules, facts: ClockFacts) -> list[Warning]:
    """The warnings an application earns when it is made (S4, S6)."""
    found: list[Warning] = []
    # A resumption ends a suspension already counted as a change; unlocks and hearing exceptions
    # change no clock.
    if facts.kind not in NOT_CLOCK_CHANGES:
        if facts.change_count >= 1:
            found.append(Warning("SECOND_CHANGE", f"该期限已经变更{facts.change_count}次，本次为第{facts.change_count + 1}次变更"))
        if not facts.materials:
            found.append(Warning("MISSING_MATERIAL", f"{APPLICATION_KINDS[facts.kind]}申请未附证明材料"))
    if facts.kind == K.APPLICATION_KIND_EXTENSION:
        found += _extension_warnings(rules, facts)
    elif facts.kind == K.APPLICATION_KIND_DEDUCTION:
        found += _deduction_warnings(rules, facts)
    if facts.kind in (K.APPLICATION_KIND_DEDUCTION, K.APPLICATION_KIND_SUSPENSION) and facts.today > facts.due_date:
        found.append(Warning("LATE_APPLICATION", f"期限已于 {facts.due_date} 届满，{APPLICATION_KINDS[facts.kind]}申请在届满后提出"))
    return found


def _extension_warnings(rules: TimeLimitRules, facts: ClockFacts) -> list[Warning]:
    found = []
    step = extension_step(rules, facts)
    steps = rules.extensions.get(facts.node_type, ())
    if not steps:
        found.append(Warning("EXCEEDS_RULES", "依照规定，该期限不得延长"))
    elif step is None:
        found.append(Warning("EXCEEDS_RULES", f"依照规定，该期限至多延长{len(steps)}次，本次延长超出规定"))
    elif step.max is not None and facts.extension is not None and not _within(facts.extension, step.max):
        found.append(Warning("EXCEEDS_RULES", f"申请延长{facts.extension.label}，超过规定的{step.max.label}"))
    elif step.to is not None and facts.extension is not None and not _within(facts.extension, step.to):
        found.append(Warning("EXCEEDS_RULES", f"申请延长至{facts.extension.label}，超过规定的{step.to.label}"))
    lead = step.lead_days if step else (steps[-1].lead_days if steps else 0)
    latest = facts.due_date - timedelta(days=lead)
    if facts.today > facts.due_date:
        found.append(Warning("LATE_APPLICATION", f"期限已于 {facts.due_date} 届满，延长申请在届满后提出"))
    elif lead and facts.today > latest:
        found.append(Warning("LATE_APPLICATION",
                             f"延长申请应当在期限届满{lead}日前（{latest} 前）提出，实际提出日 {facts.today}"))
    return found


def _deduction_warnings(rules: TimeLimitRules, facts: ClockFacts) -> list[Warning]:
    reason = rules.reasons[facts.reason_code]
    if reason.max is None or facts.start is None or facts.end is None:
        return []
    longest = _span_end(facts.start, reason.max)
    if facts.end > longest:
        return [Warning("EXCEEDS_RULES", f"扣除事由「{reason.label}」至多扣除{reason.max.label}（{facts.start} 至 {longest}），"
                                         f"申请扣除至 {facts.end}")]
    return []


def approval_warnings(rules: TimeLimitRules, facts: ClockFacts, approver: Level) -> list[Warning]:
    required = required_level(rules, facts)
    if approver < required:
        return [Warning("BEYOND_AUTHORITY", f"依照规定应由{required.label}批准，实际由{approver.label}批准，超出审批权限")]
    if required <= Level.PRESIDENT < approver:
        # Authority is by court as well as rank: a higher court's president is not 本院院长, and
        # the law gives the first extension to the case's own court (民事诉讼法 审限延长).
        return [Warning("BEYOND_AUTHORITY", f"依照规定应由{required.label}批准，实际由{approver.label}批准，"
                                            "不是本院的审批权限")]
    return []


def unextended(rules: TimeLimitRules, facts: ClockFacts, approver: Level) -> Warning | None:
    """Why an approved extension leaves the statutory limit where it was, or None when it moves it.
    The procedure laws give the power to extend to a named authority (民事诉讼法第一百五十二、一百六十四、
    一百八十三条，行政诉讼法第八十一、八十八条，刑事诉讼法第二百零八、二百四十三条) and no more than
    they allow: an approval below that authority, or of an extension the law does not allow, is
    recorded with its warning and changes no date until an approver with the authority approves."""
    if facts.kind != K.APPLICATION_KIND_EXTENSION:
        return None
    if extension_step(rules, facts) is None:
        return Warning("LIMIT_NOT_EXTENDED", "依照规定该期限不得（再）延长，批准不改变法定期限，届满日不变")
    if approval_warnings(rules, facts, approver):
        required = required_level(rules, facts)
        return Warning("LIMIT_NOT_EXTENDED", f"超出审批权限的批准不延长法定期限，届满日不变；须经{required.label}批准")
    return None


def approver_level(caller: Caller, *, node_court: str, node_department: str) -> Level | None:
    """The caller's approval level for a node of `node_court`, or None: no approval power there."""
    if caller.court == node_court:
        if caller.role == Role.ROLE_DIVISION_HEAD:
            return Level.DIVISION_HEAD if caller.department == node_department else None
        return {Role.ROLE_VICE_PRESIDENT: Level.VICE_PRESIDENT, Role.ROLE_PRESIDENT: Level.PRESIDENT}.get(caller.role)
    if caller.role in (Role.ROLE_PRESIDENT, Role.ROLE_VICE_PRESIDENT) and caller.court and \
            node_court.startswith(caller.court) and len(caller.court) < len(node_court):
        return Level.HIGH_COURT if len(caller.court) <= HIGH_COURT_ID_LENGTH else Level.HIGHER_COURT
    return None


def _within(amount: Period, limit: Period) -> bool:
    # Days against months: compared with the longest month the amount and the shortest the limit
    # could mean (31 and 28 days each); a compound "1m15d" by its months, then its days.
    return amount.never_longer_than(limit)


def _span_end(start: date, limit: Period) -> date:
    """The last day a span starting on `start` may reach: `limit` counted like a period (§1)."""
    if limit.unit is Unit.DAYS:
        return start + timedelta(days=limit.amount)
    index = start.month - 1 + limit.amount
    year, month = start.year + index // 12, index % 12 + 1
    return date(year, month, min(start.day, monthrange(year, month)[1])) + timedelta(days=limit.days)


def load(catalog: Catalog, path: Path = DEFAULT_PATH) -> TimeLimitRules:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise TimeLimitRulesError(f"{path}: not valid YAML: {exc}") from None
    if not isinstance(data, dict) or not {"version", "defaults", "deduction_reasons", "limits"} <= data.keys():
        raise TimeLimitRulesError(f"{path}: needs 'version', 'defaults', 'deduction_reasons' and 'limits'")

    def level(value, where: str) -> Level:
        try:
            return Level[str(value).upper()]
        except KeyError:
            raise TimeLimitRulesError(f"{path}: {where}: approver {value!r} must be one of "
                                      f"{[lv.name.lower() for lv in Level]}") from None

    def period(value, where: str, key: str = "max") -> Period | None:
        if value is None:
            return None
        try:
            p = Period.parse(str(value))
        except ValueError as exc:
            raise TimeLimitRulesError(f"{path}: {where}: {key}: {exc}") from None
        if p.unit not in (Unit.DAYS, Unit.MONTHS):
            raise TimeLimitRulesError(f"{path}: {where}: {key} must count days or months, got {value!r}")
        return p

    approvers = {}
    for key, kind in _KIND_KEYS.items():
        entry = data["defaults"].get(key)
        if not isinstance(entry, dict) or "approver" not in entry:
            raise TimeLimitRulesError(f"{path}: defaults.{key}: needs 'approver'")
        approvers[kind] = level(entry["approver"], f"defaults.{key}")
    reasons = {}
    for code, entry in (data["deduction_reasons"] or {}).items():
        if not isinstance(entry, dict) or not entry.get("label"):
            raise TimeLimitRulesError(f"{path}: deduction_reasons.{code}: needs 'label'")
        restarts = entry.get("restarts", False)
        if not isinstance(restarts, bool):
            raise TimeLimitRulesError(f"{path}: deduction_reasons.{code}: restarts must be true or false")
        reasons[code] = DeductionReason(code=code, label=str(entry["label"]),
                                        max=period(entry.get("max"), f"deduction_reasons.{code}"), restarts=restarts)
    extensions = {}
    for code, entry in (data["limits"] or {}).items():
        where = f"limits.{code}"
        rule = catalog.rule(code)
        if rule is None:
            raise TimeLimitRulesError(f"{path}: {where}: no node '{code}' in catalogue {catalog.version}")
        if rule.period.unit is Unit.WORKING_DAYS:
            raise TimeLimitRulesError(f"{path}: {where}: a working-day period cannot be a changeable time limit")
        if not isinstance(entry, dict) or not isinstance(entry.get("extensions"), list):
            raise TimeLimitRulesError(f"{path}: {where}: needs 'extensions' (a list, [] when none is allowed)")
        steps = []
        for i, step in enumerate(entry["extensions"]):
            w = f"{where}.extensions[{i}]"
            if not isinstance(step, dict) or "approver" not in step:
                raise TimeLimitRulesError(f"{path}: {w}: needs 'approver'")
            lead = step.get("lead_days", 0)
            if not isinstance(lead, int) or isinstance(lead, bool) or lead < 0:
                raise TimeLimitRulesError(f"{path}: {w}: lead_days must be a whole number of days >= 0")
            limit = period(step.get("max"), w)
            if limit is not None and rule.period.unit is Unit.DAYS and limit.unit is Unit.MONTHS:
                raise TimeLimitRulesError(f"{path}: {w}: a day limit is extended by days, not months")
            to = period(step.get("to"), w, "to")
            if to is not None and (limit is not None or not rule.period.never_longer_than(to) or to == rule.period):
                raise TimeLimitRulesError(f"{path}: {w}: to (the length extended to) must be longer than the "
                                          f"limit {rule.period} and stands instead of max")
            steps.append(Step(approver=level(step["approver"], w), max=limit, lead_days=lead, to=to))
        extensions[code] = tuple(steps)
    return TimeLimitRules(version=str(data["version"]), extensions=extensions, approvers=approvers, reasons=reasons)
