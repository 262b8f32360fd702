"""The minimum interval between two hearings of a case is a court's setting, not law (issue 15,
item 14), against a real PostgreSQL: 法释〔2018〕9号 (最高人民法院关于严格规范民商事案件延长审限和
延期开庭问题的规定) bounds the interval from above (at most a month after an adjournment) and caps
adjournments; it sets no minimum. By default a hearing three days after the last one is within
the rules; a court whose trial management office sets seven days (UpdateNodeRule on the catalogue's
setting hearing_minimum_interval) holds itself and the courts below it to seven."""
from __future__ import annotations

import uuid
from datetime import date, datetime

import pytest

from courtflow.case.v1.case_pb2 import CASE_EVENT_TYPE_FILED, CASE_EVENT_TYPE_HEARING_HELD
from courtflow.common.v1.caller_pb2 import Caller, Role, ScopeLevel

from conftest import new_database
from services.common.clock import LEGAL_TZ, ManualClock
from services.common.errors import InvalidArgument
from services.common.migrate import upgrade
from services.node import catalog, court_rules, scheduling, service, time_limits
from services.node.calendar import HolidayCalendar
from services.node.calendars import CalendarStore
from services.node.models import SCHEMA
from test_due_queue import MIGRATIONS, uow_factory

pytestmark = pytest.mark.timeout(120)
SHIPPED = catalog.load()
LIMITS = time_limits.load(SHIPPED)
SETTING = scheduling.MINIMUM_INTERVAL
PROVINCE_TM = Caller(user="users/trial_management.44", role=Role.ROLE_TRIAL_MANAGEMENT, court="44",
                     scope=ScopeLevel.SCOPE_LEVEL_PROVINCE, scope_prefix="44")
BASIC_TM = Caller(user="users/trial_management.440101", role=Role.ROLE_TRIAL_MANAGEMENT, court="440101",
                  scope=ScopeLevel.SCOPE_LEVEL_COURT, scope_prefix="440101")
HELD, PROPOSED = date(2026, 4, 7), date(2026, 4, 10)   # Tuesday, then Friday of the same week


@pytest.fixture
def court(postgres):
    url = new_database(postgres, "hearing_interval")
    upgrade(url, schema=SCHEMA, migrations=MIGRATIONS)
    factory = uow_factory(url, ManualClock(datetime(2026, 4, 7, 9, tzinfo=LEGAL_TZ)))
    case_id = uuid.uuid4()
    with factory() as uow:
        service.open_nodes(uow, catalog=SHIPPED, calendar=HolidayCalendar.builtin(), trigger=(CASE_EVENT_TYPE_FILED, ""),
                           court="440101", case_id=case_id, case_number="（2026）示0101民初9号", case_type=1,
                           procedure=1, department="courts/440101/departments/440101-civil1",
                           handler="users/judge.440101.civil1.1",
                           anchors={"event_date": date(2026, 3, 2), "filing_date": date(2026, 3, 2)}, custody=False)
        scheduling.record_case_date(uow, event_id=uuid.uuid4(), case_id=case_id, event_type=CASE_EVENT_TYPE_HEARING_HELD,
                                    document="", occur=HELD, hearing=None)
        uow.commit()
    return factory, case_id


def intervals(factory, case_id) -> list[str]:
    violations, _ = scheduling.validate_hearing(factory, caller=BASIC_TM, calendars=CalendarStore(), catalog=SHIPPED,
                                                rules=LIMITS, court="440101", case_id=case_id, proposed=PROPOSED,
                                                notice_served=date(2026, 4, 7))
    return [v.message for v in violations if v.rule == "HEARING_INTERVAL"]


def test_no_minimum_between_hearings_unless_the_court_sets_one_fashi_2018_9(court):
    factory, case_id = court
    assert intervals(factory, case_id) == []          # the law's default: no minimum

    # The high court's trial management office sets seven days for the province.
    court_rules.update_rule(factory, caller=PROVINCE_TM, catalog=SHIPPED, limits=LIMITS, court="44", code=SETTING,
                            fields={"period": "7d"})
    assert intervals(factory, case_id) == [
        "拟开庭日 2026-04-10 与本案另一庭期 2026-04-07 仅相隔3日，少于最短间隔7日（法院管理规定）"]

    # The basic court sets none again for itself (one day: the same day is the same hearing).
    court_rules.update_rule(factory, caller=BASIC_TM, catalog=SHIPPED, limits=LIMITS, court="440101", code=SETTING,
                            fields={"period": "1d"})
    assert intervals(factory, case_id) == []


@pytest.mark.parametrize("fields, field, words", [
    ({"warning_rungs": [1]}, "update_mask", "只能修改 period"),
    ({"overdue_action": "lock"}, "update_mask", "只能修改 period"),
    ({"period": "1m"}, "node_rule.period", "以日计"),
])
def test_the_setting_is_days_and_nothing_else(court, fields, field, words):
    factory, case_id = court
    with pytest.raises(InvalidArgument) as refused:
        court_rules.update_rule(factory, caller=BASIC_TM, catalog=SHIPPED, limits=LIMITS, court="440101", code=SETTING,
                                fields=fields)
    assert refused.value.violations[0].field == field and words in refused.value.violations[0].description
    assert intervals(factory, case_id) == []           # nothing changed
