"""`python -m gateway set-password USERNAME`: set a user's built-in login password.

Reads the password from standard input (one line; asked twice at a terminal), so it appears in
no command line or shell history. Setting a password also unlocks the account and ends the user's
login sessions. Needs only DATABASE_URL (like `import-org`); the audit event goes out through the
gateway's outbox.
"""
from __future__ import annotations

import argparse
import getpass
import sys

from gateway.identity import credentials
from gateway.offline import directory_database
from services.common.errors import DomainError
from services.common.settings import Env


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
    try:
        with directory_database(Env().str("DATABASE_URL"), application_name="courtflow-set-password") as uow:
            credentials.set_password(uow, username=ns.username, password=read_password())
    except DomainError as err:
        raise SystemExit(err.message) from None
    print(f"已为 {ns.username} 设置密码", file=sys.stderr)
