"""Errors of the audit service."""
from __future__ import annotations

from services.common.errors import FailedPrecondition, PermissionDenied


class AuditRoleRequired(PermissionDenied):
    reason = "AUDIT_ROLE_REQUIRED"


class ProvinceScopeRequired(PermissionDenied):
    reason = "PROVINCE_SCOPE_REQUIRED"


class ExportTooLarge(FailedPrecondition):
    reason = "EXPORT_TOO_LARGE"
