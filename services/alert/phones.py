"""Mobile numbers as others see them: in API answers, and in logs (which are shipped and kept, and
need no one's full number). Pure."""
from __future__ import annotations

# A mainland mobile number has 11 digits (with +86, 0086 or 86 in front it is longer). Of a
# number that long the first three and the last four show; of a shorter one (a landline
# extension, a typing slip) none do: seven of eight digits would give it away.
SHOWN_FROM = 11


def mask(mobile: str | None) -> str:
    """「138****5678」; "****" for a number shorter than SHOWN_FROM; "" for none at all."""
    if not mobile:
        return ""
    return f"{mobile[:3]}****{mobile[-4:]}" if len(mobile) >= SHOWN_FROM else "****"
