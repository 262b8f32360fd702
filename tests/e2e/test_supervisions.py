"""Supervisions S2, S3, S8, S9 and S10 on the shipped catalogue, end to end: a court system files
cases and pushes case events through the gateway, the shared clock moves, and the tests look at
what users see — the nodes with their legal due dates, their warning and overdue states, the
reminders in the responsible judge's inbox, and nodes closed by the event that completes them.

Every expected due date is worked out by hand in a comment from DOMAIN §1 (the start day is not
counted; a last day on a rest day moves to the next working day; 调休 make-up days are working
days) and §4 / the catalogue's legal basis, on the State Council's 2026 schedule: rest days
4–6 Apr (清明), 1–5 May (劳动节, Sat 9 May worked), 19–21 Jun (端午), 25–27 Sep (中秋),
1–7 Oct (国庆, Sun 20 Sep and Sat 10 Oct worked). Rungs fire at 00:00 (Asia/Shanghai) N days
before the due date and a node is overdue from 00:00 of the day after it.

The shared clock is global to the system: every test sets it to a start of its own, later than
where the previous test left it, and uses its own cases, so any test can run alone. Cases are filed
within their trial time limit and the judgment is pronounced (which ends the limit) before the
post-judgment events: an overdue limit with the lock action would lock the case, and a locked case
accepts no events (S11)."""
from __future__ import annotations

import itertools
from datetime import date, datetime, timedelta
from pathlib import Path

import grpc
import pytest
from google.type import date_pb2

from courtflow.alert.v1 import alert_pb2
from courtflow.case.v1 import case_pb2, case_service_pb2 as cs
from courtflow.node.v1 import node_pb2, node_service_pb2 as ns

from runtime.demo import create_request
from services.common.clock import LEGAL_TZ
from services.common.errors import details_of
from support import COURT_SYSTEM, eventually

from .conftest import at, file_case, messages, nodes_of, record, seed, ymd

pytestmark = pytest.mark.timeout(240)

SHIPPED_CATALOG = Path(__file__).resolve().parents[2] / "services" / "node" / "catalog.yaml"
START = datetime(2026, 4, 28, 9, 0, tzinfo=LEGAL_TZ)

RUNNING, WARNING, OVERDUE, COMPLETED = (node_pb2.NODE_STATE_RUNNING, node_pb2.NODE_STATE_WARNING,
                                       node_pb2.NODE_STATE_OVERDUE, node_pb2.NODE_STATE_COMPLETED)
WARN_KIND, OVERDUE_KIND = alert_pb2.REMINDER_KIND_WARNING, alert_pb2.REMINDER_KIND_OVERDUE

# The nodes of each supervision, to check that an event opens exactly the right ones.
S2_APPEAL_TRANSFER = {"serve_appeal_copy_civil", "serve_appeal_copy_administrative", "serve_appeal_copy_criminal",
                      "serve_appeal_answer_copy", "appeal_fee_payment", "appeal_file_transfer_after_answer",
                      "appeal_file_transfer_after_answer_period", "appeal_transfer_criminal"}
S3_APPEAL_FILING = {"appeal_materials_check", "appeal_case_filing", "appeal_materials_supplement",
                    "appeal_case_filing_after_supplement", "case_file_return"}
S9_DELIVERY = {"criminal_delivery_for_execution", "criminal_execution_receipt"}
S10_TRANSFER = {"criminal_property_transfer_for_execution", "transfer_for_execution",
                "execution_filing_after_transfer"}

# The sentinels of settle(cf): cases of their own judge, numbered apart from the tests' cases.
SENTINEL_JUDGE = "judge.440101.civil2.2"
SENTINELS = itertools.count(90001)


@pytest.fixture(scope="module")
def cf(start_system):
    return start_system("supervisions", clock=START, catalog=SHIPPED_CATALOG)


# ── driving the system: only the court system's API and the clock ─────────────────────────────
# Cases are registered with file_case(cf, "supervision", n, ...) and their events pushed with
# record(cf, case, event, on[, document]) (tests/e2e/conftest.py).

def pronounce(cf, case: case_pb2.Case, on: date) -> None:
    """宣判: ends the trial time limit and starts the service of the judgment."""
    record(cf, case, "JUDGMENT_PRONOUNCED", on)

    def done():
        nodes = nodes_of(cf, case, COURT_SYSTEM)
        return any(code.startswith("serve_judgment") for code in nodes) and all(
            n.state == COMPLETED for code, n in nodes.items() if code.startswith("trial_time_limit"))
    eventually(done, what=f"{case.case_number}: trial limit ended by the pronouncement")


# ── what users see ────────────────────────────────────────────────────────────────────────────
# A case's nodes are read as the court system reads them out (node status for portals):
# nodes_of(cf, case, COURT_SYSTEM).

def wait_node(cf, case: case_pb2.Case, code: str, state: int | None = None) -> node_pb2.Node:
    def check():
        node = nodes_of(cf, case, COURT_SYSTEM).get(code)
        return node if node is not None and (state is None or node.state == state) else None
    return eventually(check, what=f"{case.case_number}: {code}"
                                  + (f" in {node_pb2.NodeState.Name(state)}" if state is not None else ""))


def get_case(cf, case: case_pb2.Case) -> case_pb2.Case:
    return cf.cases.GetCase(cs.GetCaseRequest(name=case.name), metadata=cf.md(COURT_SYSTEM)).case


def due(node: node_pb2.Node) -> date:
    return ymd(node.due_date)


def anchor(node: node_pb2.Node) -> date:
    return ymd(node.anchor_date)


def reminders(cf, user: str, case: case_pb2.Case, node: node_pb2.Node, kind: int | None = None):
    return [m for m in messages(cf, user, case=case) if m.node == node.name and (kind is None or m.kind == kind)]


def expect_reminder(cf, user: str, case: case_pb2.Case, node: node_pb2.Node, kind: int, *texts: str):
    """Exactly one reminder of this kind for the node in the user's inbox, naming the case, the
    node's due date and the given texts (剩余N天 / 超期N天)."""
    found = eventually(lambda: reminders(cf, user, case, node, kind),
                       what=f"{alert_pb2.ReminderKind.Name(kind)} for {node.node_type} in {user}'s inbox")
    assert len(found) == 1, found
    d = due(node)
    for text in (case.case_number, f"{d.year}年{d.month:02d}月{d.day:02d}日", node.display_name, *texts):
        assert text in found[0].body, (text, found[0].body)
    return found[0]


def settle(cf) -> None:
    """Returns once every timer due by the clock has fired and the alert service has handled what
    they sent: the positive signal before a check that nothing (more) was sent. A sentinel case is
    filed two months late, so its service nodes open overdue; the ladder's 31-day rung of each is
    armed only as its deadline fires, in a sweep that takes every timer then due (in one batch), so
    the rung fires in a later sweep than any timer due now. The alert service handles node events
    in order: once the sentinel's escalation is in the inbox, what the earlier sweeps sent is too."""
    case = file_case(cf, "supervision", next(SENTINELS), case_type="civil", handler=SENTINEL_JUDGE,
                     filed=cf.today() - timedelta(days=60))
    eventually(lambda: [m for m in messages(cf, SENTINEL_JUDGE, case=case)
                        if m.kind == alert_pb2.REMINDER_KIND_ESCALATION], what="the sentinel's escalation")


def opened(nodes: dict[str, node_pb2.Node], family: set[str]) -> set[str]:
    return family & set(nodes)


# ── S2 上诉移送监督 ─────────────────────────────────────────────────────────────────────────────

def test_s2_civil_appeal_copy_fee_answer_and_file_transfer(cf):
    cf.set_clock(at(date(2026, 4, 28)))  # Tuesday
    judge = "judge.440101.civil1.1"
    case = file_case(cf, "supervision", 2001, case_type="civil", handler=judge, filed=date(2026, 1, 5))
    pronounce(cf, case, date(2026, 4, 15))
    record(cf, case, "DOCUMENT_SERVED", date(2026, 4, 20), "judgment")
    # S8 runs meanwhile: the 15-day appeal period from 20 Apr ends 5 May, in the 1–5 May holiday →
    # Wed 6 May; registered within 5 days after: Mon 11 May.
    effective = wait_node(cf, case, "effective_registration_civil_judgment")
    assert (anchor(effective), due(effective)) == (date(2026, 5, 6), date(2026, 5, 11))

    record(cf, case, "APPEALED", date(2026, 4, 28))
    copy = wait_node(cf, case, "serve_appeal_copy_civil")
    nodes = nodes_of(cf, case, COURT_SYSTEM)
    fee = nodes["appeal_fee_payment"]
    # Only the civil appeal nodes: no criminal forwarding, no administrative copy, and no file transfer
    # before the appeal copy is served or an answer comes in.
    assert opened(nodes, S2_APPEAL_TRANSFER) == {"serve_appeal_copy_civil", "appeal_fee_payment"}
    # Serve the appeal copy within 5 days: 28 Apr + 5 = 3 May, inside the 1–5 May holiday → Wed 6 May.
    assert anchor(copy) == date(2026, 4, 28) and due(copy) == date(2026, 5, 6)
    assert any("顺延" in line for line in copy.explanation) and copy.calendar_known
    assert copy.state == RUNNING and copy.responsible == f"users/{judge}"
    assert copy.stage == node_pb2.STAGE_POST_JUDGMENT and "五日内" in copy.legal_basis
    # Appeal fee (诉讼费用交纳办法第二十二条): unpaid when the appeal period ends (6 May), the court
    # gives 7 days: Wed 13 May — not 7 days from the appeal.
    assert (anchor(fee), due(fee)) == (date(2026, 5, 6), date(2026, 5, 13))
    # The appeal stops the judgment from becoming effective: no effectiveness reminder.
    assert nodes["effective_registration_civil_judgment"].state == COMPLETED

    # Rung 2 of 6 May fires at 00:00 on 4 May.
    cf.set_clock(at(date(2026, 5, 4)))
    wait_node(cf, case, "serve_appeal_copy_civil", WARNING)
    expect_reminder(cf, judge, case, copy, WARN_KIND, "剩余2天")

    record(cf, case, "DOCUMENT_SERVED", date(2026, 5, 4), "appeal_copy")
    wait_node(cf, case, "serve_appeal_copy_civil", COMPLETED)
    # Without an answer the file goes up 5 days after the 15-day answer period: 4 May + 20 = 24 May, a Sunday → 25 May.
    after_period = wait_node(cf, case, "appeal_file_transfer_after_answer_period")
    assert due(after_period) == date(2026, 5, 25)

    # 7 May: the served appeal copy gets no overdue reminder; the fee, due 13 May, none at all yet.
    cf.set_clock(at(date(2026, 5, 7)))
    settle(cf)
    assert nodes_of(cf, case, COURT_SYSTEM)["serve_appeal_copy_civil"].state == COMPLETED
    assert [m.kind for m in reminders(cf, judge, case, copy)] == [WARN_KIND]
    assert nodes_of(cf, case, COURT_SYSTEM)["appeal_fee_payment"].state == RUNNING
    assert reminders(cf, judge, case, fee) == []

    record(cf, case, "APPEAL_FEE_PAID", date(2026, 5, 7))
    record(cf, case, "APPEAL_ANSWER_RECEIVED", date(2026, 5, 7))
    # Answer received on 7 May: its copy to the appellant and the file to the second instance within
    # 5 days → Tue 12 May.
    answer_copy = wait_node(cf, case, "serve_appeal_answer_copy")
    transfer = wait_node(cf, case, "appeal_file_transfer_after_answer")
    assert due(answer_copy) == date(2026, 5, 12) and due(transfer) == date(2026, 5, 12)
    wait_node(cf, case, "appeal_fee_payment", COMPLETED)

    # 11 May: past rung 2 of 12 May (00:00 on 10 May), both answer nodes warn; then the file reaches
    # the second-instance court and every transfer node closes.
    cf.set_clock(at(date(2026, 5, 11)))
    wait_node(cf, case, "appeal_file_transfer_after_answer", WARNING)
    expect_reminder(cf, judge, case, transfer, WARN_KIND, "剩余1天")
    expect_reminder(cf, judge, case, answer_copy, WARN_KIND, "剩余1天")
    record(cf, case, "TRANSFERRED", date(2026, 5, 11))
    for code in ("appeal_file_transfer_after_answer", "serve_appeal_answer_copy",
                 "appeal_file_transfer_after_answer_period"):
        wait_node(cf, case, code, COMPLETED)
    # Past every due date (12 and 25 May): no further reminder for what was done.
    cf.set_clock(at(date(2026, 5, 26)))
    settle(cf)
    nodes = nodes_of(cf, case, COURT_SYSTEM)
    for node, kinds in ((transfer, [WARN_KIND]), (answer_copy, [WARN_KIND]), (after_period, [])):
        assert nodes[node.node_type].state == COMPLETED
        assert [m.kind for m in reminders(cf, judge, case, node)] == kinds, node.node_type


def test_s2_administrative_appeal_copy_and_transfer_after_the_answer_period(cf):
    cf.set_clock(at(date(2026, 6, 1)))  # Monday
    judge = "judge.440101.administrative.1"
    case = file_case(cf, "supervision", 2002, case_type="administrative", handler=judge, filed=date(2026, 2, 2))
    pronounce(cf, case, date(2026, 5, 15))
    record(cf, case, "DOCUMENT_SERVED", date(2026, 5, 20), "judgment")
    record(cf, case, "APPEALED", date(2026, 6, 1))
    copy = wait_node(cf, case, "serve_appeal_copy_administrative")
    nodes = nodes_of(cf, case, COURT_SYSTEM)
    assert opened(nodes, S2_APPEAL_TRANSFER) == {"serve_appeal_copy_administrative", "appeal_fee_payment"}
    # Administrative appeal copy within 5 days: 1 Jun + 5 = Sat 6 Jun → Mon 8 Jun.
    assert due(copy) == date(2026, 6, 8) and copy.responsible == f"users/{judge}"
    # Fee within 7 days of the end of the 15-day appeal period (20 May + 15 = Thu 4 Jun): Thu 11 Jun.
    assert due(nodes["appeal_fee_payment"]) == date(2026, 6, 11)
    record(cf, case, "APPEAL_FEE_PAID", date(2026, 6, 1))  # paid with the appeal
    wait_node(cf, case, "appeal_fee_payment", COMPLETED)

    cf.set_clock(at(date(2026, 6, 6)))  # rung 2 of 8 Jun
    wait_node(cf, case, "serve_appeal_copy_administrative", WARNING)
    expect_reminder(cf, judge, case, copy, WARN_KIND, "剩余2天")
    cf.set_clock(at(date(2026, 6, 9)))
    copy = wait_node(cf, case, "serve_appeal_copy_administrative", OVERDUE)
    expect_reminder(cf, judge, case, copy, OVERDUE_KIND, "超期1天")

    # Served a day late: the node closes; no answer comes, so the file is due 5 days after the
    # 15-day answer period: 9 Jun + 20 = Mon 29 Jun.
    record(cf, case, "DOCUMENT_SERVED", date(2026, 6, 9), "appeal_copy")
    wait_node(cf, case, "serve_appeal_copy_administrative", COMPLETED)
    transfer = wait_node(cf, case, "appeal_file_transfer_after_answer_period")
    assert due(transfer) == date(2026, 6, 29)
    assert opened(nodes_of(cf, case, COURT_SYSTEM), S2_APPEAL_TRANSFER) == {
        "serve_appeal_copy_administrative", "appeal_fee_payment", "appeal_file_transfer_after_answer_period"}

    cf.set_clock(at(date(2026, 6, 24)))  # rung 5 of 29 Jun
    wait_node(cf, case, "appeal_file_transfer_after_answer_period", WARNING)
    expect_reminder(cf, judge, case, transfer, WARN_KIND, "剩余5天")
    record(cf, case, "TRANSFERRED", date(2026, 6, 24))
    wait_node(cf, case, "appeal_file_transfer_after_answer_period", COMPLETED)
    # Past rung 2 (27 Jun) and the deadline: nothing more.
    cf.set_clock(at(date(2026, 6, 30)))
    settle(cf)
    assert [m.kind for m in reminders(cf, judge, case, transfer)] == [WARN_KIND]
    assert nodes_of(cf, case, COURT_SYSTEM)["appeal_file_transfer_after_answer_period"].state == COMPLETED


def test_s2_criminal_appeal_forwarded_within_three_days(cf):
    cf.set_clock(at(date(2026, 7, 2)))  # Thursday
    judge = "judge.440101.criminal.1"
    # Released on bail (取保候审): not in custody, so a last day on a rest day rolls over.
    case = file_case(cf, "supervision", 2003, case_type="criminal", handler=judge, filed=date(2026, 5, 11), custody=False)
    pronounce(cf, case, date(2026, 6, 26))
    # Each party's period runs from its own receipt (刑事诉讼法第二百三十条): the defendant's 10 days
    # from 29 Jun end Thu 9 Jul; the procuratorate's protest period from 1 Jul ends Sat 11 Jul → Mon
    # 13 Jul. The judgment is effective after the later one: registered by 13 Jul + 5 = Sat 18 Jul →
    # Mon 20 Jul (a single 15-day period from the first service said Tue 14 Jul).
    record(cf, case, "DOCUMENT_SERVED", date(2026, 6, 29), "judgment")
    effective = wait_node(cf, case, "effective_registration_criminal_judgment")
    assert (anchor(effective), due(effective)) == (date(2026, 7, 9), date(2026, 7, 14))
    record(cf, case, "DOCUMENT_SERVED", date(2026, 7, 1), "judgment")
    effective = eventually(lambda: (n := wait_node(cf, case, "effective_registration_criminal_judgment"))
                           and due(n) == date(2026, 7, 20) and n, what="effectiveness after the protest period")
    assert anchor(effective) == date(2026, 7, 13)
    record(cf, case, "APPEALED", date(2026, 7, 2))
    forward = wait_node(cf, case, "appeal_transfer_criminal")
    nodes = nodes_of(cf, case, COURT_SYSTEM)
    copy = nodes["serve_appeal_copy_criminal"]
    # Criminal appeals: forwarded with the file and the copy sent; no appeal fee and no
    # civil/administrative nodes.
    assert opened(nodes, S2_APPEAL_TRANSFER) == {"appeal_transfer_criminal", "serve_appeal_copy_criminal"}
    # 法释〔2000〕29号第十五条: within 3 days after the appeal and protest periods expire for the last
    # party (13 Jul), not 3 days from the appeal: Thu 16 Jul.
    assert (anchor(forward), due(forward)) == (date(2026, 7, 13), date(2026, 7, 16)) and due(copy) == date(2026, 7, 16)
    assert "上诉期限届满后三日内" in forward.legal_basis
    assert forward.responsible == f"users/{judge}"
    assert nodes["effective_registration_criminal_judgment"].state == COMPLETED

    cf.set_clock(at(date(2026, 7, 15)))  # rung 1 of 16 Jul
    wait_node(cf, case, "appeal_transfer_criminal", WARNING)
    expect_reminder(cf, judge, case, forward, WARN_KIND, "剩余1天")
    expect_reminder(cf, judge, case, copy, WARN_KIND)

    cf.set_clock(at(date(2026, 7, 16)))
    record(cf, case, "DOCUMENT_SERVED", date(2026, 7, 16), "appeal_copy")
    wait_node(cf, case, "serve_appeal_copy_criminal", COMPLETED)
    # A served criminal appeal copy starts no civil-style answer period.
    assert "appeal_file_transfer_after_answer_period" not in nodes_of(cf, case, COURT_SYSTEM)

    cf.set_clock(at(date(2026, 7, 17)))
    forward = wait_node(cf, case, "appeal_transfer_criminal", OVERDUE)
    expect_reminder(cf, judge, case, forward, OVERDUE_KIND, "超期1天")
    record(cf, case, "TRANSFERRED", date(2026, 7, 17))
    wait_node(cf, case, "appeal_transfer_criminal", COMPLETED)
    settle(cf)
    assert nodes_of(cf, case, COURT_SYSTEM)["serve_appeal_copy_criminal"].state == COMPLETED
    assert [m.kind for m in reminders(cf, judge, case, copy)] == [WARN_KIND]


# ── S3 上诉立案监督 ─────────────────────────────────────────────────────────────────────────────

def test_s3_incomplete_appeal_materials_are_supplemented_and_the_appeal_filed(cf):
    cf.set_clock(at(date(2026, 7, 20)))  # Monday
    judge = "judge.440101.criminal.2"
    # Events about the appeal are recorded on the first-instance case (catalogue convention).
    case = file_case(cf, "supervision", 3001, case_type="criminal", handler=judge, filed=date(2026, 6, 1), custody=False)
    pronounce(cf, case, date(2026, 7, 3))
    record(cf, case, "APPEAL_MATERIALS_RECEIVED", date(2026, 7, 20))
    check = wait_node(cf, case, "appeal_materials_check")
    filing = nodes_of(cf, case, COURT_SYSTEM)["appeal_case_filing"]
    assert opened(nodes_of(cf, case, COURT_SYSTEM), S3_APPEAL_FILING) == {"appeal_materials_check", "appeal_case_filing"}
    # Incomplete materials must be notified within 2 days: 20 Jul + 2 = Wed 22 Jul.
    assert due(check) == date(2026, 7, 22) and check.stage == node_pb2.STAGE_FILING
    # The appeal is filed within 5 days of receiving the materials: 20 Jul + 5 = Sat 25 Jul → Mon 27 Jul.
    assert due(filing) == date(2026, 7, 27)

    cf.set_clock(at(date(2026, 7, 21)))  # rung 1 of 22 Jul
    wait_node(cf, case, "appeal_materials_check", WARNING)
    expect_reminder(cf, judge, case, check, WARN_KIND, "剩余1天")
    record(cf, case, "APPEAL_MATERIALS_INCOMPLETE", date(2026, 7, 21))
    supplement = wait_node(cf, case, "appeal_materials_supplement")
    wait_node(cf, case, "appeal_materials_check", COMPLETED)
    # The first-instance court supplements within 5 days of the notice: 21 Jul + 5 = Sun 26 Jul → Mon 27 Jul.
    assert due(supplement) == date(2026, 7, 27) and supplement.stage == node_pb2.STAGE_POST_JUDGMENT
    # Five filing days run on complete materials only: the filing clock on the incomplete ones stops.
    wait_node(cf, case, "appeal_case_filing", COMPLETED)

    # 28 Jul: the supplement is late. The clock jumped past its rung (25 Jul) and its deadline together:
    # only the overdue reminder goes out (超期未预警). The stopped filing node gets nothing.
    cf.set_clock(at(date(2026, 7, 28)))
    supplement = wait_node(cf, case, "appeal_materials_supplement", OVERDUE)
    expect_reminder(cf, judge, case, supplement, OVERDUE_KIND, "超期1天")
    assert [m.kind for m in reminders(cf, judge, case, supplement)] == [OVERDUE_KIND]
    assert reminders(cf, judge, case, filing) == []

    record(cf, case, "APPEAL_MATERIALS_SUPPLEMENTED", date(2026, 7, 28))
    wait_node(cf, case, "appeal_materials_supplement", COMPLETED)
    # Five filing days again from the complete materials: 28 Jul + 5 = Sun 2 Aug → Mon 3 Aug.
    refiling = wait_node(cf, case, "appeal_case_filing_after_supplement")
    assert due(refiling) == date(2026, 8, 3) and refiling.responsible == f"users/{judge}"

    cf.set_clock(at(date(2026, 8, 1)))  # rung 2 of 3 Aug
    wait_node(cf, case, "appeal_case_filing_after_supplement", WARNING)
    expect_reminder(cf, judge, case, refiling, WARN_KIND, "剩余2天")
    cf.set_clock(at(date(2026, 8, 3)))
    record(cf, case, "APPEAL_CASE_FILED", date(2026, 8, 3))  # on the last day
    wait_node(cf, case, "appeal_case_filing_after_supplement", COMPLETED)
    cf.set_clock(at(date(2026, 8, 5)))
    settle(cf)
    assert [m.kind for m in reminders(cf, judge, case, refiling)] == [WARN_KIND]
    assert reminders(cf, judge, case, filing) == []
    assert {code: n.state for code, n in nodes_of(cf, case, COURT_SYSTEM).items() if code in S3_APPEAL_FILING} == {
        "appeal_materials_check": COMPLETED, "appeal_case_filing": COMPLETED,
        "appeal_materials_supplement": COMPLETED, "appeal_case_filing_after_supplement": COMPLETED}


def test_s3_appeal_filed_on_time_and_second_instance_file_returned(cf):
    cf.set_clock(at(date(2026, 8, 10)))  # Monday
    # Complete materials, filed the same day: both S3 filing nodes close, nothing else opens.
    admin_judge = "judge.440101.administrative.2"
    first = file_case(cf, "supervision", 3002, case_type="administrative", handler=admin_judge, filed=date(2026, 3, 2))
    pronounce(cf, first, date(2026, 7, 15))
    record(cf, first, "APPEAL_MATERIALS_RECEIVED", date(2026, 8, 10))
    check = wait_node(cf, first, "appeal_materials_check")
    filing = nodes_of(cf, first, COURT_SYSTEM)["appeal_case_filing"]
    # 10 Aug + 2 = Wed 12 Aug; 10 Aug + 5 = Sat 15 Aug → Mon 17 Aug.
    assert due(check) == date(2026, 8, 12) and due(filing) == date(2026, 8, 17)
    record(cf, first, "APPEAL_CASE_FILED", date(2026, 8, 10))
    wait_node(cf, first, "appeal_materials_check", COMPLETED)
    wait_node(cf, first, "appeal_case_filing", COMPLETED)

    # A second-instance case closes at the intermediate court: the first-instance file goes back within
    # 10 days (court rule): 10 Aug + 10 = Thu 20 Aug.
    appeal_judge = "judge.4401.civil1.1"
    second = file_case(cf, "supervision", 3003, case_type="civil", procedure="second_instance", handler=appeal_judge,
                       filed=date(2026, 6, 1))
    # A first-instance case that closes returns no file (negative).
    civil_judge = "judge.440101.civil2.1"
    closed_first = file_case(cf, "supervision", 3004, case_type="civil", handler=civil_judge, filed=date(2026, 4, 1))
    record(cf, second, "CLOSED", date(2026, 8, 10))
    record(cf, closed_first, "CLOSED", date(2026, 8, 10))
    back = wait_node(cf, second, "case_file_return")
    assert due(back) == date(2026, 8, 20) and back.responsible == f"users/{appeal_judge}"
    wait_node(cf, closed_first, "archive_after_closing")  # the close was handled…
    assert "case_file_return" not in nodes_of(cf, closed_first, COURT_SYSTEM)  # …and returns no file

    cf.set_clock(at(date(2026, 8, 17)))  # rung 3 of 20 Aug
    wait_node(cf, second, "case_file_return", WARNING)
    expect_reminder(cf, appeal_judge, second, back, WARN_KIND, "剩余3天")
    record(cf, second, "FILE_RETURNED_TO_ORIGINAL_COURT", date(2026, 8, 17))
    wait_node(cf, second, "case_file_return", COMPLETED)
    # Past rung 1 (19 Aug) and the deadline: no further reminder; the filed appeal never had one.
    cf.set_clock(at(date(2026, 8, 21)))
    settle(cf)
    assert [m.kind for m in reminders(cf, appeal_judge, second, back)] == [WARN_KIND]
    assert reminders(cf, admin_judge, first, check) == [] and reminders(cf, admin_judge, first, filing) == []


# ── S8 案件生效监督 ─────────────────────────────────────────────────────────────────────────────

def effectiveness_nodes(cf, case) -> dict[str, node_pb2.Node]:
    return {code: n for code, n in nodes_of(cf, case, COURT_SYSTEM).items() if code.startswith("effective_registration")}


def test_s8_effectiveness_registered_in_time_by_case_type_and_instance(cf):
    served = date(2026, 9, 11)  # Friday
    cf.set_clock(at(served))
    civil_judge, admin_judge = "judge.440101.civil1.2", "judge.440101.administrative.1"
    criminal_judge, appeal_judge = "judge.440101.criminal.1", "judge.4401.civil1.2"
    civil = file_case(cf, "supervision", 8001, case_type="civil", handler=civil_judge, filed=date(2026, 5, 6))
    admin = file_case(cf, "supervision", 8002, case_type="administrative", handler=admin_judge, filed=date(2026, 5, 6))
    criminal = file_case(cf, "supervision", 8003, case_type="criminal", handler=criminal_judge, filed=date(2026, 7, 20))
    final = file_case(cf, "supervision", 8004, case_type="civil", procedure="second_instance", handler=appeal_judge,
                      filed=date(2026, 7, 1))
    for case in (civil, admin, criminal, final):
        pronounce(cf, case, date(2026, 9, 8))
    record(cf, civil, "DOCUMENT_SERVED", served, "judgment")
    record(cf, admin, "DOCUMENT_SERVED", served, "ruling")
    record(cf, criminal, "DOCUMENT_SERVED", served, "judgment")
    record(cf, final, "DOCUMENT_SERVED", served, "judgment")

    # Civil judgment: 15-day appeal period + 5 days to register = 20 days: 11 Sep + 20 = Thu 1 Oct,
    # National Day (1–7 Oct) → Thu 8 Oct.
    c = wait_node(cf, civil, "effective_registration_civil_judgment")
    assert due(c) == date(2026, 10, 8) and any("顺延" in line for line in c.explanation)
    # Administrative ruling: 10-day appeal period + 5 = 15 days: 11 Sep + 15 = Sat 26 Sep (中秋 25–27 Sep)
    # → Mon 28 Sep.
    a = wait_node(cf, admin, "effective_registration_administrative_ruling")
    assert due(a) == date(2026, 9, 28)
    # Criminal judgment: 10-day appeal period + 5 = 15 days → Sat 26 Sep → Mon 28 Sep (not in custody).
    k = wait_node(cf, criminal, "effective_registration_criminal_judgment")
    assert due(k) == date(2026, 9, 28)
    # A second-instance judgment is final when served: registered within 5 days, 11 Sep + 5 = Wed 16 Sep.
    f = wait_node(cf, final, "effective_registration_final_judgment")
    assert due(f) == date(2026, 9, 16)
    # Each case gets the one registration node for its type, document and instance.
    assert set(effectiveness_nodes(cf, civil)) == {"effective_registration_civil_judgment"}
    assert set(effectiveness_nodes(cf, admin)) == {"effective_registration_administrative_ruling"}
    assert set(effectiveness_nodes(cf, criminal)) == {"effective_registration_criminal_judgment"}
    assert set(effectiveness_nodes(cf, final)) == {"effective_registration_final_judgment"}
    for node, judge in ((c, civil_judge), (a, admin_judge), (k, criminal_judge), (f, appeal_judge)):
        assert node.responsible == f"users/{judge}" and node.stage == node_pb2.STAGE_POST_JUDGMENT

    record(cf, final, "EFFECTIVE", served)  # registered at once
    wait_node(cf, final, "effective_registration_final_judgment", COMPLETED)

    cf.set_clock(at(date(2026, 9, 25)))  # rung 3 of 28 Sep
    wait_node(cf, admin, "effective_registration_administrative_ruling", WARNING)
    wait_node(cf, criminal, "effective_registration_criminal_judgment", WARNING)
    expect_reminder(cf, admin_judge, admin, a, WARN_KIND, "剩余3天")
    expect_reminder(cf, criminal_judge, criminal, k, WARN_KIND, "剩余3天")
    assert reminders(cf, appeal_judge, final, f) == []  # registered before its rung (14 Sep)
    record(cf, admin, "EFFECTIVE", date(2026, 9, 25))
    wait_node(cf, admin, "effective_registration_administrative_ruling", COMPLETED)

    cf.set_clock(at(date(2026, 9, 29)))
    k = wait_node(cf, criminal, "effective_registration_criminal_judgment", OVERDUE)
    expect_reminder(cf, criminal_judge, criminal, k, OVERDUE_KIND, "超期1天")
    record(cf, criminal, "EFFECTIVE", date(2026, 9, 29))
    wait_node(cf, criminal, "effective_registration_criminal_judgment", COMPLETED)
    settle(cf)
    assert [m.kind for m in reminders(cf, admin_judge, admin, a)] == [WARN_KIND]

    cf.set_clock(at(date(2026, 10, 5)))  # rung 3 of 8 Oct
    wait_node(cf, civil, "effective_registration_civil_judgment", WARNING)
    expect_reminder(cf, civil_judge, civil, c, WARN_KIND, "剩余3天")
    record(cf, civil, "EFFECTIVE", date(2026, 10, 5))
    wait_node(cf, civil, "effective_registration_civil_judgment", COMPLETED)
    cf.set_clock(at(date(2026, 10, 9)))  # past rung 1 (7 Oct) and the deadline
    settle(cf)
    assert [m.kind for m in reminders(cf, civil_judge, civil, c)] == [WARN_KIND]
    assert nodes_of(cf, civil, COURT_SYSTEM)["effective_registration_civil_judgment"].state == COMPLETED


def test_in_custody_only_the_custody_term_keeps_its_day(cf):
    """刑事诉讼法「期间」条: while the defendant is held, a custody term ending on a rest day is not
    extended; every other period of the same case rolls as usual (issue 19, item 3)."""
    cf.set_clock(at(date(2026, 9, 28)))  # Monday
    case = file_case(cf, "supervision", 9201, case_type="criminal", handler="judge.440101.criminal.2", filed=date(2026, 9, 28),
                     custody=True)
    # The trial limit is the court-phase custody term: 28 Sep + 2 months = Sat 28 Nov, kept.
    limit = wait_node(cf, case, "trial_time_limit_criminal_first_instance")
    assert due(limit) == date(2026, 11, 28)
    assert "羁押期间不因节假日顺延（刑事诉讼法）" in limit.explanation
    # Telling the defendant of the right to counsel is not: 28 Sep + 3 = 1 Oct (国庆) → Thu 8 Oct.
    notify = wait_node(cf, case, "notify_defense_rights")
    assert due(notify) == date(2026, 10, 8)
    assert not any("羁押" in line for line in notify.explanation)


def test_a_defendant_detained_later_makes_the_custody_term_keep_its_day(cf):
    """UpdateCase custody (issue 18): the custody term is re-derived; the other periods are not."""
    from google.protobuf.field_mask_pb2 import FieldMask

    cf.set_clock(at(date(2026, 9, 28)))
    case = file_case(cf, "supervision", 9203, case_type="criminal", handler="judge.440101.criminal.2", filed=date(2026, 9, 28))
    limit = wait_node(cf, case, "trial_time_limit_criminal_first_instance")
    assert due(limit) == date(2026, 11, 30)   # at liberty: Sat 11-28 rolls to Monday
    notify = wait_node(cf, case, "notify_defense_rights")
    cf.cases.UpdateCase(cs.UpdateCaseRequest(
        case=case_pb2.Case(name=case.name, custody=True), update_mask=FieldMask(paths=["custody"]),
        reason=case_pb2.CASE_CHANGE_REASON_CUSTODY, request_id="custody-9203"), metadata=cf.md(COURT_SYSTEM))
    held = eventually(lambda: (n := nodes_of(cf, case, COURT_SYSTEM)["trial_time_limit_criminal_first_instance"]) and
                      due(n) == date(2026, 11, 28) and n, what="the custody term re-derived")
    assert "羁押期间不因节假日顺延（刑事诉讼法）" in held.explanation and any("羁押状态变更" in x for x in held.explanation)
    assert due(nodes_of(cf, case, COURT_SYSTEM)["notify_defense_rights"]) == due(notify)   # not a custody term: as it was


def test_the_handler_checks_a_hearing_date_on_a_case_with_nodes_of_others(cf):
    """Filing opens nodes of the division head (分案) and the trial management office (分案指标)
    beside the judge's: the judge may still check a hearing date on their own case (issue 19,
    item 4: it was refused when the first node read was not theirs)."""
    cf.set_clock(at(date(2026, 9, 28)))
    judge = "judge.440101.civil1.2"
    case = file_case(cf, "supervision", 9202, case_type="civil", handler=judge, filed=date(2026, 9, 28))
    owners = {n.responsible for n in nodes_of(cf, case, COURT_SYSTEM).values()}
    assert f"users/{judge}" in owners and len(owners) > 1, owners
    # Answered (it raised PERMISSION_DENIED 无权操作该案件 before), and as for the court system.
    mine = cf.nodes.ValidateHearing(ns.ValidateHearingRequest(
        parent=case.name, hearing_date=date_pb2.Date(year=2026, month=10, day=20)), metadata=cf.md(judge))
    theirs = cf.nodes.ValidateHearing(ns.ValidateHearingRequest(
        parent=case.name, hearing_date=date_pb2.Date(year=2026, month=10, day=20)), metadata=cf.md(COURT_SYSTEM))
    assert mine == theirs


# ── S9 交付执行监督 ─────────────────────────────────────────────────────────────────────────────

def test_s9_criminal_judgment_delivered_for_execution_within_ten_days(cf):
    cf.set_clock(at(date(2026, 10, 14)))  # Wednesday
    custody_judge, bail_judge, civil_judge = "judge.440101.criminal.2", "judge.440101.criminal.1", "judge.440101.civil2.2"
    # A prison sentence, defendant in custody; a suspended sentence (缓刑), defendant at liberty;
    # and a civil case, which is never delivered for execution.
    prison = file_case(cf, "supervision", 9001, case_type="criminal", handler=custody_judge, filed=date(2026, 8, 20), custody=True)
    probation = file_case(cf, "supervision", 9002, case_type="criminal", handler=bail_judge, filed=date(2026, 8, 20))
    civil = file_case(cf, "supervision", 9003, case_type="civil", handler=civil_judge, filed=date(2026, 7, 1))
    for case in (prison, probation, civil):
        pronounce(cf, case, date(2026, 9, 18))
    record(cf, prison, "EFFECTIVE", date(2026, 10, 12))
    record(cf, probation, "EFFECTIVE", date(2026, 10, 14))
    record(cf, civil, "EFFECTIVE", date(2026, 10, 14))

    # Delivered within 10 days of effectiveness: 12 Oct + 10 = Thu 22 Oct, a working day.
    p = wait_node(cf, prison, "criminal_delivery_for_execution")
    assert due(p) == date(2026, 10, 22) and p.responsible == f"users/{custody_judge}"
    assert "十日以内" in p.legal_basis and p.stage == node_pb2.STAGE_POST_JUDGMENT
    # 14 Oct + 10 = Sat 24 Oct → Mon 26 Oct.
    b = wait_node(cf, probation, "criminal_delivery_for_execution")
    assert due(b) == date(2026, 10, 26) and any("顺延" in line for line in b.explanation)
    wait_node(cf, civil, "judgment_publication_online")  # the civil effectiveness was handled…
    assert opened(nodes_of(cf, civil, COURT_SYSTEM), S9_DELIVERY) == set()  # …and opens no delivery node

    cf.set_clock(at(date(2026, 10, 19)))  # rung 3 of 22 Oct
    wait_node(cf, prison, "criminal_delivery_for_execution", WARNING)
    expect_reminder(cf, custody_judge, prison, p, WARN_KIND, "剩余3天")
    record(cf, prison, "DELIVERED_FOR_EXECUTION", date(2026, 10, 19))
    wait_node(cf, prison, "criminal_delivery_for_execution", COMPLETED)
    # Then the execution organ's receipt within 30 days (court rule): 19 Oct + 30 = Wed 18 Nov.
    receipt = wait_node(cf, prison, "criminal_execution_receipt")
    assert due(receipt) == date(2026, 11, 18)

    # 27 Oct: the suspended sentence was never delivered. Its rungs (23 and 25 Oct) and its deadline
    # came due together: one overdue reminder, none before it.
    cf.set_clock(at(date(2026, 10, 27)))
    b = wait_node(cf, probation, "criminal_delivery_for_execution", OVERDUE)
    expect_reminder(cf, bail_judge, probation, b, OVERDUE_KIND, "超期1天")
    kinds = [m.kind for m in reminders(cf, bail_judge, probation, b)]   # (and the lock's notice, below)
    assert WARN_KIND not in kinds and kinds.count(OVERDUE_KIND) == 1, kinds
    # Delivery for execution is a hard control (overdue_action lock): the case is locked, and the late
    # delivery cannot be recorded until the lock is lifted by an approved unlock (S11).
    eventually(lambda: get_case(cf, probation).locked, what="case locked by the overdue delivery")
    with pytest.raises(grpc.RpcError) as refused:
        record(cf, probation, "DELIVERED_FOR_EXECUTION", date(2026, 10, 27))
    assert refused.value.code() == grpc.StatusCode.FAILED_PRECONDITION
    assert details_of(refused.value)[0] == "CASE_LOCKED"
    settle(cf)
    assert nodes_of(cf, probation, COURT_SYSTEM)["criminal_delivery_for_execution"].state == OVERDUE
    # The delivered prison sentence: only its one warning, no rung-1 or overdue reminder after delivery,
    # and no lock.
    assert [m.kind for m in reminders(cf, custody_judge, prison, p)] == [WARN_KIND]
    assert not get_case(cf, prison).locked


# ── S10 移送执行监督 ────────────────────────────────────────────────────────────────────────────

def test_s10_effective_judgments_transferred_for_execution_and_filed(cf):
    cf.set_clock(at(date(2026, 11, 2)))  # Monday
    fine_judge, no_fine_judge, civil_judge = ("judge.440101.criminal.1", "judge.440101.criminal.2",
                                              "judge.440101.civil1.1")
    # A criminal judgment with a fine and confiscation (涉财产部分), one without, and a civil judgment.
    fined = file_case(cf, "supervision", 10001, case_type="criminal", handler=fine_judge, filed=date(2026, 9, 7))
    unfined = file_case(cf, "supervision", 10002, case_type="criminal", handler=no_fine_judge, filed=date(2026, 9, 7))
    civil = file_case(cf, "supervision", 10003, case_type="civil", handler=civil_judge, filed=date(2026, 6, 1))
    for case in (fined, unfined, civil):
        pronounce(cf, case, date(2026, 10, 16))
    record(cf, fined, "EFFECTIVE", date(2026, 11, 2))
    record(cf, unfined, "EFFECTIVE", date(2026, 11, 2))
    record(cf, civil, "EFFECTIVE", date(2026, 10, 29))

    # The property part goes to the filing division within 7 days of effectiveness: 2 Nov + 7 = Mon 9 Nov.
    t = wait_node(cf, fined, "criminal_property_transfer_for_execution")
    assert due(t) == date(2026, 11, 9) and t.responsible == f"users/{fine_judge}" and "七日内" in t.legal_basis
    wait_node(cf, unfined, "criminal_property_transfer_for_execution")
    for case in (fined, unfined):  # the sentences themselves go to the execution organs at once (S9)
        record(cf, case, "DELIVERED_FOR_EXECUTION", date(2026, 11, 2))
        wait_node(cf, case, "criminal_delivery_for_execution", COMPLETED)
    record(cf, unfined, "EXECUTION_TRANSFER_NOT_REQUIRED", date(2026, 11, 2))  # nothing to execute
    wait_node(cf, unfined, "criminal_property_transfer_for_execution", COMPLETED)
    # A civil judgment is transferred only once the judge registers that it must be (移送执行):
    # effectiveness alone opens no transfer node.
    wait_node(cf, civil, "judgment_publication_online")
    assert opened(nodes_of(cf, civil, COURT_SYSTEM), S10_TRANSFER) == set()
    record(cf, civil, "EXECUTION_TRANSFER_REQUIRED", date(2026, 10, 29))
    c = wait_node(cf, civil, "transfer_for_execution")
    # 29 Oct + 7 = Thu 5 Nov.
    assert due(c) == date(2026, 11, 5) and c.responsible == f"users/{civil_judge}"
    assert opened(nodes_of(cf, civil, COURT_SYSTEM), S10_TRANSFER) == {"transfer_for_execution"}

    # 7 Nov: rung 2 of the criminal transfer (9 Nov); the civil transfer is 2 days over, its rung
    # (3 Nov) superseded by its deadline.
    cf.set_clock(at(date(2026, 11, 7)))
    wait_node(cf, fined, "criminal_property_transfer_for_execution", WARNING)
    expect_reminder(cf, fine_judge, fined, t, WARN_KIND, "剩余2天")
    c = wait_node(cf, civil, "transfer_for_execution", OVERDUE)
    expect_reminder(cf, civil_judge, civil, c, OVERDUE_KIND, "超期2天")

    cf.set_clock(at(date(2026, 11, 9)))
    record(cf, fined, "TRANSFERRED_FOR_EXECUTION", date(2026, 11, 9))  # on the last day
    record(cf, civil, "TRANSFERRED_FOR_EXECUTION", date(2026, 11, 9))
    wait_node(cf, fined, "criminal_property_transfer_for_execution", COMPLETED)
    wait_node(cf, civil, "transfer_for_execution", COMPLETED)
    # Filed as an execution case within 7 days of the transfer: 9 Nov + 7 = Mon 16 Nov.
    e = wait_node(cf, fined, "execution_filing_after_transfer")
    ce = wait_node(cf, civil, "execution_filing_after_transfer")
    assert due(e) == date(2026, 11, 16) and due(ce) == date(2026, 11, 16) and e.stage == node_pb2.STAGE_EXECUTION
    assert opened(nodes_of(cf, unfined, COURT_SYSTEM), S10_TRANSFER) == {"criminal_property_transfer_for_execution"}

    cf.set_clock(at(date(2026, 11, 10)))
    record(cf, fined, "EXECUTION_CASE_FILED", date(2026, 11, 10))
    wait_node(cf, fined, "execution_filing_after_transfer", COMPLETED)
    # 17 Nov: the civil execution case was never filed; the criminal one was.
    cf.set_clock(at(date(2026, 11, 17)))
    wait_node(cf, civil, "execution_filing_after_transfer", OVERDUE)
    settle(cf)
    assert [m.kind for m in reminders(cf, fine_judge, fined, t)] == [WARN_KIND]
    assert nodes_of(cf, fined, COURT_SYSTEM)["execution_filing_after_transfer"].state == COMPLETED
    assert reminders(cf, fine_judge, fined, e) == []
    assert reminders(cf, no_fine_judge, unfined, nodes_of(cf, unfined, COURT_SYSTEM)["criminal_property_transfer_for_execution"]) == []


# ── S7 提交审委会讨论监督 ──────────────────────────────────────────────────────────────────────

def test_s7_committee_submission_reminded_and_checked_at_closing(cf):
    cf.set_clock(at(date(2026, 11, 30)))  # Monday
    judge = "judge.440101.civil1.2"
    submitted = file_case(cf, "supervision", 7001, case_type="civil", handler=judge, filed=date(2026, 11, 2))
    skipped = file_case(cf, "supervision", 7002, case_type="civil", handler=judge, filed=date(2026, 11, 2))
    for case in (submitted, skipped):
        record(cf, case, "COMMITTEE_REFERRAL_DECIDED", date(2026, 11, 30))
    # Submit within 10 days of the decision (court policy): 30 Nov + 10 = Thu 10 Dec.
    node = wait_node(cf, submitted, "committee_submission")
    assert due(node) == date(2026, 12, 10) and anchor(node) == date(2026, 11, 30)

    cf.set_clock(at(date(2026, 12, 7)))  # rung 3
    node = wait_node(cf, submitted, "committee_submission", WARNING)
    expect_reminder(cf, judge, submitted, node, WARN_KIND, "剩余3天")
    record(cf, submitted, "SUBMITTED_TO_COMMITTEE", date(2026, 12, 7))
    wait_node(cf, submitted, "committee_submission", COMPLETED)
    wait_node(cf, submitted, "committee_discussion")

    # The submitted case closes first, cleanly; then one closes without any submission record: a
    # closing check at once, and the node stays open. Events are handled in order, so once the
    # second case's check has arrived the first case's closing has been judged too.
    pronounce(cf, submitted, date(2026, 12, 7))
    record(cf, submitted, "CLOSED", date(2026, 12, 7))
    pronounce(cf, skipped, date(2026, 12, 7))
    record(cf, skipped, "CLOSED", date(2026, 12, 7))
    skipped_node = nodes_of(cf, skipped, COURT_SYSTEM)["committee_submission"]
    check = expect_reminder(cf, judge, skipped, skipped_node, alert_pb2.REMINDER_KIND_CLOSING_CHECK,
                            "2026年12月07日结案", "没有办理记录")
    assert "结案检查" in check.title
    assert nodes_of(cf, skipped, COURT_SYSTEM)["committee_submission"].state != COMPLETED
    assert reminders(cf, judge, submitted, node, alert_pb2.REMINDER_KIND_CLOSING_CHECK) == []


# ── S1 立案监督 ───────────────────────────────────────────────────────────────────────────────

def test_s1_filing_review_runs_from_receipt_until_the_filing_decision(cf):
    cf.set_clock(at(date(2026, 12, 14)))  # Monday
    judge = "judge.440101.civil2.1"
    request = create_request(seed("supervision", 1101, filed=date(2026, 12, 14), handler=judge))
    request.case.ClearField("filing_date")  # registered at receipt: no filing decision yet
    request.case.receive_date.year, request.case.receive_date.month, request.case.receive_date.day = 2026, 12, 14
    case = cf.cases.CreateCase(request, metadata=cf.md(COURT_SYSTEM)).case
    assert case.state == case_pb2.CASE_STATE_RECEIVED and not case.HasField("filing_date")

    # Seven days from receipt to decide (民事诉讼法：起诉和受理): 14 Dec + 7 = Mon 21 Dec. Nothing
    # counted from filing opens before there is a filing.
    review = wait_node(cf, case, "filing_review_civil")
    assert due(review) == date(2026, 12, 21) and anchor(review) == date(2026, 12, 14)
    assert "trial_time_limit" not in nodes_of(cf, case, COURT_SYSTEM)
    with pytest.raises(grpc.RpcError) as early:
        record(cf, case, "COMPLAINT_RECEIVED", date(2026, 12, 13))
    assert early.value.code() == grpc.StatusCode.INVALID_ARGUMENT  # before receipt

    cf.set_clock(at(date(2026, 12, 19)))  # rung 2
    review = wait_node(cf, case, "filing_review_civil", WARNING)
    expect_reminder(cf, judge, case, review, WARN_KIND, "剩余2天")

    record(cf, case, "FILING_APPROVED", date(2026, 12, 18))
    wait_node(cf, case, "filing_review_civil", COMPLETED)
    trial = wait_node(cf, case, "trial_time_limit")
    # Filed on 18 Dec: the trial limit runs six months from the filing, to 18 Jun 2027.
    assert due(trial) == date(2027, 6, 18) and anchor(trial) == date(2026, 12, 18)
    filed = get_case(cf, case)
    assert filed.state == case_pb2.CASE_STATE_FILED and (filed.filing_date.month, filed.filing_date.day) == (12, 18)
    assert (filed.receive_date.month, filed.receive_date.day) == (12, 14)


# ── Repeating nodes: one per hearing ──────────────────────────────────────────────────────────

def test_every_hearing_gets_its_own_summons_node(cf):
    cf.set_clock(at(date(2026, 12, 21)))  # Monday
    judge = "judge.440101.civil2.1"
    case = file_case(cf, "supervision", 1201, case_type="civil", handler=judge, filed=date(2026, 12, 1))
    for request_id, hearing in (("first", date(2026, 12, 24)), ("second", date(2026, 12, 31))):
        req = cs.RecordCaseEventRequest(parent=case.name, request_id=f"repeat-{request_id}", case_event=case_pb2.CaseEvent(
            event_type=case_pb2.CASE_EVENT_TYPE_HEARING_SCHEDULED))
        req.case_event.occur_date.year, req.case_event.occur_date.month, req.case_event.occur_date.day = 2026, 12, 21
        req.case_event.hearing_date.year, req.case_event.hearing_date.month, req.case_event.hearing_date.day = (
            hearing.year, hearing.month, hearing.day)
        cf.cases.RecordCaseEvent(req, metadata=cf.md(COURT_SYSTEM))

    def summons() -> dict[str, node_pb2.Node]:
        reply = cf.nodes.ListNodes(ns.ListNodesRequest(parent=case.name, filter='node_type = "serve_hearing_summons"'),
                                   metadata=cf.md(judge))
        return {n.name.rsplit("/", 1)[1]: n for n in reply.nodes}
    both = eventually(lambda: len(summons()) == 2 and summons(), what="a summons node per hearing")
    assert set(both) == {"serve_hearing_summons", "serve_hearing_summons-2"}
    # 民诉法 139: the earlier of three days from scheduling (12-24) and three days before the hearing.
    assert {n.name.rsplit("/", 1)[1]: due(n) for n in both.values()} == {
        "serve_hearing_summons": date(2026, 12, 21), "serve_hearing_summons-2": date(2026, 12, 24)}

    # Serving one summons completes the older node only; the second hearing's is still due.
    record(cf, case, "DOCUMENT_SERVED", date(2026, 12, 21), document="hearing_notice")
    eventually(lambda: summons()["serve_hearing_summons"].state == COMPLETED, what="first summons served")
    second = cf.nodes.GetNode(ns.GetNodeRequest(name=f"{case.name}/nodes/serve_hearing_summons-2"),
                              metadata=cf.md(judge)).node
    assert second.state == RUNNING and second.node_type == "serve_hearing_summons"
    record(cf, case, "DOCUMENT_SERVED", date(2026, 12, 21), document="hearing_notice")
    eventually(lambda: summons()["serve_hearing_summons-2"].state == COMPLETED, what="second summons served")


# ── Who is told (A1, DOMAIN §5) ──────────────────────────────────────────────────────────────────

def test_s9_overdue_delivery_also_reminds_the_division_head(cf):
    today = date(2026, 11, 23)
    judge = "judge.440101.criminal.1"
    cf.set_clock(at(today))
    case = file_case(cf, "supervision", 9101, case_type="criminal", handler=judge, filed=date(2026, 10, 1), custody=True)
    pronounce(cf, case, date(2026, 11, 2))
    record(cf, case, "EFFECTIVE", date(2026, 11, 7))  # due 17 Nov: overdue when it opens
    node = wait_node(cf, case, "criminal_delivery_for_execution", OVERDUE)
    own = expect_reminder(cf, judge, case, node, OVERDUE_KIND)
    assert "您承办的" in own.body
    head = eventually(lambda: reminders(cf, "head.440101.criminal", case, node, OVERDUE_KIND),
                      what="overdue reminder in the criminal division head's inbox")
    # The head reads whose case it is, not "your case".
    assert len(head) == 1 and "您承办的" not in head[0].body and "督促" in head[0].body, head[0].body
    # Six days overdue is below the ladder's next rung: the vice-president is not told yet.
    assert reminders(cf, "vice_president.440101", case, node) == []


def test_s10_execution_filing_is_the_responsible_roles_not_the_trial_judges(cf):
    judge = "judge.440101.criminal.2"
    cf.set_clock(at(date(2026, 11, 25)))
    case = file_case(cf, "supervision", 10101, case_type="criminal", handler=judge, filed=date(2026, 10, 1))
    pronounce(cf, case, date(2026, 11, 2))
    record(cf, case, "EFFECTIVE", date(2026, 11, 20))
    wait_node(cf, case, "criminal_property_transfer_for_execution")
    record(cf, case, "TRANSFERRED_FOR_EXECUTION", date(2026, 11, 25))
    node = wait_node(cf, case, "execution_filing_after_transfer")
    # The catalogue makes it the division head's: the head of the case's department holds it.
    assert node.responsible_role == "division_head"
    assert node.responsible == "users/head.440101.criminal", node.responsible
