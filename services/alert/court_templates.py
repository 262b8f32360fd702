"""Courts' own wording of reminders (A1): overrides of templates.py, per court and kind.

A YAML file (ALERT_TEMPLATES) names, per court id, the title and body of reminder kinds, with
the variables in braces. Overrides nest like courts do: a basic court's own wording wins over
its intermediate court's, which wins over the high court's, and a kind nobody overrides keeps
the built-in text. The file is checked when it loads, so a misspelt variable stops start-up
instead of reaching a judge as "{案号}".

    courts:
      "4401":
        OVERDUE:
          title: "{node}超期"
          body: "{addressee}：{whose}{case_number}案件“{node}”已于{due_date}届满，超期{days}天，请即办理。"
"""
from __future__ import annotations

import string
from dataclasses import dataclass, replace
from pathlib import Path

import yaml

from services.alert.templates import KINDS, Reminder, sms_text

# What a body may use: the reminder's parameters and the reader.
VARIABLES = frozenset({"case_number", "node", "due_date", "days", "handler", "kind", "addressee", "whose", "count",
                       "previous"})


class TemplateError(ValueError):
    pass


@dataclass(frozen=True)
class Wording:
    title: str
    body: str


class CourtTemplates:
    def __init__(self, by_court: dict[str, dict[str, Wording]] | None = None) -> None:
        self._by_court = by_court or {}

    @classmethod
    def load(cls, path: Path | None) -> "CourtTemplates":
        if path is None:
            return cls()
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except (OSError, yaml.YAMLError) as exc:
            raise TemplateError(f"{path}: cannot read: {exc}") from None
        courts = data.get("courts") if isinstance(data, dict) else None
        if not isinstance(courts, dict):
            raise TemplateError(f"{path}: needs 'courts', a map from court id to kinds")
        by_court = {}
        for court, kinds in courts.items():
            court = str(court)
            if not court.isdigit() or not isinstance(kinds, dict):
                raise TemplateError(f"{path}: courts.{court}: a court id (digits) mapping kinds to title and body")
            by_court[court] = {}
            for kind, wording in kinds.items():
                where = f"{path}: courts.{court}.{kind}"
                if kind not in KINDS:
                    raise TemplateError(f"{where}: unknown kind; known: {', '.join(KINDS)}")
                if not isinstance(wording, dict) or not {"title", "body"} <= wording.keys():
                    raise TemplateError(f"{where}: needs 'title' and 'body'")
                for part in ("title", "body"):
                    _check(str(wording[part]), f"{where}.{part}")
                by_court[court][kind] = Wording(title=str(wording["title"]), body=str(wording["body"]))
        return cls(by_court)

    def apply(self, court: str, reminder: Reminder, *, addressee: str, whose: str) -> Reminder:
        """The reminder in the court's own words, if the court or one above it has them."""
        for prefix in sorted((c for c in self._by_court if court.startswith(c)), key=len, reverse=True):
            wording = self._by_court[prefix].get(reminder.template)
            if wording is not None:
                values = {**{v: "" for v in VARIABLES}, **reminder.params, "addressee": addressee, "whose": whose}
                body = wording.body.format_map(values)
                return replace(reminder, title=wording.title.format_map(values), body=body, sms=sms_text(body))
        return reminder


def _check(text: str, where: str) -> None:
    try:
        names = {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}
    except ValueError as exc:
        raise TemplateError(f"{where}: {exc}") from None
    unknown = names - VARIABLES
    if unknown or any(not n for n in names):
        raise TemplateError(f"{where}: unknown variable(s) {sorted(unknown) or ['{}']}; "
                            f"known: {', '.join(sorted(VARIABLES))}")
