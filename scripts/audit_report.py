"""Read pip-audit's JSON report (standard input) and say plainly what was audited.

pip-audit prints "No known vulnerabilities found" even when it could reach no vulnerability
service and audited nothing (every package then carries a skip_reason). Here that reads as
"not audited", with exit status 2; vulnerabilities not listed in the ignore file give 1.

Usage: python scripts/audit_report.py audit-ignore.toml < report.json
"""
from __future__ import annotations

import json
import sys
import tomllib


def summarize(report: dict, ignored: dict[str, str]) -> tuple[int, list[str]]:
    """Exit status and the lines to print for one pip-audit JSON report."""
    deps = report.get("dependencies", [])
    skipped = [d for d in deps if d.get("skip_reason")]
    found = [(d, v) for d in deps for v in d.get("vulns", []) if v["id"] not in ignored
             and not set(v.get("aliases", ())) & ignored.keys()]
    lines = []
    for dep, vuln in found:
        fixes = ", ".join(vuln.get("fix_versions", [])) or "无"
        lines.append(f"漏洞 {vuln['id']}：{dep['name']} {dep.get('version', '')}（修复版本：{fixes}）")
    for advisory, reason in sorted(ignored.items()):
        lines.append(f"已忽略 {advisory}：{reason}")
    if skipped:
        lines.append(f"未审计：{len(skipped)} / {len(deps)} 个包未能审计（例如 {skipped[0]['name']}："
                     f"{skipped[0]['skip_reason']}）。漏洞服务不可达时的“No known vulnerabilities found”"
                     "不代表没有漏洞；请在能访问 PyPI JSON API 或 OSV（scripts/audit -s osv）的机器上重跑。")
        return 2, lines
    if found:
        lines.append(f"发现 {len(found)} 个未忽略的已知漏洞（共审计 {len(deps)} 个包）。")
        return 1, lines
    lines.append(f"已审计全部 {len(deps)} 个包，未发现未忽略的已知漏洞。")
    return 0, lines


def load_ignored(path: str) -> dict[str, str]:
    with open(path, "rb") as f:
        entries = tomllib.load(f).get("ignore", [])
    missing = [e.get("id", "?") for e in entries if not e.get("reason", "").strip()]
    if missing:
        raise SystemExit(f"{path}: 每条忽略都要写明理由（reason）：{', '.join(missing)}")
    return {e["id"]: e["reason"].strip() for e in entries}


def main() -> int:
    status, lines = summarize(json.load(sys.stdin), load_ignored(sys.argv[1]))
    print("\n".join(lines))
    return status


if __name__ == "__main__":
    sys.exit(main())
