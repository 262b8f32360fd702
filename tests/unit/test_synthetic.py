import os
import subprocess
import sys
import time
from collections import Counter
from datetime import date, timedelta

import pytest

from runtime.synthetic import (
    CASE_KINDS,
    CASE_TYPE_WORDS,
    CourtLevel,
    Role,
    case_number_pattern,
    generate_province,
)

REF = date(2026, 3, 15)


@pytest.fixture(scope="module")
def province():
    return generate_province(seed=7, reference_date=REF, cases=2000)


def test_same_arguments_give_identical_output():
    a = generate_province(seed=3, reference_date=REF, cases=500)
    b = generate_province(seed=3, reference_date=REF, cases=500)
    assert a == b
    assert generate_province(seed=4, reference_date=REF, cases=500) != a


def test_output_does_not_depend_on_the_process_hash_seed():
    # Benchmarks compare runs across processes; str hash() is salted per process.
    code = ("from datetime import date; from runtime.synthetic import generate_province; "
            "print(repr(generate_province(seed=3, reference_date=date(2026, 3, 15), cases=300)))")
    outputs = {
        subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                       cwd=os.path.dirname(os.path.dirname(os.path.dirname(__file__))),
                       env={**os.environ, "PYTHONHASHSEED": str(h)}).stdout
        for h in (1, 2)
    }
    assert len(outputs) == 1 and outputs.pop().startswith("Province(")


def test_more_cases_keep_the_same_organisation():
    small = generate_province(seed=3, reference_date=REF, cases=10)
    large = generate_province(seed=3, reference_date=REF, cases=1000)
    assert (small.courts, small.departments, small.users) == (
        large.courts, large.departments, large.users)


def test_every_role_present_in_every_court(province):
    roles_by_court = {c.court_id: set() for c in province.courts}
    for u in province.users:
        roles_by_court[u.court_id].add(u.role)
    for court_id, roles in roles_by_court.items():
        assert roles == set(Role), court_id
    assert any(u.username == "admin" and u.court_id == "44" for u in province.users)


def test_ids_usernames_and_mobiles_are_unique(province):
    for values in (
        [c.court_id for c in province.courts],
        [c.name for c in province.courts],
        [d.department_id for d in province.departments],
        [u.username for u in province.users],
        [u.mobile for u in province.users],
        [c.request_id for c in province.cases],
    ):
        assert len(values) == len(set(values))
    for u in province.users:
        assert u.username.isascii()
        assert len(u.mobile) == 11 and u.mobile.isdigit() and u.mobile[0] == "1"
        assert 2 <= len(u.display_name) <= 3


def test_region_prefixes_hold(province):
    by_id = {c.court_id: c for c in province.courts}
    levels = Counter(c.level for c in province.courts)
    assert levels == {CourtLevel.HIGH: 1, CourtLevel.INTERMEDIATE: 3, CourtLevel.BASIC: 9}
    for c in province.courts:
        assert c.court_id.startswith(c.region_id)
        assert c.court_id.startswith("44")
        if c.parent_id is not None:
            assert c.court_id.startswith(c.parent_id)
        if c.level is CourtLevel.HIGH:
            assert (c.court_id, c.region_id, c.parent_id) == ("44", "44", None)
        elif c.level is CourtLevel.INTERMEDIATE:
            assert len(c.court_id) == 4 and c.region_id == c.court_id and c.parent_id == "44"
        else:
            assert len(c.court_id) == 6 and c.region_id == c.parent_id == c.court_id[:4]
            assert by_id[c.parent_id].level is CourtLevel.INTERMEDIATE
    for d in province.departments:
        assert d.court_id in by_id and d.department_id.startswith(d.court_id + "-")
        assert d.department_id.isascii()
    departments = {d.department_id for d in province.departments}
    assert all(u.department_id is None or u.department_id in departments for u in province.users)


def test_handler_is_a_judge_of_the_case_court_and_department(province):
    users = {u.username: u for u in province.users}
    departments = {d.department_id: d for d in province.departments}
    levels = {c.court_id: c.level for c in province.courts}
    for case in province.cases:
        judge = users[case.handler]
        assert judge.role is Role.JUDGE
        assert (judge.court_id, judge.department_id) == (case.court_id, case.department_id)
        assert departments[case.department_id].kind == case.case_type
        assert levels[case.court_id] is not CourtLevel.HIGH
        if case.procedure == "simplified":  # 简易程序: basic courts only
            assert levels[case.court_id] is CourtLevel.BASIC
        if case.case_type == "criminal":
            assert case.parties and all(p.startswith("被告人 ") for p in case.parties)
        else:
            assert case.parties[0].startswith("原告 ") and case.parties[1].startswith("被告 ")
            assert not case.custody
    in_basic = sum(levels[c.court_id] is CourtLevel.BASIC for c in province.cases)
    assert in_basic > 0.8 * len(province.cases)


def test_case_mix_follows_the_weights_and_custody_only_for_criminal(province):
    kinds = Counter((c.case_type, c.procedure) for c in province.cases)
    assert set(kinds) == {(t, p) for t, p, *_ in CASE_KINDS}
    total = sum(k[2] for k in CASE_KINDS)
    for case_type, procedure, weight, *_ in CASE_KINDS:
        share = kinds[(case_type, procedure)] / len(province.cases)
        assert abs(share - weight / total) < 0.05, (case_type, procedure, share)
    criminal = [c for c in province.cases if c.case_type == "criminal"]
    assert 0.5 < sum(c.custody for c in criminal) / len(criminal) < 0.9


def test_case_numbers_match_pattern_and_are_unique(province):
    numbers = [c.case_number for c in province.cases]
    assert len(numbers) == len(set(numbers))
    for case in province.cases:
        m = case_number_pattern.match(case.case_number)
        assert m, case.case_number
        assert m["year"] == str(case.filing_date.year)
        assert m["province"] + m["court_code"] == "示" + case.court_id[2:]
        assert m["type_word"] == CASE_TYPE_WORDS[(case.case_type, case.procedure)]
    # numbers follow filing order within a court, year and type word (简易 and 普通 share 民初)
    by_key: dict = {}
    for case in sorted(province.cases, key=lambda c: (c.court_id, c.filing_date)):
        m = case_number_pattern.match(case.case_number)
        by_key.setdefault((case.court_id, m["year"], m["type_word"]), []).append(int(m["sequence"]))
    for seqs in by_key.values():
        assert sorted(seqs) == list(range(1, len(seqs) + 1))


@pytest.mark.parametrize("number", [
    "（2026）示0101民初123号", "（2025）粤01民终7号", "（2024）京0105刑初1号",
    "（2026）示民终3号", "（2026）示0101执1号", "（2026）示0102执恢12号", "（2026）示01行初4号",
])
def test_pattern_accepts_real_formats(number):
    assert case_number_pattern.match(number)


@pytest.mark.parametrize("number", [
    "(2026)示0101民初123号", "（26）示0101民初1号", "（2026）示0101民初0号",
    "（2026）示0101民初12", "（2026）0101民初1号", "（2026）示0101民初1号x", "（2026）示0101民初1号\n",
])
def test_pattern_rejects_malformed(number):
    assert not case_number_pattern.match(number)


def test_filing_dates_in_window_and_spread(province):
    dates = [c.filing_date for c in province.cases]
    assert min(dates) >= date(2025, 7, 15) and max(dates) <= REF
    assert all(d.weekday() < 5 for d in dates)
    six_months_ago = date(2025, 9, 15)
    assert sum(d < six_months_ago for d in dates) > 0.1 * len(dates)  # past the 6-month limit
    assert sum(d >= REF - timedelta(days=30) for d in dates) > 0.05 * len(dates)
    assert sum(six_months_ago <= d < REF - timedelta(days=30) for d in dates) > 0.3 * len(dates)


def test_scaled_organisation_and_twenty_thousand_cases_fast():
    start = time.perf_counter()
    p = generate_province(seed=1, reference_date=REF, cases=20_000, intermediate_courts=20,
                          basic_courts_per_intermediate=10, judges_per_department=4)
    assert time.perf_counter() - start < 3.0
    assert len(p.cases) == 20_000 and len({c.case_number for c in p.cases}) == 20_000
    assert len({c.name for c in p.courts}) == len(p.courts) == 1 + 20 + 200


@pytest.mark.parametrize("argument", [
    "intermediate_courts", "basic_courts_per_intermediate", "cases", "judges_per_department",
])
@pytest.mark.parametrize("value", [0, -1, True, 1.5])
def test_rejects_non_positive_counts_naming_the_argument(argument, value):
    with pytest.raises(ValueError, match=argument):
        generate_province(reference_date=REF, **{argument: value})


def test_rejects_bad_reference_date_and_too_many_courts():
    with pytest.raises(ValueError, match="reference_date"):
        generate_province(reference_date="2026-03-15")
    with pytest.raises(ValueError, match="intermediate_courts"):
        generate_province(reference_date=REF, intermediate_courts=100)
