"""Expand/contract in every migration (issue 20, item 10): during a rolling update the old release's
pods run on the new schema, so a migration may only *expand* it — add tables, nullable columns or
columns with a default, indexes — and take away or tighten (drop, rename, NOT NULL on a column the
old release does not fill) only in a later release, once no pod of the old one runs, saying so
in the migration with a line `# contract: <why the old release no longer needs it>`.

Each migration's upgrade() is read (its syntax tree and the SQL it executes); a step that would
break the release before it fails here, naming the file and the step. Steps released before
this check are listed in HISTORIC with the reason they stand.
"""
from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
MIGRATIONS = sorted(ROOT.glob("services/*/migrations/versions/*.py")) + sorted(
    ROOT.glob("gateway/migrations/versions/*.py"))
CONTRACT_MARK = re.compile(r"^\s*# contract: \S", re.M)

# (file, step) → why it stands. Not a place for new entries: a new migration expands.
HISTORIC = {
    ("services/case/migrations/versions/0005_receive_date.py", "NOT NULL on receive_date"):
        "released with the receipt registration (S1) before any deployment ran two releases side by side; "
        "every case has had a receive date since, and the release before it has no pods left anywhere",
    ("services/node/migrations/versions/0002_calendar_years.py", "NOT NULL on period"):
        "released with the node engine's recomputable deadlines before any deployment ran two releases side by "
        "side; the backfill above it filled every node of the one catalogue there was, and every node since has "
        "its period",
}

SQL_RULES = [
    (re.compile(r"\bSET\s+NOT\s+NULL\b", re.I), "SET NOT NULL in SQL"),
    (re.compile(r"\bDROP\s+(COLUMN|TABLE)\b", re.I), "DROP in SQL"),
    (re.compile(r"\bRENAME\b", re.I), "RENAME in SQL"),
    (re.compile(r"\bADD\s+COLUMN\b(?![^;]*\bDEFAULT\b)[^;]*\bNOT\s+NULL\b", re.I), "ADD COLUMN NOT NULL without DEFAULT in SQL"),
]


def _kw(call: ast.Call, name: str):
    for k in call.keywords:
        if k.arg == name:
            return k.value
    return None


def _const(node) -> object:
    return node.value if isinstance(node, ast.Constant) else None


def _column_name(node) -> str:
    if isinstance(node, ast.Call) and node.args:
        return str(_const(node.args[0]))
    return "?"


def violations(source: str) -> list[str]:
    """The steps of a migration's upgrade() that the release before it would not survive."""
    tree = ast.parse(source)
    upgrade = next((f for f in tree.body if isinstance(f, ast.FunctionDef) and f.name == "upgrade"), None)
    if upgrade is None:
        return []
    found = []
    for node in ast.walk(upgrade):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        op = node.func.attr
        if op == "add_column" and len(node.args) >= 2:
            column = node.args[1]
            if (isinstance(column, ast.Call) and _const(_kw(column, "nullable")) is False
                    and _kw(column, "server_default") is None):
                found.append(f"add_column NOT NULL without server_default: {_column_name(column)}")
        elif op == "alter_column":
            name = str(_const(node.args[1])) if len(node.args) > 1 else "?"
            if _const(_kw(node, "nullable")) is False:
                found.append(f"NOT NULL on {name}")
            if _kw(node, "new_column_name") is not None:
                found.append(f"rename of column {name}")
            if _kw(node, "type_") is not None:
                found.append(f"type change of {name}")
        elif op in ("drop_column", "drop_table", "rename_table"):
            found.append(f"{op}: {', '.join(str(_const(a)) for a in node.args[:2])}")
        elif op == "execute" and node.args:
            sql = " ".join(str(_const(v)) if isinstance(v, ast.Constant) else "…" for v in (
                node.args[0].values if isinstance(node.args[0], ast.JoinedStr) else [node.args[0]]))
            found += [f"{what}: {sql.strip()[:80]}" for rule, what in SQL_RULES if rule.search(sql)]
    return found


def _rel(path: Path) -> str:
    return str(path.relative_to(ROOT))


@pytest.mark.parametrize("path", MIGRATIONS, ids=_rel)
def test_a_migration_only_expands_unless_it_says_why_it_contracts(path: Path) -> None:
    source = path.read_text(encoding="utf-8")
    if CONTRACT_MARK.search(source):
        return   # a contract step, reasoned in the file
    breaking = [v for v in violations(source) if (_rel(path), v) not in HISTORIC]
    assert not breaking, (f"{_rel(path)}: the release before this one would fail on {breaking} during a "
                          "rolling update; expand now (nullable or with a server_default, backfill), contract in "
                          "a later release with a '# contract: …' line")


def test_historic_exceptions_are_still_there_and_reasoned() -> None:
    for (file, step), reason in HISTORIC.items():
        assert step in violations((ROOT / file).read_text(encoding="utf-8")), (file, step)
        assert len(reason) > 40


@pytest.mark.parametrize("body, caught", [
    ('op.add_column("t", sa.Column("c", sa.Text, nullable=False), schema=S)', True),
    ('op.add_column("t", sa.Column("c", sa.Text, nullable=False, server_default=""), schema=S)', False),
    ('op.add_column("t", sa.Column("c", sa.Text), schema=S)', False),
    ('op.alter_column("t", "c", nullable=False, schema=S)', True),
    ('op.alter_column("t", "c", nullable=True, schema=S)', False),
    ('op.alter_column("t", "c", new_column_name="d", schema=S)', True),
    ('op.drop_column("t", "c", schema=S)', True),
    ('op.drop_table("t", schema=S)', True),
    ('op.execute(f"ALTER TABLE {S}.t ALTER COLUMN c SET NOT NULL")', True),
    ('op.execute(f"ALTER TABLE {S}.t ADD COLUMN c text NOT NULL")', True),
    ('op.execute(f"ALTER TABLE {S}.t ADD COLUMN c text NOT NULL DEFAULT \'\'")', False),
    ('op.execute(f"UPDATE {S}.t SET c = d")', False),
    ('op.create_index("i", "t", ["c"], schema=S)', False),
])
def test_the_check_catches_what_breaks_the_release_before(body: str, caught: bool) -> None:
    assert bool(violations(f"def upgrade() -> None:\n    {body}\n")) is caught


# == who migrates: the Job under the DDL role (production), or each component itself (dev) =========


def test_production_migrates_with_a_job_as_owner_and_the_services_wait() -> None:
    from test_k8s_manifests import (COMPONENTS, _module, all_containers, container_env, egress_allowed, find,
                                    pod_labels, render, server)

    objs = render("production")
    job = find(objs, "Job", "courtflow-migrate")
    pod = job["spec"]["template"]["spec"]
    steps = pod["initContainers"] + pod["containers"]
    assert [c["command"] for c in steps] == [["python", "-m", _module(c), "migrate"] for c in COMPONENTS]
    for step in steps:
        env = container_env(objs, step)
        assert env["DATABASE_URL"] == ("secret", "courtflow-migrations", "DATABASE_URL"), step["name"]
        assert env["COURTFLOW_DML_ROLE"] == ("secret", "courtflow-migrations", "COURTFLOW_DML_ROLE")
        assert env["COURTFLOW_MIGRATE"] == "apply"
        assert step["securityContext"]["readOnlyRootFilesystem"] and not step["securityContext"]["allowPrivilegeEscalation"]
    assert pod["securityContext"]["runAsNonRoot"] and pod["restartPolicy"] == "OnFailure"
    assert egress_allowed(objs, pod_labels(job), None, 5432), "the Job must reach PostgreSQL"
    for component in COMPONENTS:
        dep = find(objs, "Deployment", component)
        for container in all_containers(dep):   # the init container waits, the server too
            env = container_env(objs, container)
            assert env["COURTFLOW_MIGRATE"] == "wait" and env["DATABASE_URL"][1] == "courtflow-secrets"
        assert server(dep)


def test_dev_migrates_as_it_starts() -> None:
    from test_k8s_manifests import COMPONENTS, all_containers, container_env, find, render

    objs = render("dev")
    assert not [o for o in objs if o["kind"] == "Job"]
    for component in COMPONENTS:
        for container in all_containers(find(objs, "Deployment", component)):
            assert container_env(objs, container).get("COURTFLOW_MIGRATE", "apply") == "apply"
