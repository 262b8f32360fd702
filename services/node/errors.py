"""Errors of the node service: one class per reason (the ErrorInfo reason clients act on)."""
from __future__ import annotations

from services.common.errors import FailedPrecondition, NotFound, PermissionDenied


class NodeNotFound(NotFound):
    reason = "NODE_NOT_FOUND"


class ApplicationNotFound(NotFound):
    reason = "APPLICATION_NOT_FOUND"


class RuleNotFound(NotFound):
    reason = "RULE_NOT_FOUND"


class StageNotFound(NotFound):
    reason = "STAGE_NOT_FOUND"


class OutOfScope(PermissionDenied):
    """Outside the caller's scope (the same reason as services/common/scope.py's refusals)."""

    reason = "OUT_OF_SCOPE"


class NoApprovalAuthority(PermissionDenied):
    reason = "NO_APPROVAL_AUTHORITY"


class SelfApproval(PermissionDenied):
    reason = "SELF_APPROVAL"


class ProvinceScopeRequired(PermissionDenied):
    reason = "PROVINCE_SCOPE_REQUIRED"


class NodeCompleted(FailedPrecondition):
    reason = "NODE_COMPLETED"


class NodeNotLocked(FailedPrecondition):
    reason = "NODE_NOT_LOCKED"


class CaseLocked(FailedPrecondition):
    """Metadata: `node`, the node whose lock holds the case."""

    reason = "CASE_LOCKED"


class NotATimeLimit(FailedPrecondition):
    reason = "NOT_A_TIME_LIMIT"


class ClockSuspended(FailedPrecondition):
    reason = "CLOCK_SUSPENDED"


class ClockNotSuspended(FailedPrecondition):
    reason = "CLOCK_NOT_SUSPENDED"


class ApplicationPending(FailedPrecondition):
    """Metadata: `application`, the one still waiting."""

    reason = "APPLICATION_PENDING"


class ApplicationDecided(FailedPrecondition):
    reason = "APPLICATION_DECIDED"
