"""Gateway settings, read once from the environment."""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from gateway.identity.jwt_auth import Issuer, parse_issuers
from services.common.components import DEFAULT_PORTS, default_address
from services.common.settings import CommonSettings, Env, SettingsError

DEFAULT_PORT = DEFAULT_PORTS["gateway"]
HTTP_PORT_OFFSET = 30   # HTTP-JSON on 50080 beside gRPC on 50050
CONSOLE_DIR = Path(__file__).resolve().parent.parent / "console"   # in a checkout; the image sets its own
BACKENDS = {  # service full name -> (environment variable, default address)
    "courtflow.case.v1.CaseService": ("CASE_ADDR", default_address("case")),
    "courtflow.node.v1.NodeService": ("NODE_ADDR", default_address("node")),
    "courtflow.alert.v1.AlertService": ("ALERT_ADDR", default_address("alert")),
    "courtflow.stats.v1.StatsService": ("STATS_ADDR", default_address("stats")),
    "courtflow.audit.v1.AuditService": ("AUDIT_ADDR", default_address("audit")),
}


@dataclass(frozen=True)
class Settings:
    common: CommonSettings
    backends: dict[str, str]
    # Requests per second per caller (token bucket) and the burst allowed; court systems, which
    # push a whole court's events, get their own higher rate.
    rate_limit: float
    rate_burst: int
    court_system_rate_limit: float
    # The largest request body accepted, in bytes.
    max_request_bytes: int
    # HTTP-JSON (transcoded from the protos' google.api.http rules); 0 serves gRPC only.
    http_port: int
    # Identity systems whose bearer JWTs are accepted (GATEWAY_JWT_ISSUERS, JSON).
    jwt_issuers: tuple[Issuer, ...]
    # The gateway's own ES256 key (PEM file) for the built-in login's access tokens; "" disables
    # the built-in login (a court that signs in through its identity system only).
    signing_key: str
    token_issuer: str
    token_audience: str
    access_token_ttl: timedelta
    refresh_token_ttl: timedelta
    # After this many consecutive wrong passwords the account is locked for `lockout`.
    login_max_failures: int
    lockout: timedelta
    # The web console's files (index.html, app/, vendor/), served at /console/; "" serves none
    # (GATEWAY_CONSOLE_DIR=off, or a folder without index.html).
    console_dir: str

    @classmethod
    def from_env(cls, env: Env | None = None) -> "Settings":
        env = env or Env()
        common = CommonSettings.from_env("gateway", DEFAULT_PORT, env)
        return cls(common=common,
                   backends={svc: env.str(var, default) for svc, (var, default) in BACKENDS.items()},
                   rate_limit=env.float("GATEWAY_RATE_LIMIT", 50.0), rate_burst=env.int("GATEWAY_RATE_BURST", 100),
                   court_system_rate_limit=env.float("GATEWAY_COURT_SYSTEM_RATE_LIMIT", 1000.0),
                   max_request_bytes=env.int("GATEWAY_MAX_REQUEST_BYTES", 1024 * 1024),
                   http_port=env.int("GATEWAY_HTTP_PORT", common.grpc_port + HTTP_PORT_OFFSET),
                   console_dir=_console_dir(env.optional("GATEWAY_CONSOLE_DIR") or str(CONSOLE_DIR)),
                   **_login_settings(env))


def _login_settings(env: Env) -> dict:
    values = dict(jwt_issuers=parse_issuers(env.optional("GATEWAY_JWT_ISSUERS")),
                  signing_key=_signing_key(env.optional("GATEWAY_SIGNING_KEY")),
                  token_issuer=env.str("GATEWAY_TOKEN_ISSUER", "courtflow-gateway"),
                  token_audience=env.str("GATEWAY_TOKEN_AUDIENCE", "courtflow"),
                  access_token_ttl=timedelta(seconds=env.int("GATEWAY_ACCESS_TOKEN_TTL", 15 * 60)),
                  refresh_token_ttl=timedelta(seconds=env.int("GATEWAY_REFRESH_TOKEN_TTL", 12 * 3600)),
                  login_max_failures=env.int("GATEWAY_LOGIN_MAX_FAILURES", 5),
                  lockout=timedelta(minutes=env.float("GATEWAY_LOCKOUT_MINUTES", 15.0)))
    if values["token_issuer"] in {i.issuer for i in values["jwt_issuers"]}:
        raise SettingsError("配置错误: GATEWAY_TOKEN_ISSUER is also named in GATEWAY_JWT_ISSUERS")
    if values["access_token_ttl"].total_seconds() <= 0 or values["refresh_token_ttl"] < values["access_token_ttl"]:
        raise SettingsError("配置错误: GATEWAY_ACCESS_TOKEN_TTL must be > 0 and at most GATEWAY_REFRESH_TOKEN_TTL")
    if values["login_max_failures"] < 1:
        raise SettingsError("配置错误: GATEWAY_LOGIN_MAX_FAILURES must be at least 1")
    return values


def _console_dir(path: str) -> str:
    """The console's folder, or "" (no console) when it has no index.html: an install without
    the checkout's console/ serves the API alone rather than failing to start."""
    if path == "off":
        return ""
    if not (Path(path) / "index.html").is_file():
        logging.getLogger(__name__).warning("GATEWAY_CONSOLE_DIR %s has no index.html: web console not served", path)
        return ""
    return path


def _signing_key(path: str) -> str:
    """The built-in login's key file. In Kubernetes it is an optional Secret mounted at a fixed
    path: a court that signs in through its own identity system creates no such Secret, and the
    built-in login is then off (LOGIN_DISABLED) rather than the gateway failing to start."""
    if path and not Path(path).exists():
        logging.getLogger(__name__).warning("GATEWAY_SIGNING_KEY %s does not exist: built-in login disabled", path)
        return ""
    return path
