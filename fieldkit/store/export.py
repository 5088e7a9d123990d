"""Get every record out — live, archived and reference — as JSON lines, for machines.

:func:`records` picks the records of the chosen kinds, each as its role may see it; the
JSON lines export writes one object per record, ``{"entity": "case", "record": {...}}``,
the record as its ``to_dict()``. Records come from :meth:`Store.iter_records`, so a record
present in two files is written once. Spreadsheets for people (a sheet per kind, columns
in words) are made from the same records by :mod:`fieldkit.services.sheets`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import IO

import orjson

from fieldkit.store.layout import LIVE_ENTITIES, REFERENCE_TABLES
from fieldkit.store.store import Store

KINDS = (*LIVE_ENTITIES, *REFERENCE_TABLES)


def chosen(kinds: Iterable[str] | None = None) -> list[str]:
    """The kinds to export, in the store's order (all of them for None)."""
    wanted = set(kinds or ())
    return [k for k in KINDS if not wanted or k in wanted]


def records(
    store: Store,
    kinds: Iterable[str] | None = None,
    progress: Callable[[int, int, str], None] | None = None,
    shown: Callable[[str, dict], dict] | None = None,
) -> Iterator[tuple[str, dict]]:
    """(kind, record) for every record of ``kinds`` (default: all). ``shown(entity,
    record)`` is what is exported of each record (personal values masked as the device's
    role sees them, :func:`fieldkit.model.personal.as_shown`); None gives them as stored."""
    found = store.iter_records(chosen(kinds), progress)
    if shown is None:
        return iter(found)
    return ((entity, shown(entity, doc)) for entity, doc in found)


def export(
    store: Store,
    out: IO[bytes],
    kinds: Iterable[str] | None = None,
    progress: Callable[[int, int, str], None] | None = None,
    shown: Callable[[str, dict], dict] | None = None,
) -> int:
    """Write the records of ``kinds`` as JSON lines to ``out``; returns how many."""
    count = 0
    for entity, doc in records(store, kinds, progress, shown):
        out.write(orjson.dumps({"entity": entity, "record": doc}) + b"\n")
        count += 1
    return count
