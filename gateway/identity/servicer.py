"""The gateway's AuthService (built-in login), served through the proxy like GatewayService.

Proto ↔ use cases only (gateway/identity/credentials.py). Login and RefreshToken are public (no token);
every outcome, a malformed request included, is recorded in the audit log by this service, since
the proxy leaves these methods' auditing to it (permissions.SIGN_IN).
"""
from __future__ import annotations

from typing import Callable

import protovalidate
from google.protobuf.message import DecodeError, Message

from courtflow.common.v1.caller_pb2 import Caller
from courtflow.gateway.v1 import auth_service_pb2 as pb

from gateway.identity import credentials
from gateway.identity.auth import Authenticator
from gateway.identity.signing import Signer
from services.common.errors import FailedPrecondition, InvalidArgument, from_validation_error
from services.common.server import Runtime


class AuthServicer:
    def __init__(self, rt: Runtime, *, policy: credentials.Policy, signer: Signer | None,
                 authenticator: Authenticator) -> None:
        self._rt = rt
        self._policy = policy
        self._signer = signer
        self._auth = authenticator

    @property
    def handlers(self) -> dict[str, Callable]:
        return {"Login": self.login, "RefreshToken": self.refresh_token, "Logout": self.logout}

    async def login(self, request: bytes, caller: Caller) -> bytes:
        req = await self._parse(pb.LoginRequest, request, caller, "Login")
        signer = await self._signer_for(caller, "Login")
        tokens = await self._rt.db(credentials.login, self._rt.uow, username=req.username, password=req.password,
                                   caller=caller, policy=self._policy, signer=signer)
        return _pair(pb.LoginResponse(), tokens)

    async def refresh_token(self, request: bytes, caller: Caller) -> bytes:
        req = await self._parse(pb.RefreshTokenRequest, request, caller, "RefreshToken")
        signer = await self._signer_for(caller, "RefreshToken")
        tokens = await self._rt.db(credentials.refresh, self._rt.uow, refresh_token=req.refresh_token, caller=caller,
                                   policy=self._policy, signer=signer, revoked=self._auth.forget_session)
        return _pair(pb.RefreshTokenResponse(), tokens)

    async def logout(self, request: bytes, caller: Caller) -> bytes:
        req = await self._parse(pb.LogoutRequest, request, caller, "Logout")
        await self._rt.db(credentials.logout, self._rt.uow, refresh_token=req.refresh_token, caller=caller,
                          revoked=self._auth.forget_session)
        return pb.LogoutResponse().SerializeToString()

    async def _signer_for(self, caller: Caller, action: str) -> Signer:
        if self._signer is None:  # no GATEWAY_SIGNING_KEY: users sign in through the court's identity system
            error = FailedPrecondition("本系统未启用内置登录，请通过本院统一身份认证登录", reason="LOGIN_DISABLED")
            await self._rt.db(credentials.record_failure, self._rt.uow, action=action, caller=caller,
                              reason=error.reason)
            raise error
        return self._signer

    async def _parse(self, cls: type[Message], request: bytes, caller: Caller, action: str):
        # Local handlers are not behind the services' guard, so validate here, as it would.
        try:
            msg = cls.FromString(request)
            protovalidate.validate(msg)
            return msg
        except DecodeError:
            error = InvalidArgument("参数错误: 请求无法解析")
        except protovalidate.ValidationError as exc:
            error = from_validation_error(exc)
        await self._rt.db(credentials.record_failure, self._rt.uow, action=action, caller=caller, reason=error.reason)
        raise error


def _pair(reply, tokens: credentials.Tokens) -> bytes:
    reply.access_token, reply.refresh_token = tokens.access_token, tokens.refresh_token
    reply.expire_time.FromDatetime(tokens.expire_time)
    reply.refresh_expire_time.FromDatetime(tokens.refresh_expire_time)
    return reply.SerializeToString()
