"""Composition root of the gateway."""
from __future__ import annotations

from pathlib import Path

from courtflow.gateway.v1 import auth_service_pb2, gateway_service_pb2, org_service_pb2

from gateway import servicer
from gateway.access.limits import RateLimiter
from gateway.config import Settings
from gateway.directory.servicer import OrgServicer
from gateway.edge import http_server
from gateway.edge.backends import Backend
from gateway.edge.console import ConsoleSettings
from gateway.edge.descriptors import register_descriptors
from gateway.edge.proxy import Limits, Proxy, Route
from gateway.identity import credentials
from gateway.identity.auth import Authenticator
from gateway.identity.jwt_auth import JwtVerifier, KeySet, jwks_loader
from gateway.identity.servicer import AuthServicer
from gateway.identity.signing import Signer
from services.common.periodic import Periodic
from services.common.server import Runtime, ServiceApp

GATEWAY_SERVICE = gateway_service_pb2.DESCRIPTOR.services_by_name["GatewayService"].full_name
AUTH_SERVICE = auth_service_pb2.DESCRIPTOR.services_by_name["AuthService"].full_name
ORG_SERVICE = org_service_pb2.DESCRIPTOR.services_by_name["OrgService"].full_name
PURGE_INTERVAL = 3600.0


def build_with(settings: Settings):
    def build(rt: Runtime) -> ServiceApp:
        # The proxy and the HTTP-JSON routes find every method in the default descriptor pool.
        register_descriptors()
        # One fail-fast channel per service (gateway/edge/backends.py).
        backends = {svc: Backend.of(svc, addr) for svc, addr in settings.backends.items()}
        routes = {svc: Route(backend=b) for svc, b in backends.items()}
        # GET /readyz: the gateway itself (NOT_SERVING while it drains) and every service behind it.
        itself = Backend("gateway", f"127.0.0.1:{rt.settings.grpc_port}", traced=False)
        signer = (Signer.from_pem_file(settings.signing_key, issuer=settings.token_issuer,
                                       audience=settings.token_audience) if settings.signing_key else None)
        issuers = [(i, KeySet(jwks_loader(i.jwks))) for i in settings.jwt_issuers]
        verifier = JwtVerifier(issuers + ([signer.key_set()] if signer else []))
        authenticator = Authenticator(rt.uow, clock=rt.clock, verifier=verifier,
                                      own_issuer=signer.issuer if signer else "")
        auth = AuthServicer(rt, signer=signer, authenticator=authenticator, policy=credentials.Policy(
            max_failures=settings.login_max_failures, lockout=settings.lockout,
            access_ttl=settings.access_token_ttl, refresh_ttl=settings.refresh_token_ttl))
        routes[GATEWAY_SERVICE] = Route(local=servicer.handlers(rt.clock))
        routes[AUTH_SERVICE] = Route(local=auth.handlers)
        routes[ORG_SERVICE] = Route(local=OrgServicer(rt).handlers)
        limits = Limits(users=RateLimiter(rate=settings.rate_limit, burst=settings.rate_burst),
                        court_systems=RateLimiter(rate=settings.court_system_rate_limit,
                                                  burst=max(settings.rate_burst, int(settings.court_system_rate_limit))),
                        max_request_bytes=settings.max_request_bytes)
        proxy = Proxy(rt, routes, authenticator, limits)
        # HTTP-JSON: the same proxy behind the protos' google.api.http rules (its port taken now).
        console = (ConsoleSettings(Path(settings.console_dir), access_ttl=settings.access_token_ttl)
                   if settings.console_dir else None)
        http = http_server.build(proxy, port=settings.http_port, max_request_bytes=settings.max_request_bytes,
                                 shutdown_grace=rt.settings.shutdown_grace, ready=[itself, *backends.values()],
                                 console=console) if settings.http_port else None
        purging = Periodic(lambda: credentials.purge_expired(rt.uow), interval=PURGE_INTERVAL,
                           name="purging expired login sessions")

        async def close_channels() -> None:
            for backend in [itself, *backends.values()]:
                await backend.close()

        return ServiceApp(service_names=[GATEWAY_SERVICE, AUTH_SERVICE, ORG_SERVICE, *settings.backends],
                          register=lambda server: server.add_generic_rpc_handlers((proxy,)),
                          loops=[purging.run, *([http.serve] if http else [])],
                          on_stop=[purging.stop, *([http.stop] if http else []), close_channels], guarded=False)
    return build
