"""Per-court rules (R4): a catalogue rule as it applies in one court. Pure: no I/O.

Overrides nest like the courts: one set at the high court (44) holds in every court of the
province, one at an intermediate court (4401) in its region, one at a basic court (440101) there
only. Each field resolves on its own: the most specific court that sets it wins, then the
catalogue. An override applies to nodes opened afterwards; running nodes keep the inputs they
were opened with until an explicit re-evaluation (DOMAIN §6).
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Iterable

from services.node.catalog import NodeRule
from services.node.periods import Period

COURT_LEVEL_DIGITS = 2  # court ids nest by prefix: 44, 4401, 440101


@dataclass(frozen=True)
class Override:
    court: str
    code: str
    period: Period | None
    warning_rungs: tuple[int, ...] | None
    overdue_action: str | None
    update_user: str
    update_time: datetime


@dataclass(frozen=True)
class Effective:
    rule: NodeRule                    # the catalogue rule with the overrides applied
    default: NodeRule                 # the catalogue's own
    override: Override | None         # the most specific override that sets anything, if any

    @property
    def overridden(self) -> bool:
        return self.override is not None


def court_chain(court: str) -> list[str]:
    """The court and the courts above it, most specific first: 440101 → 440101, 4401, 44."""
    return [court[:n] for n in range(len(court), COURT_LEVEL_DIGITS - 1, -COURT_LEVEL_DIGITS)]


def effective(rule: NodeRule, court: str, overrides: Iterable[Override]) -> Effective:
    """`overrides` may hold any courts' rows for this rule; those above or at `court` count."""
    chain = court_chain(court)
    mine = sorted((o for o in overrides if o.code == rule.code and o.court in chain),
                  key=lambda o: chain.index(o.court))
    if not mine:
        return Effective(rule=rule, default=rule, override=None)

    def first(field: str):
        return next((getattr(o, field) for o in mine if getattr(o, field) is not None), None)

    period, rungs, action = first("period"), first("warning_rungs"), first("overdue_action")
    applied = replace(rule, period=period or rule.period,
                      warning_rungs=tuple(sorted(set(rungs), reverse=True)) if rungs is not None else rule.warning_rungs,
                      overdue_action=action or rule.overdue_action)
    if applied.period != rule.period:
        # The basis quoted beside the date must say which period was counted: a court's own
        # target is not the law's (or the catalogue's), and the explanation must not read as if.
        source = "法定期间" if rule.statutory else "目录期间"
        applied = replace(applied, legal_basis=f"{rule.legal_basis}（本院管理期限：{applied.period.label}；"
                                               f"{source}：{rule.period.label}）")
    return Effective(rule=applied, default=rule, override=mine[0])
