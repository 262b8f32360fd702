"""`python -m gateway import-org FILE [--validate-only]`: import a court's org directory file.

The same import as OrgService.ImportOrgDirectory (all or nothing, every bad row reported), run by
an operator with database access as the province's administrator: for the first load of a
province, before anyone can sign in. YAML or CSV by the file's ending. Needs only DATABASE_URL;
the changes reach the other services through the gateway's outbox.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from sqlalchemy import select

from courtflow.common.v1.caller_pb2 import Caller, Role, ScopeLevel

from gateway.directory import admin
from gateway.models import CourtRow
from gateway.offline import directory_database
from services.common.errors import DomainError
from services.common.settings import Env


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="python -m gateway import-org", description=__doc__.splitlines()[0])
    parser.add_argument("file", type=Path)
    parser.add_argument("--validate-only", action="store_true", help="check the file, change nothing")
    ns = parser.parse_args(argv)
    fmt = {".yaml": "yaml", ".yml": "yaml", ".csv": "csv"}.get(ns.file.suffix.lower())
    if fmt is None:
        raise SystemExit(f"{ns.file}: 文件应为 .yaml、.yml 或 .csv")
    try:
        with directory_database(Env().str("DATABASE_URL"), application_name="courtflow-import-org") as uow:
            with uow() as u:
                province = u.session.scalar(select(CourtRow.id).where(CourtRow.parent_id.is_(None)))
            if province is None:
                raise SystemExit("目录中还没有法院：先登记全省法院（python -m runtime load-demo 或部署时的法院清单）")
            operator = Caller(user="services/import-org", display_name="组织机构导入（命令行）",
                              role=Role.ROLE_SYSTEM_ADMIN, court=province, scope=ScopeLevel.SCOPE_LEVEL_PROVINCE,
                              scope_prefix=province)
            counts = admin.import_directory(uow, caller=operator, content=ns.file.read_bytes(), fmt=fmt,
                                                validate_only=ns.validate_only)
    except DomainError as err:
        for v in err.violations:
            print(f"{v.field}: {v.description}", file=sys.stderr)
        raise SystemExit(err.message if not err.violations else f"{len(err.violations)} 处错误，未导入") from None
    verb = "可导入" if ns.validate_only else "已导入"
    print(f"{verb}: 新增庭室 {counts.departments_created}，更新庭室 {counts.departments_updated}，"
          f"新增用户 {counts.users_created}，更新用户 {counts.users_updated}，未变 {counts.unchanged}", file=sys.stderr)
