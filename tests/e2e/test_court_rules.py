"""Per-court rules (R4) and stage views (P2), end to end through the gateway: a court's trial
management office overrides a catalogue rule for itself (and a higher court's for its region);
new nodes follow at once, running ones only after an explicit, audited re-evaluation."""
from __future__ import annotations

import re
from datetime import date, datetime

import grpc
import pytest
import yaml
from google.protobuf.field_mask_pb2 import FieldMask

from courtflow.audit.v1 import audit_service_pb2 as aus
from courtflow.node.v1 import node_pb2, node_service_pb2 as ns

from services.common.clock import LEGAL_TZ
from services.common.errors import details_of
from support import AUDITOR, COURT, JUDGE, SLICE_TIME_LIMITS, eventually

from .conftest import audit_records, file_case, ymd

pytestmark = pytest.mark.timeout(240)
START = datetime(2026, 3, 4, 10, 0, tzinfo=LEGAL_TZ)  # Wednesday
TM = "trial_management.440101"
REGION_TM = "trial_management.4401"
NEIGHBOUR_TM = "trial_management.440102"
SERVE = f"courts/{COURT}/nodeRules/serve_complaint_copy"


@pytest.fixture(scope="module")
def cf(start_system):
    return start_system("court-rules", clock=START)


def serve_node(cf, case: str) -> node_pb2.Node:
    def found():
        nodes = cf.nodes.ListNodes(ns.ListNodesRequest(parent=case, filter='node_type = "serve_complaint_copy"'),
                                   metadata=cf.md(JUDGE)).nodes
        return nodes[0] if nodes else None
    return eventually(found, what="serve_complaint_copy opened")


def update(cf, user: str, rule: node_pb2.NodeRule, *paths: str) -> node_pb2.NodeRule:
    return cf.nodes.UpdateNodeRule(ns.UpdateNodeRuleRequest(node_rule=rule, update_mask=FieldMask(paths=list(paths))),
                                   metadata=cf.md(user)).node_rule


def rule(cf, name: str = SERVE, user: str = JUDGE) -> node_pb2.NodeRule:
    return cf.nodes.GetNodeRule(ns.GetNodeRuleRequest(name=name), metadata=cf.md(user)).node_rule


def test_overrides_nest_by_court_and_apply_to_new_nodes_then_by_reevaluation(cf):
    cf.set_clock(START)
    before = file_case(cf, "rules", 8001, filed=date(2026, 3, 3)).name
    # Catalogue: five days from filing, 2026-03-03 → 03-08, a Sunday → Monday 03-09.
    assert ymd(serve_node(cf, before).due_date) == date(2026, 3, 9)

    # The intermediate court holds its region to three days (a statutory period may be shortened,
    # never lengthened); the basic court sets its own warning rung.
    region = update(cf, REGION_TM, node_pb2.NodeRule(name="courts/4401/nodeRules/serve_complaint_copy", period="3d",
                                                     warning_rungs=[2, 1]), "period", "warning_rungs")
    assert (region.period, list(region.warning_rungs), region.override_court) == ("3d", [2, 1], "4401")
    update(cf, TM, node_pb2.NodeRule(name=SERVE, warning_rungs=[2]), "warning_rungs")
    here = rule(cf)
    assert (here.period, list(here.warning_rungs), here.override_court) == ("3d", [2], "440101")
    assert (here.default_period, list(here.default_warning_rungs)) == ("5d", [2])
    assert rule(cf, "courts/440201/nodeRules/serve_complaint_copy", user=AUDITOR).period == "5d"  # another region
    listed = cf.nodes.ListNodeRules(ns.ListNodeRulesRequest(parent=f"courts/{COURT}", filter="overridden = true"),
                                    metadata=cf.md(TM)).node_rules
    assert [r.name for r in listed] == [SERVE]

    after = file_case(cf, "rules", 8002, filed=date(2026, 3, 4)).name
    assert ymd(serve_node(cf, after).due_date) == date(2026, 3, 9)       # three days, Sat 03-07 → Monday
    assert ymd(serve_node(cf, before).due_date) == date(2026, 3, 9)      # running: unchanged

    reply = cf.nodes.ReevaluateNodeRule(ns.ReevaluateNodeRuleRequest(name=SERVE), metadata=cf.md(TM))
    assert (reply.reevaluated_nodes, reply.changed_due_dates) == (1, 1)
    moved = serve_node(cf, before)
    assert ymd(moved.due_date) == date(2026, 3, 6)                       # 2026-03-03 + 3, a Friday
    assert any("规则重新评估" in line for line in moved.explanation)
    # The basis beside the date says which period was counted: the court's, not the law's five days.
    assert "（本院管理期限：3日；法定期间：5日）" in moved.explanation[0] and "期间：3日" in "".join(moved.explanation)
    assert "（本院管理期限：3日；法定期间：5日）" in serve_node(cf, after).legal_basis

    def audited():
        records = audit_records(cf, f'resource = "{SERVE}"')
        return {r.operation.action.rsplit("/", 1)[1] for r in records} >= {"UpdateNodeRule", "ReevaluateNodeRule"}
    eventually(audited, what="rule changes audited")
    # The chain that holds them verifies whole, for the province's auditors only.
    verdict = cf.audit.VerifyAuditChain(aus.VerifyAuditChainRequest(), metadata=cf.md(AUDITOR))
    assert verdict.intact and verdict.verified_records == verdict.head_sequence >= 2, verdict
    usage = cf.audit.ListAuditUsage(aus.ListAuditUsageRequest(group_by=aus.USAGE_GROUPING_ACTOR),
                                    metadata=cf.md(AUDITOR)).usage
    assert next(u for u in usage if u.key == f"users/{TM}").operations >= 2  # the update and the re-evaluation
    exported = cf.audit.ExportAuditRecords(aus.ExportAuditRecordsRequest(
        format=aus.EXPORT_FORMAT_CSV, filter=f'resource = "{SERVE}"'), metadata=cf.md(AUDITOR))
    text_lines = exported.content.decode("utf-8-sig").splitlines()
    assert exported.record_count == len(text_lines) - 1 >= 2 and text_lines[0].startswith("序号,时间,用户")
    assert exported.file_name.endswith(".csv") and any("UpdateNodeRule" in line for line in text_lines)
    # Named for the day by the service's clock (the shared one here), not the host's.
    assert exported.file_name == f"操作日志-{cf.now().astimezone(LEGAL_TZ):%Y%m%d}.csv"
    with pytest.raises(grpc.RpcError) as court_auditor:
        cf.audit.VerifyAuditChain(aus.VerifyAuditChainRequest(), metadata=cf.md("auditor.440101"))
    assert court_auditor.value.code() == grpc.StatusCode.PERMISSION_DENIED


def test_only_the_courts_rule_managers_change_rules_and_bad_values_change_nothing(cf):
    for user, code in ((JUDGE, grpc.StatusCode.PERMISSION_DENIED), (NEIGHBOUR_TM, grpc.StatusCode.PERMISSION_DENIED)):
        with pytest.raises(grpc.RpcError) as refused:
            update(cf, user, node_pb2.NodeRule(name=SERVE, period="3d"), "period")
        assert refused.value.code() == code, user
    before = rule(cf)
    for fields, paths, field in (
            (dict(period="7x"), ("period",), "node_rule.period"),
            # Absurd values are refused where they are entered: "9999y" used to be accepted and then
            # broke re-evaluation and every later event of the rule's nodes (issue 19, item 2).
            (dict(period="9999y"), ("period",), "node_rule.period"),
            # The law's five days cannot become seven, nor a six-month trial limit ten (issue 19, item 10).
            (dict(period="7d"), ("period",), "node_rule.period"),
            (dict(period="10m", name=f"courts/{COURT}/nodeRules/trial_time_limit"), ("period",), "node_rule.period"),
            (dict(period="61m", name=f"courts/{COURT}/nodeRules/trial_time_limit"), ("period",), "node_rule.period"),
            # A warning as many days before the due date as the period is long fires at once.
            (dict(warning_rungs=[40]), ("warning_rungs",), "node_rule.warning_rungs"),
            (dict(period="3d", warning_rungs=[3]), ("period", "warning_rungs"), "node_rule.warning_rungs"),
            (dict(period="180d", name=f"courts/{COURT}/nodeRules/trial_time_limit"), ("period",), "node_rule.period"),
            (dict(warning_rungs=[3, 3]), ("warning_rungs",), "node_rule.warning_rungs"),
            (dict(), ("legal_basis",), "update_mask"),
            (dict(), ("overdue_action",), "node_rule.overdue_action")):
        with pytest.raises(grpc.RpcError) as bad:
            update(cf, TM, node_pb2.NodeRule(**{"name": SERVE, **fields}), *paths)
        assert bad.value.code() == grpc.StatusCode.INVALID_ARGUMENT, fields
        assert field in [f for f, _ in details_of(bad.value)[1]], (fields, details_of(bad.value))
        assert re.search(r"[\u4e00-\u9fff]", bad.value.details()), bad.value.details()  # said in Chinese
    assert rule(cf, f"courts/{COURT}/nodeRules/trial_time_limit").period == "6m"
    assert rule(cf) == before


def test_stage_views_choose_the_categories_a_stage_shows(cf):
    def views(court: str = COURT) -> dict[str, node_pb2.StageView]:
        return {v.name.rsplit("/", 1)[1]: v for v in cf.nodes.ListStageViews(
            ns.ListStageViewsRequest(parent=f"courts/{court}"), metadata=cf.md(TM if court == COURT else REGION_TM)).stage_views}
    shown = views()
    assert len(shown) == 7 and list(shown["pre_trial"].categories) == ["立案文书送达"]
    assert list(shown["post_judgment"].available_categories) == ["送达期限"]
    # A view with no category would hide the whole stage, overdue nodes included (issue 19, item 11).
    with pytest.raises(grpc.RpcError) as empty:
        cf.nodes.UpdateStageView(ns.UpdateStageViewRequest(
            stage_view=node_pb2.StageView(name=f"courts/{COURT}/stageViews/post_judgment", categories=[]),
            update_mask=FieldMask(paths=["categories"])), metadata=cf.md(TM))
    assert empty.value.code() == grpc.StatusCode.INVALID_ARGUMENT and "至少显示一个" in empty.value.details()
    updated = cf.nodes.UpdateStageView(ns.UpdateStageViewRequest(
        stage_view=node_pb2.StageView(name=f"courts/{COURT}/stageViews/post_judgment", categories=["送达期限"]),
        update_mask=FieldMask(paths=["categories"])), metadata=cf.md(TM)).stage_view
    assert list(updated.categories) == ["送达期限"] and updated.override_court == COURT
    assert views()["post_judgment"].override_court == COURT
    assert not views("440102")["post_judgment"].override_court   # a neighbour keeps the catalogue's
    with pytest.raises(grpc.RpcError) as bad:
        cf.nodes.UpdateStageView(ns.UpdateStageViewRequest(
            stage_view=node_pb2.StageView(name=f"courts/{COURT}/stageViews/pre_trial", categories=["审限管理"]),
            update_mask=FieldMask(paths=["categories"])), metadata=cf.md(TM))
    assert bad.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert "stage_view.categories[0]" in [f for f, _ in details_of(bad.value)[1]]


def test_the_time_limit_rules_are_read_as_they_apply_in_a_court(cf):
    """What the application forms show (ListTimeLimitRules): the deployment's rules (NODE_TIME_LIMITS,
    the tests' slice here) in Chinese, each limit with its period in the court, the neighbour's own
    override included."""
    shipped = yaml.safe_load(SLICE_TIME_LIMITS.read_text(encoding="utf-8"))
    listed = lambda court, user: cf.nodes.ListTimeLimitRules(  # noqa: E731
        ns.ListTimeLimitRulesRequest(parent=f"courts/{court}"), metadata=cf.md(user))
    mine = listed(COURT, JUDGE)
    assert mine.version == shipped["version"]
    limits = {r.node_type: r for r in mine.time_limit_rules}
    trial = limits["trial_time_limit"]
    assert (trial.display_name, trial.period, trial.period_label) == ("审理期限", "6m", "6个月")
    assert [(s.max, s.max_label, s.approver_level, s.approver, s.lead_days) for s in trial.extensions] == [
        ("6m", "6个月", "president", "本院院长", 10), ("3m", "3个月", "higher_court", "上一级人民法院", 10)]
    assert set(limits) == set(shipped["limits"]) and "serve_complaint_copy" not in limits   # not a time limit
    approvers = {node_pb2.ApplicationKind.Name(a.kind): a.approver for a in mine.application_approvers}
    assert (approvers["APPLICATION_KIND_SUSPENSION"], approvers["APPLICATION_KIND_HEARING_EXCEPTION"]) == (
        "分管院领导", "本庭庭长")
    reasons = {r.code: r for r in mine.deduction_reasons}
    assert set(reasons) == set(shipped["deduction_reasons"])
    assert (reasons["adjournment"].max, reasons["adjournment"].max_label) == ("1m", "1个月")
    assert reasons["supplementary_investigation"].restarts and not reasons["appraisal"].max
    assert [lv.label for lv in mine.approver_levels][:3] == ["本庭庭长", "分管院领导", "本院院长"]

    # The neighbouring court shortens its own trial limit: its rules say so, this court's do not.
    update(cf, NEIGHBOUR_TM, node_pb2.NodeRule(name="courts/440102/nodeRules/trial_time_limit", period="5m"), "period")
    theirs = {r.node_type: r for r in listed("440102", NEIGHBOUR_TM).time_limit_rules}["trial_time_limit"]
    assert (theirs.period, theirs.period_label) == ("5m", "5个月")
    assert {r.node_type: r for r in listed(COURT, JUDGE).time_limit_rules}["trial_time_limit"].period == "6m"
    # Above the high court is the supreme court.
    high = {r.node_type: r for r in listed("44", "trial_management.44").time_limit_rules}["trial_time_limit"]
    assert [s.approver for s in high.extensions] == ["本院院长", "最高人民法院"]
    # Another court's, out of a judge's scope, are refused; over HTTP-JSON as a portal reads them.
    with pytest.raises(grpc.RpcError) as refused:
        listed("440102", JUDGE)
    assert refused.value.code() == grpc.StatusCode.PERMISSION_DENIED
    reply = cf.http("GET", f"/v1/courts/{COURT}/timeLimitRules", user=JUDGE)
    assert reply.status == 200
    assert next(r for r in reply.json()["timeLimitRules"] if r["nodeType"] == "trial_time_limit")["extensions"][0][
        "approver"] == "本院院长"
