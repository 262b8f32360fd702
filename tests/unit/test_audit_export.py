"""Audit export files: what an auditor opens in Excel."""
from __future__ import annotations

import csv
import io
import re
import zipfile
from datetime import datetime, timezone
from types import SimpleNamespace

from courtflow.audit.v1.audit_pb2 import AuditResult
from courtflow.common.v1.caller_pb2 import Role

from services.audit.export import HEADERS, to_csv, to_xlsx


def record(n: int, **overrides):
    values = dict(sequence=n, occur_time=datetime(2026, 11, 26, 16, 30, tzinfo=timezone.utc), actor="users/judge.1",
                  actor_display_name="张法官", role=Role.ROLE_JUDGE, court="440101",
                  department="courts/440101/departments/440101-civil1",
                  action="/courtflow.node.v1.NodeService/CreateApplication", resource="courts/440101/cases/x",
                  result=AuditResult.AUDIT_RESULT_DENIED, error_reason="OUT_OF_SCOPE", client_address="ipv4:10.0.0.1",
                  user_agent="grpc-python", trace_id="ab" * 16, hash="0" * 64)
    values.update(overrides)
    return SimpleNamespace(**values)


def test_csv_has_a_bom_chinese_headers_and_local_times():
    data = to_csv([record(1), record(2, actor_display_name='王"五', result=AuditResult.AUDIT_RESULT_SUCCEEDED)])
    assert data.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert tuple(rows[0]) == HEADERS and len(rows) == 3
    assert rows[1][1] == "2026-11-27 00:30:00"      # Asia/Shanghai, not UTC
    assert (rows[1][3], rows[1][4], rows[1][9]) == ("张法官", "法官", "拒绝")
    assert rows[2][3] == '王"五' and rows[2][9] == "成功"


def test_xlsx_is_a_workbook_with_the_same_content():
    data = to_xlsx([record(1), record(2, actor="users=cmd|' /C calc'!A0")])
    with zipfile.ZipFile(io.BytesIO(data)) as book:
        strings = book.read("xl/sharedStrings.xml").decode("utf-8")
        sheet = book.read("xl/worksheets/sheet1.xml").decode("utf-8")
    assert "操作日志" in zipfile.ZipFile(io.BytesIO(data)).read("xl/workbook.xml").decode("utf-8")
    assert all(h in strings for h in HEADERS) and "张法官" in strings
    assert "<f>" not in sheet  # a value that looks like a formula stays text


def test_csv_cells_that_look_like_formulas_are_quoted():
    rows = list(csv.reader(io.StringIO(to_csv([record(1, user_agent="=HYPERLINK(\"http://x\")")]).decode("utf-8-sig"))))
    assert rows[1][12] == "'=HYPERLINK(\"http://x\")"


def test_the_reason_is_in_words_with_its_code_for_support():
    """The 原因 column reads as the console's audit page does, not as a bare code (OUT_OF_SCOPE)."""
    data = to_csv([record(1), record(2, error_reason=""), record(3, error_reason="按保留期清理 21 条记录（至 auditRecords/21）")])
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert [r[10] for r in rows[1:]] == ["超出权限范围（OUT_OF_SCOPE）", "", "按保留期清理 21 条记录（至 auditRecords/21）"]
    with zipfile.ZipFile(io.BytesIO(to_xlsx([record(1)]))) as book:
        assert "超出权限范围（OUT_OF_SCOPE）" in book.read("xl/sharedStrings.xml").decode("utf-8")


def test_the_workbooks_columns_are_wide_enough_to_read_a_time_a_reason_and_a_hash():
    """Excel's default width cut the time (2026-11-2…) and the reason; each column has its width."""
    with zipfile.ZipFile(io.BytesIO(to_xlsx([record(1)]))) as book:
        sheet = book.read("xl/worksheets/sheet1.xml").decode("utf-8")
    widths = [float(w) for first, last, w in re.findall(r'<col min="(\d+)" max="(\d+)" width="([0-9.]+)"', sheet)
              for _ in range(int(first), int(last) + 1)]   # equal neighbours share one <col>
    assert len(widths) == len(HEADERS) and min(widths[1], widths[10]) >= 20 and widths[14] >= 64
