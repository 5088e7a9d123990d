"""Write every record — live, archived and reference — as JSON lines or CSV.

JSON lines: one object per record, ``{"entity": "case", "record": {...}}``, the record as
its ``to_dict()``. CSV: one row per record; columns are ``entity``, ``id``, then the fields
of the chosen kinds in model order, then ``extra`` (unknown keys as JSON); nested values
(answers, events, targets) are JSON text. Records come from :meth:`Store.iter_records`, so
a record present in two files is written once.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable
from dataclasses import fields
from typing import IO

import orjson

from fieldkit.model import RECORD_TYPES
from fieldkit.store.layout import LIVE_ENTITIES, REFERENCE_TABLES
from fieldkit.store.store import Store

KINDS = (*LIVE_ENTITIES, *REFERENCE_TABLES)
FORMATS = ("jsonl", "csv")
CHECKLIST_COLUMNS = ("id", "version", "hash")


def columns_for(kinds: Iterable[str]) -> list[str]:
    out: list[str] = ["entity", "id"]
    for kind in kinds:
        names = (
            CHECKLIST_COLUMNS
            if kind == "checklist"
            else [f.name for f in fields(RECORD_TYPES[kind]) if f.name != "extra"]  # type: ignore[arg-type]
        )
        out += [n for n in names if n not in out]
    return [*out, "extra"]


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool | int | float):
        return orjson.dumps(value).decode()
    return orjson.dumps(value, option=orjson.OPT_SORT_KEYS).decode()


def export(
    store: Store,
    fmt: str,
    out: IO[bytes],
    kinds: Iterable[str] | None = None,
    progress: Callable[[int, int, str], None] | None = None,
    shown: Callable[[str, dict], dict] | None = None,
) -> int:
    """Write the records of ``kinds`` (default: all) to ``out``; returns how many.
    ``shown(entity, record)`` is what is written of each record (personal values masked
    as the device's role sees them, :func:`fieldkit.model.personal.as_shown`); None writes
    them as stored."""
    chosen = [k for k in KINDS if not kinds or k in set(kinds)]
    count = 0
    records = store.iter_records(chosen, progress)
    if shown is not None:
        records = ((entity, shown(entity, doc)) for entity, doc in records)
    if fmt == "jsonl":
        for entity, doc in records:
            out.write(orjson.dumps({"entity": entity, "record": doc}) + b"\n")
            count += 1
        return count
    columns = columns_for(chosen)
    known = set(columns)
    text = io.TextIOWrapper(out, encoding="utf-8", newline="", write_through=True)
    writer = csv.writer(text)
    writer.writerow(columns)
    for entity, doc in records:
        extra = {k: v for k, v in doc.items() if k not in known}
        row = {**doc, "entity": entity, "extra": extra or None}
        writer.writerow([_cell(row.get(c)) for c in columns])
        count += 1
    text.flush()
    text.detach()
    return count
