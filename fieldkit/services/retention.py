"""How long each kind of record must be kept, and how much of it this device holds.

The rules are data (``retention.toml`` beside this module, read with ``tomllib``): per kind
of record — inspections by checklist where the rule differs (the fire control room's duty
log, fire patrols) —, a period ("1y", "3y") and the rule it comes from in every language.
The device's archive never drops a record (:mod:`fieldkit.store.archive`), so nothing is
lost before its period ends; a new or reinstalled device simply holds less history than
the rule asks, and the office server holds the rest. ``fieldkit doctor`` says which.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from importlib import resources
from typing import Any

from fieldkit.i18n import UserError, plural, t
from fieldkit.model import localtime
from fieldkit.services.equipment import Span, span_of, text_of
from fieldkit.services.types import Text, pick
from fieldkit.store.export import DATED_BY
from fieldkit.store.layout import LIVE_ENTITIES

RULES_FILE = "retention.toml"


class RetentionRulesError(UserError):
    """The retention rules file cannot be used; ``key`` names the message."""


@dataclass(frozen=True)
class Rule:
    id: str
    entity: str
    names: Text
    keep: Span
    source: Text
    checklists: tuple[str, ...] = ()  # checklist id prefixes; none: every record of entity

    def fits(self, entity: str, doc: dict) -> bool:
        if entity != self.entity:
            return False
        if not self.checklists:
            return True
        ref = doc.get("checklist")
        checklist = str(ref.get("id", "")) if isinstance(ref, dict) else ""
        return checklist.startswith(self.checklists)


def _bad(where: str, value: object = "") -> RetentionRulesError:
    return RetentionRulesError("retention.bad_rules", where=where, value=str(value))


def parse_rules(doc: dict[str, Any]) -> list[Rule]:
    """The rules of a rules document in order; RetentionRulesError naming the first bad
    value. Every kind of record the device keeps must end with a rule of its own."""
    found = doc.get("rules")
    if not isinstance(found, list) or not found:
        raise _bad("rules")
    out = []
    for n, spec in enumerate(found):
        at = f"rules[{n}]"
        if not isinstance(spec, dict):
            raise _bad(at)
        entity = spec.get("entity")
        if entity not in DATED_BY:
            raise _bad(f"{at}.entity", entity)
        checklists = spec.get("checklists", [])
        if not isinstance(checklists, list) or not all(
            isinstance(c, str) and c for c in checklists
        ):
            raise _bad(f"{at}.checklists", checklists)
        keep = span_of(spec.get("keep"))
        if keep is None:
            raise _bad(f"{at}.keep", spec.get("keep"))
        names, source = text_of(spec.get("names")), text_of(spec.get("source"))
        if names is None:
            raise _bad(f"{at}.names", spec.get("names"))
        if source is None:
            raise _bad(f"{at}.source", spec.get("source"))
        out.append(Rule(str(spec.get("id") or entity), entity, names, keep, source,
                        tuple(checklists)))  # fmt: skip
    covered = {r.entity for r in out if not r.checklists}
    missing = [e for e in LIVE_ENTITIES if e not in covered]
    if missing:
        raise _bad("rules", ", ".join(missing))
    return out


@cache
def rules() -> tuple[Rule, ...]:
    """The shipped rules, read on first use."""
    text = (resources.files("fieldkit.services") / RULES_FILE).read_text("utf-8")
    return tuple(parse_rules(tomllib.loads(text)))


def rule_for(entity: str, doc: dict, among: tuple[Rule, ...] | None = None) -> Rule | None:
    """The first rule that fits the record; None for a kind no rule names (reference data)."""
    return next((r for r in (among or rules()) if r.fits(entity, doc)), None)


@dataclass
class Held:
    """What the device holds of one rule's records: how many, the first and last moment
    (each record's own time, on the compound's clock)."""

    rule: Rule
    count: int = 0
    oldest: datetime | None = None
    newest: datetime | None = None

    def add(self, when: datetime | None) -> None:
        self.count += 1
        if when is not None:
            self.oldest = when if self.oldest is None else min(self.oldest, when)
            self.newest = when if self.newest is None else max(self.newest, when)

    def short_of(self, today: date) -> bool:
        """Whether the device's history of these records is shorter than the rule's period
        (none at all, or the oldest younger than it): normal for a new device."""
        return self.oldest is None or self.rule.keep.after(self.oldest.date()) > today


def held(store: Any, among: tuple[Rule, ...] | None = None) -> list[Held]:
    """Per rule, in the rules' order, what the store holds: live and archived alike."""
    among = among or rules()
    out = {r.id: Held(r) for r in among}
    for entity, doc in store.iter_records(LIVE_ENTITIES):
        rule = rule_for(entity, doc, among)
        if rule is not None:
            out[rule.id].add(localtime.local(doc.get(DATED_BY[entity])))
    return list(out.values())


def span_words(span: Span) -> str:
    """A period as a person says it: "1 year", "3 个月"."""
    return plural(f"retention.span.{span.unit}", span.count)


def report(store: Any, today: date | None = None) -> list[str]:
    """What ``fieldkit doctor`` says of the records: per rule, how many the device holds,
    from which day to which (the compound's dates), how long the rule keeps them and where
    it comes from, and plainly when the device's history is shorter than that."""
    today = today or localtime.today()
    lines = [t("retention.doctor.heading")]
    for found in held(store):
        rule, keep = found.rule, span_words(found.rule.keep)
        name = pick(rule.names)
        if found.count == 0:
            lines.append("  " + t("retention.doctor.none", name=name, keep=keep))
        else:
            oldest, newest = (localtime.fmt(w, "date") for w in (found.oldest, found.newest))
            key = "retention.doctor.held" if oldest != newest else "retention.doctor.held_day"
            lines.append("  " + plural(key, found.count, name=name, oldest=oldest,
                                       newest=newest, keep=keep))  # fmt: skip
        if found.short_of(today):
            lines.append("    " + t("retention.doctor.short", keep=keep))
        lines.append("    " + t("retention.doctor.source", source=pick(rule.source)))
    return lines
