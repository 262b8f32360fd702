"""Run the gateway: `python -m gateway` (`migrate` applies migrations only;
`set-password USERNAME` sets a built-in login password read from standard input; `import-org FILE`
imports a court's org directory file, YAML or CSV; `openapi` prints the HTTP-JSON API's OpenAPI document)."""
from __future__ import annotations

import sys
from pathlib import Path

from gateway.app import build_with
from gateway.config import Settings
from gateway.models import MESSAGING, SCHEMA
from services.common.server import run_main


def main(argv: list[str]) -> None:
    if argv and argv[0] == "load-demo":   # the demo province comes from runtime/, which imports the gateway
        raise SystemExit("load-demo 已移至 python -m runtime load-demo（参数相同）")
    if argv and argv[0] == "set-password":
        from gateway.identity.cli import main as set_password

        set_password(argv[1:])
        return
    if argv and argv[0] == "import-org":
        from gateway.directory.cli import main as import_org

        import_org(argv[1:])
        return
    if argv and argv[0] == "openapi":
        from gateway.edge.http_server import print_openapi

        print_openapi(argv[1:])
        return
    settings = Settings.from_env()
    run_main(argv, settings=settings.common, schema=SCHEMA, migrations=Path(__file__).parent / "migrations",
             messaging=MESSAGING, build=build_with(settings))


main(sys.argv[1:])
