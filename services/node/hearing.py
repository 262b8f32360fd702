"""Hearing-date supervision (开庭排期监督, requirement S5), DOMAIN §4. Pure: no I/O, no clock.

``check_hearing`` returns every rule a proposed hearing date breaks, in this fixed order:

1. PAST_DATE — the date lies before the scheduling day.
2. ANSWER_PERIOD — the hearing must come after the last day of the defendant's answer period
   (民事诉讼法「审理前的准备」: the answer is due within 15 days of service). A hearing on the last
   day itself is too early.
3. EVIDENCE_PERIOD — likewise after the last day of the evidence period (举证期限, 民诉法解释
   「举证期限」).
   For 2 and 3, ``None`` skips the check: the period is unknown, not applicable, or the parties
   waived it (simplified procedure lets both sides waive answer and evidence periods and be heard
   at once — the caller then passes ``None``).
4. NOTICE_PERIOD — the parties are notified at least ``notice_days`` (3) days before the hearing
   (民事诉讼法「开庭审理」). Counted per DOMAIN §1: the service day is not counted, so with service
   on S the hearing must satisfy ``proposed − S ≥ notice_days``. A notice not served yet can be
   served today at the earliest, so S is then the scheduling day.
5. TIME_LIMIT — the hearing must fall on or before the last day of the trial time limit (审理期限,
   DOMAIN §2 and §3); the caller passes that day after extensions, deductions and the rest-day roll.
6. HEARING_INTERVAL — two hearings of the same case at least ``min_interval_days`` apart (court
   policy, not law: none by default; a court sets its own, scheduling.hearing_rules). ``|proposed − other| < min_interval_days`` is a violation, a hearing on the same date
   included; one violation is reported per offending date (each distinct date once, earliest
   first), so the user sees every conflict. ``min_interval_days = 0`` switches the rule off.
   When rescheduling a hearing, leave its old date out of ``other_hearings``.
   ADJOURNMENT_INTERVAL — after an adjournment (HEARING_ADJOURNED), the next hearing at most
   ``max_interval_months`` (one) month after the adjourned hearing, counted like a month period
   (法释〔2018〕9号「延期开庭」: 两次开庭间隔时间不得超过一个月; force majeure or the parties'
   consent is the exception the 开庭排期流程 approves).
   ADJOURNMENT_LIMIT — a civil case adjourned more often than the law allows (法释〔2018〕9号: at
   most twice in ordinary procedure, once in simplified and small-claims procedure); the caller
   passes the cap (None: no cap, e.g. criminal and administrative cases).
7. REST_DAY — no hearing on a statutory rest day (法定休假日, weekends and public holidays with the
   调休 make-up working days counted as working days) unless the court allows it (court policy).
8. CALENDAR_UNKNOWN — the rest-day check ran on a year with no holiday schedule (weekends only);
   DOMAIN §1 requires flagging that instead of silently guessing. Off when rest days are allowed
   or ``flag_unknown_calendar`` is False.

Every message is in Chinese, names the proposed date, the date it conflicts with, and the basis.
Articles are cited by law and topic (DOMAIN preamble); numbers shift between amendments.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date, datetime, timedelta

from services.node.calendar import HolidayCalendar

__all__ = ["RULES", "HearingFacts", "HearingRules", "Violation", "check_hearing"]

# The stable codes, in the order check_hearing reports them.
RULES = (
    "PAST_DATE",
    "ANSWER_PERIOD",
    "EVIDENCE_PERIOD",
    "NOTICE_PERIOD",
    "TIME_LIMIT",
    "HEARING_INTERVAL",
    "ADJOURNMENT_INTERVAL",
    "ADJOURNMENT_LIMIT",
    "REST_DAY",
    "CALENDAR_UNKNOWN",
)

_WEEKDAYS = ("星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日")
_BASIS_ANSWER = "民事诉讼法：审理前的准备"
_BASIS_EVIDENCE = "民诉法解释：举证期限"
_BASIS_NOTICE = "民事诉讼法：开庭审理，应当在开庭三日前通知当事人"
_BASIS_TIME_LIMIT = "审理期限，含延长与扣除"
_BASIS_COURT = "法院管理规定"
_BASIS_ADJOURNMENT = "法释〔2018〕9号：严格规范民商事案件延期开庭"


def _check_date(owner: str, name: str, value: object, optional: bool) -> None:
    if value is None and optional:
        return
    # datetime is a date subclass; comparing it with a date raises, and a time of day here is a
    # time-zone bug upstream (legal dates are Asia/Shanghai calendar days).
    if not isinstance(value, date) or isinstance(value, datetime):
        raise TypeError(f"{owner}.{name} must be a date, got {value!r}")


@dataclass(frozen=True, slots=True)
class HearingFacts:
    proposed: date  # proposed hearing date (legal date, Asia/Shanghai)
    today: date  # the scheduling day
    answer_period_end: date | None  # last day of the answer period; None: unknown / n.a.
    evidence_period_end: date | None  # last day of the evidence period (举证期限)
    notice_served: date | None  # day the hearing notice (传票) was served; None: not yet
    time_limit_end: date | None  # last day of the trial time limit (审理期限)
    other_hearings: tuple[date, ...] = ()  # the case's other scheduled or held hearings
    adjourned: tuple[date, ...] = ()  # the days its hearings were adjourned (HEARING_ADJOURNED)
    max_adjournments: int | None = None  # how often the law lets it be adjourned; None: no cap

    def __post_init__(self) -> None:
        # Accept any iterable of dates but store a tuple, so the facts stay immutable and hashable.
        object.__setattr__(self, "other_hearings", tuple(self.other_hearings))
        object.__setattr__(self, "adjourned", tuple(self.adjourned))
        for f in fields(self):
            value = getattr(self, f.name)
            if f.name == "max_adjournments":
                if value is not None and (not isinstance(value, int) or isinstance(value, bool) or value < 0):
                    raise TypeError(f"HearingFacts.max_adjournments must be a whole number or None, got {value!r}")
            elif f.name in ("other_hearings", "adjourned"):
                for other in value:
                    _check_date("HearingFacts", f.name, other, optional=False)
            else:
                _check_date("HearingFacts", f.name, value, f.name not in ("proposed", "today"))


@dataclass(frozen=True, slots=True)
class HearingRules:
    """Defaults; a court can change them (court policy where marked)."""

    notice_days: int = 3  # 民事诉讼法「开庭审理」: notify at least three days before the hearing
    # (法院管理规定) minimum days between two hearings of one case: none in law (0), a court's setting
    # (scheduling.hearing_rules); the law's bound is the maximum after an adjournment, below.
    min_interval_days: int = 0
    max_interval_months: int = 1  # 法释〔2018〕9号: at most a month from an adjourned hearing to the next
    allow_rest_day: bool = False  # (法院管理规定) hearings on statutory rest days need an exception
    flag_unknown_calendar: bool = True  # report CALENDAR_UNKNOWN for a year with no schedule

    def __post_init__(self) -> None:
        for name in ("notice_days", "min_interval_days", "max_interval_months"):
            value = getattr(self, name)
            # bool is an int subclass; True days is a bug upstream, not a setting.
            if not isinstance(value, int) or isinstance(value, bool):
                raise TypeError(f"HearingRules.{name} must be an integer, got {value!r}")
            if value < 0:
                raise ValueError(f"HearingRules.{name} must be >= 0, got {value}")


@dataclass(frozen=True, slots=True)
class Violation:
    rule: str  # stable UPPER_SNAKE code, one of RULES
    field: str  # the input the proposed date conflicts with; "proposed" when the date alone is
    message: str  # Chinese for users, naming the dates and the legal basis
    against: date | None = None  # the conflicting date (end day, service day, ...)


def check_hearing(
    facts: HearingFacts, rules: HearingRules, calendar: HolidayCalendar
) -> list[Violation]:
    """Every rule ``facts.proposed`` breaks, in the order of ``RULES``; empty when none."""
    p = facts.proposed
    out: list[Violation] = []

    if p < facts.today:
        out.append(Violation(
            "PAST_DATE", "proposed",
            f"拟开庭日 {p} 早于排期日 {facts.today}，不能安排在已过去的日期",
            facts.today,
        ))

    for rule, name, end, label, basis in (
        ("ANSWER_PERIOD", "answer_period_end", facts.answer_period_end, "答辩期", _BASIS_ANSWER),
        ("EVIDENCE_PERIOD", "evidence_period_end", facts.evidence_period_end, "举证期限",
         _BASIS_EVIDENCE),
    ):
        if end is not None and p <= end:
            where = f"即为{label}届满日" if p == end else f"在{label}届满日 {end} 之前"
            out.append(Violation(
                rule, name,
                f"拟开庭日 {p} {where}，开庭应在{label}届满之后，"
                f"最早可定于 {end + timedelta(days=1)}（{basis}）",
                end,
            ))

    # Reading to confirm with the court: 「开庭三日前通知」 is taken as "the hearing day is at
    # least notice_days days after the service day", the service day not counted (DOMAIN §1), so
    # service on Monday allows a hearing on Thursday. A stricter reading (three clear days between
    # service and hearing, i.e. proposed − served ≥ notice_days + 1) would need notice_days = 4.
    # Rest days inside the notice window are not skipped and nothing is rolled: the rest-day roll
    # of 民法典第二百零三条 extends a period's last day, which here is the hearing day itself.
    served = facts.notice_served
    earliest_service = facts.today if served is None else served
    gap = (p - earliest_service).days
    if gap < rules.notice_days:
        earliest = earliest_service + timedelta(days=rules.notice_days)
        if served is None:
            when = f"传票尚未送达，最早于排期日 {facts.today} 送达"
        else:
            when = f"传票于 {served} 送达"
        if gap <= 0:
            distance = f"拟开庭日 {p} 不晚于送达日"
        else:
            distance = f"拟开庭日 {p} 距送达日仅{gap}日"
        out.append(Violation(
            "NOTICE_PERIOD", "notice_served",
            f"{when}，{distance}，不足{rules.notice_days}日（送达当日不计入），"
            f"最早可定于 {earliest}（{_BASIS_NOTICE}）",
            earliest_service,
        ))

    end = facts.time_limit_end
    if end is not None and p > end:
        out.append(Violation(
            "TIME_LIMIT", "time_limit_end",
            f"拟开庭日 {p} 超出审理期限届满日 {end}（{_BASIS_TIME_LIMIT}）",
            end,
        ))

    # One violation per distinct offending date, earliest first.
    for other in sorted(set(facts.other_hearings)):
        apart = abs((p - other).days)
        if apart < rules.min_interval_days:
            relation = "为同一日" if apart == 0 else f"仅相隔{apart}日"
            out.append(Violation(
                "HEARING_INTERVAL", "other_hearings",
                f"拟开庭日 {p} 与本案另一庭期 {other} {relation}，"
                f"少于最短间隔{rules.min_interval_days}日（{_BASIS_COURT}）",
                other,
            ))

    out.extend(_adjournment_violations(facts, rules))

    if not rules.allow_rest_day:
        known = calendar.is_known(p.year)
        if calendar.is_rest_day(p):
            caveat = "" if known else f"；{p.year}年节假日安排未知，仅按周末判断"
            out.append(Violation(
                "REST_DAY", "proposed",
                f"拟开庭日 {p}（{_WEEKDAYS[p.weekday()]}）为法定休假日，"
                f"休息日开庭须经批准（{_BASIS_COURT}{caveat}）",
            ))
        if not known and rules.flag_unknown_calendar:
            out.append(Violation(
                "CALENDAR_UNKNOWN", "proposed",
                f"{p.year}年节假日安排未知，无法确认拟开庭日 {p} 是否为法定休假日，"
                "请导入当年安排后复核",
            ))

    return out


def _adjournment_violations(facts: HearingFacts, rules: HearingRules) -> list[Violation]:
    """ADJOURNMENT_INTERVAL and ADJOURNMENT_LIMIT (see the module's docstring)."""
    out = []
    p = facts.proposed
    before = [d for d in facts.adjourned if d <= p]
    if before and rules.max_interval_months:
        last = max(before)
        latest = _months_after(last, rules.max_interval_months)
        if p > latest:
            out.append(Violation(
                "ADJOURNMENT_INTERVAL", "adjourned",
                f"本案于 {last} 延期开庭，再次开庭应在{rules.max_interval_months}个月内（至迟 {latest}），"
                f"拟开庭日 {p} 超出（{_BASIS_ADJOURNMENT}；因不可抗力或经当事人同意的，须经开庭排期流程审批）",
                last,
            ))
    cap = facts.max_adjournments
    if cap is not None and len(facts.adjourned) > cap:
        out.append(Violation(
            "ADJOURNMENT_LIMIT", "adjourned",
            f"本案已延期开庭{len(facts.adjourned)}次，超过本程序允许的{cap}次（{_BASIS_ADJOURNMENT}）",
            max(facts.adjourned),
        ))
    return out


def _months_after(day: date, months: int) -> date:
    """The corresponding day `months` later, or that month's last day (民法典第二百零二条)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    last = (date(year + (month == 12), month % 12 + 1, 1) - timedelta(days=1)).day
    return date(year, month, min(day.day, last))
