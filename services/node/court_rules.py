"""Use cases of per-court rules (R4) and stage views (P2): reading the rules in force in a court,
overriding them, re-evaluating running nodes explicitly, and choosing which node categories each
stage shows. Keyword-only; they raise domain errors."""
from __future__ import annotations

import uuid
from typing import Callable

from courtflow.audit.v1.audit_pb2 import AuditResult
from courtflow.common.v1.caller_pb2 import Caller
from courtflow.node.v1.node_pb2 import Stage

from services.common import scope
from services.common.audit import record_operation
from services.common.errors import invalid_field
from services.common.names import NodeRuleName, StageViewName
from services.common.uow import UnitOfWork
from services.node import repository
from services.node.calendars import CalendarStore
from services.node.catalog import OVERDUE_ACTIONS, Catalog
from services.node.convert import stage_slug
from services.node.errors import OutOfScope, RuleNotFound, StageNotFound
from services.node.overrides import Effective, court_chain, effective
from services.node.periods import Period, Unit
from services.node.service import reschedule
from services.node.time_limits import TimeLimitRules

UPDATE_RULE = "/courtflow.node.v1.NodeService/UpdateNodeRule"
REEVALUATE = "/courtflow.node.v1.NodeService/ReevaluateNodeRule"
UPDATE_STAGE_VIEW = "/courtflow.node.v1.NodeService/UpdateStageView"
REEVALUATE_BATCH = 500
RULE_FIELDS = ("period", "warning_rungs", "overdue_action")


def _require_manager(caller: Caller, court: str) -> None:
    """Rules of a court are set by those who see all of it: its trial management office, or a
    higher court's (a high court override holds in the whole province)."""
    if not scope.sees_whole_court(caller, court):
        raise OutOfScope(f"仅本院及上级法院的审管办可以设置法院 {court} 的节点规则")


def get_rule(uow_factory: Callable[[], UnitOfWork], *, caller: Caller, catalog: Catalog, court: str,
             code: str) -> Effective:
    scope.require_court(caller, court)
    rule = _rule(catalog, court, code)
    with uow_factory() as uow:
        return effective(rule, court, repository.overrides_in(uow.session, court))


def list_rules(uow_factory: Callable[[], UnitOfWork], *, caller: Caller, catalog: Catalog, court: str,
               stage: int | None, category: str | None, overridden: bool | None) -> list[Effective]:
    scope.require_court(caller, court)
    with uow_factory() as uow:
        found = repository.overrides_in(uow.session, court)
    rules = [effective(r, court, found) for r in catalog.rules]
    return [e for e in rules if (stage is None or e.rule.stage == stage)
            and (category is None or e.rule.category == category)
            and (overridden is None or e.overridden == overridden)]


def update_rule(uow_factory: Callable[[], UnitOfWork], *, caller: Caller, catalog: Catalog, limits: TimeLimitRules,
                court: str, code: str, fields: dict) -> Effective:
    """Set the masked fields of the court's override. `fields` maps each masked field to its new
    value (period text, list of rungs, "warn"/"lock")."""
    scope.require_court(caller, court)
    _require_manager(caller, court)
    rule = _rule(catalog, court, code)
    values = _checked(rule, limits, fields)
    with uow_factory() as uow:
        repository.save_override(uow.session, court=court, code=code, values=values, user=caller.user,
                                 now=uow.clock.now())
        record_operation(uow, reporter="node", caller=caller, action=UPDATE_RULE,
                         resource=str(NodeRuleName(court, code)), result=AuditResult.AUDIT_RESULT_SUCCEEDED)
        result = effective(rule, court, repository.overrides_in(uow.session, court))
        # Checked on what will be in force, since the period and the rungs may be set apart.
        period = result.rule.period
        late = [r for r in result.rule.warning_rungs if r >= period.shortest_days]
        if late:
            raise invalid_field("node_rule.warning_rungs", f"预警天数 {late} 须少于期间「{period.label}」的最少天数"
                                f"（{period.shortest_days} 日），否则节点一开启即预警")
        uow.commit()
        return result


def _checked(rule, limits: TimeLimitRules, fields: dict) -> dict:
    if not fields:
        raise invalid_field("update_mask", f"至少指定 {', '.join(RULE_FIELDS)} 之一")
    values = {}
    for field, value in fields.items():
        if field not in RULE_FIELDS:
            raise invalid_field("update_mask", f"{field} 不可修改；可修改：{', '.join(RULE_FIELDS)}")
        if rule.setting and field != "period":
            # A setting opens no node: nothing to warn of or lock (catalog.py NodeRule.setting).
            raise invalid_field("update_mask", f"「{rule.display_name}」是本院设置，不开启节点，只能修改 period")
        if field == "period":
            try:
                period = Period.parse(value)
            except ValueError as exc:
                raise invalid_field("node_rule.period", str(exc)) from None
            if rule.setting and period.unit is not Unit.DAYS:
                raise invalid_field("node_rule.period", f"「{rule.display_name}」以日计（如 7d），不能为{period.label}")
            if limits.is_time_limit(rule.code) and period.unit != rule.period.unit:
                # Extension steps and their maximums are written in the limit's own unit.
                raise invalid_field("node_rule.period", f"审理期限「{rule.display_name}」的计算单位须与目录一致（{rule.period}）")
            if rule.statutory and not period.never_longer_than(rule.period):
                # The law's period is the law's: a court may set itself a shorter internal target
                # (院内管理期限), but cannot give its nodes more time than the law allows.
                raise invalid_field("node_rule.period", f"「{rule.display_name}」是法定期间（{rule.period.label}），"
                                    f"本院只能设定更短的管理期限，不能延长为{period.label}")
            values["period"] = str(period)
        elif field == "warning_rungs":
            if len(set(value)) != len(value):
                raise invalid_field("node_rule.warning_rungs", "预警天数不能重复")
            values["warning_rungs"] = sorted(value, reverse=True)
        else:
            if value not in OVERDUE_ACTIONS:
                raise invalid_field("node_rule.overdue_action", "须为 WARN 或 LOCK")
            values["overdue_action"] = value
    return values


def reevaluate(uow_factory: Callable[[], UnitOfWork], *, caller: Caller, catalog: Catalog,
               calendars: CalendarStore, court: str, code: str) -> tuple[Effective, int, int]:
    """Give the running nodes of `code` in `court` and the courts below it the rule in force for
    their own court, in batches; each keeps its extensions, deductions and suspension."""
    scope.require_court(caller, court)
    _require_manager(caller, court)
    rule = _rule(catalog, court, code)
    reevaluated = changed = 0
    after = uuid.UUID(int=0)
    while True:
        with uow_factory() as uow:
            ids = repository.running_node_ids(uow.session, code=code, court_prefix=court, after=after,
                                              limit=REEVALUATE_BATCH)
            if not ids:
                break
            after = ids[-1]
            repository.lock_clocks(uow.session, ids)
            calendar = calendars.current(uow.session)
            in_force: dict[str, Effective] = {}
            for node in repository.nodes_for_update(uow.session, ids):
                if node.court not in in_force:
                    in_force[node.court] = effective(rule, node.court,
                                                     repository.overrides_in(uow.session, node.court))
                now_rule = in_force[node.court].rule
                inputs = (str(now_rule.period), list(now_rule.warning_rungs), now_rule.overdue_action,
                          now_rule.legal_basis)
                if (node.period, list(node.warning_rungs), node.overdue_action, node.legal_basis) == inputs:
                    continue
                node.period, node.warning_rungs, node.overdue_action, node.legal_basis = inputs
                previous = reschedule(uow, node, calendar, reason=f"规则重新评估（{now_rule.display_name}：{now_rule.period}）")
                reevaluated += 1
                changed += previous != node.due_date
            uow.commit()
    with uow_factory() as uow:
        record_operation(uow, reporter="node", caller=caller, action=REEVALUATE,
                         resource=str(NodeRuleName(court, code)), result=AuditResult.AUDIT_RESULT_SUCCEEDED)
        result = effective(rule, court, repository.overrides_in(uow.session, court))
        uow.commit()
    return result, reevaluated, changed


def _rule(catalog: Catalog, court: str, code: str):
    rule = catalog.rule(code)
    if rule is None:
        raise RuleNotFound(f"节点规则 {NodeRuleName(court, code)} 不存在（目录 {catalog.version}）")
    return rule


def categories_by_stage(catalog: Catalog) -> dict[int, list[str]]:
    """Each stage's categories of nodes in catalogue order (a setting opens no node: nothing to show)."""
    found: dict[int, list[str]] = {s: [] for s in Stage.values() if s}
    for r in catalog.rules:
        if not r.setting and r.category not in found[r.stage]:
            found[r.stage].append(r.category)
    return found


def list_stage_views(uow_factory: Callable[[], UnitOfWork], *, caller: Caller, catalog: Catalog,
                     court: str) -> list[tuple[int, list[str], list[str], str]]:
    """(stage, categories shown, categories available, court whose choice holds) per stage."""
    scope.require_court(caller, court)
    chain = court_chain(court)
    with uow_factory() as uow:
        rows = repository.stage_views(uow.session, chain)
    views = []
    for stage, available in categories_by_stage(catalog).items():
        mine = sorted((r for r in rows if r.stage == stage), key=lambda r: chain.index(r.court))
        if mine:
            # A category the catalogue no longer has is not shown, whatever the stored choice says.
            views.append((stage, [c for c in mine[0].categories if c in available], available, mine[0].court))
        else:
            views.append((stage, available, available, ""))
    return views


def update_stage_view(uow_factory: Callable[[], UnitOfWork], *, caller: Caller, catalog: Catalog, court: str,
                      stage: int, categories: list[str]) -> tuple[int, list[str], list[str], str]:
    scope.require_court(caller, court)
    _require_manager(caller, court)
    available = categories_by_stage(catalog).get(stage)
    if available is None:
        raise StageNotFound(f"阶段 {stage} 不存在")
    for i, c in enumerate(categories):
        if c not in available:
            raise invalid_field(f"stage_view.categories[{i}]", f"「{c}」不是该阶段的节点类别；可选：{'、'.join(available)}")
    if len(set(categories)) != len(categories):
        raise invalid_field("stage_view.categories", "节点类别不能重复")
    if not categories:
        # An empty view would hide the whole stage, its overdue nodes included, from the leaders.
        raise invalid_field("stage_view.categories", f"每个阶段至少显示一个节点类别；可选：{'、'.join(available)}")
    with uow_factory() as uow:
        repository.save_stage_view(uow.session, court=court, stage=stage, categories=categories, user=caller.user,
                                   now=uow.clock.now())
        record_operation(uow, reporter="node", caller=caller, action=UPDATE_STAGE_VIEW,
                         resource=str(StageViewName(court, stage_slug(stage))),
                         result=AuditResult.AUDIT_RESULT_SUCCEEDED)
        uow.commit()
    return stage, categories, available, court
