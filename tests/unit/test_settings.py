"""Start-up with a bad setting stops with one line naming the variable and the rule, in Chinese
and English words an operator can act on (issue 20, item 8): a zero batch spun thousands of empty
transactions, a one-character internal key was accepted, a postgres:// URL ended in a traceback."""
from __future__ import annotations

import pytest

from services.common.settings import CommonSettings, Env, SettingsError
from services.node.config import Settings as NodeSettings
from services.stats.config import Settings as StatsSettings

GOOD = {"DATABASE_URL": "postgresql+psycopg2://u@db:5432/courtflow", "NATS_URL": "nats://nats:4222",
        "COURTFLOW_INTERNAL_KEY": "k" * 32}


@pytest.mark.parametrize("name, value, rule", [
    ("COURTFLOW_INTERNAL_KEY", "k", "at least 16 characters"),
    ("COURTFLOW_LOG_LEVEL", "LOUD", "must be one of"),
    ("COURTFLOW_DB_THREADS", "0", "must be from 1 to 64"),
    ("COURTFLOW_DB_THREADS", "many", "is not an integer"),
    ("COURTFLOW_SHUTDOWN_GRACE", "-1", "must be from 0 to 300"),
    ("COURTFLOW_STREAM_REPLICAS", "7", "must be from 1 to 5"),
    ("DATABASE_URL", "mysql://u@db/x", "is not postgresql://"),
    ("DATABASE_URL", "db:5432", "is not a URL"),
    ("NATS_URL", "http://nats:4222", "must start with nats://"),
    ("NATS_URL", "nats://a:4222,b:4222", "must start with nats://"),
    ("COURTFLOW_INTERNAL_KEY_ACCEPTED", "short", "at least 16 characters"),
    ("COURTFLOW_INTERNAL_KEY_ACCEPTED", "k" * 32, "differ from COURTFLOW_INTERNAL_KEY"),
    ("COURTFLOW_HANDLED_EVENTS_RETENTION_DAYS", "30", "must be more than COURTFLOW_STREAM_MAX_AGE_DAYS=30"),
    ("COURTFLOW_METRICS_INTERVAL", "0", "must be from 0.1 to 600"),
])
def test_a_bad_common_setting_stops_start_up_naming_it(name, value, rule):
    with pytest.raises(SettingsError) as stopped:
        CommonSettings.from_env("case", 50051, Env({**GOOD, name: value}))
    message = str(stopped.value)
    assert message.startswith("配置错误: ") and name in message and rule in message and "\n" not in message


@pytest.mark.parametrize("name, value", [("NODE_SWEEP_BATCH", "0"), ("NODE_SWEEP_BATCH", "-5"),
                                         ("NODE_SWEEP_INTERVAL", "0"), ("NODE_SWEEP_BUDGET", "-1")])
def test_a_sweeper_that_would_spin_or_fail_does_not_start(name, value):
    with pytest.raises(SettingsError, match=name):
        NodeSettings.from_env(Env({**GOOD, name: value}))


@pytest.mark.parametrize("name, value", [("STATS_SNAPSHOT_INTERVAL", "0"), ("STATS_SNAPSHOT_MONTHS", "0"),
                                         ("STATS_SNAPSHOT_MONTHS", "2.5"), ("STATS_SNAPSHOT_SETTLE_HOURS", "-1"),
                                         ("STATS_SNAPSHOT_DAYS", "-1"), ("STATS_SNAPSHOT_DAYS", "400"),
                                         ("STATS_SNAPSHOT_CHAIN", "0"), ("STATS_SNAPSHOT_CHAIN", "31")])
def test_a_cube_housekeeping_that_would_spin_or_do_nothing_does_not_start(name, value):
    with pytest.raises(SettingsError, match=name):
        StatsSettings.from_env(Env({**GOOD, name: value}))


def test_what_operators_are_handed_is_taken_as_it_means():
    for given in ("postgresql://u@db:5432/courtflow", "postgres://u@db:5432/courtflow"):
        settings = CommonSettings.from_env("case", 50051, Env({**GOOD, "DATABASE_URL": given}))
        assert settings.database_url == "postgresql+psycopg2://u@db:5432/courtflow"
    cluster = CommonSettings.from_env("case", 50051, Env({**GOOD, "NATS_URL": "nats://a:4222,nats://b:4222",
                                                           "COURTFLOW_LOG_LEVEL": "debug"}))
    assert cluster.nats_url == "nats://a:4222,nats://b:4222" and cluster.log_level == "DEBUG"


def test_otlp_export_without_its_extra_stops_start_up_before_anything_runs():
    import importlib.util

    env = Env({**GOOD, "COURTFLOW_SPAN_EXPORT": "otlp"})
    try:
        installed = importlib.util.find_spec("opentelemetry.exporter.otlp.proto.grpc") is not None
    except ModuleNotFoundError:
        installed = False
    if installed:   # the image, or `scripts/setup --extra otlp`
        assert CommonSettings.from_env("case", 50051, env).span_export == "otlp"
        return
    with pytest.raises(SettingsError, match="COURTFLOW_SPAN_EXPORT=otlp needs the otlp extra"):
        CommonSettings.from_env("case", 50051, env)


def test_a_rotation_accepts_both_keys_and_signs_with_the_internal_key():
    settings = CommonSettings.from_env("case", 50051, Env({**GOOD, "COURTFLOW_INTERNAL_KEY_ACCEPTED": "n" * 32}))
    assert settings.verification_keys == ("k" * 32, "n" * 32) and settings.internal_key == "k" * 32
    assert CommonSettings.from_env("case", 50051, Env(GOOD)).verification_keys == ("k" * 32,)
    longer = CommonSettings.from_env("case", 50051, Env({**GOOD, "COURTFLOW_STREAM_MAX_AGE_DAYS": "90",
                                                          "COURTFLOW_HANDLED_EVENTS_RETENTION_DAYS": "120"}))
    assert (longer.stream_max_age_days, longer.handled_events_retention_days) == (90, 120)
