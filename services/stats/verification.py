"""VerifyIntegrity: the checks of `courtflow verify` over a caller's scope, for the trial
management office, court presidents and system administrators.

No service reads another's schema (DESIGN rule 2), so each answers for its own data
(IntegrityService.CheckIntegrity, through sources.py, as the caller): the case service streams its
cases with the locks they hold, the node service its nodes per case and its catalogue's nodes
opened at filing, both ordered by case id, so that they are walked together here without holding
either whole (integrity.case_findings, the comparison `courtflow verify` makes too); the node,
alert and audit services find what is wrong with their own timers, applications, reminders and
chain. For the whole province the plumbing of every service is checked as well (outbox, dead
letters, consumers), this one's here, and the operations every service reported are looked up in
the audit chain.
"""
from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Engine

from courtflow.common.v1 import integrity_pb2 as pb
from courtflow.common.v1.caller_pb2 import Caller

from services.common import integrity as common
from services.common.integrity import Finding, findings_from_proto
from services.common.integrity_service import BATCH, own_checks
from services.common.names import CaseName
from services.stats import integrity

# Each check lists at most this many findings (its count is of all).
MAX_LISTED = 1000


@dataclass(frozen=True)
class IntegrityReport:
    checks: list[str]          # the checks run, in the order `courtflow verify` prints them
    counts: dict[str, int]     # findings per check
    findings: list[Finding]    # at most MAX_LISTED per check


class _Ledger:
    """The operations the services reported, looked up in the audit chain in batches as they
    arrive (a day of a province's operations is not held here whole)."""

    def __init__(self, sources, caller: Caller, request: pb.CheckIntegrityRequest) -> None:
        self._sources, self._caller, self._request = sources, caller, request
        self._pending: list[pb.ReportedOperation] = []
        self.findings: list[Finding] = []

    def add(self, operations) -> None:
        self._pending += operations
        while len(self._pending) >= BATCH:
            self._ask(self._pending[:BATCH])
            del self._pending[:BATCH]

    def close(self) -> list[Finding]:
        if self._pending:
            self._ask(self._pending)
            self._pending = []
        return self.findings

    def _ask(self, operations: list[pb.ReportedOperation]) -> None:
        ask = pb.CheckIntegrityRequest(parent=self._request.parent, operations=operations,
                                       stuck_after_seconds=self._request.stuck_after_seconds)
        self.findings += _Answer(self._sources.integrity("audit", self._caller, ask)).drain().findings


class _Answer:
    """One service's streamed answer, read as the walk asks for it: what it found, the checks it
    ran and its catalogue's expectations are kept on the way, the operations it reported handed
    to the ledger."""

    def __init__(self, messages: Iterator[pb.CheckIntegrityResponse], ledger: _Ledger | None = None) -> None:
        self._messages, self._ledger = messages, ledger
        self.findings: list[Finding] = []
        self.checks: set[str] = set()
        self.expected: dict[tuple, set[str]] = {}
        self.names: dict[str, str] = {}

    def take(self, message: pb.CheckIntegrityResponse) -> None:
        self.findings += findings_from_proto(message.findings)
        self.checks.update(message.checks)
        if message.reported_operations and self._ledger is not None:
            self._ledger.add(message.reported_operations)
        self.names.update(message.node_type_names)
        for e in message.filing_expectations:
            self.expected[(e.case_type, e.procedure, e.foreign_related, e.private_prosecution)] = set(e.node_types)

    def _read(self) -> Iterator[pb.CheckIntegrityResponse]:
        for message in self._messages:
            self.take(message)
            yield message

    def cases(self) -> Iterator[tuple]:
        for message in self._read():
            yield from ((CaseName.parse(c.name).case_id, c) for c in message.cases)

    def case_nodes(self) -> Iterator[tuple]:
        for message in self._read():
            yield from ((CaseName.parse(n.case).case_id, n) for n in message.case_nodes)

    def drain(self) -> _Answer:
        for _ in self._read():
            pass
        return self


def verify_integrity(engine: Engine, sources, *, caller: Caller, court: str, stuck_after: timedelta,
                     settled_before: datetime, stuck_consumers: list[Finding]) -> IntegrityReport:
    """`stuck_consumers`: this service's own, found on the event loop; `settled_before`: the
    clock less `stuck_after`."""
    scope = common.scope_for(caller, court)   # permission before any work
    request = pb.CheckIntegrityRequest(parent=f"courts/{court}", stuck_after_seconds=int(stuck_after.total_seconds()))
    ledger = _Ledger(sources, caller, request)
    cases, nodes = (_Answer(sources.integrity(c, caller, request), ledger) for c in ("case", "node"))
    found: list[Finding] = []
    for case_id, (case, case_nodes) in common.joined(cases.cases(), nodes.case_nodes()):
        found += _case(case_id, case[1] if case else None, case_nodes[1] if case_nodes else None, nodes.expected,
                       nodes.names)
    answers = [cases.drain(), nodes.drain()] + [_Answer(sources.integrity(c, caller, request), ledger).drain()
                                                for c in ("alert", "audit")]
    if scope.whole_service:
        answers.append(_own(engine, scope, settled_before, ledger))
        found += stuck_consumers
    checks = {"case_nodes", "locks"}.union(*(a.checks for a in answers))
    for answer in answers:
        found += answer.findings
    found += ledger.close()   # (the services report operations to a province-scope caller only)
    counts = {check: sum(1 for f in found if f.check == check) for check in common.CHECKS if check in checks}
    listed = [f for _, group in itertools.groupby(sorted(found, key=_order), key=lambda f: f.check)
              for f in itertools.islice(group, MAX_LISTED)]
    return IntegrityReport(list(counts), counts, listed)


def _case(case_id, case: pb.CaseIntegrity | None, nodes: pb.CaseNodes | None, expected: dict,
          names: dict[str, str]) -> list[Finding]:
    codes, locked = (set(nodes.node_types), set(nodes.locked_nodes)) if nodes else (set(), set())
    exists = case is not None and case.exists
    name = case.name if case else nodes.case
    kind = (case.case_type, case.procedure, case.foreign_related, case.private_prosecution) if case else None
    return integrity.case_findings(name, exists=exists, filed=exists and case.filed, locked=exists and case.locked,
                                   held=set(case.held_locks) if case else set(), codes=codes, locked_nodes=locked,
                                   expected=expected.get(kind, set()), names=names)


def _own(engine: Engine, scope: common.Scope, settled_before: datetime, ledger: _Ledger) -> _Answer:
    """This service's plumbing, checked as every other service checks its own."""
    answer = _Answer(iter(()), ledger)
    own_checks(engine, "stats", scope, answer.take, answer=None, settled_before=settled_before)
    return answer


def _order(finding: Finding) -> tuple:
    return list(common.CHECKS).index(finding.check) if finding.check in common.CHECKS else len(common.CHECKS), \
        finding.name
