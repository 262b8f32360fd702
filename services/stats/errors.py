"""Errors of the stats service."""
from __future__ import annotations

from services.common.errors import PermissionDenied


class StatisticsNotOpen(PermissionDenied):
    """Statistics are for department heads and above: a caller who sees only their own cases is
    refused with the reason every scope refusal has."""

    reason = "OUT_OF_SCOPE"
