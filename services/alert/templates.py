"""Reminder texts in Chinese. Variables: 案号, 节点, 到期日, 剩余或超期天数, 承办人.

Each reminder is addressed to its reader in the words of the responsible person's place on the
case: the handler reads 「您承办的…」, the clerk holding a clerk's node 「您担任书记员的…」, the
judge assistant 「您担任法官助理的…」; a supervisor reads whose it is (「张法官承办的…」). A person
joining a case is told so in their own place's words, each place with its own template code.
Template-based SMS APIs get the template code (the kind) and the same variables as parameters
instead of the text.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

# A single SMS segment holds 70 Chinese characters; long messages are split and billed per
# segment by carriers, so SMS texts stay within a few segments and cut the tail with "…".
SMS_MAX_CHARS = 200
SIGNATURE = "【法院审判管理】"
LEVEL_LABELS = {2: "分管院领导", 3: "院长及上级法院"}
# Template codes: one per kind of reminder, and the digest that lists several (pacing.py).
KINDS = ("WARNING", "OVERDUE", "ESCALATION", "CLOSING_CHECK", "APPROVAL_REQUESTED", "APPLICATION_DECIDED",
         "NODE_LOCKED", "NODE_UNLOCKED", "CASE_ASSIGNED", "CASE_ASSIGNED_ASSISTANT", "CASE_ASSIGNED_CLERK", "DIGEST")
# A person's place on a case as a sentence says it: 「您承办的」「由您担任书记员」. A node held by a
# role outside the case's team (the division head's approval) reads as the handler's always has.
PLACES = {"handler": "承办", "assistant": "担任法官助理", "clerk": "担任书记员"}
# The message to a person joining a case: its template code and title, per place.
ASSIGNED = {"handler": ("CASE_ASSIGNED", "新承办案件"), "assistant": ("CASE_ASSIGNED_ASSISTANT", "新担任法官助理案件"),
            "clerk": ("CASE_ASSIGNED_CLERK", "新担任书记员案件")}


@dataclass(frozen=True)
class Reminder:
    title: str
    body: str
    sms: str
    template: str = ""
    params: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class About:
    """The node a reminder is about, and who reads it."""

    case_number: str
    node: str
    due: date
    handler: str       # display name of the responsible person
    addressee: str     # display name of the reader
    own: bool          # the reader is the responsible person
    role: str = ""     # the node's responsible role (catalogue: "handler", "assistant", "clerk", …)

    @property
    def place(self) -> str:
        return PLACES.get(self.role, PLACES["handler"])

    @property
    def whose(self) -> str:
        return f"您{self.place}的" if self.own else f"{self.handler}{self.place}的"

    def params(self, **more) -> dict[str, str]:
        return {"case_number": self.case_number, "node": self.node, "due_date": f"{self.due:%Y年%m月%d日}",
                "handler": self.handler, **{k: str(v) for k, v in more.items()}}


def warning(a: About, *, days_remaining: int) -> Reminder:
    left = "今日届满" if days_remaining <= 0 else f"剩余{days_remaining}天"
    body = f"{a.addressee}：{a.whose}{a.case_number}案件，“{a.node}”将于{a.due:%Y年%m月%d日}届满（{left}），请及时办理。"
    return _reminder("WARNING", f"{a.node}即将届满", body, a.params(days=max(days_remaining, 0)))


def overdue(a: About, *, days_overdue: int) -> Reminder:
    ask = "请立即处理。" if a.own else "请督促办理。"
    body = (f"{a.addressee}：{a.whose}{a.case_number}案件，“{a.node}”已于{a.due:%Y年%m月%d日}届满，"
            f"现已超期{days_overdue}天，{ask}")
    return _reminder("OVERDUE", f"{a.node}已超期", body, a.params(days=days_overdue))


def escalation(a: About, *, days_overdue: int, level: int) -> Reminder:
    to = LEVEL_LABELS.get(level, "院领导")
    body = (f"{a.addressee}：{a.whose}{a.case_number}案件，“{a.node}”已于{a.due:%Y年%m月%d日}届满，"
            f"现已超期{days_overdue}天，已报{to}督办。")
    return _reminder("ESCALATION", f"{a.node}超期{days_overdue}天，已报{to}", body, a.params(days=days_overdue))


def closing_check(a: About, *, closed_on: date) -> Reminder:
    body = (f"{a.addressee}：{a.whose}{a.case_number}案件已于{closed_on:%Y年%m月%d日}结案，但“{a.node}”没有办理记录"
            f"（应于{a.due:%Y年%m月%d日}前完成），请核实并补录。")
    return _reminder("CLOSING_CHECK", f"结案检查：{a.node}无办理记录", body, a.params(days=0))


def approval_requested(a: About, *, kind: str, applicant: str, approver: str, warnings: list[str]) -> Reminder:
    note = f"提示：{'；'.join(warnings)}。" if warnings else ""
    body = (f"{a.addressee}：{applicant}就{a.case_number}案件“{a.node}”（{a.due:%Y年%m月%d日}届满）申请{kind}，"
            f"需{approver}审批，请及时处理。{note}")
    return _reminder("APPROVAL_REQUESTED", f"待审批：{kind}申请", body, a.params(days=0, kind=kind))


def application_decided(a: About, *, kind: str, approved: bool, comment: str) -> Reminder:
    result = "已批准" if approved else "未获批准"
    after = f"，该节点现于{a.due:%Y年%m月%d日}届满" if approved else ""
    why = f"审批意见：{comment}。" if comment else ""
    body = f"{a.addressee}：{a.whose}{a.case_number}案件“{a.node}”的{kind}申请{result}{after}。{why}"
    return _reminder("APPLICATION_DECIDED", f"{kind}申请{result}", body, a.params(days=0, kind=kind))


def node_locked(a: About, *, reason: str) -> Reminder:
    body = f"{a.addressee}：{a.whose}{a.case_number}案件因“{a.node}”超期已被锁定（{reason}），解锁须经审批。"
    return _reminder("NODE_LOCKED", f"案件已锁定：{a.node}超期", body, a.params(days=0))


def node_unlocked(a: About, *, approver: str) -> Reminder:
    body = f"{a.addressee}：{a.whose}{a.case_number}案件“{a.node}”的超期锁定已经{approver}批准解除。"
    return _reminder("NODE_UNLOCKED", f"案件已解锁：{a.node}", body, a.params(days=0))


def case_assigned(a: About, *, place: str, previous: str, nodes: list[tuple[str, str, date]]) -> Reminder:
    """To a person joining a case as its handler, judge assistant or clerk (`place`): the open
    nodes they now hold, (name, state word, due), most urgent first. `previous`: who held the
    place before, empty for a case registered with them."""
    listed = "；".join(f"“{name}”{state}（{due:%Y年%m月%d日}届满）" for name, state, due in nodes)
    template, title = ASSIGNED.get(place, ASSIGNED["handler"])
    if template == "CASE_ASSIGNED":
        told = f"已由{previous}转由您承办，随案转交" if previous else "由您承办，"
    else:
        before = f"（原为{previous}）" if previous else ""
        told = f"{'改' if previous else ''}由您{PLACES[place]}{before}，由您办理的"
    body = f"{a.addressee}：{a.case_number}案件{told}未完成节点{len(nodes)}个：{listed}。请及时办理。"
    return _reminder(template, f"{title}：{a.case_number}", body,
                     a.params(days=0, count=len(nodes), previous=previous))


def _reminder(template: str, title: str, body: str, params: dict[str, str]) -> Reminder:
    return Reminder(title=title, body=body, sms=sms_text(body), template=template, params=params)


def sms_text(text: str) -> str:
    text = SIGNATURE + text
    return text if len(text) <= SMS_MAX_CHARS else text[: SMS_MAX_CHARS - 1] + "…"
