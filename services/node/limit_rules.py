"""The time-limit change rules as they apply in one court (ListTimeLimitRules), for the forms that
show what the rules allow before an application is made.

The rules themselves (time_limits.yaml) hold in every court; what differs by court is the limit's
period, which a court's overrides change (overrides.py), and who a "higher court" is: for a node
of the high court it is the supreme court (time_limits.required_level).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from courtflow.common.v1.caller_pb2 import Caller

from services.common.uow import UnitOfWork
from services.node import court_rules
from services.node.catalog import Catalog
from services.node.periods import Period
from services.node.time_limits import HIGH_COURT_ID_LENGTH, DeductionReason, Level, Step, TimeLimitRules


@dataclass(frozen=True)
class Limit:
    node_type: str
    display_name: str
    period: Period
    steps: tuple[Step, ...]     # approvers as they are in the court


@dataclass(frozen=True)
class CourtLimitRules:
    version: str
    limits: list[Limit]                 # catalogue order
    approvers: dict[int, Level]         # ApplicationKind → level, extensions apart
    reasons: list[DeductionReason]


def in_court(level: Level, court: str) -> Level:
    """The level that approves for a node of `court`: above the high court is the supreme court."""
    if level in (Level.HIGHER_COURT, Level.HIGH_COURT) and len(court) <= HIGH_COURT_ID_LENGTH:
        return Level.SUPREME_COURT
    return level


def list_time_limit_rules(uow_factory: Callable[[], UnitOfWork], *, caller: Caller, catalog: Catalog,
                          rules: TimeLimitRules, court: str) -> CourtLimitRules:
    """Within the caller's scope, like the node rules they are read with (court_rules.list_rules)."""
    effective = {e.rule.code: e.rule for e in court_rules.list_rules(
        uow_factory, caller=caller, catalog=catalog, court=court, stage=None, category=None, overridden=None)}
    limits = [Limit(node_type=code, display_name=rule.display_name, period=rule.period,
                    steps=tuple(Step(approver=in_court(s.approver, court), max=s.max, lead_days=s.lead_days, to=s.to)
                                for s in rules.extensions[code]))
              for code, rule in effective.items() if rules.is_time_limit(code)]
    return CourtLimitRules(version=rules.version, limits=limits,
                           approvers={kind: in_court(level, court) for kind, level in rules.approvers.items()},
                           reasons=list(rules.reasons.values()))
