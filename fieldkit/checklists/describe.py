"""Checklists in words: conditions, routing, targets and frequencies as a person reads them.

Used by ``fieldkit checklist show`` and meant for the app's screens too, so a patroller
sees "shown only when “Pressure” is less than 1.0" rather than ``pressure < 1.0``.
"""

from __future__ import annotations

from fieldkit.checklists.definition import Checklist, Condition, Item, OnFail, Repeat
from fieldkit.checklists.durations import duration_parts
from fieldkit.checklists.expressions import (
    BoolOp,
    Call,
    Compare,
    Expr,
    ListLiteral,
    Literal,
    Not,
    Ref,
)
from fieldkit.checklists.schedule import Schedule
from fieldkit.checklists.vocabulary import PERIODS
from fieldkit.i18n import plural, t

_OPS = {
    "==": "eq",
    "!=": "ne",
    "<": "lt",
    "<=": "le",
    ">": "gt",
    ">=": "ge",
}


def word(group: str, value: str, lang: str | None = None) -> str:
    """The name of a fixed word, e.g. ``word("department", "security")`` → "Security"."""
    return t(f"checklists.words.{group}.{value}", lang)


def duration_words(text: str, lang: str | None = None) -> str:
    """``"4h"`` → "4 hours" / "4 小时"."""
    parts = duration_parts(text)
    if parts is None:
        return text
    n, unit = parts
    return plural(f"checklists.words.duration.{unit}", n, lang, n=n)


def every_words(schedule: Schedule, lang: str | None = None) -> str:
    """A rhythm in words: monthly, every 4 hours, every 2 hours between 22:00 and 06:00 in
    fixed slots, twice a month in fixed slots, every 15 days counted from the last run."""
    written = schedule.written
    if isinstance(written, str):
        if written in PERIODS:
            return word("every", written, lang)
        return t("checklists.words.every_duration", lang, duration=duration_words(written, lang))
    if schedule.kind == "per":
        times = schedule.times
        key = "rules.schedule.count_two" if times == 2 else "rules.schedule.count"
        rhythm = t("rules.schedule.times", lang, count=plural(key, times, lang),
                   per=t(f"rules.schedule.per.{schedule.per}", lang))  # fmt: skip
    else:
        days, hours = divmod(schedule.seconds // 3600, 24)
        n, unit = (days, "d") if days and not hours else (schedule.seconds // 3600, "h")
        if n == 1:
            rhythm = t(f"rules.schedule.every_one.{unit}", lang)
        else:
            span = duration_words(f"{n}{unit}", lang)
            rhythm = t("checklists.words.every_duration", lang, duration=span)
    if schedule.window is not None:
        start, end = schedule.window.text().split("-")
        rhythm = t("rules.schedule.window", lang, rhythm=rhythm, start=start, end=end)
    return t(f"rules.schedule.from.{schedule.start}", lang, rhythm=rhythm)


def applies_to_words(applies_to: str, lang: str | None = None) -> str:
    kind, _, sub = applies_to.partition(":")
    if kind == "asset" and sub:
        return t("checklists.words.target.asset", lang, kind=word("asset_kind", sub, lang))
    if kind == "route" and sub:
        return t("checklists.words.target.route_kind", lang, kind=word("route_kind", sub, lang))
    if kind == "incident" and sub:
        return t("checklists.words.target.incident", lang, kind=word("incident", sub, lang))
    return word("target", kind, lang)


def on_fail_words(on_fail: OnFail | None, lang: str | None = None) -> str:
    """ "major → Security, within 24 hours"; a note when there is no routing."""
    if on_fail is None:
        return t("checklists.show.no_route", lang)
    return t(
        "checklists.show.route",
        lang,
        severity=word("severity", on_fail.severity, lang),
        department=word("department", on_fail.department, lang),
        due=duration_words(on_fail.due_text, lang),
    )


def repeat_words(repeat: Repeat, lang: str | None = None) -> str:
    if not repeat.where:
        return t("checklists.show.repeat_all", lang)
    sep = t("checklists.words.list_sep", lang)
    parts = []
    for key, values in repeat.where:
        shown = [word("asset_kind", str(v), lang) if key == "kind" else str(v) for v in values]
        if len(shown) == 1:
            parts.append(t("checklists.words.op.eq", lang, a=key, b=shown[0]))
        else:
            parts.append(t("checklists.words.op.one_of", lang, a=key, b=sep.join(shown)))
    return t(
        "checklists.show.repeat_where", lang, where=t("checklists.words.and", lang).join(parts)
    )


def condition_words(cond: Condition, checklist: Checklist, lang: str | None = None) -> str:
    """A condition in words, with item labels and option labels in ``lang``."""
    return _Describer(checklist, lang).expr(cond.tree, top=True)


class _Describer:
    def __init__(self, checklist: Checklist, lang: str | None) -> None:
        self.checklist = checklist
        self.lang = lang

    def _item(self, expr: Expr) -> Item | None:
        return self.checklist.item(expr.name) if isinstance(expr, Ref) else None

    def _label(self, expr: Ref) -> str:
        item = self.checklist.item(expr.name)
        text = item.label.get(self.lang or "en") if item else expr.name
        return t("checklists.words.quoted", self.lang, text=text)

    def _value(self, expr: Expr, other: Item | None) -> str:
        if isinstance(expr, Ref):
            return self._label(expr)
        if isinstance(expr, ListLiteral):
            sep = t("checklists.words.list_sep", self.lang)
            return sep.join(self._value(i, other) for i in expr.items)
        if isinstance(expr, Literal):
            v = expr.value
            if isinstance(v, bool):
                return word("bool", "true" if v else "false", self.lang)
            if isinstance(v, str) and other is not None:
                if other.type == "check":
                    return word("answer", v, self.lang)
                option = other.option(v)
                if option is not None:
                    return t(
                        "checklists.words.quoted",
                        self.lang,
                        text=option.label.get(self.lang or "en"),
                    )
            return f"'{v}'" if isinstance(v, str) else str(v)
        return self.expr(expr)

    def expr(self, expr: Expr, top: bool = False) -> str:
        lang = self.lang
        if isinstance(expr, BoolOp):
            joiner = t(f"checklists.words.{expr.op}", lang)
            text = joiner.join(self.expr(o) for o in expr.operands)
            return text if top else f"({text})"
        if isinstance(expr, Not):
            return t("checklists.words.not", lang, a=self.expr(expr.operand, top=True))
        if isinstance(expr, Call) and expr.args and isinstance(expr.args[0], Ref):
            return t("checklists.words.answered", lang, a=self._label(expr.args[0]))
        if isinstance(expr, Compare):
            left_item, right_item = self._item(expr.left), self._item(expr.right)
            a = self._value(expr.left, right_item)
            b = self._value(expr.right, left_item)
            if expr.op in ("in", "not in"):
                if right_item is not None and right_item.type == "multi":
                    key = "includes" if expr.op == "in" else "excludes"
                    return t(f"checklists.words.op.{key}", lang, a=b, b=a)
                key = "one_of" if expr.op == "in" else "none_of"
                return t(f"checklists.words.op.{key}", lang, a=a, b=b)
            return t(f"checklists.words.op.{_OPS[expr.op]}", lang, a=a, b=b)
        return self._value(expr, None)
