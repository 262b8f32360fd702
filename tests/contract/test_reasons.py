"""Every ErrorInfo reason has its Chinese words, and the console's are labels.py's.

A refusal reaches a person by its reason alone in the audit log (the console's 日志查询 shows
「拒绝：超出权限范围」): a reason added anywhere without words there would show as a bare code. The
reasons are collected from the code as it declares them: an error class's `reason = "…"`, a
`reason="…"` given to an error, a `reason = "…"` kept for the audit record, a reason passed to a
function whose parameter is `reason` (the sign-in's audit-only ones, such as WRONG_PASSWORD), the
gateway's table of reasons for gRPC's own errors (gateway/edge/backends.py), and the gRPC code
names the gateway records when a service's answer had no reason.
"""
from __future__ import annotations

import ast
import re
from pathlib import Path

import grpc

from gateway.edge import backends
from services.common import labels

ROOT = Path(__file__).resolve().parents[2]
CODE = re.compile(r"^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*$")
# Functions with a `reason` parameter that is no error reason: a session's revoke_reason
# (REUSED, LOGOUT), stored and never shown.
NOT_ERRORS = {"_revoke_family"}


def _codes(node: ast.AST) -> list[str]:
    return [n.value for n in ast.walk(node)
            if isinstance(n, ast.Constant) and isinstance(n.value, str) and CODE.match(n.value)]


def _declared(path: Path) -> dict[str, str]:
    """{reason: where} of one module."""
    tree = ast.parse(path.read_text(), filename=str(path))
    where = str(path.relative_to(ROOT))
    # The position of `reason` among each local function's positional parameters.
    positions = {}
    for f in ast.walk(tree):
        if isinstance(f, (ast.FunctionDef, ast.AsyncFunctionDef)) and f.name not in NOT_ERRORS:
            names = [a.arg for a in f.args.posonlyargs + f.args.args]
            if "reason" in names:
                positions[f.name] = names.index("reason") - (names[0] in ("self", "cls"))
    found: dict[str, str] = {}
    for n in ast.walk(tree):
        values: list[str] = []
        if isinstance(n, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "reason" for t in n.targets):
            values = _codes(n.value)
        elif isinstance(n, ast.Call):
            values = [c for k in n.keywords if k.arg == "reason" for c in _codes(k.value)]
            called = n.func.attr if isinstance(n.func, ast.Attribute) else getattr(n.func, "id", None)
            if called in positions and positions[called] < len(n.args):
                values += _codes(n.args[positions[called]])
        for value in values:
            found.setdefault(value, f"{where}:{n.lineno}")
    return found


def all_reasons() -> dict[str, str]:
    found: dict[str, str] = {}
    for folder in ("services", "gateway", "runtime"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            for reason, where in _declared(path).items():
                found.setdefault(reason, where)
    for _, reason, _ in [*backends._MESSAGES.values(), backends._OTHER]:
        found.setdefault(reason, "gateway/edge/backends.py")
    for code in grpc.StatusCode:
        if code is not grpc.StatusCode.OK:
            found.setdefault(code.name, "gateway/edge/proxy.py (a reply without a reason)")
    return found


def test_the_collection_finds_the_reasons_of_each_kind_of_declaration():
    """The collector itself: one reason of each kind it must find (else an empty set would pass)."""
    found = all_reasons()
    for reason in ("OUT_OF_SCOPE",            # class attribute, and reason="…" to PermissionDenied
                   "NOT_OWN_INBOX",           # services/alert/errors.py
                   "TOKEN_EXPIRED",           # gateway/identity, reason="…"
                   "DATABASE_UNAVAILABLE",    # gateway/edge/proxy.py, reason = "…"
                   "WRONG_PASSWORD",          # positional, to a function's `reason` (audit only)
                   "SERVICE_UNAVAILABLE",     # gateway/edge/backends.py's table
                   "DEADLINE_EXCEEDED"):      # a gRPC code name
        assert reason in found, reason
    assert "REUSED" not in found and "LOGOUT" not in found   # revoke reasons, not errors


def test_every_reason_has_chinese_words():
    found = all_reasons()
    missing = {reason: where for reason, where in found.items() if reason not in labels.REASONS}
    assert not missing, f"reasons without words in services/common/labels.py REASONS: {missing}"
    assert all(re.search(r"[\u4e00-\u9fff]", words) for words in labels.REASONS.values())


def test_the_consoles_reasons_are_labels_pys():
    text = (ROOT / "console" / "app" / "labels.js").read_text()
    block = re.search(r"export const REASONS = \{(.*?)\};", text, re.S)
    assert block
    assert dict(re.findall(r"([A-Z_]+): '([^']+)'", block.group(1))) == labels.REASONS
