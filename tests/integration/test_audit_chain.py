"""The audit chain against a real PostgreSQL: VerifyAuditChain's walk finds an altered, deleted,
reordered or rewritten record, a cut tail and a forged checkpoint, each by tampering in the
database directly, and names the first bad record."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from courtflow.audit.v1.audit_pb2 import AuditResult, Operation
from courtflow.common.v1.caller_pb2 import Caller, Role, ScopeLevel

from conftest import new_database
from services.audit import chain, service
from services.audit.models import MESSAGING, SCHEMA
from services.common.clock import ManualClock
from services.common.errors import InvalidArgument, PermissionDenied
from services.common.migrate import upgrade
from services.common.uow import uow_factory

pytestmark = pytest.mark.timeout(120)
MIGRATIONS = Path(service.__file__).parent / "migrations"
KEY = "audit-checkpoint-test-key"
AUDITOR = Caller(user="users/auditor.44", role=Role.ROLE_AUDITOR, court="44", scope=ScopeLevel.SCOPE_LEVEL_PROVINCE,
                 scope_prefix="44")
RECORDS, EVERY = 25, 10


@pytest.fixture
def audit_db(postgres):
    url = new_database(postgres, "audit_chain")
    upgrade(url, schema=SCHEMA, migrations=MIGRATIONS)
    engine = create_engine(url)
    factory = uow_factory(engine, producer="audit", messaging=MESSAGING,
                          clock=ManualClock(datetime(2026, 11, 27, 2, tzinfo=timezone.utc)))
    for start in range(0, RECORDS, 7):  # batches of 7: checkpoints fall inside batches
        with factory() as uow:
            service.append(uow, [op(i) for i in range(start, min(start + 7, RECORDS))], checkpoint_key=KEY,
                           every=EVERY)
            uow.commit()
    yield engine, factory
    engine.dispose()


def op(i: int) -> Operation:
    o = Operation(id=f"op-{i}", actor=f"users/judge.{i}", actor_display_name="法官", role=Role.ROLE_JUDGE,
                  court="440101", department="courts/440101/departments/440101-civil1",
                  action="/courtflow.case.v1.CaseService/RecordCaseEvent", resource=f"courts/440101/cases/{i}",
                  result=AuditResult.AUDIT_RESULT_SUCCEEDED, reporter="case")
    o.occur_time.FromDatetime(datetime(2026, 11, 27, 1, i % 60, tzinfo=timezone.utc))
    return o


def tamper(engine, *statements: str) -> None:
    with engine.begin() as conn:
        for statement in statements:
            conn.execute(text(statement))


def verify(factory, key: str = KEY) -> service.Verification:
    return service.verify(factory, caller=AUDITOR, checkpoint_key=key)


def found(v: service.Verification) -> tuple[int, str]:
    assert not v.intact
    return v.finding.sequence, v.finding.problem


def test_an_intact_chain_verifies_with_its_checkpoints(audit_db):
    _, factory = audit_db
    v = verify(factory)
    assert (v.intact, v.verified_records, v.head_sequence) == (True, RECORDS, RECORDS)
    assert v.checkpoints_verified == 2  # passed 10 and 20


def test_an_altered_record_is_named(audit_db):
    engine, factory = audit_db
    tamper(engine, f"UPDATE {SCHEMA}.records SET actor = 'users/someone.else' WHERE sequence = 7")
    assert found(verify(factory)) == (7, "ALTERED")


def test_a_deleted_record_is_named(audit_db):
    engine, factory = audit_db
    tamper(engine, f"DELETE FROM {SCHEMA}.records WHERE sequence = 7")
    assert found(verify(factory)) == (7, "MISSING")


def test_reordered_records_are_named(audit_db):
    engine, factory = audit_db
    tamper(engine, f"UPDATE {SCHEMA}.records SET sequence = -5 WHERE sequence = 5",
           f"UPDATE {SCHEMA}.records SET sequence = 5 WHERE sequence = 6",
           f"UPDATE {SCHEMA}.records SET sequence = 6 WHERE sequence = -5")
    assert found(verify(factory)) == (5, "BROKEN_LINK")


def test_a_cut_tail_is_found_even_when_the_head_is_moved_back(audit_db):
    engine, factory = audit_db
    tamper(engine, f"DELETE FROM {SCHEMA}.records WHERE sequence > 18",
           f"UPDATE {SCHEMA}.chain_head SET sequence = 18, hash = (SELECT hash FROM {SCHEMA}.records WHERE sequence = 18)")
    assert found(verify(factory)) == (19, "MISSING")  # the checkpoint past 20 remembers


def test_a_consistent_rewrite_disagrees_with_the_signed_checkpoint(audit_db):
    engine, factory = audit_db
    # Whoever rewrites record 3 and every hash after it, and the head, keeps every link intact...
    with engine.begin() as conn:
        rows = conn.execute(text(f"SELECT * FROM {SCHEMA}.records ORDER BY sequence")).mappings().all()
        previous = rows[1]["hash"]
        for r in rows[2:]:
            content = {f: r[f] for f in chain.CONTENT_FIELDS}
            if r["sequence"] == 3:
                content["actor"] = "users/someone.else"
            digest = chain.link(previous, content)
            conn.execute(text(f"UPDATE {SCHEMA}.records SET actor = :actor, previous_hash = :p, hash = :h "
                              "WHERE sequence = :s"), {"actor": content["actor"], "p": previous, "h": digest,
                                                       "s": r["sequence"]})
            previous = digest
        conn.execute(text(f"UPDATE {SCHEMA}.chain_head SET hash = :h"), {"h": previous})
    # ... but not the checkpoints, signed with a key the database does not hold.
    assert found(verify(factory))[1] == "REWRITTEN"
    assert found(verify(factory))[0] == 14  # the first checkpoint after record 3 (batches end at 7, 14, 21, 25)


def test_a_forged_checkpoint_is_found(audit_db):
    engine, factory = audit_db
    tamper(engine, f"UPDATE {SCHEMA}.checkpoints SET signature = repeat('0', 64) "
                   f"WHERE sequence = (SELECT min(sequence) FROM {SCHEMA}.checkpoints)")
    assert found(verify(factory))[1] == "CHECKPOINT_FORGED"
    assert found(verify(factory, key="another key"))[1] == "CHECKPOINT_FORGED"


@pytest.mark.parametrize("who", [
    Caller(user="users/judge", role=Role.ROLE_JUDGE, court="44", scope=ScopeLevel.SCOPE_LEVEL_PROVINCE, scope_prefix="44"),
    Caller(user="users/auditor.440101", role=Role.ROLE_AUDITOR, court="440101", scope=ScopeLevel.SCOPE_LEVEL_COURT,
           scope_prefix="440101"),
])
def test_only_province_auditors_verify(audit_db, who):
    _, factory = audit_db
    with pytest.raises(PermissionDenied):
        service.verify(factory, caller=who, checkpoint_key=KEY)


# ── usage statistics and time ranges (P8) ─────────────────────────────────────────────────────

def test_usage_by_person_department_and_court_within_scope_and_time(audit_db):
    _, factory = audit_db
    extra = []
    for i, (actor, court, department, result, minute) in enumerate((
            ("users/clerk.440102.civil1.1", "440102", "courts/440102/departments/440102-civil1",
             AuditResult.AUDIT_RESULT_DENIED, 40),
            ("users/clerk.440102.civil1.1", "440102", "courts/440102/departments/440102-civil1",
             AuditResult.AUDIT_RESULT_FAILED, 41),
            ("users/judge.3", "440101", "courts/440101/departments/440101-civil1", AuditResult.AUDIT_RESULT_DENIED, 42))):
        o = op(100 + i)
        o.actor, o.court, o.department, o.result = actor, court, department, result
        o.occur_time.FromDatetime(datetime(2026, 11, 27, 1, minute, tzinfo=timezone.utc))
        extra.append(o)
    with factory() as uow:
        service.append(uow, extra, checkpoint_key=KEY, every=EVERY)
        uow.commit()

    by_court = {u.key: u for u in service.usage(factory, caller=AUDITOR, group_by="court", start=None, end=None)}
    assert {k: (u.operations, u.denied, u.failed) for k, u in by_court.items()} == {
        "440101": (RECORDS + 1, 1, 0), "440102": (2, 1, 1)}
    by_person = service.usage(factory, caller=AUDITOR, group_by="actor", start=None, end=None)
    assert by_person[0].key == "users/clerk.440102.civil1.1" and by_person[0].operations == 2  # most active first
    assert {u.key for u in by_person if u.key.startswith("users/judge.3")} == {"users/judge.3"}

    # A basic court's auditor counts only that court; a time range counts only its operations.
    court_auditor = Caller(user="users/auditor.440102", role=Role.ROLE_AUDITOR, court="440102",
                           scope=ScopeLevel.SCOPE_LEVEL_COURT, scope_prefix="440102")
    departments = service.usage(factory, caller=court_auditor, group_by="department", start=None, end=None)
    assert [(u.key, u.operations) for u in departments] == [("courts/440102/departments/440102-civil1", 2)]
    window = service.usage(factory, caller=AUDITOR, group_by="court",
                           start=datetime(2026, 11, 27, 1, 41, tzinfo=timezone.utc),
                           end=datetime(2026, 11, 27, 1, 43, tzinfo=timezone.utc))
    assert {u.key: u.operations for u in window} == {"440101": 1, "440102": 1}
    with pytest.raises(InvalidArgument):
        service.usage(factory, caller=AUDITOR, group_by="court", start=datetime(2026, 11, 27, 2, tzinfo=timezone.utc),
                      end=datetime(2026, 11, 27, 1, tzinfo=timezone.utc))


# ── retention ─────────────────────────────────────────────────────────────────────────────────

def purge_later(factory, days: int):
    """Retention run `days` after the records were written (RECORDS=25 in batches of 7: checkpoints
    at 14 and 21, the heads of the batches that passed 10 and 20)."""
    from services.audit import retention
    clock = ManualClock(datetime(2026, 11, 27, 2, tzinfo=timezone.utc) + timedelta(days=days))
    later = lambda: factory(clock)  # noqa: E731
    return retention.purge(later, checkpoint_key=KEY, retention_days=180, every=EVERY), later


@pytest.fixture
def clocked(audit_db):
    engine, factory = audit_db
    return engine, lambda clock: uow_factory(engine, producer="audit", messaging=MESSAGING, clock=clock)()


def test_retention_keeps_the_period_and_the_rest_verifies_from_a_signed_anchor(clocked):
    engine, factory = clocked
    removed, later = purge_later(factory, 179)
    assert removed == 0                              # inside the period: nothing goes
    removed, later = purge_later(factory, 181)
    assert removed == 21                             # up to the last checkpoint (21), not beyond
    v = verify(later)
    assert (v.intact, v.first_sequence, v.verified_records, v.head_sequence) == (True, 22, 5, 26)
    with engine.connect() as conn:
        purge_record = conn.execute(text(f"SELECT action, error_reason FROM {SCHEMA}.records "
                                         "WHERE sequence = 26")).one()
    assert purge_record[0] == "audit.retention.purge" and "按保留期清理 21 条记录" in purge_record[1]
    assert purge_later(factory, 182)[0] == 0         # nothing more until the next checkpoint ages


def test_after_retention_a_deletion_or_a_forged_anchor_is_still_found(clocked):
    engine, factory = clocked
    _, later = purge_later(factory, 181)
    tamper(engine, f"UPDATE {SCHEMA}.anchors SET sequence = 23")       # claim more went by retention
    assert found(verify(later)) == (23, "ANCHOR_FORGED")
    tamper(engine, f"UPDATE {SCHEMA}.anchors SET sequence = 21")
    assert verify(later).intact
    tamper(engine, f"DELETE FROM {SCHEMA}.records WHERE sequence = 22")
    assert found(verify(later)) == (22, "MISSING")
    tamper(engine, f"DELETE FROM {SCHEMA}.anchors")                    # hide the anchor: all is missing
    assert found(verify(later)) == (1, "MISSING")


def test_retention_shorter_than_180_days_stops_start_up():
    from services.audit.config import Settings
    from services.common.settings import Env, SettingsError
    with pytest.raises(SettingsError, match="AUDIT_RETENTION_DAYS=90"):
        Settings.from_env(Env({"AUDIT_RETENTION_DAYS": "90", "COURTFLOW_INTERNAL_KEY": "k" * 32,
                               "DATABASE_URL": "postgresql://x/y", "NATS_URL": "nats://x"}))


@pytest.mark.parametrize("key", ["k" * 32, "short"])
def test_a_checkpoint_key_that_is_the_internal_key_or_short_stops_start_up(key):
    """Given, the checkpoint key is the audit service's own secret (issue 20, item 7): the internal
    key every service holds would let any of them sign checkpoints."""
    from services.audit.config import Settings
    from services.common.settings import Env, SettingsError
    env = {"COURTFLOW_INTERNAL_KEY": "k" * 32, "DATABASE_URL": "postgresql://x/y", "NATS_URL": "nats://x"}
    with pytest.raises(SettingsError, match="AUDIT_CHECKPOINT_KEY"):
        Settings.from_env(Env({**env, "AUDIT_CHECKPOINT_KEY": key}))
    assert Settings.from_env(Env({**env, "AUDIT_CHECKPOINT_KEY": "c" * 32})).checkpoint_key == "c" * 32
    assert Settings.from_env(Env(env)).checkpoint_key == "k" * 32   # the embedded mode's fallback
