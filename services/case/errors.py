"""Errors of the case service."""
from __future__ import annotations

from services.common.errors import AlreadyExists, NotFound


class CaseNotFound(NotFound):
    reason = "CASE_NOT_FOUND"


class CaseNumberTaken(AlreadyExists):
    reason = "CASE_NUMBER_TAKEN"
