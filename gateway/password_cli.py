"""`python -m gateway set-password USERNAME`: set a user's built-in login password.

Reads the password from standard input (one line; asked twice at a terminal), so it appears in
no command line or shell history. Setting a password also unlocks the account and ends the user's
login sessions. Needs only DATABASE_URL (like `load-demo`); the audit event goes out through the
gateway's outbox.
"""
from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path

from sqlalchemy.orm import sessionmaker

from gateway import credentials
from gateway.models import MESSAGING, SCHEMA
from services.common.clock import SystemClock
from services.common.db import make_engine
from services.common.errors import DomainError
from services.common.migrate import upgrade
from services.common.settings import Env
from services.common.uow import UnitOfWork


def read_password() -> str:
    if sys.stdin.isatty():
        first = getpass.getpass("新密码: ")
        if getpass.getpass("再次输入: ") != first:
            raise SystemExit("两次输入的密码不一致")
        return first
    return sys.stdin.readline().rstrip("\r\n")


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="python -m gateway set-password", description=__doc__.splitlines()[0])
    parser.add_argument("username")
    ns = parser.parse_args(argv)
    database_url = Env().str("DATABASE_URL")
    upgrade(database_url, schema=SCHEMA, migrations=Path(__file__).parent / "migrations")
    engine = make_engine(database_url, pool_size=1, application_name="courtflow-set-password")
    uow = lambda: UnitOfWork(sessions=sessionmaker(engine, expire_on_commit=False, autobegin=False),  # noqa: E731
                             producer="gateway", clock=SystemClock(), outbox=MESSAGING.outbox, handled=MESSAGING.handled)
    try:
        credentials.set_password(uow, username=ns.username, password=read_password())
    except DomainError as err:
        raise SystemExit(err.message) from None
    finally:
        engine.dispose()
    print(f"已为 {ns.username} 设置密码", file=sys.stderr)
