"""Integrity checks of the case service's data (`courtflow verify`): a case's lock follows its
nodes' locks. The case service holds a lock for each NodeLocked it consumed and releases it on
NodeUnlocked; the node service's nodes are the truth it mirrors. The comparison with the nodes is
composed where both services' data meet (runtime/integrity.py for the operator's command, the
stats service for VerifyIntegrity); `answer` is what this service gives the latter."""
from __future__ import annotations

import itertools
from collections.abc import Iterator
from typing import Any, Mapping

from sqlalchemy import Connection, select

from courtflow.common.v1 import integrity_pb2 as pb

from services.case.models import CaseLockRow, CaseRow
from services.common.integrity import EVERYTHING, Finding, Scope, joined
from services.common.names import CaseName

BATCH = 5000
# Cases per message of the answer to VerifyIntegrity.
STREAMED = 1000


def cases(conn: Connection, scope: Scope = EVERYTHING) -> Iterator[Mapping[str, Any]]:
    """Every case in scope, ordered by id."""
    return iter(conn.execution_options(yield_per=BATCH).execute(
        select(CaseRow.id, CaseRow.court, CaseRow.case_type, CaseRow.procedure, CaseRow.filing_date,
               CaseRow.locked, CaseRow.foreign_related, CaseRow.private_prosecution)
        .where(scope.courts(CaseRow.court)).order_by(CaseRow.id)).mappings())


def held_locks(conn: Connection, scope: Scope = EVERYTHING) -> Iterator[tuple[Any, set[str]]]:
    """(case id, the names of the nodes whose locks the case holds), ordered by case id; in scope
    by the node's name, so that a lock held for a case that does not exist is seen too."""
    rows = conn.execution_options(yield_per=BATCH).execute(
        select(CaseLockRow.case_id, CaseLockRow.node).where(scope.names(CaseLockRow.node))
        .order_by(CaseLockRow.case_id))
    for case_id, group in itertools.groupby(rows, key=lambda r: r[0]):
        yield case_id, {r[1] for r in group}


def answer(conn: Connection, scope: Scope, emit) -> None:
    """This service's part of VerifyIntegrity: every case in scope with the locks it holds (a lock
    held for a case that does not exist as a case that does not exist), ordered by case id."""
    walk = joined(((c["id"], c) for c in cases(conn, scope)), held_locks(conn, scope))
    while batch := list(itertools.islice(walk, STREAMED)):
        emit(pb.CheckIntegrityResponse(cases=[_to_proto(case_id, row, held) for case_id, (row, held) in batch]))
    emit(pb.CheckIntegrityResponse(checks=["case_nodes", "locks"]))


def _to_proto(case_id, row, held) -> pb.CaseIntegrity:
    locks = sorted(held[1]) if held else []
    if row is None:   # the court is in the node's name
        return pb.CaseIntegrity(name=str(CaseName(locks[0].split("/")[1], case_id)), exists=False, held_locks=locks)
    case = row[1]
    return pb.CaseIntegrity(name=name(case), exists=True, case_type=case["case_type"], procedure=case["procedure"],
                            filed=case["filing_date"] is not None, locked=case["locked"],
                            foreign_related=case["foreign_related"],
                            private_prosecution=case["private_prosecution"], held_locks=locks)


def name(case: Mapping[str, Any]) -> str:
    return str(CaseName(case["court"], case["id"]))


def lock_findings(case_name: str, *, locked: bool, held: set[str], node_locks: set[str]) -> list[Finding]:
    """A locked case has a locked node and an unlocked one none; every lock the case holds is a
    node's that is locked, and every locked node's lock is held by its case."""
    found = [Finding("locks", node, "节点已锁定，但其案件未记录该锁定（案件仍可办理）")
             for node in sorted(node_locks - held)]
    found += [Finding("locks", node, "案件记录了该节点的锁定，但节点已解锁或不存在（案件仍被锁定）")
              for node in sorted(held - node_locks)]
    if locked != bool(held):
        found.append(Finding("locks", case_name, "案件标记为已锁定，却没有锁定它的节点" if locked
                             else "案件有锁定它的节点，却未标记为已锁定"))
    return found
