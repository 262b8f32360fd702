"""Reading a court's org directory file (YAML or CSV) into checked rows. Pure: no I/O.

Every row is checked on its own and against the file (a department named by a user must exist
in the file or in the directory, which the caller passes in); every problem is reported with
its row and field, so an HR export with ten bad rows is fixed in one round, and an import with
any bad row changes nothing.

YAML:
    departments:
      - {court: "440101", id: 440101-civil1, display_name: 民一庭, kind: civil, vice_president: vice_president.440101}
    users:
      - {username: judge.440101.civil1.9, display_name: 张三, role: judge, court: "440101",
         department: 440101-civil1, mobile: "13800000000", active: true, absent: false, deputy: ""}
CSV (users only; UTF-8, header row): username,display_name,role,court,department,mobile,active,absent,deputy
"""
from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass

import yaml

from courtflow.common.v1.caller_pb2 import Role

from services.common.errors import FieldViolation

USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{0,62}$")
DEPARTMENT_ID = re.compile(r"^[0-9]{2,12}-[a-z0-9_-]{1,40}$")
COURT_ID = re.compile(r"^[0-9]{2,12}$")
MOBILE = re.compile(r"^1[3-9][0-9]{9}$")
CSV_COLUMNS = ("username", "display_name", "role", "court", "department", "mobile", "active", "absent", "deputy")
# Roles that belong to a department; the others are court-wide (a department is optional).
DEPARTMENT_ROLES = frozenset({Role.ROLE_JUDGE, Role.ROLE_JUDGE_ASSISTANT, Role.ROLE_CLERK, Role.ROLE_DIVISION_HEAD})
# Court systems are provisioned with the deployment, not by an HR file.
ASSIGNABLE_ROLES = frozenset(Role.values()) - {Role.ROLE_UNSPECIFIED, Role.ROLE_COURT_SYSTEM}
_TRUE, _FALSE = {"true", "1", "yes", "是"}, {"false", "0", "no", "否"}


@dataclass(frozen=True)
class DepartmentRowSpec:
    court: str
    department_id: str
    display_name: str
    kind: str
    vice_president: str   # username or ""


@dataclass(frozen=True)
class UserRowSpec:
    username: str
    display_name: str
    role: int
    court: str
    department_id: str    # "" for a court-wide role without one
    mobile: str
    active: bool
    absent: bool
    deputy: str           # username or ""


@dataclass(frozen=True)
class OrgFile:
    departments: list[DepartmentRowSpec]
    users: list[UserRowSpec]


def role_of(text: str) -> int | None:
    try:
        role = Role.Value(f"ROLE_{str(text).strip().upper()}")
    except ValueError:
        return None
    return role if role in ASSIGNABLE_ROLES else None


def parse(content: bytes, fmt: str, *, known_departments: set[str], known_users: dict[str, str],
          known_courts: set[str]) -> tuple[OrgFile, list[FieldViolation]]:
    """The file's rows and every problem found (empty when the file may be imported).
    `known_users` maps the directory's usernames to their courts: a deputy or a vice-president in
    charge must be of the row's own court, so an import tells nothing about other courts' people."""
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        return OrgFile([], []), [FieldViolation("content", "文件不是 UTF-8 编码")]
    if fmt == "yaml":
        try:
            data = yaml.safe_load(text) or {}
        except yaml.YAMLError as exc:
            return OrgFile([], []), [FieldViolation("content", f"YAML 格式错误: {exc}")]
        if not isinstance(data, dict) or not set(data) <= {"departments", "users"}:
            return OrgFile([], []), [FieldViolation("content", "YAML 顶层只能有 departments 和 users 两项")]
        dept_rows = [(f"departments[{i}]", r) for i, r in enumerate(data.get("departments") or [])]
        user_rows = [(f"users[{i}]", r) for i, r in enumerate(data.get("users") or [])]
    else:
        reader = csv.DictReader(io.StringIO(text))
        if tuple(reader.fieldnames or ()) != CSV_COLUMNS:
            return OrgFile([], []), [FieldViolation("content", f"CSV 表头应为 {','.join(CSV_COLUMNS)}")]
        dept_rows = []
        # the line each row ends on, as a spreadsheet or an editor numbers it
        user_rows = [(f"第{reader.line_num}行", r) for r in reader]
    problems: list[FieldViolation] = []
    departments = [d for where, row in dept_rows if (d := check_department(where, row, known_courts, problems))]
    in_file = {d.department_id for d in departments}
    people = dict(known_users) | {str(r.get("username", "")): str(r.get("court", ""))
                                  for _, r in user_rows if isinstance(r, dict)}
    checked = [(where, u) for where, row in user_rows
               if (u := check_user(where, row, known_courts, known_departments | in_file, people, problems))]
    users = [u for _, u in checked]
    seen: set[str] = set()
    # Each good row with its own place: a bad row before a duplicate must not shift the line named.
    for where, u in checked:
        if u.username in seen:
            problems.append(FieldViolation(f"{where}.username", f"用户 {u.username} 在文件中出现多次"))
        seen.add(u.username)
    for d in departments:
        if d.vice_president and people.get(d.vice_president) != d.court:
            problems.append(FieldViolation(f"departments[{d.department_id}].vice_president",
                                           f"分管院领导 {d.vice_president} 不是本院目录或文件中的用户"))
    return OrgFile(departments, users), problems


def check_department(where: str, row, courts: set[str], problems: list[FieldViolation]) -> DepartmentRowSpec | None:
    if not isinstance(row, dict):
        problems.append(FieldViolation(where, "应为 court、id、display_name、kind 等字段的映射"))
        return None
    court, dept_id = str(row.get("court", "")), str(row.get("id", ""))
    name, kind = str(row.get("display_name", "")).strip(), str(row.get("kind", "")).strip()
    before = len(problems)
    if court not in courts:
        problems.append(FieldViolation(f"{where}.court", f"法院 {court!r} 不在目录中"))
    if not DEPARTMENT_ID.match(dept_id) or not dept_id.startswith(f"{court}-"):
        problems.append(FieldViolation(f"{where}.id", f"庭室编号 {dept_id!r} 应为 <法院编号>-<小写字母>，如 {court}-civil1"))
    if not 1 <= len(name) <= 100:
        problems.append(FieldViolation(f"{where}.display_name", "庭室名称为 1 至 100 个字"))
    if not re.match(r"^[a-z_]{1,40}$", kind):
        problems.append(FieldViolation(f"{where}.kind", "类型为小写英文，如 civil、criminal、filing"))
    vp = str(row.get("vice_president") or "")
    if vp and not USERNAME.match(vp):
        problems.append(FieldViolation(f"{where}.vice_president", f"用户名 {vp!r} 格式不正确"))
    if len(problems) > before:
        return None
    return DepartmentRowSpec(court=court, department_id=dept_id, display_name=name, kind=kind, vice_president=vp)


def check_user(where: str, row, courts: set[str], departments: set[str], users: dict[str, str],
               problems: list[FieldViolation]) -> UserRowSpec | None:
    if not isinstance(row, dict):
        problems.append(FieldViolation(where, "应为 username、display_name、role 等字段的映射"))
        return None
    before = len(problems)
    get = lambda k: str(row.get(k) if row.get(k) is not None else "").strip()  # noqa: E731
    username, court, dept, mobile, deputy = get("username"), get("court"), get("department"), get("mobile"), get("deputy")
    if not USERNAME.match(username):
        problems.append(FieldViolation(f"{where}.username", f"用户名 {username!r} 应为小写字母、数字、点、下划线或连字符"))
    if not 1 <= len(get("display_name")) <= 100:
        problems.append(FieldViolation(f"{where}.display_name", "姓名为 1 至 100 个字"))
    role = role_of(get("role"))
    if role is None:
        problems.append(FieldViolation(f"{where}.role", f"未知角色 {get('role')!r}；可用: "
                                       + ", ".join(Role.Name(r).removeprefix("ROLE_").lower()
                                                   for r in sorted(ASSIGNABLE_ROLES))))
    if court not in courts:
        problems.append(FieldViolation(f"{where}.court", f"法院 {court!r} 不在目录中"))
    if dept and (dept not in departments or not dept.startswith(f"{court}-")):
        problems.append(FieldViolation(f"{where}.department", f"庭室 {dept!r} 不在该法院的目录和文件中"))
    if not dept and role in DEPARTMENT_ROLES:
        problems.append(FieldViolation(f"{where}.department", "法官、法官助理、书记员和庭长须属于一个庭室"))
    if mobile and not MOBILE.match(mobile):
        problems.append(FieldViolation(f"{where}.mobile", f"手机号码 {mobile!r} 应为 11 位数字"))
    if deputy and (deputy == username or users.get(deputy) != court):
        problems.append(FieldViolation(f"{where}.deputy", f"代理人 {deputy!r} 应为本院目录或文件中的另一用户"))
    flags = {}
    for flag, default in (("active", True), ("absent", False)):
        raw = row.get(flag)
        value = raw.strip().lower() if isinstance(raw, str) else raw
        if value is None or value == "":
            flags[flag] = default   # left out: active, present
        elif isinstance(value, bool):
            flags[flag] = value
        elif value in _TRUE or value in _FALSE:
            flags[flag] = value in _TRUE
        else:
            problems.append(FieldViolation(f"{where}.{flag}", f"{raw!r} 应为 true 或 false"))
    if flags.get("absent") and flags.get("active", True) and not deputy:
        # Reminders of someone away go to the deputy only: without one they would reach nobody.
        problems.append(FieldViolation(f"{where}.deputy", "标记为不在岗（absent）的人员须指定代理人，"
                                                          "其提醒在此期间由代理人接收"))
    if len(problems) > before:
        return None
    return UserRowSpec(username=username, display_name=get("display_name"), role=role, court=court,
                       department_id=dept, mobile=mobile, active=flags["active"], absent=flags["absent"],
                       deputy=deputy)
