"""The demo province into the gateway's org directory: `python -m runtime load-demo`.

The province comes from the synthetic generator (runtime/synthetic.py); a court's own
directory file goes through `python -m gateway import-org` instead. Run before or beside the
gateway: it only needs the database (users reach other services through the
outbox the gateway relays). Tokens are issued once per user and written to a
JSON file, since only their digests are stored; so are the demo users' passwords
for the built-in login.
"""
from __future__ import annotations

import argparse
import json
import logging
import secrets
from datetime import date
from pathlib import Path

from sqlalchemy import select, update

from gateway.directory import org
from gateway.identity import auth, passwords
from gateway.models import ApiTokenRow, UserRow
from gateway.offline import directory_database
from runtime import synthetic
from services.common.clock import SystemClock, legal_today
from services.common.settings import Env
from services.common.uow import UnitOfWork

log = logging.getLogger(__name__)
COURT_SYSTEM_USER = "court-system"


def import_province(uow: UnitOfWork, province: synthetic.Province) -> None:
    for c in province.courts:
        org.upsert_court(uow, court_id=c.court_id, display_name=c.name, level=c.level.value, parent_id=c.parent_id,
                         abbreviation=c.abbreviation)
    for d in province.departments:
        org.upsert_department(uow, court_id=d.court_id, department_id=d.department_id, display_name=d.name,
                              kind=d.kind)
    high = next(c for c in province.courts if c.parent_id is None)
    specs = [org.UserSpec(username=u.username, display_name=u.display_name, role=org.role_from_name(u.role.value),
                          court_id=u.court_id,
                          department=org.department_name(u.court_id, u.department_id) if u.department_id else "",
                          mobile=u.mobile) for u in province.users]
    specs.append(org.UserSpec(username=COURT_SYSTEM_USER, display_name="全省法院办案系统接口", role=org.role_from_name(
        "court_system"), court_id=high.court_id, department="", mobile=""))
    for spec in specs:
        org.upsert_user(uow, spec)


def issue_missing_tokens(uow: UnitOfWork, usernames: list[str], label: str) -> dict[str, str]:
    have = set(uow.session.scalars(select(ApiTokenRow.username).where(ApiTokenRow.username.in_(usernames))))
    return {u: auth.issue_token(uow, username=u, label=label) for u in usernames if u not in have}


def set_missing_passwords(uow: UnitOfWork, usernames: list[str]) -> dict[str, str]:
    """A demo password for every listed user who has none yet. One password and one hash for the
    whole load: hashing each of several hundred users would add seconds to every start."""
    password = secrets.token_urlsafe(9)
    hashed = passwords.hash_password(password)
    done = uow.session.scalars(update(UserRow).where(UserRow.username.in_(usernames), UserRow.password_hash.is_(None))
                               .values(password_hash=hashed).returning(UserRow.username))
    return {username: password for username in done}


def load_demo(database_url: str, *, out: Path, seed: int, cases: int, reference: date) -> synthetic.Province:
    province = synthetic.generate_province(seed=seed, cases=cases, reference_date=reference)
    with directory_database(database_url, application_name="courtflow-load-demo") as uow_factory, \
            uow_factory() as uow:
        import_province(uow, province)
        usernames = [u.username for u in province.users] + [COURT_SYSTEM_USER]
        tokens = issue_missing_tokens(uow, usernames, "demo")
        # Court systems sign in with their API token only.
        demo_passwords = set_missing_passwords(uow, [u.username for u in province.users])
        uow.commit()
    logins = json.loads(out.read_text()) if out.exists() else {}
    users = {u.username: u for u in province.users}
    for username, token in tokens.items():
        u = users.get(username)
        logins[username] = {"token": token, "display_name": u.display_name if u else "全省法院办案系统接口",
                            "role": u.role.value if u else "court_system", "court": u.court_id if u else "44"}
    for username, password in demo_passwords.items():
        logins.setdefault(username, {})["password"] = password
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(logins, ensure_ascii=False, indent=1))
    return province


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="python -m runtime load-demo", description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, required=True, help="JSON file receiving the demo logins")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--reference", type=date.fromisoformat, default=legal_today(SystemClock()))
    ns = parser.parse_args(argv)
    load_demo(Env().str("DATABASE_URL"), out=ns.out, seed=ns.seed, cases=1, reference=ns.reference)
