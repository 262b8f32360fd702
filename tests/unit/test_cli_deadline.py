"""`courtflow deadline`: output shapes and one-line usage errors."""

from __future__ import annotations

import json

import pytest

from runtime.cli import main


def test_json_output(capsys):
    code = main([
        "deadline", "--start", "2026-01-05", "--period", "6m",
        "--exclude", "2026-04-01:2026-04-11", "--exclude", "2026-05-01:2026-05-31", "--json",
    ])
    out, err = capsys.readouterr()
    assert (code, err) == (0, "")
    result = json.loads(out)
    assert result["due"] == result["unrolled_due"] == "2026-08-14"
    assert result["calendar_known"] is True
    assert "扣除：2026-04-01 至 2026-04-11，共10日（审限扣除）" in result["explanation"]
    assert "扣除" in out  # ensure_ascii=False: Chinese stays readable


def test_text_output_rolls_over_national_day(capsys):
    assert main(["deadline", "--start", "2026-04-01", "--period", "6m"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0] == "期限届满日：2026-10-08"
    assert "顺延至 2026-10-08" in out


@pytest.mark.parametrize("flag", ["--custody", "--no-rollover"])
def test_flags_that_stop_the_roll(capsys, flag):
    assert main(["deadline", "--start", "2026-04-01", "--period", "6m", flag, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["due"] == "2026-10-01"


def test_unknown_year_is_flagged(capsys):
    assert main(["deadline", "--start", "2026-12-18", "--period", "15d", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["calendar_known"] is False
    assert "2027年节假日安排未知，仅按周末计算" in result["explanation"]


@pytest.mark.parametrize("args,first_word,fragment", [
    (["--start", "2026-13-01", "--period", "6m"], "--start:", '"2026-13-01"'),
    (["--start", "20260316", "--period", "6m"], "--start:", "YYYY-MM-DD"),
    (["--start", "2026-03-16", "--period", "6x"], "--period:", "「6x」不是期间写法 N{d|m|y|wd|h}"),
    (["--start", "2026-03-16", "--period", "0d"], "--period:", "期间至少为 1"),
    (["--start", "2026-03-16", "--period", "9999y"], "--period:", "期间不能超过 5 年"),
    (["--start", "2026-03-16", "--period", "6m", "--exclude", "2026-05-01:2026-04-01"],
     "--exclude:", "before"),
    (["--start", "2026-03-16", "--period", "6m", "--exclude", "2026-05-01"],
     "--exclude:", "YYYY-MM-DD:YYYY-MM-DD"),
    (["--start", "2026-03-16", "--period", "7wd", "--exclude", "2026-03-17:2026-03-18"],
     "--exclude:", "working-day"),
    (["--start", "9999-12-01", "--period", "1m"], "--period:", "date range"),
    (["--start", "2026-03-16"], "the", "--period"),
    # Issue 15: a start time only for an hour period, a real one, no spans on hours, and a span
    # after the limit ran out (2026-10-08, rolled over National Day) is refused, not counted.
    (["--start", "2026-03-16T10:00", "--period", "15d"], "--start:", "起算只写日期"),
    (["--start", "2026-03-16T25:00", "--period", "48h"], "--start:", "YYYY-MM-DDTHH:MM"),
    (["--start", "2026-03-16T10:00", "--period", "48h", "--exclude", "2026-03-17:2026-03-18"],
     "--exclude:", "以小时计算的期间不适用扣除"),
    (["--start", "2026-04-01", "--period", "6m", "--exclude", "2026-10-09:2026-10-20"],
     "--exclude:", "期限已于 2026-10-08 届满"),
])
def test_bad_input_gives_exit_2_and_one_line(capsys, args, first_word, fragment):
    assert main(["deadline", *args]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.count("\n") == 1
    assert err.split()[0] == first_word
    assert fragment in err


@pytest.mark.parametrize("start,period,due,due_time", [
    # 民事诉讼法第一百零三、一百零四条: a preservation ruling within 48 hours. The starting hour is
    # not counted (「期间」条): from 10:00 on the eve of National Day 2025 counting starts at 11:00
    # and ends 48 hours later, on a holiday, without a roll.
    ("2025-09-29T10:00", "48h", "2025-10-01", "2025-10-01T11:00"),
    ("2025-09-29T10:59", "48h", "2025-10-01", "2025-10-01T11:00"),
    # Spring Festival 2026 (rest from 02-15): ends on the holiday's first day.
    ("2026-02-13T23:30", "48h", "2026-02-15", "2026-02-16T00:00"),
    ("2026-02-13T22:00", "24h", "2026-02-14", "2026-02-14T23:00"),
    # A date alone: counted from the day's last hour, ending 24:00 of the second day after.
    ("2025-09-29", "48h", "2025-10-01", "2025-10-02T00:00"),
])
def test_hour_periods_give_due_and_due_time_civil_procedure_law_103(capsys, start, period, due, due_time):
    assert main(["deadline", "--start", start, "--period", period, "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert (result["start"], result["due"], result["due_time"]) == (start, due, due_time)
    assert any("不因节假日顺延" in line for line in result["explanation"])


def test_day_periods_have_no_due_time(capsys):
    assert main(["deadline", "--start", "2026-04-01", "--period", "6m", "--json"]) == 0
    assert "due_time" not in json.loads(capsys.readouterr().out)


def test_overlapping_exclusions_are_counted_once_on_the_command_line(capsys):
    """The review's example (issue 15, item 1): the union is 39 days, not 31 + 30."""
    assert main(["deadline", "--start", "2025-01-06", "--period", "6m", "--exclude", "2025-03-01:2025-04-01",
                 "--exclude", "2025-03-10:2025-04-09", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["due"] == "2025-08-14"
