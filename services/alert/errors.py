"""Errors of the alert service."""
from __future__ import annotations

from services.common.errors import NotFound, PermissionDenied


class NotOwnInbox(PermissionDenied):
    reason = "NOT_OWN_INBOX"


class MessageNotFound(NotFound):
    reason = "MESSAGE_NOT_FOUND"
