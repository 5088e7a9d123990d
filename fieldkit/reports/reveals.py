"""The reveal log as the office reads it: one line per reveal — when, who (and the role),
which field of which resident at which flat, why, under which incident — as text or CSV.

The same rows on a device (``fieldkit reveals``, the office's reveal screen:
:func:`fieldkit.services.reveals.listing`) and on the office server (``fieldkit-server
reveals``, over every device's reveals): each caller reads the stored reveal records and
names the resident (masked) and the flat from the registry it holds.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, tzinfo
from typing import Any

from fieldkit.i18n import known, t
from fieldkit.i18n.roles import role_name
from fieldkit.model import localtime
from fieldkit.model.personal import mask
from fieldkit.model.reveal import EXPORT_ITEM


def item_label(item: str, lang: str | None = None) -> str:
    """A personal field as a person reads it: 电话 / phone number."""
    return known(f"reveals.field.{item}", item, lang)


def reason_label(code: str, lang: str | None = None) -> str:
    """A common reason as a person reads it; a code this release does not know, as it is."""
    return known(f"reveals.reason.{code}", code, lang)


def utc_text(text: str) -> str:
    """An ISO time as UTC text, comparable as a string with the stamps (a naive one is
    this machine's local time)."""
    try:
        when = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return text
    if when.tzinfo is None:
        when = when.astimezone()
    return when.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def since_utc(day: str, tz: tzinfo | None = None) -> str:
    """``YYYY-MM-DD`` as the UTC stamp of its midnight in ``tz`` (the compound's zone on a
    device; this machine's own when None); ValueError for anything else."""
    midnight = datetime.combine(date.fromisoformat(day.strip()), time())
    start = midnight.replace(tzinfo=tz) if tz is not None else midnight.astimezone()
    return utc_text(start.isoformat())


@dataclass(frozen=True)
class RevealRow:
    """One reveal (the resident's name masked; never the value seen)."""

    id: str
    at: str  # ISO UTC
    by: str
    role: str
    item: str
    resident: str  # masked name, "" when unknown here
    unit: str  # the flat's code
    reason_code: str
    reason: str
    incident_ref: str
    device: str
    kinds: tuple[str, ...] = ()
    unit_id: str = ""  # the flat's record, to open its card

    def when(self) -> str:
        """The local date and time: 2026-05-01 14:03."""
        try:
            moment = datetime.fromisoformat(self.at.replace("Z", "+00:00"))
        except ValueError:
            return self.at
        return localtime.fmt(moment)

    def why(self, lang: str | None = None) -> str:
        return reason_label(self.reason_code, lang) if self.reason_code else self.reason

    def who(self, lang: str | None = None) -> str:
        by = self.by or t("reveals.list.nobody", lang)
        return t("reveals.list.who", lang, by=by, role=role_name(self.role, lang))

    def what(self, lang: str | None = None) -> str:
        """The field seen, or that it was a full export."""
        if self.item == EXPORT_ITEM:
            return t("reveals.list.full", lang)
        return item_label(self.item, lang)

    def sentence(self, lang: str | None = None) -> str:
        """Who saw what of whom: 王敏（应急岗）  查看 3-2-302 张* 的电话."""
        if self.item == EXPORT_ITEM:
            kinds = ", ".join(self.kinds) or "—"
            return t("reveals.list.export", lang, who=self.who(lang), kinds=kinds)
        key = "reveals.list.line" if self.resident else "reveals.list.line_unknown"
        return t(key, lang, who=self.who(lang), what=self.what(lang), unit=self.unit or "—",
                 resident=self.resident)  # fmt: skip

    def details(self, lang: str | None = None) -> str:
        """Why, and the incident: 原因：应急联系  事件 #a1b2c3."""
        out = t("reveals.list.reason", lang, why=self.why(lang) or "—")
        if self.incident_ref:
            out += "  " + t("reveals.list.incident", lang, ref=self.incident_ref)
        return out


def _text(doc: dict, key: str) -> str:
    value = doc.get(key)
    return value if isinstance(value, str) else ""


def row(doc: dict[str, Any], resident_name: str = "", unit_code: str = "") -> RevealRow:
    """A stored reveal record as a row; ``resident_name`` (masked here) and ``unit_code``
    come from the caller's registry (the flat's code the record carries when it has none)."""
    kinds = doc.get("kinds")
    return RevealRow(
        id=_text(doc, "id"),
        at=_text(doc, "at"),
        by=_text(doc, "by"),
        role=_text(doc, "role"),
        item=_text(doc, "item"),
        resident=mask("name", resident_name),
        unit=unit_code or _text(doc, "unit_code"),
        reason_code=_text(doc, "reason_code"),
        reason=_text(doc, "reason"),
        incident_ref=_text(doc, "incident_id")[-6:],  # as the incident screens name it
        device=_text(doc, "device"),
        unit_id=_text(doc, "unit_id"),
        kinds=tuple(str(k) for k in kinds) if isinstance(kinds, list) else (),
    )


def newest_first(rows: Iterable[RevealRow], since: str = "") -> list[RevealRow]:
    """``rows`` stamped at or after ``since`` (UTC text; "" for all), newest first."""
    kept = [r for r in rows if not since or utc_text(r.at) >= since]
    kept.sort(key=lambda r: utc_text(r.at), reverse=True)
    return kept


def to_text(rows: Iterable[RevealRow], lang: str | None = None) -> str:
    return "".join(f"{r.when()}  {r.sentence(lang)}  {r.details(lang)}\n" for r in rows)


def to_csv(rows: Iterable[RevealRow], lang: str | None = None) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(t("reveals.cli.columns", lang).split(","))
    for r in rows:
        writer.writerow([r.when(), r.by, role_name(r.role, lang), r.what(lang), r.unit,
                         r.resident, r.why(lang), r.incident_ref, r.device])  # fmt: skip
    return out.getvalue()
