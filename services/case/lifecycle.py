"""A case's state and key dates through its events (R1), and what may happen once it is closed.

Pure: it reads and sets attributes of a case row; the use cases (service.py) do the I/O.

- Receipt and filing (S1): FILING_APPROVED files a case registered at receipt on that day (its
  filed clocks then start), FILING_REJECTED ends it (NOT_FILED).
- JUDGMENT_PRONOUNCED sets 宣判日期 (the first one), EFFECTIVE 生效日期, CLOSED 结案日期 and the
  state CLOSED, ARCHIVED 归档日期 and the state ARCHIVED (a case is archived after it is closed).
- Once closed, the trial is over: scheduling or holding a hearing, forming a panel, serving the
  trial's documents, suspending the clock, pronouncing, closing again are refused. What belongs
  after closing is accepted: serving the judgment or ruling, appeals, effectiveness, publication,
  transfer for execution, archiving and the file's loans, execution, petitions, retrial.
- A wrongly recorded closing is undone only by a correction (RevokeCaseClosing, service.py): the
  case returns to the state it had before (FILED, or RECEIVED if it was never filed) without its
  closing date; its other dates stand, being those of events that did happen.
"""
from __future__ import annotations

from datetime import date, datetime

from courtflow.case.v1.case_pb2 import CaseEventType as E, CaseState as S

from services.common.errors import FailedPrecondition
from services.common.labels import CASE_STATES, word

# Events of the trial itself, which cannot follow its closing.
TRIAL_EVENTS = frozenset({
    E.CASE_EVENT_TYPE_ASSIGNED, E.CASE_EVENT_TYPE_HEARING_SCHEDULED, E.CASE_EVENT_TYPE_HEARING_HELD,
    E.CASE_EVENT_TYPE_HEARING_ADJOURNED,
    E.CASE_EVENT_TYPE_HEARING_ANNOUNCED, E.CASE_EVENT_TYPE_COURTROOM_BOOKED, E.CASE_EVENT_TYPE_PANEL_FORMED,
    E.CASE_EVENT_TYPE_HEARING_SCHEDULE_EXCEPTION_REQUESTED, E.CASE_EVENT_TYPE_HEARING_SCHEDULE_EXCEPTION_DECIDED,
    E.CASE_EVENT_TYPE_JUDGMENT_PRONOUNCED, E.CASE_EVENT_TYPE_MEDIATION_CONCLUDED,
    E.CASE_EVENT_TYPE_MEDIATION_AGREEMENT_REACHED, E.CASE_EVENT_TYPE_DELIBERATED,
    E.CASE_EVENT_TYPE_SUBMITTED_TO_COMMITTEE, E.CASE_EVENT_TYPE_COMMITTEE_REFERRAL_DECIDED,
    E.CASE_EVENT_TYPE_COMMITTEE_DECIDED, E.CASE_EVENT_TYPE_SUSPENDED, E.CASE_EVENT_TYPE_RESUMED,
    E.CASE_EVENT_TYPE_PUBLIC_NOTICE_STARTED, E.CASE_EVENT_TYPE_PUBLIC_NOTICE_ENDED,
    E.CASE_EVENT_TYPE_MISSING_PERSON_NOTICE_STARTED, E.CASE_EVENT_TYPE_DEATH_NOTICE_STARTED,
    E.CASE_EVENT_TYPE_ACCIDENT_DEATH_NOTICE_STARTED, E.CASE_EVENT_TYPE_PROPERTY_CLAIM_NOTICE_STARTED,
    E.CASE_EVENT_TYPE_PUBLIC_SUMMONS_STARTED,
    E.CASE_EVENT_TYPE_APPRAISAL_STARTED, E.CASE_EVENT_TYPE_APPRAISAL_ENDED, E.CASE_EVENT_TYPE_EXTENSION_REQUESTED,
    E.CASE_EVENT_TYPE_EXTENSION_REPORTED, E.CASE_EVENT_TYPE_EXTENSION_DECIDED, E.CASE_EVENT_TYPE_DEDUCTION_REQUESTED,
    E.CASE_EVENT_TYPE_DEDUCTION_DECIDED, E.CASE_EVENT_TYPE_RECUSAL_APPLIED, E.CASE_EVENT_TYPE_RECUSAL_DECIDED,
    E.CASE_EVENT_TYPE_PROCEDURE_CONVERTED_TO_ORDINARY, E.CASE_EVENT_TYPE_PROCEDURE_CONVERTED_TO_SIMPLIFIED,
    E.CASE_EVENT_TYPE_COMPLEXITY_TRIAGED, E.CASE_EVENT_TYPE_ASSIGNMENT_INDEX_SET, E.CASE_EVENT_TYPE_ANSWER_RECEIVED,
    E.CASE_EVENT_TYPE_FILING_SUBMITTED, E.CASE_EVENT_TYPE_FILING_APPROVED, E.CASE_EVENT_TYPE_FILING_REJECTED,
    E.CASE_EVENT_TYPE_CLOSING_REQUESTED, E.CASE_EVENT_TYPE_CLOSING_RETURNED, E.CASE_EVENT_TYPE_CLOSED,
})
# Documents of the trial (DOCUMENT_SERVED): served before judgment, never after closing.
TRIAL_DOCUMENTS = frozenset({"complaint_copy", "answer_copy", "acceptance_notice", "address_confirmation",
                             "risk_notice", "defense_rights_notice", "evidence_notice", "hearing_notice",
                             "indictment_copy", "panel_notice", "conversion_notice", "mediation_notice"})
_STATE_WORDS = {S.CASE_STATE_CLOSED: "已结案", S.CASE_STATE_ARCHIVED: "已归档"}


def check_allowed(row, event_type: int, document: str) -> None:
    """Refuse an event that cannot happen to a case in its state (FAILED_PRECONDITION)."""
    if row.state == S.CASE_STATE_ARCHIVED and event_type == E.CASE_EVENT_TYPE_ARCHIVED:
        raise FailedPrecondition(f"案件已于 {row.archive_date} 归档", reason="CASE_ARCHIVED")
    if event_type == E.CASE_EVENT_TYPE_ARCHIVED and row.state != S.CASE_STATE_CLOSED:
        raise FailedPrecondition("案件尚未结案，不能归档", reason="CASE_NOT_CLOSED")
    if row.state not in _STATE_WORDS:
        return
    trial_document = event_type == E.CASE_EVENT_TYPE_DOCUMENT_SERVED and document in TRIAL_DOCUMENTS
    if event_type in TRIAL_EVENTS or trial_document:
        what = f"送达{document}" if trial_document else E.Name(event_type).removeprefix("CASE_EVENT_TYPE_")
        raise FailedPrecondition(f"案件{_STATE_WORDS[row.state]}（结案日期 {row.close_date}），不能再记录审理阶段的事件 {what}",
                                 reason="CASE_CLOSED", metadata={"state": S.Name(row.state)})


def apply_event(row, event_type: int, on: date, *, now: datetime) -> bool:
    """Set the case's state and key dates for one accepted event. True when it files the case now."""
    filed_now = False
    if event_type == E.CASE_EVENT_TYPE_FILING_APPROVED and row.state == S.CASE_STATE_RECEIVED:
        row.filing_date, row.state, filed_now = on, S.CASE_STATE_FILED, True
    elif event_type == E.CASE_EVENT_TYPE_FILING_REJECTED and row.state == S.CASE_STATE_RECEIVED:
        row.state = S.CASE_STATE_NOT_FILED
    elif event_type == E.CASE_EVENT_TYPE_JUDGMENT_PRONOUNCED and row.judgment_date is None:
        row.judgment_date = on
    elif event_type == E.CASE_EVENT_TYPE_EFFECTIVE and row.effective_date is None:
        row.effective_date = on
    elif event_type == E.CASE_EVENT_TYPE_CLOSED:
        row.close_date, row.state = on, S.CASE_STATE_CLOSED
    elif event_type == E.CASE_EVENT_TYPE_ARCHIVED:
        row.archive_date, row.state = on, S.CASE_STATE_ARCHIVED
    else:
        return False
    row.update_time = now
    return filed_now


def revoke_closing(row, *, now: datetime) -> dict:
    """Undo the case's closing; returns the fields changed with their old values. Only a closed
    case can be corrected so: an archived one has left the court's hands, an open one has nothing
    to undo."""
    if row.state == S.CASE_STATE_ARCHIVED:
        raise FailedPrecondition(f"案件已于 {row.archive_date} 归档，不能撤销结案", reason="CASE_ARCHIVED",
                                 metadata={"state": S.Name(row.state)})
    if row.state != S.CASE_STATE_CLOSED:
        raise FailedPrecondition(f"案件{word(CASE_STATES, row.state)}，尚未结案，无结案可撤销", reason="CASE_NOT_CLOSED",
                                 metadata={"state": S.Name(row.state)})
    before = {"state": row.state, "close_date": row.close_date}
    row.state = S.CASE_STATE_FILED if row.filing_date is not None else S.CASE_STATE_RECEIVED
    row.close_date, row.update_time = None, now
    return before


def describe_revocation(before: dict, row, *, reason: str, closing_event: str) -> str:
    """The audit log's account of a revoked closing: each field old → new, the closing undone, why."""
    return (f"撤销结案；状态：{word(CASE_STATES, before['state'])} → {word(CASE_STATES, row.state)}；"
            f"结案日期：{before['close_date']} → 无；撤销的结案事件：{closing_event or '无'}；原因：{reason}")


def check_closing_tracked(closing) -> None:
    """A closing recorded before the node service kept which event completed each node (node
    migration 0009; such CLOSED events are marked by case migration 0012) cannot be undone here:
    nothing tells which nodes it completed, so the case would be open again with every node still
    completed and nobody reminded. Refused, naming why; the court corrects such a case with the
    system administrator, who can see the nodes."""
    if closing is not None and not closing.nodes_tracked:
        raise FailedPrecondition(
            f"该案件于 {closing.occur_date} 结案，结案记录早于系统记录各节点由哪一结案事件完成，"
            "撤销结案无法确定应恢复办理的节点，不能在此撤销；请联系系统管理员核对节点后更正",
            reason="CLOSING_NOT_TRACKED", metadata={"closing_event": closing.name})
