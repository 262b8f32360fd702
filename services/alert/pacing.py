"""When an SMS may go and how several become one: quiet hours and digests. Pure: no I/O.

A judge must not get forty SMS at midnight. SMS wait out the court's quiet hours (system
messages do not) and a person gets at most one SMS per interval; what piles up meanwhile, or
several reminders due at once, goes out as one digest SMS that lists them.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from services.alert.templates import KINDS, SIGNATURE, SMS_MAX_CHARS
from services.common.clock import LEGAL_TZ

DIGEST = KINDS[-1]
PHRASES = {"WARNING": "剩余{days}天届满", "OVERDUE": "已超期{days}天", "ESCALATION": "超期{days}天已报院领导",
           "CLOSING_CHECK": "结案检查无办理记录", "APPROVAL_REQUESTED": "{kind}申请待审批",
           "APPLICATION_DECIDED": "{kind}申请已审批", "NODE_LOCKED": "超期锁定", "NODE_UNLOCKED": "已解锁"}


@dataclass(frozen=True)
class QuietHours:
    """A nightly window in the court's time zone, e.g. 22:00–08:00; start == end means none."""

    start: time
    end: time

    @classmethod
    def parse(cls, text: str) -> "QuietHours":
        """"22:00-08:00"; "" or "off" for none. Raises ValueError naming the expected form."""
        if text.strip().lower() in ("", "off", "none"):
            return cls(time(0), time(0))
        try:
            start, end = (time.fromisoformat(part.strip()) for part in text.split("-"))
        except ValueError:
            raise ValueError(f"quiet hours {text!r}: expected HH:MM-HH:MM, e.g. 22:00-08:00") from None
        return cls(start, end)

    def contains(self, at: datetime) -> bool:
        t = at.astimezone(LEGAL_TZ).time()
        if self.start == self.end:
            return False
        if self.start < self.end:
            return self.start <= t < self.end
        return t >= self.start or t < self.end

    def next_allowed(self, at: datetime) -> datetime:
        """`at` itself outside the window, else the window's end (the next morning)."""
        if not self.contains(at):
            return at
        local = at.astimezone(LEGAL_TZ)
        end = datetime.combine(local.date(), self.end, tzinfo=LEGAL_TZ)
        return end if end > local else end + timedelta(days=1)


@dataclass(frozen=True)
class Pacing:
    quiet: QuietHours
    # At most one SMS per person within this span; later ones wait and go together.
    min_interval: timedelta
    # More reminders than this due together for one person become a digest.
    digest_above: int = 1

    def earliest(self, at: datetime, last_sent: datetime | None) -> datetime:
        """When a person's next SMS may go, given their last one."""
        at = max(at, last_sent + self.min_interval) if last_sent is not None else at
        return self.quiet.next_allowed(at)


def digest_line(template: str, params: dict[str, str]) -> str:
    phrase = PHRASES.get(template, "{node}").format_map({"days": "", "kind": "", **params})
    return f"{params.get('case_number', '')}“{params.get('node', '')}”{phrase}"


def digest(addressee: str, items: list[tuple[str, dict[str, str]]]) -> tuple[str, dict[str, str]]:
    """One SMS listing several reminders (template, params), cut to the SMS limit with a count
    of what did not fit; the full texts are in the inbox. Returns the text and its parameters."""
    head = f"{SIGNATURE}{addressee}：您有{len(items)}条审判节点提醒："
    tail = "。详见系统站内消息。"
    lines = [digest_line(t, p) for t, p in items]
    shown: list[str] = []
    for i, line in enumerate(lines):
        rest = len(lines) - i - 1
        more = f"等{len(lines)}条" if rest else ""
        if len(head + "；".join([*shown, line]) + more + tail) > SMS_MAX_CHARS:
            break
        shown.append(line)
    more = f"等{len(lines)}条" if len(shown) < len(lines) else ""
    text = head + "；".join(shown) + more + tail
    return text, {"addressee": addressee, "count": str(len(items)), "summary": "；".join(shown) + more}
