"""Get every record out — live, archived and reference — as JSON lines, for machines.

:func:`records` picks the records of the chosen kinds, each as its role may see it; the
JSON lines export writes one object per record, ``{"entity": "case", "record": {...}}``,
the record as its ``to_dict()``. Records come from :meth:`Store.iter_records`, so a record
present in two files is written once. Spreadsheets for people (a sheet per kind, columns
in words) are made from the same records by :mod:`fieldkit.services.sheets`.

An export can be cut to a period (an inspection visit asks for last year's patrols): a
record is in it by its own date on the compound's clock (:data:`DATED_BY`); reference
data (sites, flats, assets, checklists ...) is always given whole, as the records need it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from datetime import date
from typing import IO

import orjson

from fieldkit.model import localtime
from fieldkit.store.layout import LIVE_ENTITIES, REFERENCE_TABLES
from fieldkit.store.store import Store

KINDS = (*LIVE_ENTITIES, *REFERENCE_TABLES)

#: The field holding a record's own date: when an inspection or a round was started, a case
#: or an incident opened, a personal value revealed.
DATED_BY = {
    "inspection": "started_at",
    "case": "created_at",
    "incident": "started_at",
    "patrol_round": "started_at",
    "reveal": "at",
}

#: A period of days on the compound's clock, both ends included; None leaves that end open.
Period = tuple[date | None, date | None]


def day_of(entity: str, doc: dict) -> date | None:
    """The record's own day on the compound's clock; None for reference data or no date."""
    found = localtime.local(doc.get(DATED_BY[entity])) if entity in DATED_BY else None
    return found.date() if found else None


def in_period(entity: str, doc: dict, period: Period | None) -> bool:
    """Whether an export cut to ``period`` holds this record: reference data always; a dated
    kind only when its day falls in the period (a record without a date never does)."""
    if period is None or entity not in DATED_BY:
        return True
    day = day_of(entity, doc)
    start, end = period
    return day is not None and (start is None or day >= start) and (end is None or day <= end)


def chosen(kinds: Iterable[str] | None = None) -> list[str]:
    """The kinds to export, in the store's order (all of them for None)."""
    wanted = set(kinds or ())
    return [k for k in KINDS if not wanted or k in wanted]


def records(
    store: Store,
    kinds: Iterable[str] | None = None,
    progress: Callable[[int, int, str], None] | None = None,
    shown: Callable[[str, dict], dict] | None = None,
    period: Period | None = None,
) -> Iterator[tuple[str, dict]]:
    """(kind, record) for every record of ``kinds`` (default: all), of ``period`` only when
    given (:func:`in_period`). ``shown(entity, record)`` is what is exported of each record
    (personal values masked as the device's role sees them,
    :func:`fieldkit.model.personal.as_shown`); None gives them as stored."""
    found = store.iter_records(chosen(kinds), progress)
    if period is not None:
        found = ((e, d) for e, d in found if in_period(e, d, period))
    if shown is None:
        return iter(found)
    return ((entity, shown(entity, doc)) for entity, doc in found)


def export(
    store: Store,
    out: IO[bytes],
    kinds: Iterable[str] | None = None,
    progress: Callable[[int, int, str], None] | None = None,
    shown: Callable[[str, dict], dict] | None = None,
    period: Period | None = None,
) -> int:
    """Write the records of ``kinds`` (of ``period``) as JSON lines to ``out``; how many."""
    count = 0
    for entity, doc in records(store, kinds, progress, shown, period):
        out.write(orjson.dumps({"entity": entity, "record": doc}) + b"\n")
        count += 1
    return count
