"""The integrity checks of `courtflow verify`, composed across the services' schemas in one
snapshot. Each check's logic is its service's (services/<svc>/integrity.py): the queries of its
schema and a pure function of what they return; here the services' data meet, walked together by
case or node id so that nothing has to be held whole in memory.

An operator's tool reads every schema; no service does (DESIGN rule 2).
"""
from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import Connection

from services.alert import integrity as alert_checks
from services.audit import integrity as audit_checks
from services.case import integrity as case_checks
from services.common import integrity as common
from services.common.integrity import Finding
from services.common.names import CaseName
from services.node import catalog as catalogs, integrity as node_checks
from services.stats import integrity as stats_checks


def run_checks(conn: Connection, *, now: datetime, stuck_after: timedelta, catalog: Path, sms_log: Path,
               audit_key: str | None) -> list[Finding]:
    present = set(common.outbox_schemas(conn))
    found: list[Finding] = []
    if {"cases", "nodes"} <= present:
        found += cases_and_nodes(conn, catalogs.load(catalog))
    if "nodes" in present:
        found += clocks(conn)
    if "audit" in present:
        found += audit(conn, present, audit_key=audit_key, settled_before=now - stuck_after)
    if "alerts" in present:
        found += alert_checks.twice_in_inbox(alert_checks.message_keys(conn))
        found += alert_checks.twice_by_sms(conn, alert_checks.sms_log(sms_log))
    for schema in sorted(present):
        found += common.stuck_outbox(conn, schema, before=now - stuck_after)
    return found


def cases_and_nodes(conn: Connection, catalog: catalogs.Catalog) -> list[Finding]:
    """The case service's cases and locks against the node service's nodes, case by case (the
    comparison is VerifyIntegrity's too: services/stats/integrity.py)."""
    found, names = [], node_checks.node_type_names(catalog)
    joined = common.joined(((c["id"], c) for c in case_checks.cases(conn)), case_checks.held_locks(conn),
                           node_checks.by_case(conn))
    for case_id, (row, held, nodes) in joined:
        case = row[1] if row else None
        codes, locked_nodes = (nodes[2], nodes[3]) if nodes else (set(), set())
        filed = case is not None and case["filing_date"] is not None
        expected = node_checks.expected_at_filing(catalog, case_type=case["case_type"], procedure=case["procedure"],
                                                  foreign_related=case["foreign_related"],
                                                  private_prosecution=case["private_prosecution"]) if filed else set()
        where = case_checks.name(case) if case else str(CaseName(nodes[1] if nodes else "-", case_id))
        found += stats_checks.case_findings(where, exists=case is not None, filed=filed,
                                            locked=bool(case and case["locked"]), held=held[1] if held else set(),
                                            codes=codes, locked_nodes=locked_nodes, expected=expected, names=names)
    return found


def clocks(conn: Connection) -> list[Finding]:
    """Each node's timers and approved applications against its clock."""
    found = []
    for node, timers, apps in node_checks.nodes_with_parts(conn):
        found += node_checks.timer_findings(node, timers)
        found += node_checks.application_findings(node, apps)
    return found + node_checks.orphan_findings(node_checks.orphan_parts(conn))


def audit(conn: Connection, schemas: set[str], *, audit_key: str | None, settled_before: datetime) -> list[Finding]:
    """The chain verifies, and holds every operation reported before `settled_before` (later ones
    may still be on their way)."""
    if audit_key is None:
        return [Finding("audit", "audit/records", "未校验日志链：没有密钥（设置 AUDIT_CHECKPOINT_KEY 或 "
                                                  "COURTFLOW_INTERNAL_KEY，或给出 --data）")]
    found = audit_checks.chain_findings(conn, checkpoint_key=audit_key)
    kept_after = audit_checks.removed_until(conn)
    for schema in sorted(schemas):
        reported = (r for r in common.reported_operations(conn, schema) if r[2] <= settled_before)
        found += audit_checks.unrecorded(conn, schema, reported, kept_after=kept_after)
    return found
