"""Equipment that wears out by date: when an extinguisher is next serviced and when it is
scrapped, when a lift's half-monthly maintenance falls due.

The periods are data (``equipment.toml`` beside this module, read with ``tomllib``): per
type, the first service after the make date, the service interval after that, the scrap
age, and how many days ahead a case is raised. An asset names its type, make date and
last service date in its extra data (``type``, ``made``, ``serviced``, ``YYYY-MM-DD``).

Dates are the compound's local days. A case is raised ahead of a date (``ahead_days``) on
patrol devices, with the same id and content on every device (``model.ids.agreed_id`` of
the asset, the event and the date), as missed runs are (``services.schedules``): raised
once, whoever notices it first.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache
from importlib import resources
from typing import Any

from fieldkit.config import LANGUAGES
from fieldkit.i18n import UserError, plural, t
from fieldkit.model import Case
from fieldkit.model import Target as ModelTarget
from fieldkit.model.hlc import HLC
from fieldkit.model.ids import agreed_id
from fieldkit.services.compound_clock import clock_of
from fieldkit.services.schedules import STAMP_DEVICE, site_of
from fieldkit.services.types import Target, Text, pick

RULES_FILE = "equipment.toml"
_SPAN = re.compile(r"^([1-9][0-9]{0,2})([ymd])$")
WINDOWS = (30, 60, 90)


class EquipmentRulesError(UserError):
    """The equipment rules file cannot be used; ``key`` names the message."""


@dataclass(frozen=True)
class Span:
    count: int
    unit: str  # y | m | d

    def after(self, day: date) -> date:
        if self.unit == "d":
            return day + timedelta(days=self.count)
        months = self.count * (12 if self.unit == "y" else 1)
        month = day.month - 1 + months
        year, month = day.year + month // 12, month % 12 + 1
        for last in (31, 30, 29, 28):
            try:
                return date(year, month, min(day.day, last))
            except ValueError:
                continue
        raise AssertionError("unreachable: every month has 28 days")


@dataclass(frozen=True)
class EquipmentType:
    id: str
    kind: str
    names: Text
    service_every: Span
    first_service: Span | None = None
    scrap: Span | None = None
    ahead_days: int = 30
    service: Text | None = None  # what its service is called: 维保 / maintenance
    source: Text | None = None


def span_of(value: object) -> Span | None:
    """A period as the rules files write it ("3y", "6m", "15d"); None when it is not one."""
    match = _SPAN.match(value) if isinstance(value, str) else None
    return Span(int(match.group(1)), match.group(2)) if match else None


def text_of(value: object) -> Text | None:
    """A text in every language (``{zh = ..., en = ...}``); None when one is missing."""
    if not isinstance(value, dict) or not all(
        isinstance(value.get(lang), str) and value[lang] for lang in LANGUAGES
    ):
        return None
    return {lang: str(value[lang]) for lang in LANGUAGES}


def _span(value: object, where: str) -> Span:
    found = span_of(value)
    if found is None:
        raise EquipmentRulesError("rules.equipment.bad_rules", where=where, value=str(value))
    return found


def _text(value: object, where: str) -> Text:
    found = text_of(value)
    if found is None:
        raise EquipmentRulesError("rules.equipment.bad_rules", where=where, value=str(value))
    return found


def parse_rules(doc: dict[str, Any]) -> dict[str, EquipmentType]:
    """The types of a rules document; EquipmentRulesError naming the first bad value."""
    types = doc.get("types")
    if not isinstance(types, dict) or not types:
        raise EquipmentRulesError("rules.equipment.bad_rules", where="types", value="")
    out = {}
    for type_id, spec in types.items():
        if not isinstance(spec, dict) or not isinstance(spec.get("kind"), str):
            raise EquipmentRulesError(
                "rules.equipment.bad_rules", where=f"types.{type_id}.kind", value=""
            )
        at = f"types.{type_id}"
        ahead = spec.get("ahead_days", 30)
        if isinstance(ahead, bool) or not isinstance(ahead, int) or not 0 <= ahead <= 366:
            raise EquipmentRulesError(
                "rules.equipment.bad_rules", where=f"{at}.ahead_days", value=str(ahead)
            )
        out[type_id] = EquipmentType(
            id=type_id,
            kind=spec["kind"],
            names=_text(spec.get("names"), f"{at}.names"),
            service_every=_span(spec.get("service_every"), f"{at}.service_every"),
            first_service=_span(spec["first_service"], f"{at}.first_service")
            if "first_service" in spec
            else None,
            scrap=_span(spec["scrap"], f"{at}.scrap") if "scrap" in spec else None,
            ahead_days=ahead,
            service=_text(spec["service"], f"{at}.service") if "service" in spec else None,
            source=_text(spec["source"], f"{at}.source") if "source" in spec else None,
        )
    return out


@cache
def rules() -> dict[str, EquipmentType]:
    """The shipped rules, read on first use."""
    text = (resources.files("fieldkit.services") / RULES_FILE).read_text("utf-8")
    return parse_rules(tomllib.loads(text))


@dataclass(frozen=True)
class Dates:
    """An asset's dates: as recorded (``made``, ``serviced``) and as the rules work them out."""

    asset: Target
    type: EquipmentType
    made: date | None
    serviced: date | None
    next_service: date | None
    scrap: date | None


def _day(value: object) -> date | None:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def dates_of(asset: Target, attrs: dict[str, Any]) -> Dates | None:
    """The dates of an asset whose type the rules know; None otherwise."""
    kind = rules().get(str(attrs.get("type", "")))
    if kind is None:
        return None
    made, serviced = _day(attrs.get("made")), _day(attrs.get("serviced"))
    if serviced is not None:
        next_service: date | None = kind.service_every.after(serviced)
    elif made is not None:
        next_service = (kind.first_service or kind.service_every).after(made)
    else:
        next_service = None
    scrap = kind.scrap.after(made) if kind.scrap and made else None
    return Dates(asset, kind, made, serviced, next_service, scrap)


def asset_dates(ws: Any, target: Target) -> Dates | None:
    attrs = ws.places.assets.get(target.id)
    return dates_of(target, attrs) if attrs is not None else None


def card(ws: Any, target: Target, now: float) -> Text | None:
    """What an asset's card says of its dates, in both languages; None for an asset the
    rules do not date."""
    found = asset_dates(ws, target)
    if found is None:
        return None
    day = today(ws, now)
    return {lang: "\n".join(card_lines(found, day, lang)) for lang in LANGUAGES}


@dataclass(frozen=True)
class DueItem:
    dates: Dates
    event: str  # service | scrap
    on: date

    def left(self, today: date) -> int:
        """Days until it falls due; negative once past."""
        return (self.on - today).days


def today(ws: Any, now: float) -> date:
    return clock_of(ws.store).local(now).date()


def due(ws: Any, within: int, now: float) -> list[DueItem]:
    """Services and scrap dates falling due in the next ``within`` days, or already past;
    soonest first. An asset to be scrapped before its next service lists only the scrap."""
    day = today(ws, now)
    limit = day + timedelta(days=within)
    out = []
    for asset_id, attrs in ws.places.assets.items():
        found = dates_of(ws.places.by_id[asset_id], attrs)
        if found is None:
            continue
        scrap_first = found.scrap is not None and (
            found.next_service is None or found.scrap <= found.next_service
        )
        if found.scrap is not None and found.scrap <= limit:
            out.append(DueItem(found, "scrap", found.scrap))
        if found.next_service is not None and found.next_service <= limit and not scrap_first:
            out.append(DueItem(found, "service", found.next_service))
    out.sort(key=lambda i: (i.on, i.dates.asset.code, i.event))
    return out


def what_words(item: DueItem, lang: str | None = None) -> str:
    """灭火器到期维修 / dry powder extinguisher due for service."""
    kind = item.dates.type
    if item.event == "scrap":
        return t("rules.equipment.scrap", lang, type=pick(kind.names, lang))
    return t("rules.equipment.service", lang, type=pick(kind.names, lang), work=work(kind, lang))


def work(kind: EquipmentType, lang: str | None = None) -> str:
    """What servicing this type is called: 维修 / service, 维保 / maintenance."""
    return pick(kind.service, lang) if kind.service else t("rules.equipment.service_word", lang)


def left_words(days: int, lang: str | None = None) -> str:
    if days < 0:
        return plural("rules.equipment.past", -days, lang, days=-days)
    if days == 0:
        return t("rules.equipment.today", lang)
    return plural("rules.equipment.left", days, lang, days=days)


def raise_cases(ws: Any, now: float) -> list[str]:
    """A case for each service or scrap date within its type's ``ahead_days`` (or past),
    on patrol devices; the ids of those newly added."""
    if ws.role != "patrol":
        return []
    day = today(ws, now)
    site = site_of(ws)
    made = []
    for item in due(ws, max((k.ahead_days for k in rules().values()), default=0), now):
        if item.left(day) <= item.dates.type.ahead_days:
            case = due_case(item, ws, site)
            if ws.store.add_case_once(case):
                made.append(case)
    return [c.id for c in made]


def due_case(item: DueItem, ws: Any, site_id: str | None) -> Case:
    """The case of one service or scrap date: the same record on every device."""
    clock = ws.cached("schedule.clock", clock_of)
    asset = item.dates.asset
    raised = item.on - timedelta(days=item.dates.type.ahead_days)
    raised_at = clock.epoch(datetime(raised.year, raised.month, raised.day, 8))
    due_at = clock.epoch(datetime(item.on.year, item.on.month, item.on.day, 23, 59))
    at_ms = int(raised_at * 1000)
    titles = {
        lang: t("rules.equipment.title", lang, what=what_words(item, lang), code=asset.code,
                date=item.on.isoformat())
        for lang in LANGUAGES
    }  # fmt: skip
    source = item.dates.type.source or {}
    description = "\n".join(
        t("rules.equipment.description", lang, what=what_words(item, lang), code=asset.code,
          date=item.on.isoformat(), made=_shown(item.dates.made, lang),
          serviced=_shown(item.dates.serviced, lang), work=work(item.dates.type, lang),
          source=pick(source, lang))
        for lang in LANGUAGES
    )  # fmt: skip
    return Case.new(
        agreed_id(at_ms, f"equipment|{asset.id}|{item.event}|{item.on.isoformat()}"),
        "finding",
        ModelTarget("asset", asset.id),
        HLC(at_ms, 0, STAMP_DEVICE),
        site_id=site_id,
        category=f"equipment.{item.event}",
        severity="major",
        department="engineering",
        due=datetime.fromtimestamp(due_at, clock.tz).isoformat(timespec="seconds"),
        title=titles["zh"],
        description=description,
        created_at=datetime.fromtimestamp(raised_at, clock.tz).isoformat(timespec="seconds"),
        device=STAMP_DEVICE,
        extra={
            "titles": titles,
            "where": asset.code,
            "building": asset.building,
            "equipment": {"type": item.dates.type.id, "event": item.event,
                          "on": item.on.isoformat()},
        },
    )  # fmt: skip


def _shown(day: date | None, lang: str | None) -> str:
    return day.isoformat() if day else t("rules.equipment.unknown", lang)


def card_lines(dates: Dates, now_day: date, lang: str | None = None) -> list[str]:
    """What an asset's card says of its dates."""
    kind = dates.type
    lines = [t("rules.equipment.card_type", lang, type=pick(kind.names, lang),
               made=_shown(dates.made, lang), serviced=_shown(dates.serviced, lang),
               work=work(kind, lang))]  # fmt: skip
    if dates.next_service is not None:
        left = left_words((dates.next_service - now_day).days, lang)
        lines.append(t("rules.equipment.card_service", lang, work=work(kind, lang),
                       date=dates.next_service.isoformat(), left=left))  # fmt: skip
    if dates.scrap is not None:
        left = left_words((dates.scrap - now_day).days, lang)
        lines.append(t("rules.equipment.card_scrap", lang, date=dates.scrap.isoformat(), left=left))
    return lines
