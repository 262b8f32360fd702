"""Reminder texts in Chinese. Variables: 案号, 节点, 到期日, 剩余或超期天数, 承办人."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

# A single SMS segment holds 70 Chinese characters; long messages are split and billed per
# segment by carriers, so SMS texts stay within a few segments and cut the tail with "…".
SMS_MAX_CHARS = 200
SIGNATURE = "【法院审判管理】"


@dataclass(frozen=True)
class Reminder:
    title: str
    body: str
    sms: str


def warning(*, case_number: str, node: str, due: date, days_remaining: int, handler: str) -> Reminder:
    left = "今日届满" if days_remaining <= 0 else f"剩余{days_remaining}天"
    body = (f"{handler}：您承办的{case_number}案件，“{node}”将于{due:%Y年%m月%d日}届满（{left}），"
            f"请及时办理。")
    return Reminder(title=f"{node}即将届满", body=body, sms=_sms(body))


def overdue(*, case_number: str, node: str, due: date, days_overdue: int, handler: str) -> Reminder:
    body = (f"{handler}：您承办的{case_number}案件，“{node}”已于{due:%Y年%m月%d日}届满，"
            f"现已超期{days_overdue}天，请立即处理。")
    return Reminder(title=f"{node}已超期", body=body, sms=_sms(body))


def closing_check(*, case_number: str, node: str, due: date, closed_on: date, handler: str) -> Reminder:
    body = (f"{handler}：您承办的{case_number}案件已于{closed_on:%Y年%m月%d日}结案，但“{node}”没有办理记录"
            f"（应于{due:%Y年%m月%d日}前完成），请核实并补录。")
    return Reminder(title=f"结案检查：{node}无办理记录", body=body, sms=_sms(body))


def _sms(text: str) -> str:
    text = SIGNATURE + text
    return text if len(text) <= SMS_MAX_CHARS else text[: SMS_MAX_CHARS - 1] + "…"
