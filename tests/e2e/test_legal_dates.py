"""Issue 15, the dates a judge is told, through the gateway with the shipped catalogue: hearing
notices due on the earlier of two dates (item 9, 刑事诉讼法第一百八十七条), a criminal simplified
limit extended to one and a half months (item 12, 刑事诉讼法第二百二十条), and the limit a private
prosecution or a foreign-related case has (items 16, 17), time in transit (item 5) and adjourned
hearings (item 14). Real 2026 calendar: the Spring Festival
holiday runs 02-15 to 02-23."""
from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import grpc
import pytest
from google.protobuf.field_mask_pb2 import FieldMask

from courtflow.case.v1 import case_pb2, case_service_pb2 as cs
from courtflow.node.v1 import node_pb2, node_service_pb2 as ns

from runtime.demo import create_request
from services.common.clock import LEGAL_TZ
from support import COURT_SYSTEM, JUDGE, PRESIDENT, eventually

from .conftest import at, file_case, nodes_of, pb, record, seed, ymd

pytestmark = pytest.mark.timeout(240)
SHIPPED = Path(__file__).resolve().parents[2] / "services" / "node"
START = datetime(2026, 1, 5, 9, 0, tzinfo=LEGAL_TZ)  # Monday
CRIMINAL_JUDGE = "judge.440101.criminal.1"
K = node_pb2.ApplicationKind


@pytest.fixture(scope="module")
def cf(start_system):
    return start_system("legal-dates", clock=START, catalog=SHIPPED / "catalog.yaml",
                        env={"NODE_TIME_LIMITS": str(SHIPPED / "time_limits.yaml")})


def wait_node(cf, case: case_pb2.Case, code: str) -> node_pb2.Node:
    return eventually(lambda: nodes_of(cf, case, COURT_SYSTEM).get(code), what=f"{case.case_number}: {code}")


def test_criminal_hearing_notices_are_due_before_the_hearing_criminal_procedure_law_187(cf):
    """Scheduled 2026-02-12 for a hearing on 02-26: three days from scheduling roll over the Spring
    Festival to 02-24, two days before the hearing — the summons is due 02-23 (three days before)
    and the indictment copy 02-16 (ten days before), neither rolled."""
    cf.set_clock(at(date(2026, 2, 12)))
    case = file_case(cf, "legal-dates", 1, case_type="criminal", handler=CRIMINAL_JUDGE, filed=date(2026, 1, 20))
    record(cf, case, "HEARING_SCHEDULED", date(2026, 2, 12), hearing_date=pb(date(2026, 2, 26)))
    summons = wait_node(cf, case, "serve_hearing_summons")
    indictment = wait_node(cf, case, "serve_indictment_copy")
    assert ymd(summons.due_date) == date(2026, 2, 23) and ymd(indictment.due_date) == date(2026, 2, 16)
    assert "两者以较早者为届满日，届满日为 2026-02-16，不因节假日顺延" in indictment.explanation[-1]


def test_criminal_simplified_limit_is_extended_to_one_and_a_half_months_criminal_procedure_law_220(cf):
    """Accepted 2026-01-05: twenty days end 01-25, a Sunday → 01-26. Extended *to* one and a half
    months from acceptance: 02-20, in the Spring Festival holiday → 02-24."""
    cf.set_clock(at(date(2026, 1, 19)))
    case = file_case(cf, "legal-dates", 2, case_type="criminal", procedure="simplified", handler=CRIMINAL_JUDGE,
                     filed=date(2026, 1, 5))
    limit = wait_node(cf, case, "trial_time_limit_criminal_simplified")
    assert ymd(limit.due_date) == date(2026, 1, 26)

    def apply(request_id: str, extension: str) -> node_pb2.Application:
        return cf.nodes.CreateApplication(ns.CreateApplicationRequest(
            parent=limit.name, request_id=request_id, application=node_pb2.Application(
                kind=K.APPLICATION_KIND_EXTENSION, extension=extension, reason="可能判处三年以上有期徒刑",
                materials=["延长审限审批表"])), metadata=cf.md(CRIMINAL_JUDGE)).application

    # Twenty more days is not what the law allows: it extends *to* a length, which the field must name.
    with pytest.raises(grpc.RpcError) as days:
        apply("simplified-days", "20d")
    assert days.value.code() == grpc.StatusCode.INVALID_ARGUMENT and "application.extension" in days.value.details()
    assert "1m15d" in days.value.details() and ymd(nodes_of(cf, case, COURT_SYSTEM)[limit.node_type].due_date) == date(2026, 1, 26)

    application = apply("simplified-to", "1m15d")
    assert list(application.warnings) == [] and application.required_approver == "本院院长"
    decided = cf.nodes.ApproveApplication(ns.ApproveApplicationRequest(name=application.name, comment="同意"),
                                          metadata=cf.md(PRESIDENT))
    assert ymd(decided.node.due_date) == date(2026, 2, 24)
    assert "延长：延长至1个月15日" in " ".join(decided.node.explanation)

    # The law allows it once: a second approval is recorded and moves nothing.
    again = apply("simplified-again", "1m15d")
    assert "EXCEEDS_RULES" in {w.code for w in again.warnings}
    decided = cf.nodes.ApproveApplication(ns.ApproveApplicationRequest(name=again.name, comment="同意"),
                                          metadata=cf.md(PRESIDENT))
    assert "LIMIT_NOT_EXTENDED" in {w.code for w in decided.application.warnings}
    assert ymd(decided.node.due_date) == date(2026, 2, 24)


def create(cf, n: int, **fields) -> case_pb2.Case:
    """Case n of the module, with extra Case fields, registered as the court system."""
    request = create_request(seed("legal-dates", n, filed=date(2026, 3, 16), **{k: v for k, v in fields.items()
                                                                               if k in ("case_type", "handler")}))
    for field in ("foreign_related", "private_prosecution"):
        setattr(request.case, field, fields.get(field, False))
    request.case.procedure = fields.get("procedure", request.case.procedure)
    case = cf.cases.CreateCase(request, metadata=cf.md(COURT_SYSTEM)).case
    eventually(lambda: nodes_of(cf, case, COURT_SYSTEM), what=f"{case.case_number}: nodes opened by filing")
    return case


def test_case_attributes_select_the_time_limit_criminal_212_civil_152(cf):
    """A private prosecution whose defendant is not detained: six months (刑事诉讼法第二百一十二条
    第二款), 2026-03-16 → 09-16. A foreign-related civil case: no trial limit (民事诉讼法涉外编); an
    ordinary one filed the same day has its six months. The attributes read back and are corrected
    with UpdateCase."""
    cf.set_clock(at(date(2026, 3, 20)))
    private = create(cf, 3, case_type="criminal", handler=CRIMINAL_JUDGE, private_prosecution=True)
    assert private.private_prosecution and not private.foreign_related
    limit = wait_node(cf, private, "trial_time_limit_criminal_private_prosecution")
    assert ymd(limit.due_date) == date(2026, 9, 16)
    assert "trial_time_limit_criminal_first_instance" not in nodes_of(cf, private, COURT_SYSTEM)

    foreign = create(cf, 4, foreign_related=True)
    ordinary = create(cf, 5)
    # A positive signal first: the ordinary case's limit opened, so filing has been handled for both.
    wait_node(cf, ordinary, "trial_time_limit")
    assert "serve_complaint_copy" in nodes_of(cf, foreign, COURT_SYSTEM)
    assert "trial_time_limit" not in nodes_of(cf, foreign, COURT_SYSTEM) and foreign.foreign_related

    with pytest.raises(grpc.RpcError) as civil_private:
        cf.cases.UpdateCase(cs.UpdateCaseRequest(
            case=case_pb2.Case(name=ordinary.name, private_prosecution=True, etag=ordinary.etag),
            update_mask=FieldMask(paths=["private_prosecution"]), reason=case_pb2.CASE_CHANGE_REASON_CORRECTION,
            request_id="legal-dates-5-private"), metadata=cf.md(COURT_SYSTEM))
    assert civil_private.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert "case.private_prosecution" in civil_private.value.details()
    corrected = cf.cases.UpdateCase(cs.UpdateCaseRequest(
        case=case_pb2.Case(name=ordinary.name, foreign_related=True, etag=ordinary.etag),
        update_mask=FieldMask(paths=["foreign_related"]), reason=case_pb2.CASE_CHANGE_REASON_CORRECTION,
        request_id="legal-dates-5-foreign"), metadata=cf.md(COURT_SYSTEM)).case
    assert corrected.foreign_related and corrected.etag != ordinary.etag


def test_a_judgment_posted_in_time_is_served_in_time_civil_procedure_law_85(cf):
    """Pronounced 2026-09-21: the judgment is to be sent within 10 days, rolled over National Day to
    10-08. Posted on 10-08 and received on 10-12, it was sent in time: time in transit does not
    count (民事诉讼法第八十五条)."""
    cf.set_clock(at(date(2026, 9, 21)))
    case = file_case(cf, "legal-dates", 6, filed=date(2026, 3, 16))
    record(cf, case, "JUDGMENT_PRONOUNCED", date(2026, 9, 21))
    node = wait_node(cf, case, "serve_judgment_civil")
    assert ymd(node.due_date) == date(2026, 10, 8)

    cf.set_clock(at(date(2026, 10, 12)))
    with pytest.raises(grpc.RpcError) as after:
        record(cf, case, "DOCUMENT_SERVED", date(2026, 10, 12), "judgment", posted_date=pb(date(2026, 10, 13)))
    assert after.value.code() == grpc.StatusCode.INVALID_ARGUMENT and "case_event.posted_date" in after.value.details()
    served = record(cf, case, "DOCUMENT_SERVED", date(2026, 10, 12), "judgment", posted_date=pb(date(2026, 10, 8)))
    assert ymd(served.posted_date) == date(2026, 10, 8)
    done = eventually(lambda: (n := nodes_of(cf, case, COURT_SYSTEM)["serve_judgment_civil"]).state
                      == node_pb2.NODE_STATE_COMPLETED and n, what="judgment service completed")
    assert ymd(done.completed_on) == date(2026, 10, 8) <= ymd(done.due_date)
    assert "在期限内交邮，不算过期" in done.explanation[-1]


def test_an_adjourned_hearing_is_resumed_within_a_month_fashi_2018_9(cf):
    """法释〔2018〕9号: a hearing adjourned on 2026-04-20 is held again by 05-20; a later date, or a
    hearing scheduled after a third adjournment in ordinary procedure, needs the 开庭排期流程."""
    cf.set_clock(at(date(2026, 4, 20)))
    case = file_case(cf, "legal-dates", 7, filed=date(2026, 3, 16))
    wait_node(cf, case, "trial_time_limit")
    record(cf, case, "HEARING_ADJOURNED", date(2026, 4, 20))

    def broken(hearing: date) -> set[str]:
        # The adjournment is read from the node service's own record of the case's dates: polled,
        # as the scheduling check sees it once the event is handled.
        reply = cf.nodes.ValidateHearing(ns.ValidateHearingRequest(parent=case.name, hearing_date=pb(hearing)),
                                         metadata=cf.md(JUDGE))
        return {v.rule for v in reply.violations}
    eventually(lambda: "ADJOURNMENT_INTERVAL" in broken(date(2026, 5, 21)), what="the month after the adjournment")
    assert not {"ADJOURNMENT_INTERVAL", "ADJOURNMENT_LIMIT"} & broken(date(2026, 5, 20))
    cf.set_clock(at(date(2026, 5, 6)))
    for day in (date(2026, 4, 27), date(2026, 5, 6)):
        record(cf, case, "HEARING_ADJOURNED", day)
    eventually(lambda: "ADJOURNMENT_LIMIT" in broken(date(2026, 5, 20)), what="a third adjournment")


def test_a_declaration_notice_and_thirty_days_after_it_civil_procedure_law_special_procedure(cf):
    """宣告失踪: the notice posted 2026-03-20 runs three months, to 06-20, a Saturday → 06-22; the
    thirty days from filing stop, and the case is decided within thirty days after the notice ends."""
    cf.set_clock(at(date(2026, 3, 20)))
    case = create(cf, 8, procedure=case_pb2.PROCEDURE_SPECIAL)   # filed 2026-03-16
    assert ymd(wait_node(cf, case, "trial_time_limit_civil_special").due_date) == date(2026, 4, 15)
    record(cf, case, "MISSING_PERSON_NOTICE_STARTED", date(2026, 3, 20))
    notice = wait_node(cf, case, "declaration_notice_missing_person")
    assert ymd(notice.due_date) == date(2026, 6, 22)
    assert nodes_of(cf, case, COURT_SYSTEM)["trial_time_limit_civil_special"].state == node_pb2.NODE_STATE_COMPLETED

    cf.set_clock(at(date(2026, 6, 22)))
    record(cf, case, "PUBLIC_NOTICE_ENDED", date(2026, 6, 22))
    after = wait_node(cf, case, "trial_time_limit_civil_special_after_notice")
    assert ymd(after.due_date) == date(2026, 7, 22)
    assert nodes_of(cf, case, COURT_SYSTEM)["declaration_notice_missing_person"].state == node_pb2.NODE_STATE_COMPLETED


def test_a_public_summons_runs_the_period_the_court_set_civil_procedure_law_public_summons(cf):
    """公示催告: the court sets the period, not less than sixty days (民事诉讼法公示催告程序), ending not
    earlier than fifteen days after the bill's payment date (民诉法解释公示催告程序). Posted 2026-03-20
    for a bill payable 05-20: the period must end on 06-04 or later, so 76 days at least; sixty are
    refused and nothing is recorded."""
    cf.set_clock(at(date(2026, 3, 20)))
    case = create(cf, 9, procedure=case_pb2.PROCEDURE_SPECIAL)   # filed 2026-03-16
    wait_node(cf, case, "trial_time_limit_civil_special")
    with pytest.raises(grpc.RpcError) as short:
        record(cf, case, "PUBLIC_SUMMONS_STARTED", date(2026, 3, 20), period_days=60,
               bill_payment_date=pb(date(2026, 5, 20)))
    assert short.value.code() == grpc.StatusCode.INVALID_ARGUMENT and "case_event.period_days" in short.value.details()
    assert "至少应为 76 日" in short.value.details()
    posted = record(cf, case, "PUBLIC_SUMMONS_STARTED", date(2026, 3, 20), period_days=76,
                    bill_payment_date=pb(date(2026, 5, 20)))
    assert posted.period_days == 76 and ymd(posted.bill_payment_date) == date(2026, 5, 20)
    assert ymd(wait_node(cf, case, "public_summons_period").due_date) == date(2026, 6, 4)
    assert nodes_of(cf, case, COURT_SYSTEM)["trial_time_limit_civil_special"].state == node_pb2.NODE_STATE_COMPLETED


def test_a_case_corrected_to_non_foreign_gets_its_limit_from_filing_civil_procedure_law_152(cf):
    """Registered as foreign-related by mistake (no limit, 民事诉讼法涉外编), corrected on 03-20: the
    six months of 第一百五十二条 run from filing, 2026-03-16 → 09-16, as if it had been registered right."""
    cf.set_clock(at(date(2026, 3, 20)))
    case = create(cf, 10, foreign_related=True)
    assert "trial_time_limit" not in nodes_of(cf, case, COURT_SYSTEM)
    cf.cases.UpdateCase(cs.UpdateCaseRequest(
        case=case_pb2.Case(name=case.name, foreign_related=False, etag=case.etag),
        update_mask=FieldMask(paths=["foreign_related"]), reason=case_pb2.CASE_CHANGE_REASON_CORRECTION,
        request_id="legal-dates-10-foreign"), metadata=cf.md(COURT_SYSTEM))
    limit = wait_node(cf, case, "trial_time_limit")
    assert ymd(limit.due_date) == date(2026, 9, 16) and limit.state == node_pb2.NODE_STATE_RUNNING
