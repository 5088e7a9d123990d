"""``fieldkit-server import residents|permits FILE.csv|FILE.xlsx``: the unit registry's
people and renovation permits from a spreadsheet, next to ``import units`` (:mod:`.imports`,
which reads the file and words the problems); the office console runs the same code.

Rows name their flat by ``unit`` — the flat's number (``3-2-1502``) on ``site_id`` as
already imported, or its record id. Every row is checked first and every problem reported
as ``row N, column: message`` (the same wording as the units import); if there is any,
nothing is imported. Otherwise all records are written in one transaction, with stable ids
(from site, flat and name / permit number) so importing the same file again updates them.

Residents: ``site_id``, ``unit``, ``name`` required; ``id``, ``role`` (owner, tenant,
household), ``phone``, ``id_number``, ``special_care`` (``;``-separated: elderly_alone,
disabled, evacuation_help), ``moved_in``, ``moved_out`` optional.

Permits: ``site_id``, ``unit``, ``start``, ``end`` required; ``id``, ``number``,
``applicant``, ``applicant_phone``, ``contractor``, ``scope`` (``;``), ``hours``
(``;``-separated windows, default ``08:00-12:00;14:00-18:00``), ``weekdays`` (``1-5`` or
``1;2;3``, 1 = Monday, default 1-5), ``closed`` (``;`` dates), ``agreement_signed``,
``deposit`` (yuan), ``deposit_state``, ``status`` optional.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import orjson
from sqlalchemy import select

from fieldkit.i18n import t
from fieldkit.model import ModelError
from fieldkit.model.personal import id_number_ok
from fieldkit.model.registry import RenovationPermit, Resident
from fieldkit_server.db import Database
from fieldkit_server.imports import _PHONE as PHONE
from fieldkit_server.imports import ImportReport, checked_rows, import_records, special_care
from fieldkit_server.tables import Record

_NS = uuid.UUID("0b7f4a52-8d0e-4c6b-b1f2-6a3e9d1c2f77")
RESIDENT_COLUMNS = ("id", "site_id", "unit", "role", "name", "phone", "id_number",
                    "special_care", "moved_in", "moved_out")  # fmt: skip
PERMIT_COLUMNS = ("id", "site_id", "unit", "number", "start", "end", "applicant",
                  "applicant_phone", "contractor", "scope", "hours", "weekdays", "closed",
                  "agreement_signed", "deposit", "deposit_state", "status")  # fmt: skip
KINDS = {"residents": "resident", "permits": "renovation_permit"}


def _split(text: str) -> list[str]:
    return [part.strip() for part in text.split(";") if part.strip()]


def _weekdays(text: str) -> list[int]:
    if not text:
        return [0, 1, 2, 3, 4]
    days: list[int] = []
    for part in _split(text.replace(",", ";")):
        low, _, high = part.partition("-")
        first, last = int(low), int(high or low)
        if not 1 <= first <= last <= 7:
            raise ValueError(part)
        days += range(first - 1, last)
    return sorted(set(days))


def _resident(row: dict, unit_id: str, bad: Callable[..., None], lang: str | None) -> dict | None:
    if row.get("phone") and not PHONE.match(row["phone"]):
        bad("phone", "server.import.bad_phone", value=row["phone"])
        return None
    if row.get("id_number") and not id_number_ok(row["id_number"]):
        bad("id_number", "registry.import.bad_id_number", value=row["id_number"])
        return None
    care = special_care(row.get("special_care", ""), bad, lang)
    if care is None:
        return None
    rid = row.get("id") or str(uuid.uuid5(_NS, f"resident/{unit_id}/{row.get('name')}"))
    return {
        "id": rid,
        "site_id": row["site_id"],
        "unit_id": unit_id,
        "role": row.get("role") or "owner",
        "name": row["name"],
        "phone": row.get("phone", ""),
        "id_number": row.get("id_number", "").upper(),
        "special_care": care,
        "moved_in": row.get("moved_in") or None,
        "moved_out": row.get("moved_out") or None,
    }


def _permit(row: dict, unit_id: str, bad: Callable[..., None], lang: str | None) -> dict | None:
    try:
        weekdays = _weekdays(row.get("weekdays", ""))
    except ValueError:
        bad("weekdays", "registry.import.bad_weekdays", value=row.get("weekdays"))
        return None
    deposit = 0
    if row.get("deposit"):
        try:
            deposit = int(row["deposit"])
        except ValueError:
            bad("deposit", "registry.import.not_amount", value=row["deposit"])
            return None
    key = row.get("number") or row["start"]
    hours = _split(row.get("hours", "")) or ["08:00-12:00", "14:00-18:00"]
    return {
        "id": row.get("id") or str(uuid.uuid5(_NS, f"permit/{unit_id}/{key}")),
        "site_id": row["site_id"],
        "unit_id": unit_id,
        "start": row["start"],
        "end": row["end"],
        "number": row.get("number", ""),
        "applicant": row.get("applicant", ""),
        "applicant_phone": row.get("applicant_phone", ""),
        "contractor": row.get("contractor", ""),
        "scope": _split(row.get("scope", "")),
        "hours": {"windows": hours, "weekdays": weekdays, "closed": _split(row.get("closed", ""))},
        "agreement_signed": row.get("agreement_signed") or None,
        "deposit": deposit,
        "deposit_state": row.get("deposit_state") or ("held" if deposit else "none"),
        "status": row.get("status") or "approved",
    }


SPECS: dict[str, tuple[tuple[str, ...], tuple[str, ...], Any, type]] = {
    "resident": (RESIDENT_COLUMNS, ("site_id", "unit", "name"), _resident, Resident),
    "renovation_permit": (PERMIT_COLUMNS, ("site_id", "unit", "start", "end"), _permit,
                          RenovationPermit),
}  # fmt: skip


def _units(db: Database) -> tuple[dict[tuple[str, str], str], set[str]]:
    """(site, number) -> unit id, and every unit id, as the server holds them now."""
    by_number: dict[tuple[str, str], str] = {}
    ids: set[str] = set()
    with db.sessions() as session:
        rows = session.execute(
            select(Record.record_id, Record.site, Record.body).where(
                Record.kind == "unit", Record.deleted.is_(False)
            )
        )
        for record_id, site, body in rows:
            ids.add(record_id)
            number = (orjson.loads(body) or {}).get("number")
            if number:
                by_number[(site, str(number))] = record_id
    return by_number, ids


def read(
    db: Database,
    what: str,
    path: Path,
    lang: str | None = None,
    may_site: Callable[[str], bool] | None = None,
) -> ImportReport:
    """The records of the file, or every problem it has (``may_site``: as
    :func:`fieldkit_server.imports.read_units`)."""
    kind = KINDS[what]
    columns, required, build, cls = SPECS[kind]
    report = ImportReport(kind)
    units: tuple[dict[tuple[str, str], str], set[str]] | None = None
    seen: dict[str, int] = {}
    for checked in checked_rows(report, path, columns, required, lang, may_site):
        row, bad = checked.cells, checked.bad
        if checked.problems:
            continue
        if units is None:  # read once, and only for a file that has rows
            units = _units(db)
        by_number, unit_ids = units
        unit = row["unit"]
        unit_id = unit if unit in unit_ids else by_number.get((row["site_id"], unit))
        if unit_id is None:
            bad("unit", "registry.import.no_unit", unit=unit, site=row["site_id"])
            continue
        doc = build(row, unit_id, bad, lang)
        if doc is None:
            continue
        if doc["id"] in seen:
            bad("id", "server.import.duplicate", other=seen[doc["id"]])
            continue
        seen[doc["id"]] = checked.line
        try:
            record = cls.from_dict(doc)
        except ModelError as exc:
            bad("-", "server.import.invalid", reason=str(exc))
            continue
        report.records.append(record.to_dict())
    return report


def run_import(db: Database, what: str, path: Path) -> int:
    """The CLI's ``import residents|permits``: exit 0 imported, 1 nothing imported."""
    import sys

    report = import_records(db, read(db, what, path))
    if report.problems:
        for line in report.problems:
            print(line, file=sys.stderr)
        print(t("server.import.nothing_imported", count=len(report.problems)), file=sys.stderr)
        return 1
    print(t("registry.import.done", created=report.created, updated=report.updated,
            what=t(f"registry.import.{what}")))  # fmt: skip
    return 0
