"""Demo data through the front door: synthetic cases registered via the gateway, as a
court business system would push them (I1). Also used by tests and benchmarks."""
from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import grpc

from courtflow.case.v1 import case_pb2, case_service_pb2, case_service_pb2_grpc

from runtime.synthetic import CaseSeed

PARTY_ROLES = {"原告": case_pb2.PARTY_ROLE_PLAINTIFF, "被告": case_pb2.PARTY_ROLE_DEFENDANT,
               "第三人": case_pb2.PARTY_ROLE_THIRD_PARTY}
CASE_TYPES = {"civil": case_pb2.CASE_TYPE_CIVIL, "criminal": case_pb2.CASE_TYPE_CRIMINAL,
              "administrative": case_pb2.CASE_TYPE_ADMINISTRATIVE, "execution": case_pb2.CASE_TYPE_EXECUTION}
PROCEDURES = {"first_instance_ordinary": case_pb2.PROCEDURE_FIRST_INSTANCE_ORDINARY,
              "simplified": case_pb2.PROCEDURE_SIMPLIFIED, "second_instance": case_pb2.PROCEDURE_SECOND_INSTANCE}


def create_request(seed: CaseSeed) -> case_service_pb2.CreateCaseRequest:
    req = case_service_pb2.CreateCaseRequest(parent=f"courts/{seed.court_id}", request_id=seed.request_id)
    c = req.case
    c.case_number, c.cause, c.custody = seed.case_number, seed.cause, seed.custody
    c.case_type, c.procedure = CASE_TYPES[seed.case_type], PROCEDURES[seed.procedure]
    c.department = f"courts/{seed.court_id}/departments/{seed.department_id}"
    c.handler = f"users/{seed.handler}"
    c.filing_date.year, c.filing_date.month, c.filing_date.day = (seed.filing_date.year, seed.filing_date.month,
                                                                  seed.filing_date.day)
    for party in seed.parties:
        role, _, name = party.partition(" ")
        c.parties.add(role=PARTY_ROLES.get(role, case_pb2.PARTY_ROLE_THIRD_PARTY), display_name=name or party)
    return req


def bearer(token: str) -> list[tuple[str, str]]:
    return [("authorization", f"Bearer {token}")]


def load_logins(path: Path) -> dict[str, dict]:
    return json.loads(path.read_text(encoding="utf-8"))


def register_cases(gateway: str, token: str, seeds: list[CaseSeed], *, clients: int = 4) -> list[str]:
    """Register cases through the gateway (idempotent: a re-run returns the same cases)."""
    with grpc.insecure_channel(gateway) as channel:
        stub = case_service_pb2_grpc.CaseServiceStub(channel)

        def one(seed: CaseSeed) -> str:
            return stub.CreateCase(create_request(seed), metadata=bearer(token), timeout=30).case.name

        with ThreadPoolExecutor(clients) as pool:
            return list(pool.map(one, seeds))
