"""Reading a court's org directory file: good rows become specs, every bad row is named."""
from __future__ import annotations

from courtflow.common.v1.caller_pb2 import Role

from gateway.directory.file import CSV_COLUMNS, parse

KNOWN = dict(known_courts={"44", "4401", "440101"}, known_departments={"440101-civil1"},
             known_users={"vice_president.440101": "440101", "judge.440101.civil1.1": "440101",
                          "judge.440102.civil1.1": "440102"})

GOOD_YAML = """
departments:
  - {court: "440101", id: 440101-family, display_name: 家事审判庭, kind: civil, vice_president: vice_president.440101}
users:
  - {username: judge.440101.family.1, display_name: 周敏, role: judge, court: "440101", department: 440101-family,
     mobile: "13912345678"}
  - {username: head.440101.family, display_name: 吴刚, role: division_head, court: "440101",
     department: 440101-family, absent: true, deputy: judge.440101.family.1}
"""


def test_a_good_yaml_file_gives_its_departments_and_users():
    parsed, problems = parse(GOOD_YAML.encode(), "yaml", **KNOWN)
    assert problems == []
    assert [d.department_id for d in parsed.departments] == ["440101-family"]
    assert parsed.departments[0].vice_president == "vice_president.440101"
    judge, head = parsed.users
    assert judge.role == Role.ROLE_JUDGE and judge.active and not judge.absent and judge.mobile == "13912345678"
    assert head.absent and head.deputy == "judge.440101.family.1"   # a deputy from the same file


def test_a_csv_export_with_a_bom_and_yes_no_flags():
    rows = [",".join(CSV_COLUMNS), "clerk.440101.civil1.9,郑洁,clerk,440101,440101-civil1,,是,否,"]
    parsed, problems = parse(("\ufeff" + "\n".join(rows)).encode(), "csv", **KNOWN)
    assert problems == [] and parsed.users[0].active and not parsed.users[0].absent


def test_every_bad_row_is_named_with_its_field():
    bad = """
users:
  - {username: Judge.Bad, display_name: 甲, role: judge, court: "440101", department: 440101-civil1}
  - {username: judge.440101.civil1.8, display_name: 乙, role: jugde, court: "440101", department: 440101-civil1}
  - {username: judge.440101.civil1.7, display_name: 丙, role: judge, court: "440199"}
  - {username: judge.440101.civil1.6, display_name: 丁, role: judge, court: "440101", department: 440101-civil1,
     mobile: "12345", deputy: judge.440102.civil1.1, active: maybe}
  - {username: judge.440101.civil1.6, display_name: 戊, role: court_system, court: "440101"}
"""
    _, problems = parse(bad.encode(), "yaml", **KNOWN)
    fields = {p.field for p in problems}
    assert {"users[0].username", "users[1].role", "users[2].court", "users[2].department", "users[3].mobile",
            "users[3].deputy", "users[3].active", "users[4].role"} <= fields
    assert any("jugde" in p.description for p in problems)


def test_a_file_of_the_wrong_shape_is_refused_as_a_whole():
    assert parse(b"\xff\xfe", "yaml", **KNOWN)[1][0].description == "文件不是 UTF-8 编码"
    assert "表头" in parse(b"name,role\n", "csv", **KNOWN)[1][0].description
    assert "departments 和 users" in parse(b"people: []", "yaml", **KNOWN)[1][0].description
    _, problems = parse(b"departments: [{court: '440101', id: civil9, display_name: x, kind: civil, "
                        b"vice_president: ghost}]", "yaml", **KNOWN)
    assert {p.field for p in problems} == {"departments[0].id"}


def test_someone_away_needs_a_deputy():
    """Reminders of someone marked absent go to the deputy only: absent without one is refused
    (issue 19, item 9: they were accepted, and the reminders reached only the absent person)."""
    away = """
users:
  - {username: judge.440101.civil1.5, display_name: 甲, role: judge, court: "440101", department: 440101-civil1,
     absent: true}
"""
    _, problems = parse(away.encode(), "yaml", **KNOWN)
    assert [(p.field, "代理人" in p.description) for p in problems] == [("users[0].deputy", True)]


def test_a_duplicate_is_named_on_its_own_line_after_a_bad_row():
    """A bad row before a duplicate shifted the line named (a duplicate on line 5 was said to be
    on line 4); a quoted field over two lines counts as both."""
    rows = [",".join(CSV_COLUMNS),
            "clerk.440101.civil1.9,郑洁,clerk,440101,440101-civil1,,true,false,",
            "clerk.440101.civil1.8,坏行,no_such_role,440101,440101-civil1,,true,false,",
            '"clerk.440101.civil1.7","王\n芳",clerk,440101,440101-civil1,,true,false,',
            "clerk.440101.civil1.9,郑洁,clerk,440101,440101-civil1,,true,false,"]
    _, problems = parse("\n".join(rows).encode(), "csv", **KNOWN)
    assert {p.field for p in problems} == {"第3行.role", "第6行.username"}
