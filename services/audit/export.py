"""Audit records as files for auditors (P8): CSV (UTF-8 with a byte-order mark, so that Excel
reads the Chinese correctly) and XLSX. Pure: rows in, bytes out."""
from __future__ import annotations

import csv
import io
from datetime import datetime
from typing import Iterable, Sequence

import xlsxwriter

from courtflow.audit.v1.audit_pb2 import AuditResult
from courtflow.common.v1.caller_pb2 import Role

from services.common.clock import LEGAL_TZ
from services.common.labels import REASONS

HEADERS = ("序号", "时间", "用户", "姓名", "角色", "法院", "部门", "操作", "对象", "结果", "原因", "客户端地址",
           "客户端", "跟踪编号", "哈希")
# Each column's width in the workbook (characters), so that a time, a reason or a hash is read
# whole when the file is opened, not cut at Excel's default width.
WIDTHS = (8, 20, 24, 18, 10, 10, 40, 52, 52, 8, 36, 20, 24, 34, 66)
assert len(WIDTHS) == len(HEADERS)
RESULTS = {AuditResult.AUDIT_RESULT_SUCCEEDED: "成功", AuditResult.AUDIT_RESULT_DENIED: "拒绝",
           AuditResult.AUDIT_RESULT_FAILED: "失败"}
ROLES = {Role.ROLE_JUDGE: "法官", Role.ROLE_JUDGE_ASSISTANT: "法官助理", Role.ROLE_CLERK: "书记员",
         Role.ROLE_DIVISION_HEAD: "庭长", Role.ROLE_VICE_PRESIDENT: "分管院领导", Role.ROLE_PRESIDENT: "院长",
         Role.ROLE_TRIAL_MANAGEMENT: "审管办", Role.ROLE_AUDITOR: "审计/监察", Role.ROLE_SYSTEM_ADMIN: "系统管理员",
         Role.ROLE_COURT_SYSTEM: "办案系统接口"}


def line(r) -> tuple:
    """One record as the columns of HEADERS; times in Asia/Shanghai."""
    return (r.sequence, _local(r.occur_time), r.actor.removeprefix("users/"), r.actor_display_name,
            ROLES.get(r.role, ""), r.court, r.department, r.action, r.resource, RESULTS.get(r.result, ""),
            reason_words(r.error_reason), r.client_address, r.user_agent, r.trace_id, r.hash)


def reason_words(reason: str) -> str:
    """原因 as the console's audit page shows it, 「超出权限范围（OUT_OF_SCOPE）」: the words for the
    auditor, the code for support to match with the services' logs. A reason without words (a
    retention run's note) is written as recorded."""
    words = REASONS.get(reason)
    return f"{words}（{reason}）" if words else reason


def _inert(value):
    """A text cell that a spreadsheet would take for a formula (=, +, -, @) is quoted: the log holds
    what users typed and sent, and opening an export must not run it."""
    return f"'{value}" if isinstance(value, str) and value[:1] in ("=", "+", "-", "@") else value


def _local(t: datetime) -> str:
    return t.astimezone(LEGAL_TZ).strftime("%Y-%m-%d %H:%M:%S")


def to_csv(rows: Iterable) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADERS)
    writer.writerows(tuple(_inert(v) for v in line(r)) for r in rows)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def to_xlsx(rows: Sequence) -> bytes:
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False})
    sheet = book.add_worksheet("操作日志")
    bold = book.add_format({"bold": True})
    sheet.write_row(0, 0, HEADERS, bold)
    for column, width in enumerate(WIDTHS):
        sheet.set_column(column, column, width)
    for i, r in enumerate(rows, start=1):
        sheet.write_row(i, 0, line(r))
    sheet.freeze_panes(1, 0)
    book.close()
    return out.getvalue()
