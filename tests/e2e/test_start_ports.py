"""The start command's usual ports (50050…, their metrics 51050…, HTTP-JSON 50080) lie in Linux's
ephemeral range: an outgoing connection can take one between the moment the system chose it and
the moment its service binds it (seen in CI: the gateway stopped with "Address already in use").
The system then starts again, once, on free ports outside that range, and says so."""
from __future__ import annotations

import socket
import urllib.request

import pytest

from conftest import new_database
from runtime.system import System

pytestmark = pytest.mark.timeout(180)


def test_a_port_taken_after_it_was_chosen_starts_the_system_on_free_ports(postgres, nats_servers, tmp_path, capsys):
    database = new_database(postgres, "ports")
    nats_url, _ = nats_servers.new("ports")
    system = System(database_url=database, nats_url=nats_url, log_dir=tmp_path / "logs", default_ports=True)
    system.migrate()
    chosen = int(system.components["gateway"].env["GATEWAY_HTTP_PORT"])
    # Taken after the choice, as a client connection would take it: the gateway cannot bind it.
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as squatter:
        squatter.bind(("0.0.0.0", chosen))
        squatter.listen(1)
        system.start()
        try:
            now = int(system.components["gateway"].env["GATEWAY_HTTP_PORT"])
            assert now != chosen
            # Every service SERVING (start waited for it), and the HTTP-JSON edge answers on the new port.
            with urllib.request.urlopen(f"{system.gateway_http}/readyz", timeout=10) as reply:
                assert reply.status == 200
            said = capsys.readouterr().out
            assert "改用其他空闲端口重新启动" in said and f"HTTP 端口 {chosen} 无法使用（GATEWAY_HTTP_PORT）" in said
        finally:
            system.stop()
    # The gateway's log names the port and the setting in one line, not a traceback.
    log = (tmp_path / "logs" / "gateway.log").read_text(encoding="utf-8")
    assert f"启动失败: HTTP 端口 {chosen} 无法使用（GATEWAY_HTTP_PORT）" in log and "Traceback" not in log
