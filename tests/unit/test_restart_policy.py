"""The start command's restart decisions (runtime/supervisor.py): pauses that double up to a cap,
and a crash loop left down, on a clock the test moves."""
from __future__ import annotations

import signal

from runtime.supervisor import CrashHistory, RestartPolicy, Verdict, describe_exit

POLICY = RestartPolicy(first_delay=0.5, max_delay=10.0, crash_limit=5, window=60.0)


def crash_at_once(history: CrashHistory, now: float, times: int) -> tuple[list[Verdict], float]:
    """Stop, wait the pause, restart, stop again at once: a service that cannot start."""
    verdicts = []
    for _ in range(times):
        verdict = history.stopped(now)
        verdicts.append(verdict)
        if verdict.restart_in is None:
            break
        now += verdict.restart_in
        history.started(now)
        now += 0.8   # it fails during start-up
    return verdicts, now


def test_a_service_failing_at_once_is_left_down_at_the_fifth_stop_within_a_minute():
    verdicts, _ = crash_at_once(CrashHistory(POLICY, started_at=0.0), now=100.0, times=10)
    assert [v.restart_in for v in verdicts] == [0.5, 1.0, 2.0, 4.0, None]
    assert [v.crashes for v in verdicts] == [1, 2, 3, 4, 5]


def test_a_service_killed_now_and_then_is_always_restarted_at_once():
    history = CrashHistory(POLICY, started_at=0.0)
    now = 0.0
    for _ in range(20):
        now += 90.0                    # ran for a minute and a half since its last start
        verdict = history.stopped(now)
        assert verdict == Verdict(crashes=1, restart_in=0.5)
        now += verdict.restart_in
        history.started(now)


def test_stops_spread_beyond_the_window_back_off_to_the_cap_and_go_on():
    """Twenty seconds of running between stops: never five within a minute, so never left down,
    but each run is too short to count as healthy, so the pause grows up to the cap."""
    history = CrashHistory(POLICY, started_at=0.0)
    now, pauses = 0.0, []
    for _ in range(12):
        now += 20.0
        verdict = history.stopped(now)
        assert verdict.restart_in is not None and verdict.crashes < POLICY.crash_limit
        pauses.append(verdict.restart_in)
        now += verdict.restart_in
        history.started(now)
    assert pauses[:6] == [0.5, 1.0, 2.0, 4.0, 8.0, 10.0]
    assert set(pauses[6:]) == {10.0}


def test_the_count_forgets_stops_older_than_the_window():
    history = CrashHistory(POLICY, started_at=0.0)
    for t in (10.0, 11.0, 12.0, 13.0):
        assert history.stopped(t).restart_in is not None
    assert history.stopped(70.5).crashes == 4          # the stop at 10 s is more than 60 s ago
    assert history.stopped(70.9).restart_in is None    # 11, 12, 13, 70.5, 70.9: five within 60 s


def test_a_healthy_run_starts_the_pauses_over():
    history = CrashHistory(POLICY, started_at=0.0)
    verdicts, now = crash_at_once(history, now=5.0, times=3)
    assert [v.restart_in for v in verdicts] == [0.5, 1.0, 2.0]
    later = history.stopped(now + 300.0)               # up for five minutes since the last restart
    assert later == Verdict(crashes=1, restart_in=0.5)


def test_why_a_process_ended_in_the_console():
    assert describe_exit(-signal.SIGKILL) == "被信号 SIGKILL 终止"
    assert describe_exit(-signal.SIGSEGV) == "被信号 SIGSEGV 终止"
    assert describe_exit(1) == "退出码 1"
    assert describe_exit(0) == "退出码 0"
