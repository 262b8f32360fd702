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
    (["--start", "2026-03-16", "--period", "6x"], "--period:", "「6x」不是期间写法 N{d|m|y|wd}"),
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
])
def test_bad_input_gives_exit_2_and_one_line(capsys, args, first_word, fragment):
    assert main(["deadline", *args]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.count("\n") == 1
    assert err.split()[0] == first_word
    assert fragment in err
