"""A deadline in a year whose holiday schedule is not yet known is computed with weekends
only and flagged; once an administrator imports that year (CLI → gateway → node service),
the node is recomputed, its reminders follow the new date, and the import is audited."""
from __future__ import annotations

from datetime import date, datetime

import grpc
import pytest

from courtflow.node.v1 import node_pb2, node_service_pb2 as ns
from google.type import date_pb2

from runtime.cli import main as courtflow
from runtime.demo import create_request
from services.common.clock import LEGAL_TZ
from services.common.errors import details_of
from support import COURT_SYSTEM, JUDGE, eventually

from .conftest import audit_records, seed, ymd

pytestmark = pytest.mark.timeout(240)
ADMIN = "admin"


@pytest.fixture(scope="module")
def cf(start_system):
    return start_system("calendar", clock=datetime(2026, 11, 27, 10, tzinfo=LEGAL_TZ))


def trial_node(cf, case_name: str) -> node_pb2.Node:
    return cf.nodes.GetNode(ns.GetNodeRequest(name=f"{case_name}/nodes/trial_time_limit"), metadata=cf.md(JUDGE)).node


def test_unknown_year_is_flagged_then_recomputed_when_imported(cf, tmp_path, capsys):
    case = cf.cases.CreateCase(create_request(seed("cal", 7001, filed=date(2026, 11, 27))),
                               metadata=cf.md(COURT_SYSTEM)).case
    node = eventually(lambda: _try(trial_node, cf, case.name), what="trial limit node")
    # Six months end on Thursday 2027-05-27; 2027's schedule is not published yet.
    assert ymd(node.due_date) == date(2027, 5, 27) and not node.calendar_known
    assert any("2027年节假日安排未知" in line for line in node.explanation)

    schedule = tmp_path / "2027.yaml"
    schedule.write_text("year: 2027\nsource: 测试用2027年节假日安排\n"
                        "holidays: [2027-01-01, 2027-05-27, 2027-05-28]\nworkdays: [2027-02-20]\n", encoding="utf-8")
    token = cf.logins[ADMIN]["token"]
    assert courtflow(["calendar", "import", str(schedule), "--gateway", cf.system.gateway, "--token", token]) == 0
    assert "重新计算期限的节点：" in capsys.readouterr().out

    node = trial_node(cf, case.name)
    assert ymd(node.due_date) == date(2027, 5, 31) and node.calendar_known  # Thu/Fri holidays, weekend
    assert any("顺延至 2027-05-31" in line for line in node.explanation)
    assert any("重新计算" in line for line in node.explanation)

    # The reminders follow the new date: on 2027-05-28 the node warns (rung 3) but is not overdue.
    cf.set_clock(datetime(2027, 5, 28, 9, tzinfo=LEGAL_TZ))
    eventually(lambda: trial_node(cf, case.name).state == node_pb2.NODE_STATE_WARNING, what="warning on the new date")
    cf.set_clock(datetime(2027, 6, 1, 9, tzinfo=LEGAL_TZ))
    eventually(lambda: trial_node(cf, case.name).state == node_pb2.NODE_STATE_OVERDUE, what="overdue after 05-31")

    records = eventually(lambda: audit_records(cf, 'resource = "calendarYears/2027"'), what="audit record")
    assert records[0].operation.actor == f"users/{ADMIN}"
    listed = cf.nodes.ListCalendarYears(ns.ListCalendarYearsRequest(), metadata=cf.md(JUDGE)).calendar_years
    years = {cy.year: cy for cy in listed}
    assert len(years[2027].holidays) == 3 and years[2027].import_user == f"users/{ADMIN}"
    # The years the built-in package ships are listed too, as what deadlines are counted with.
    assert set(range(2004, 2027)) <= set(years) and [cy.year for cy in listed] == sorted(years)
    assert "内置" in years[2026].source and not years[2026].import_user and len(years[2026].workdays) > 0


def test_a_corrected_schedule_gives_an_overdue_node_its_time_back(cf, tmp_path):
    cf.set_clock(datetime(2027, 6, 1, 9, tzinfo=LEGAL_TZ))
    case = cf.cases.CreateCase(create_request(seed("cal", 7002, filed=date(2027, 6, 1))),
                               metadata=cf.md(COURT_SYSTEM)).case
    serve = lambda: cf.nodes.GetNode(ns.GetNodeRequest(name=f"{case.name}/nodes/serve_complaint_copy"),  # noqa: E731
                                     metadata=cf.md(JUDGE)).node
    node = eventually(lambda: _try(serve), what="service node")
    assert ymd(node.due_date) == date(2027, 6, 7)  # five days → Sunday 06-06 → Monday 06-07
    cf.set_clock(datetime(2027, 6, 8, 9, tzinfo=LEGAL_TZ))
    eventually(lambda: serve().state == node_pb2.NODE_STATE_OVERDUE, what="overdue under the first schedule")

    # The schedule is corrected: 06-07 is a holiday after all. The node runs again to 06-08.
    schedule = node_pb2.CalendarYear(year=2027, source="更正后的2027年节假日安排", holidays=[
        date_pb2.Date(year=2027, month=m, day=d) for m, d in ((1, 1), (5, 27), (5, 28), (6, 7))])
    reply = cf.nodes.ImportCalendarYear(ns.ImportCalendarYearRequest(calendar_year=schedule), metadata=cf.md(ADMIN))
    assert reply.recomputed_nodes >= 1
    node = eventually(lambda: (n := serve()).state == node_pb2.NODE_STATE_WARNING and n,
                      what="running again, in its warning period")
    assert ymd(node.due_date) == date(2027, 6, 8) and node.clock_generation == 1
    cf.set_clock(datetime(2027, 6, 9, 9, tzinfo=LEGAL_TZ))
    eventually(lambda: serve().state == node_pb2.NODE_STATE_OVERDUE, what="overdue after the corrected date")


def test_only_province_administrators_import(cf):
    request = ns.ImportCalendarYearRequest(calendar_year=node_pb2.CalendarYear(
        year=2028, source="x", holidays=[date_pb2.Date(year=2028, month=1, day=3)]))
    for user in (JUDGE, "admin.440101"):
        with pytest.raises(grpc.RpcError) as caught:
            cf.nodes.ImportCalendarYear(request, metadata=cf.md(user))
        assert caught.value.code() == grpc.StatusCode.PERMISSION_DENIED, user
    assert 2028 not in [cy.year for cy in cf.nodes.ListCalendarYears(ns.ListCalendarYearsRequest(),
                                                                      metadata=cf.md(JUDGE)).calendar_years]


@pytest.mark.parametrize("holidays, workdays, field", [
    ([(2029, 1, 1)], [], "calendar_year.holidays"),          # a date of another year
    ([(2028, 2, 30)], [], "calendar_year.holidays[0]"),      # no such date
    ([(2028, 1, 3)], [(2028, 1, 4)], "calendar_year.workdays"),  # a weekday needs no make-up day
    ([(2028, 1, 8)], [(2028, 1, 8)], "calendar_year.holidays"),  # both a holiday and a working day
    ([(2028, 1, 3)], [(2028, 1, 3)], "calendar_year.holidays"),  # the same on a weekday (said 无需调休 before)
])
def test_bad_schedule_names_the_field_and_stores_nothing(cf, holidays, workdays, field):
    request = ns.ImportCalendarYearRequest(calendar_year=node_pb2.CalendarYear(
        year=2028, source="x", holidays=[date_pb2.Date(year=y, month=m, day=d) for y, m, d in holidays],
        workdays=[date_pb2.Date(year=y, month=m, day=d) for y, m, d in workdays]))
    with pytest.raises(grpc.RpcError) as caught:
        cf.nodes.ImportCalendarYear(request, metadata=cf.md(ADMIN))
    assert caught.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert field in [f for f, _ in details_of(caught.value)[1]]
    if holidays == workdays:
        assert "同时列为节假日和调休工作日" in caught.value.details()
    assert 2028 not in [cy.year for cy in cf.nodes.ListCalendarYears(ns.ListCalendarYearsRequest(),
                                                                      metadata=cf.md(ADMIN)).calendar_years]


def _try(fn, *args):
    try:
        return fn(*args)
    except grpc.RpcError:
        return None
