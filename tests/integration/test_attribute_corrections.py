"""A case's attributes corrected after filing (UpdateCase → case_updated), in the node service's own
consumer against a real PostgreSQL and the shipped catalogue (issue 15): the time limits that
depend on them are selected again as if the case had been registered so, counted from filing.

- 涉外 (民事诉讼法涉外编: not bound by 第一百五十二、一百八十三条): corrected to non-foreign, the civil
  limit opens from filing; corrected to foreign, the running limit is withdrawn and its lock released.
- 自诉 (刑事诉讼法第二百一十二条第二款): a private prosecution whose defendant is not detained has six
  months from acceptance, not 第二百零八条's two; a correction swaps one for the other.
- Custody corrected (更正) selects again; a real custody change (羁押变化) does not swap the limit.
Handled twice, a correction leaves one running limit (idempotent)."""
from __future__ import annotations

import uuid
from datetime import date, datetime

import pytest
from sqlalchemy import select, text

from courtflow.case.v1.case_events_pb2 import CaseFiled, CaseUpdated
from courtflow.case.v1.case_pb2 import Case, CaseChangeReason, CaseState, CaseType, Procedure
from courtflow.common.v1.envelope_pb2 import EventEnvelope
from courtflow.node.v1.node_pb2 import NodeState

from conftest import new_database
from services.common.clock import LEGAL_TZ, ManualClock
from services.common.dates import from_date
from services.common.events import Event
from services.common.migrate import upgrade
from services.node import catalog
from services.node.calendars import CalendarStore
from services.node.consumers import case_subscription
from services.node.due_queue import sweep_batch
from services.node.models import SCHEMA, NodeRow
from test_due_queue import MIGRATIONS, uow_factory

pytestmark = pytest.mark.timeout(180)
SHIPPED = catalog.load()
CORRECTION, CUSTODY = CaseChangeReason.CASE_CHANGE_REASON_CORRECTION, CaseChangeReason.CASE_CHANGE_REASON_CUSTODY
FILED = date(2026, 3, 2)   # a Monday


@pytest.fixture
def node_db(postgres) -> str:
    url = new_database(postgres, "attribute_corrections")
    upgrade(url, schema=SCHEMA, migrations=MIGRATIONS)
    return url


class Court:
    """The node service's case consumer on one database, and a clock."""

    def __init__(self, url: str, today: date) -> None:
        self.clock = ManualClock(datetime(today.year, today.month, today.day, 9, tzinfo=LEGAL_TZ))
        self.factory = uow_factory(url, self.clock)
        self.handlers = case_subscription(catalog=SHIPPED, calendars=CalendarStore()).handlers

    def handle(self, payload) -> None:
        with self.factory() as uow:
            self.handlers[type(payload)](uow, Event(envelope=EventEnvelope(id=str(uuid.uuid4())), payload=payload,
                                                    subject=""))
            uow.commit()

    def file(self, case: Case) -> None:
        self.handle(CaseFiled(case=case))

    def correct(self, case: Case, reason: int = CORRECTION, **values) -> Case:
        """UpdateCase as the case service publishes it; the same payload handled `times` times."""
        after = Case()
        after.CopyFrom(case)
        for field, value in values.items():
            setattr(after, field, value)
        self.update = CaseUpdated(case=after, previous=case, changed_fields=sorted(values), reason=reason,
                                  effective_date=from_date(self.today))
        self.handle(self.update)
        return after

    @property
    def today(self) -> date:
        return self.clock.now().astimezone(LEGAL_TZ).date()

    def nodes(self, case: Case) -> dict[str, NodeRow]:
        case_id = uuid.UUID(case.name.rsplit("/", 1)[1])
        with self.factory() as uow:
            rows = uow.session.scalars(select(NodeRow).where(NodeRow.case_id == case_id)).all()
            uow.session.expunge_all()
        return {r.node_id: r for r in rows}

    def running_limits(self, case: Case) -> dict[str, date]:
        return {k: n.due_date for k, n in self.nodes(case).items()
                if n.category == "审限管理" and n.state != NodeState.NODE_STATE_COMPLETED}

    def sweep(self) -> None:
        while sweep_batch(self.factory, batch=50):
            pass


def new_case(case_type: int, procedure: int, **attributes) -> Case:
    division = "civil1" if case_type == CaseType.CASE_TYPE_CIVIL else "criminal1"
    return Case(name=f"courts/440101/cases/{uuid.uuid4()}", case_number="（2026）示0101号", case_type=case_type,
                procedure=procedure, department=f"courts/440101/departments/440101-{division}",
                handler=f"users/judge.440101.{division}.1", state=CaseState.CASE_STATE_FILED,
                filing_date=from_date(FILED), **attributes)


def test_a_case_corrected_to_non_foreign_gets_its_civil_limit_from_filing_civil_procedure_law_152(node_db):
    """民事诉讼法第一百五十二条: six months from filing (03-02 → 09-02, a Wednesday), as if registered so."""
    court = Court(node_db, date(2026, 4, 10))
    case = new_case(CaseType.CASE_TYPE_CIVIL, Procedure.PROCEDURE_FIRST_INSTANCE_ORDINARY, foreign_related=True)
    court.file(case)
    assert court.running_limits(case) == {}          # 涉外: no limit (not bound by 152)
    court.correct(case, foreign_related=False)
    assert court.running_limits(case) == {"trial_time_limit": date(2026, 9, 2)}
    court.handle(court.update)                        # the same correction handled again
    assert court.running_limits(case) == {"trial_time_limit": date(2026, 9, 2)}
    assert court.nodes(case)["trial_time_limit"].anchor_date == FILED


def test_a_case_corrected_to_foreign_loses_its_limit_and_lock_civil_procedure_law_183(node_db):
    """民事诉讼法第一百八十三条 (second instance, three months) does not bind a foreign-related case: the
    running limit is withdrawn, its lock released, and nobody is reminded of it again."""
    court = Court(node_db, FILED)
    case = new_case(CaseType.CASE_TYPE_CIVIL, Procedure.PROCEDURE_SECOND_INSTANCE)
    court.file(case)
    assert court.running_limits(case) == {"trial_time_limit_civil_second_instance": date(2026, 6, 2)}
    court.clock.set(datetime(2026, 6, 5, 9, tzinfo=LEGAL_TZ))
    court.sweep()
    limit = court.nodes(case)["trial_time_limit_civil_second_instance"]
    assert limit.locked and limit.state == NodeState.NODE_STATE_OVERDUE

    court.correct(case, foreign_related=True)
    withdrawn = court.nodes(case)["trial_time_limit_civil_second_instance"]
    assert withdrawn.withdrawn and withdrawn.state == NodeState.NODE_STATE_COMPLETED and not withdrawn.locked
    assert "案件属性更正（非涉外→涉外" in withdrawn.explanation[-1]
    with court.factory() as uow:
        unlocked = uow.session.execute(text(f"SELECT count(*) FROM {SCHEMA}.outbox WHERE event_type LIKE '%NodeUnlocked' "
                                            "AND aggregate_id = :n"), {"n": withdrawn.name}).scalar_one()
        armed = uow.session.execute(text(f"SELECT count(*) FROM {SCHEMA}.due_timers WHERE node_id = :id "
                                         "AND fired_at IS NULL"), {"id": withdrawn.id}).scalar_one()
    assert unlocked == 1 and armed == 0               # the case service releases the case


def test_a_private_prosecution_correction_swaps_208_for_212_and_back_criminal_procedure_law_212(node_db):
    """刑事诉讼法第二百一十二条第二款: not detained, six months from acceptance (09-02); detained, 第二百零八条's
    two months (05-02, a Saturday in the May Day holiday, not rolled while held: 刑事诉讼法「期间」条)."""
    court = Court(node_db, date(2026, 3, 20))
    case = new_case(CaseType.CASE_TYPE_CRIMINAL, Procedure.PROCEDURE_FIRST_INSTANCE_ORDINARY)
    court.file(case)
    assert court.running_limits(case) == {"trial_time_limit_criminal_first_instance": date(2026, 5, 6)}
    case = court.correct(case, private_prosecution=True)
    assert court.running_limits(case) == {"trial_time_limit_criminal_private_prosecution": date(2026, 9, 2)}
    court.handle(court.update)
    assert court.running_limits(case) == {"trial_time_limit_criminal_private_prosecution": date(2026, 9, 2)}
    assert court.nodes(case)["trial_time_limit_criminal_first_instance"].withdrawn

    # The defendant was in fact held at filing (a registration mistake): 第二百零八条 applies, from filing.
    held = court.correct(case, custody=True)
    assert court.running_limits(held) == {"trial_time_limit_criminal_first_instance-2": date(2026, 5, 2)}
    assert court.nodes(held)["trial_time_limit_criminal_first_instance-2"].custody


def test_a_real_custody_change_keeps_the_limit_selected_at_filing(node_db):
    """羁押变化 is not a correction: a private prosecution's six months stand when the defendant is
    detained later (the custody terms alone follow custody, reassignment.py)."""
    court = Court(node_db, date(2026, 6, 1))
    case = new_case(CaseType.CASE_TYPE_CRIMINAL, Procedure.PROCEDURE_FIRST_INSTANCE_ORDINARY, private_prosecution=True)
    court.file(case)
    court.correct(case, reason=CUSTODY, custody=True)
    assert court.running_limits(case) == {"trial_time_limit_criminal_private_prosecution": date(2026, 9, 2)}


def test_a_correction_after_judgment_opens_no_limit(node_db):
    """The limit ends with the judgment (民事诉讼法第一百五十二条: 审结); a correction afterwards does not
    start one."""
    court = Court(node_db, date(2026, 5, 10))
    case = new_case(CaseType.CASE_TYPE_CIVIL, Procedure.PROCEDURE_FIRST_INSTANCE_ORDINARY, foreign_related=True)
    court.file(case)
    judged = Case()
    judged.CopyFrom(case)
    judged.judgment_date.CopyFrom(from_date(date(2026, 5, 8)))
    court.correct(judged, foreign_related=False)
    assert court.running_limits(case) == {}
