"""Resource names are parsed and formatted in one place (services/common/names.py)."""
import uuid

import pytest

from services.common.errors import InvalidArgument
from services.common.names import (RESOURCE_NAMES, ApplicationName, AuditRecordName, CalendarYearName, CaseEventName,
                                   CaseName, CourtName, DepartmentName, MessageName, NodeName, NodeRuleName,
                                   SmsDeliveryName, StageViewName, UserName, court_of, pattern_values)

CASE = uuid.UUID("0b7e7a4e-3c1f-4f55-9d0e-6f4b1d2c3a4b")
APP = uuid.UUID("5f0e9a1b-2c3d-4e5f-8a9b-0c1d2e3f4a5b")


@pytest.mark.parametrize("cls, text", [
    (CourtName, "courts/440301"),
    (DepartmentName, "courts/440301/departments/440301-civil1"),
    (UserName, "users/judge.440301.civil1.1"),
    (CaseName, f"courts/440301/cases/{CASE}"),
    (NodeName, f"courts/440301/cases/{CASE}/nodes/hearing-2"),
    (ApplicationName, f"courts/440301/cases/{CASE}/nodes/trial_limit/applications/{APP}"),
    (NodeRuleName, "courts/440301/nodeRules/trial_limit"),
    (StageViewName, "courts/440301/stageViews/filing"),
    (CaseEventName, f"courts/440301/cases/{CASE}/events/{APP}"),
    (MessageName, f"users/judge.440301.civil1.1/messages/{APP}"),
    (SmsDeliveryName, f"users/judge.440301.civil1.1/smsDeliveries/{APP}"),
    (AuditRecordName, "auditRecords/1024"),
    (CalendarYearName, "calendarYears/2027"),
])
def test_every_name_reads_back_as_written(cls, text):
    assert str(cls.parse(text)) == text
    assert RESOURCE_NAMES[cls.PATTERN] is cls


def test_a_names_values_by_its_patterns_variables():
    assert pattern_values(NodeRuleName.parse("courts/440301/nodeRules/trial_limit")) == {
        "court": "440301", "node_rule": "trial_limit"}
    assert pattern_values(MessageName.parse(f"users/judge.1/messages/{APP}")) == {"user": "judge.1", "message": str(APP)}
    assert pattern_values(AuditRecordName.parse("auditRecords/7")) == {"audit_record": "7"}


@pytest.mark.parametrize("cls, text, said", [
    (MessageName, "users/judge.1/messages/x", "消息标识「x」不是有效的 UUID"),
    (MessageName, f"users/Judge/messages/{APP}", "用户名「Judge」"),
    (AuditRecordName, "auditRecords/abc", "审计记录序号「abc」须为数字"),
    (CalendarYearName, "calendarYears/二〇二七", "年份「二〇二七」须为数字"),
    (CaseEventName, f"courts/440301/cases/{CASE}/events/e1", "事件标识「e1」"),
])
def test_the_newer_kinds_refuse_a_bad_name_in_chinese(cls, text, said):
    with pytest.raises(InvalidArgument) as refused:
        cls.parse(text)
    assert said in refused.value.violations[0].description


def test_parts_are_typed():
    node = NodeName.parse(f"courts/440301/cases/{CASE}/nodes/hearing-2")
    assert (node.court, node.case_id, node.node) == ("440301", CASE, "hearing-2")
    assert str(node.case_name) == f"courts/440301/cases/{CASE}"
    app = ApplicationName.parse(f"courts/440301/cases/{CASE}/nodes/trial_limit/applications/{APP}")
    assert app.application == APP and str(app.node_name) == f"courts/440301/cases/{CASE}/nodes/trial_limit"


def test_wildcards_only_where_a_list_allows_them():
    parent = NodeName.parse("courts/440301/cases/-/nodes/-", "parent", wildcard=True)
    assert (parent.case, parent.node) == (None, None)
    assert str(parent) == "courts/440301/cases/-/nodes/-"
    assert CourtName.parse("courts/-", "parent", wildcard=True).court == "-"
    with pytest.raises(InvalidArgument) as refused:
        CaseName.parse("courts/440301/cases/-", "name")
    assert refused.value.violations[0].field == "name" and "UUID" in refused.value.violations[0].description


@pytest.mark.parametrize("text, said", [
    (f"courts/440301/case/{CASE}", "不是案件名称"),              # wrong collection word
    (f"courts/440301/cases/{CASE}/nodes/x", "不是案件名称"),      # a node is not a case
    (f"courts/abc/cases/{CASE}", "法院代码「abc」"),
    ("courts/440301/cases/not-a-uuid", "案件标识「not-a-uuid」不是有效的 UUID"),
    ("courts//cases/x", "不是案件名称"),
    ("", "不是案件名称"),
])
def test_a_bad_name_is_refused_in_chinese_naming_the_field(text, said):
    with pytest.raises(InvalidArgument) as refused:
        CaseName.parse(text, "case.name")
    violation = refused.value.violations[0]
    assert violation.field == "case.name" and said in violation.description


def test_user_names_and_the_me_shortcut():
    assert UserName.parse("users/me").user == "me"
    with pytest.raises(InvalidArgument):
        UserName.parse("users/Judge Wang")


def test_court_of_a_name_the_system_made():
    assert court_of(f"courts/440301/cases/{CASE}/nodes/hearing") == "440301"


def test_a_list_parent_may_span_every_court():
    parent = NodeName.parse("courts/-/cases/-/nodes/-", "parent", wildcard=True)
    assert (parent.court, parent.case, parent.node) == ("-", None, None)
    assert str(CaseName.parse("courts/-/cases/-", "parent", wildcard=True)) == "courts/-/cases/-"


def test_defining_a_schema_does_not_load_grpc():
    import subprocess
    import sys

    # models.py formats names; importing names.py must stay as light as the schema itself.
    loaded = subprocess.run([sys.executable, "-c", "import sys, services.common.names, services.node.models, "
                             "services.case.models; print('grpc' in sys.modules)"],
                            capture_output=True, text=True, check=True).stdout.strip()
    assert loaded == "False"
