"""The supervision platform (P1–P6) through the gateway: cases filed by the court system reach the
stats service's read model; a judge, a division head, a president, the trial management office of
an intermediate court and of the high court each see exactly their scope; every number of a
summary drills down to exactly its cases and nodes (over HTTP-JSON as a portal reads it); and a
past day's answer is the same after later events."""
from __future__ import annotations

from datetime import date, datetime

import json

import grpc
import pytest
from sqlalchemy import create_engine, text

from courtflow.stats.v1 import stats_service_pb2 as ss, stats_service_pb2_grpc, supervision_pb2 as sv

from gateway.edge.http_routes import RouteTable
from gateway.edge.http_requests import encode_request
from runtime import cli
from services.common.clock import LEGAL_TZ
from support import COURT_SYSTEM, DIVISION_HEAD, JUDGE, PRESIDENT, eventually

from .conftest import file_case, pb

pytestmark = pytest.mark.timeout(300)
START = datetime(2026, 3, 2, 10, tzinfo=LEGAL_TZ)
REGION_TMO, PROVINCE_TMO = "trial_management.4401", "trial_management.44"


@pytest.fixture(scope="module")
def cf(start_system):
    return start_system("platform", clock=START)


def stats(cf):
    return stats_service_pb2_grpc.StatsServiceStub(cf.channel)


def summary(cf, user: str, *, group_by=(), parent: str = "courts/-", **query) -> ss.SummarizeSupervisionResponse:
    return stats(cf).SummarizeSupervision(ss.SummarizeSupervisionRequest(
        parent=parent, group_by=list(group_by), query=sv.SupervisionQuery(**query)), metadata=cf.md(user))


ROUTES = {r.grpc_method.rsplit("/", 1)[1]: r
          for r in RouteTable([ss.DESCRIPTOR.services_by_name["StatsService"]]).routes}


def listed_http(cf, user: str, what: str, query: sv.SupervisionQuery) -> list[dict]:
    """Every row of a drill-down list over HTTP-JSON, page by page, as a portal reads it."""
    rows, token = [], ""
    while True:
        if what == "cases":
            route, request = ROUTES["ListSupervisedCases"], ss.ListSupervisedCasesRequest(
                parent="courts/-", query=query, page_size=2, page_token=token)
        else:
            route, request = ROUTES["ListSupervisedNodes"], ss.ListSupervisedNodesRequest(
                parent="courts/-", query=query, page_size=2, page_token=token)
        verb, path, params, _ = encode_request(route, request)
        reply = cf.http(verb, path, user=user, query=params)
        assert reply.status == 200, reply.error
        body = reply.json()
        rows += body.get(what, [])
        token = body.get("nextPageToken", "")
        if not token:
            return rows


@pytest.fixture(scope="module")
def filed(cf):
    """Cases in three courts of two regions; two months old ones have an overdue service node."""
    made = {
        "judge-old": file_case(cf, "platform", 1, filed=date(2026, 1, 5)),
        "judge-new": file_case(cf, "platform", 2, filed=date(2026, 3, 2)),
        "civil2": file_case(cf, "platform", 3, filed=date(2026, 2, 27), handler="judge.440101.civil2.1"),
        "court-440102": file_case(cf, "platform", 4, filed=date(2026, 1, 6), handler="judge.440102.civil1.1"),
        "region-4402": file_case(cf, "platform", 5, filed=date(2026, 3, 2), handler="judge.440201.civil1.1"),
    }
    # The read model follows the events: wait until every case's two nodes are in it.
    eventually(lambda: summary(cf, COURT_SYSTEM).node_totals.total == 10, timeout=60,
               what="ten nodes in the supervision read model")
    eventually(lambda: summary(cf, COURT_SYSTEM).node_totals.overdue == 2, timeout=60,
               what="the two old cases' overdue service nodes")
    return made


def names(cf, user: str) -> set[str]:
    reply = stats(cf).ListSupervisedCases(ss.ListSupervisedCasesRequest(parent="courts/-", page_size=1000),
                                          metadata=cf.md(user))
    return {c.name for c in reply.cases}


def test_each_user_sees_exactly_their_scope(cf, filed):
    case = {k: v.name for k, v in filed.items()}
    assert names(cf, JUDGE) == {case["judge-old"], case["judge-new"]}
    assert names(cf, DIVISION_HEAD) == {case["judge-old"], case["judge-new"]}
    assert names(cf, PRESIDENT) == {case["judge-old"], case["judge-new"], case["civil2"]}
    assert names(cf, REGION_TMO) == names(cf, PRESIDENT) | {case["court-440102"]}
    assert names(cf, PROVINCE_TMO) == names(cf, REGION_TMO) | {case["region-4402"]}
    # The counts agree with the lists, for each of them.
    for user, seen in ((JUDGE, 2), (DIVISION_HEAD, 2), (PRESIDENT, 3), (REGION_TMO, 4), (PROVINCE_TMO, 5)):
        assert summary(cf, user).case_totals.total == seen, user


def test_p1_abnormal_and_normal_cases(cf, filed):
    # This year's cases of the court: the January one's service node overdue (never warned: it
    # opened overdue), the one filed on 27 February in its warning days (due 4 March), one normal.
    p1 = summary(cf, PRESIDENT, date_basis=sv.DATE_BASIS_RECEIVE, start_date=pb(date(2026, 1, 1)))
    assert (p1.case_totals.total, p1.case_totals.abnormal, p1.case_totals.normal) == (3, 2, 1)
    assert (p1.case_totals.warning, p1.case_totals.overdue, p1.case_totals.overdue_without_warning) == (1, 1, 1)
    abnormal = stats(cf).ListSupervisedCases(ss.ListSupervisedCasesRequest(
        parent="courts/440101", query=sv.SupervisionQuery(filter="abnormal = true")), metadata=cf.md(PRESIDENT))
    assert {c.name for c in abnormal.cases} == {filed["judge-old"].name, filed["civil2"].name}
    row = next(c for c in abnormal.cases if c.name == filed["judge-old"].name)
    assert row.case_number == filed["judge-old"].case_number and row.overdue_nodes == 1 and "原告" in row.parties


def test_every_number_drills_down_to_its_rows_over_http(cf, filed):
    answer = summary(cf, PROVINCE_TMO, group_by=[sv.DIMENSION_REGION, sv.DIMENSION_STAGE])
    assert {tuple(g.value for g in c.group) for c in answer.cells} == {
        ("4401", "PRE_TRIAL"), ("4401", "ADJUDICATION"), ("4402", "PRE_TRIAL"), ("4402", "ADJUDICATION")}
    assert {c.group[1].label for c in answer.cells} == {"庭前准备", "裁判阶段"}
    for cell in answer.cells:
        for measure in ("cases.total", "cases.abnormal", "cases.normal", "nodes.total", "nodes.overdue",
                        "nodes.open"):
            kind, name = measure.split(".")
            query = sv.SupervisionQuery()
            query.CopyFrom(cell.drill_down)
            query.filter = " AND ".join(t for t in (query.filter, answer.measure_filters[measure]) if t)
            assert len(listed_http(cf, PROVINCE_TMO, kind, query)) == getattr(getattr(cell, kind), name), \
                (measure, [g.value for g in cell.group])


def test_overdue_node_rows_carry_what_p2_shows(cf, filed):
    nodes = stats(cf).ListSupervisedNodes(ss.ListSupervisedNodesRequest(
        parent="courts/-", query=sv.SupervisionQuery(filter="status = OVERDUE")), metadata=cf.md(PROVINCE_TMO)).nodes
    assert {n.case.name for n in nodes} == {filed["judge-old"].name, filed["court-440102"].name}
    for n in nodes:
        assert n.display_name == "送达起诉状副本" and n.days_overdue > 40 and n.due_date.year == 2026


def test_a_past_days_answer_is_the_same_after_later_events(cf, filed):
    cf.set_clock(datetime(2026, 3, 9, 10, tzinfo=LEGAL_TZ))
    # By 9 March the service nodes of the cases filed on 2 March (due 7 March, rolled to the 9th
    # at the weekend… or earlier) have warned or gone overdue; wait for the sweep to be counted.
    eventually(lambda: summary(cf, COURT_SYSTEM).node_totals.warning + summary(cf, COURT_SYSTEM).node_totals.overdue > 2,
               timeout=60, what="the newer cases' service nodes warned or overdue")
    asked = summary(cf, PROVINCE_TMO, group_by=[sv.DIMENSION_COURT], as_of=pb(date(2026, 3, 8)))
    listed = drilled(cf, asked)
    # The past day's lists (each node's status as of that day, not today's) hold what it counted.
    counted = {(cell.group[0].value, m): getattr(getattr(cell, m.split(".")[0]), m.split(".")[1])
               for cell in asked.cells for m in DRILLED}
    assert {k: len(rows) for k, rows in listed.items()} == counted
    assert sum(n for (_, m), n in counted.items() if m == "nodes.warning") > 0
    cf.set_clock(datetime(2026, 3, 20, 10, tzinfo=LEGAL_TZ))
    file_case(cf, "platform", 6, filed=date(2026, 3, 3))
    eventually(lambda: summary(cf, COURT_SYSTEM).node_totals.total == 12, timeout=60, what="the later case's nodes")
    # By the 20th every service node of March is overdue: today's lists differ, the 8th's do not.
    eventually(lambda: summary(cf, PROVINCE_TMO).node_totals.warning == 0, timeout=60,
               what="the warned service nodes overdue by the 20th")
    assert summary(cf, PROVINCE_TMO, group_by=[sv.DIMENSION_COURT], as_of=pb(date(2026, 3, 8))) == asked
    assert drilled(cf, asked) == listed


DRILLED = ("nodes.warning", "nodes.overdue", "nodes.open", "cases.abnormal")


def drilled(cf, answer: ss.SummarizeSupervisionResponse) -> dict[tuple[str, str], list[str]]:
    """Each court's warning, overdue and open nodes and abnormal cases of a (past day's) answer,
    listed over HTTP-JSON through the drill-down its cell carries: {(court, measure): names}."""
    lists = {}
    for cell in answer.cells:
        for measure in DRILLED:
            query = sv.SupervisionQuery()
            query.CopyFrom(cell.drill_down)
            assert query.as_of == answer.as_of
            query.filter = " AND ".join(t for t in (query.filter, answer.measure_filters[measure]) if t)
            rows = listed_http(cf, PROVINCE_TMO, measure.split(".")[0], query)
            lists[cell.group[0].value, measure] = sorted(r["name"] for r in rows)
    return lists


def test_quality_indicators_over_http(cf, filed):
    # 质效分析 of the president's court over HTTP-JSON, as a portal asks: this year's cases received
    # (as many as the supervision summary counts by 收案日期) and none closed yet; the definitions
    # come with the answer, in Chinese.
    received = summary(cf, PRESIDENT, date_basis=sv.DATE_BASIS_RECEIVE, start_date=pb(date(2026, 1, 1)))
    reply = cf.http("GET", "/v1/courts/440101/quality:analyze", user=PRESIDENT,
                    query=[("query.startDate", "2026-01-01"), ("groupBy", "DIMENSION_HANDLER")])
    assert reply.status == 200, reply.error
    body = reply.json()
    assert int(body["totals"]["received"]) == received.case_totals.total >= 3
    assert int(body["totals"].get("closed", 0)) == 0
    assert {g["group"][0]["value"] for g in body["indicators"]} == {
        "users/judge.440101.civil1.1", "users/judge.440101.civil2.1"}
    assert body["definitions"]["closed_to_received"].startswith("结收比")


def test_the_read_model_is_verified_against_the_services(cf, filed, capsys):
    # Run last in this module: it damages the read model on purpose.
    verify = lambda user, parent="courts/-": stats(cf).VerifySupervision(  # noqa: E731
        ss.VerifySupervisionRequest(parent=parent), metadata=cf.md(user))
    clean = verify(PROVINCE_TMO)
    assert clean.consistent and not clean.differences
    totals = summary(cf, COURT_SYSTEM)
    assert (clean.cases_checked, clean.nodes_checked) == (totals.case_totals.total, totals.node_totals.total)
    # A node whose state the read model lost, and a case it never heard of: both are named.
    node = f"{filed['judge-old'].name}/nodes/serve_complaint_copy"
    engine = create_engine(cf.database_url)
    with engine.begin() as conn:
        conn.execute(text("UPDATE stats.nodes SET state = 1 WHERE node = :n"), {"n": node})
        conn.execute(text("DELETE FROM stats.cases WHERE case_id = :c"), {"c": filed["civil2"].name.rsplit("/", 1)[1]})
    engine.dispose()
    damaged = verify(PROVINCE_TMO)
    found = {(d.name, d.field, d.read_model, d.source) for d in damaged.differences}
    assert not damaged.consistent
    assert (node, "state", "1", "3") in found                       # running in the read model, overdue in fact
    assert (filed["civil2"].name, "exists", "", "true") in found
    # The operator's command says the same and fails.
    capsys.readouterr()
    code = cli.main(["verify", "--supervision", "--json", "--database", cf.database_url,
                     "--gateway", cf.system.components["gateway"].address, "--token", cf.logins[PROVINCE_TMO]["token"]])
    listed = json.loads(capsys.readouterr().out)["supervision"]
    assert code == 1 and {"name": node, "field": "state", "read_model": "1", "source": "3"} in listed
    # Scoped like everything else: the president of 440102 sees nothing of 440101's damage.
    assert verify("president.440102").consistent
    with pytest.raises(grpc.RpcError) as refused:
        verify(JUDGE)
    assert refused.value.code() == grpc.StatusCode.PERMISSION_DENIED


def test_a_question_its_caller_gave_up_on_is_cancelled_in_the_database(cf, filed):
    """The stats service's statement ends with its caller's deadline (services/common/deadline.py):
    a question asked with 3 s to spare, held up in PostgreSQL (here: the cube locked by another
    transaction; at a province's size, a past quarter counted from the history), fails for the
    caller with DEADLINE_EXCEEDED, in words that say what to do, and is cancelled in the database
    while the hold lasts — not left running for minutes beside the user's next attempt. Asked
    again once free, it is answered."""
    def waiting(conn) -> int:
        return conn.execute(text(
            "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'courtflow-stats' "
            "AND wait_event_type = 'Lock' AND query ILIKE 'SELECT%stats.cube_%'")).scalar_one()

    engine = create_engine(cf.database_url)
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as watcher, engine.connect() as holder:
        hold = holder.begin()
        holder.execute(text("LOCK TABLE stats.cube_cases, stats.cube_nodes IN ACCESS EXCLUSIVE MODE"))
        asked = stats(cf).SummarizeSupervision.future(ss.SummarizeSupervisionRequest(
            parent="courts/-", query=sv.SupervisionQuery()), metadata=cf.md(PROVINCE_TMO), timeout=3)
        eventually(lambda: waiting(watcher) == 1, timeout=3, interval=0.05, what="the question waiting on the lock")
        with pytest.raises(grpc.RpcError) as refused:
            asked.result(timeout=30)
        assert refused.value.code() == grpc.StatusCode.DEADLINE_EXCEEDED
        assert refused.value.details() == "查询未在调用时限内完成，已取消；请缩小查询范围（法院、日期）后重试"
        eventually(lambda: waiting(watcher) == 0, timeout=10, what="the statement cancelled while the lock is held")
        hold.rollback()
    engine.dispose()
    assert summary(cf, PROVINCE_TMO).case_totals.total > 0
