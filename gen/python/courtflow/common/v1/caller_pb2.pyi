from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class Role(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    ROLE_UNSPECIFIED: _ClassVar[Role]
    ROLE_JUDGE: _ClassVar[Role]
    ROLE_JUDGE_ASSISTANT: _ClassVar[Role]
    ROLE_CLERK: _ClassVar[Role]
    ROLE_DIVISION_HEAD: _ClassVar[Role]
    ROLE_VICE_PRESIDENT: _ClassVar[Role]
    ROLE_PRESIDENT: _ClassVar[Role]
    ROLE_TRIAL_MANAGEMENT: _ClassVar[Role]
    ROLE_AUDITOR: _ClassVar[Role]
    ROLE_SYSTEM_ADMIN: _ClassVar[Role]
    ROLE_COURT_SYSTEM: _ClassVar[Role]

class ScopeLevel(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    SCOPE_LEVEL_UNSPECIFIED: _ClassVar[ScopeLevel]
    SCOPE_LEVEL_OWN: _ClassVar[ScopeLevel]
    SCOPE_LEVEL_DEPARTMENT: _ClassVar[ScopeLevel]
    SCOPE_LEVEL_COURT: _ClassVar[ScopeLevel]
    SCOPE_LEVEL_REGION: _ClassVar[ScopeLevel]
    SCOPE_LEVEL_PROVINCE: _ClassVar[ScopeLevel]
ROLE_UNSPECIFIED: Role
ROLE_JUDGE: Role
ROLE_JUDGE_ASSISTANT: Role
ROLE_CLERK: Role
ROLE_DIVISION_HEAD: Role
ROLE_VICE_PRESIDENT: Role
ROLE_PRESIDENT: Role
ROLE_TRIAL_MANAGEMENT: Role
ROLE_AUDITOR: Role
ROLE_SYSTEM_ADMIN: Role
ROLE_COURT_SYSTEM: Role
SCOPE_LEVEL_UNSPECIFIED: ScopeLevel
SCOPE_LEVEL_OWN: ScopeLevel
SCOPE_LEVEL_DEPARTMENT: ScopeLevel
SCOPE_LEVEL_COURT: ScopeLevel
SCOPE_LEVEL_REGION: ScopeLevel
SCOPE_LEVEL_PROVINCE: ScopeLevel

class Caller(_message.Message):
    __slots__ = ("user", "display_name", "role", "court", "department", "scope", "scope_prefix", "client_address", "user_agent")
    USER_FIELD_NUMBER: _ClassVar[int]
    DISPLAY_NAME_FIELD_NUMBER: _ClassVar[int]
    ROLE_FIELD_NUMBER: _ClassVar[int]
    COURT_FIELD_NUMBER: _ClassVar[int]
    DEPARTMENT_FIELD_NUMBER: _ClassVar[int]
    SCOPE_FIELD_NUMBER: _ClassVar[int]
    SCOPE_PREFIX_FIELD_NUMBER: _ClassVar[int]
    CLIENT_ADDRESS_FIELD_NUMBER: _ClassVar[int]
    USER_AGENT_FIELD_NUMBER: _ClassVar[int]
    user: str
    display_name: str
    role: Role
    court: str
    department: str
    scope: ScopeLevel
    scope_prefix: str
    client_address: str
    user_agent: str
    def __init__(self, user: _Optional[str] = ..., display_name: _Optional[str] = ..., role: _Optional[_Union[Role, str]] = ..., court: _Optional[str] = ..., department: _Optional[str] = ..., scope: _Optional[_Union[ScopeLevel, str]] = ..., scope_prefix: _Optional[str] = ..., client_address: _Optional[str] = ..., user_agent: _Optional[str] = ...) -> None: ...
