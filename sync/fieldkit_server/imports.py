"""``fieldkit-server import units FILE.csv``: the unit registry from a spreadsheet.

Columns (header row, UTF-8 with or without BOM): ``site_id`` and ``number`` required;
``id``, ``building_id``, ``floor``, ``label`` (the text of the door's QR code),
``owner_name``, ``owner_phone``, ``special_care`` (separated by ``;``) optional. Without an
``id`` a unit gets a stable one from its site, building and number, so importing the same
file again updates the units instead of doubling them.

Every row is checked first and every problem reported as ``row N, column: message``; if
there is any, nothing is imported. Otherwise all units are written in one transaction.
"""

from __future__ import annotations

import csv
import re
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson
from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite

from fieldkit.i18n import t
from fieldkit.model import ModelError, Unit
from fieldkit.model.registry import SPECIAL_CARE
from fieldkit_server import feed
from fieldkit_server.db import Database
from fieldkit_server.push import now
from fieldkit_server.tables import Record

COLUMNS = (
    "id",
    "site_id",
    "building_id",
    "number",
    "floor",
    "label",
    "owner_name",
    "owner_phone",
    "special_care",
)
REQUIRED = ("site_id", "number")
_UNIT_NS = uuid.UUID("6f1c2d7e-33a5-4c1b-9a52-0f6f3c1a9e11")
_PHONE = re.compile(r"^\+?[0-9][0-9 \-]{5,19}$")
IMPORTER = "office-import"


@dataclass
class ImportReport:
    units: list[dict] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    created: int = 0
    updated: int = 0


def open_csv(
    path: Path, columns: Sequence[str], required: Sequence[str], problems: list[str]
) -> csv.DictReader | None:
    """The file's rows, or None with a sentence in ``problems`` when the file cannot be read
    or its header has unknown or missing columns."""
    try:
        text = path.read_text("utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        problems.append(t("server.import.unreadable", path=str(path), reason=exc))
        return None
    rows = csv.DictReader(text.splitlines())
    header = [h.strip() for h in rows.fieldnames or []]
    unknown = [h for h in header if h not in columns]
    missing = [c for c in required if c not in header]
    if unknown or missing or not header:
        problems.append(
            t("server.import.bad_header", unknown=", ".join(unknown) or "-",
              missing=", ".join(missing) or "-", columns=", ".join(columns))
        )  # fmt: skip
        return None
    return rows


def special_care(text: str, bad: Callable[..., None]) -> list[str] | None:
    """The ``;``-separated special-care flags of a row (``SPECIAL_CARE``: elderly_alone,
    disabled, evacuation_help); an unknown one is the row's problem (None), never taken."""
    flags = [part.strip() for part in text.split(";") if part.strip()]
    unknown = [f for f in flags if f not in SPECIAL_CARE]
    if unknown:
        known = ", ".join(f"{f} ({t(f'registry.care.{f}')})" for f in SPECIAL_CARE)
        bad("special_care", "server.import.bad_special_care", value=unknown[0], known=known)
        return None
    return flags


def read_units(path: Path) -> ImportReport:
    report = ImportReport()
    rows = open_csv(path, COLUMNS, REQUIRED, report.problems)
    if rows is None:
        return report
    seen: dict[str, int] = {}
    for line, raw in enumerate(rows, start=2):
        row = {(k or "").strip(): (v or "").strip() for k, v in raw.items() if k}
        problems = []

        def bad(
            column: str, key: str, problems: list = problems, line: int = line, **params: object
        ) -> None:
            problems.append(
                t("server.import.row", row=line, column=column, problem=t(key, **params))
            )

        for column in REQUIRED:
            if not row.get(column):
                bad(column, "server.import.required")
        floor = None
        if row.get("floor"):
            try:
                floor = int(row["floor"])
            except ValueError:
                bad("floor", "server.import.not_whole_number", value=row["floor"])
        if row.get("owner_phone") and not _PHONE.match(row["owner_phone"]):
            bad("owner_phone", "server.import.bad_phone", value=row["owner_phone"])
        care = special_care(row.get("special_care", ""), bad)
        unit_id = row.get("id") or str(
            uuid.uuid5(
                _UNIT_NS, f"{row.get('site_id')}/{row.get('building_id')}/{row.get('number')}"
            )
        )
        if unit_id in seen:
            bad("id", "server.import.duplicate", other=seen[unit_id])
        seen[unit_id] = line
        if problems:
            report.problems += problems
            continue
        try:
            unit = Unit.from_dict(
                {
                    "id": unit_id,
                    "site_id": row["site_id"],
                    "building_id": row.get("building_id") or None,
                    "number": row["number"],
                    "floor": floor,
                    "label": row.get("label", ""),
                    "owner_name": row.get("owner_name", ""),
                    "owner_phone": row.get("owner_phone", ""),
                    "special_care": care or [],
                }
            )
        except ModelError as exc:
            bad("-", "server.import.invalid", reason=str(exc))
            continue
        report.units.append(unit.to_dict())
    if not report.units and not report.problems:
        report.problems.append(t("server.import.empty", path=str(path)))
    return report


def import_units(db: Database, path: Path) -> ImportReport:
    report = read_units(path)
    if report.problems:
        return report
    report.updated = write_office_records(db, "unit", report.units)
    report.created = len(report.units) - report.updated
    return report


def write_office_records(db: Database, kind: str, records: list[dict[str, Any]]) -> int:
    """Insert or replace imported records of ``kind`` in one transaction, each with the next
    change sequence so devices pull them; returns how many replaced a stored record."""
    stamp = now()
    hlc = f"{int(stamp.timestamp() * 1000):012x}-000000-{IMPORTER}"
    with db.sessions() as session, session.begin():
        existing = set(
            session.execute(
                select(Record.record_id).where(
                    Record.kind == kind, Record.record_id.in_([r["id"] for r in records])
                )
            ).scalars()
        )
        rows = []
        for record, place in zip(records, feed.places(session, len(records)), strict=True):
            rows.append(
                {"kind": kind, "record_id": record["id"], "site": record["site_id"],
                 "hlc": hlc, "device": IMPORTER, "deleted": False,
                 "body": orjson.dumps(record).decode(), "change_seq": place,
                 "updated_at": stamp}
            )  # fmt: skip
        insert = postgresql.insert if db.backend == "postgresql" else sqlite.insert
        statement = insert(Record)
        columns = ("site", "hlc", "device", "deleted", "body", "change_seq", "updated_at")
        session.execute(
            statement.on_conflict_do_update(
                index_elements=["kind", "record_id"],
                set_={c: statement.excluded[c] for c in columns},
            ),
            rows,
        )
    feed.number_pending(db)
    return len(existing)
