"""``fieldkit-server import units FILE.csv|FILE.xlsx``: the unit registry from a spreadsheet
(the office console's units page runs the same code on an uploaded file).

Columns (header row; a CSV in UTF-8 with or without BOM, or the first sheet of an ``.xlsx``
workbook): ``site_id`` and ``number`` required;
``id``, ``building_id``, ``floor``, ``label`` (the text of the door's QR code),
``owner_name``, ``owner_phone``, ``special_care`` (separated by ``;``) optional. Without an
``id`` a unit gets a stable one from its site, building and number, so importing the same
file again updates the units instead of doubling them.

Every row is checked first and every problem reported as ``row N, column: message`` (a
:class:`Problem`, in the reader's language); if there is any, nothing is imported. Otherwise
all units are written in one transaction. A file is bounded before it is trusted: at most
:data:`MAX_ROWS` rows (counted by row number, empty rows too), and a workbook at most
:data:`MAX_UNPACKED` bytes once unpacked.
"""

from __future__ import annotations

import csv
import io
import re
import uuid
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
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
#: The most data rows one file may hold (a large compound has some 20,000 flats), counted
#: by row number: empty rows count too.
MAX_ROWS = 50_000
#: The most bytes a workbook may unpack to (its XML), checked before it is opened: some ten
#: times what the console takes in one request (``console.web.MAX_BODY``), room for the
#: largest registry.
MAX_UNPACKED = 50 * 1024 * 1024
SUFFIXES = (".csv", ".xlsx")


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a file: its row and column (None and "" for the whole file) and
    what is wrong, in the reader's language. ``str()`` is the sentence the CLI prints."""

    row: int | None
    column: str
    text: str
    line: str

    def __str__(self) -> str:
        return self.line


def row_problem(lang: str | None, row: int, column: str, key: str, **params: object) -> Problem:
    text = t(key, lang, **params)
    return Problem(row, column, text, t("server.import.row", lang, row=row, column=column,
                                        problem=text))  # fmt: skip


def file_problem(lang: str | None, key: str, **params: object) -> Problem:
    text = t(key, lang, **params)
    return Problem(None, "", text, text)


@dataclass
class ImportReport:
    """An import of records of ``kind``: the records ready to write, or every problem of
    the file; the file's rows as read (a page shows them); once written, how many were new
    and how many replaced a stored record."""

    kind: str
    records: list[dict] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    rows: list[tuple[int, dict[str, str]]] = field(default_factory=list)
    created: int = 0
    updated: int = 0


@dataclass
class Row:
    """One row of a file: its number, its cells stripped, and the problems found in it."""

    line: int
    cells: dict[str, str]
    lang: str | None
    problems: list[Problem] = field(default_factory=list)

    def bad(self, column: str, key: str, **params: object) -> None:
        """Name a problem of this row (``column``, a catalogue key and its parameters)."""
        self.problems.append(row_problem(self.lang, self.line, column, key, **params))


def checked_rows(
    report: ImportReport,
    path: Path,
    columns: Sequence[str],
    required: Sequence[str],
    lang: str | None,
    may_site: Callable[[str], bool] | None,
) -> Iterator[Row]:
    """The rows of the file (kept in ``report.rows``), each checked as every import checks
    it — its required columns filled, its site one the person may write (``may_site``) —
    for the caller to check further; a row's problems go into the report once the caller
    is done with it. A file with no rows and no problem is itself a problem."""
    rows = open_csv(path, columns, required, report.problems, lang)
    if rows is None:
        return
    report.rows = rows
    for line, raw in rows:
        row = Row(line, {(k or "").strip(): (v or "").strip() for k, v in raw.items() if k}, lang)
        for column in required:
            if not row.cells.get(column):
                row.bad(column, "server.import.required")
        site = row.cells.get("site_id")
        if site and may_site is not None and not may_site(site):
            row.bad("site_id", "server.import.not_your_site", site=site)
        yield row
        report.problems += row.problems
    if not report.records and not report.problems:
        report.problems.append(file_problem(lang, "server.import.empty", path=path.name))


def import_records(db: Database, report: ImportReport) -> ImportReport:
    """Write the records of a report without problems in one transaction (or nothing)."""
    if not report.problems:
        report.updated = write_office_records(db, report.kind, report.records)
        report.created = len(report.records) - report.updated
    return report


def _xlsx_text(value: object) -> str:
    """A cell as the text a person typed: 12 not 12.0, a date as 2026-05-01."""
    from datetime import date, datetime

    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else str(value)
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


class FileProblem(Exception):
    """What is wrong with a whole file, as a catalogue key and its parameters."""

    def __init__(self, key: str, **params: object) -> None:
        super().__init__(key)
        self.key, self.params = key, params


def _xlsx_rows(path: Path) -> list[tuple[int, list[str]]]:
    """The first sheet's non-empty rows as (row number, cells) (:func:`_kept`); a
    :class:`FileProblem` when the file is no workbook or unpacks to more than
    :data:`MAX_UNPACKED`."""
    not_workbook = FileProblem("server.import.not_workbook", path=path.name)
    try:
        with zipfile.ZipFile(path) as packed:
            if sum(info.file_size for info in packed.infolist()) > MAX_UNPACKED:
                raise FileProblem("server.import.unpacks_too_large", path=path.name,
                                  most=MAX_UNPACKED // (1024 * 1024))  # fmt: skip
    except zipfile.BadZipFile:
        raise not_workbook from None
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a zip that is no workbook
        raise not_workbook from None
    try:
        rows = book.worksheets[0].iter_rows(values_only=True)
        return _kept((n, [_xlsx_text(c) for c in cells]) for n, cells in enumerate(rows, 1))
    finally:
        book.close()


def _csv_rows(path: Path) -> list[tuple[int, list[str]]]:
    """The file's non-empty records as (row number, cells) (:func:`_kept`): a quoted cell
    keeps its line breaks, and a record is numbered as the row Excel shows it on (one row
    however many lines its cells hold). A file not in UTF-8 (Excel's plain "CSV" is GBK on
    a Chinese Windows) is a :class:`FileProblem` that says how to save it."""
    try:
        text = path.read_text("utf-8-sig")
    except UnicodeDecodeError:
        raise FileProblem("server.import.not_utf8", path=path.name) from None
    return _kept(enumerate(csv.reader(io.StringIO(text, newline="")), 1))


def _kept(rows: Iterable[tuple[int, list[str]]]) -> list[tuple[int, list[str]]]:
    """The rows with any text, read up to the row numbered ``MAX_ROWS + 1``: a row past it,
    empty or not, is a :class:`FileProblem`, so a sheet of a million empty rows (a small
    file) is refused at the bound instead of read to its end."""
    out = []
    for number, cells in rows:
        if number > MAX_ROWS + 1:
            raise FileProblem("server.import.too_many_rows", most=MAX_ROWS)
        if any(cell.strip() for cell in cells):
            out.append((number, cells))
    return out


def open_csv(
    path: Path,
    columns: Sequence[str],
    required: Sequence[str],
    problems: list[Problem],
    lang: str | None = None,
) -> list[tuple[int, dict[str, str]]] | None:
    """The file's rows as (row number, {column: text}) — a CSV, or the first sheet of an
    ``.xlsx`` workbook — or None with the reason in ``problems`` when the file cannot be
    read, is too long, or its header has unknown or missing columns."""
    try:
        found = _xlsx_rows(path) if path.suffix.lower() == ".xlsx" else _csv_rows(path)
    except FileProblem as exc:
        problems.append(file_problem(lang, exc.key, **exc.params))
        return None
    except (OSError, csv.Error) as exc:
        problems.append(file_problem(lang, "server.import.unreadable", path=path.name,
                                     reason=exc))  # fmt: skip
        return None
    header = [h.strip() for h in found[0][1]] if found else []
    while header and not header[-1]:
        header.pop()
    unknown = [h for h in header if h not in columns]
    missing = [c for c in required if c not in header]
    if unknown or missing or not header:
        problems.append(
            file_problem(lang, "server.import.bad_header", unknown=", ".join(unknown) or "-",
                         missing=", ".join(missing) or "-", columns=", ".join(columns))
        )  # fmt: skip
        return None
    return [
        (number, {h: (cells[n] if n < len(cells) else "") for n, h in enumerate(header) if h})
        for number, cells in found[1:]
    ]


def special_care(text: str, bad: Callable[..., None], lang: str | None = None) -> list[str] | None:
    """The ``;``-separated special-care flags of a row (``SPECIAL_CARE``: elderly_alone,
    disabled, evacuation_help); an unknown one is the row's problem (None), never taken."""
    flags = [part.strip() for part in text.split(";") if part.strip()]
    unknown = [f for f in flags if f not in SPECIAL_CARE]
    if unknown:
        known = ", ".join(f"{f} ({t(f'registry.care.{f}', lang)})" for f in SPECIAL_CARE)
        bad("special_care", "server.import.bad_special_care", value=unknown[0], known=known)
        return None
    return flags


def read_units(
    path: Path, lang: str | None = None, may_site: Callable[[str], bool] | None = None
) -> ImportReport:
    """The units of the file, or every problem it has; ``may_site`` says which sites the
    person importing may write (a row of another site is that row's problem)."""
    report = ImportReport("unit")
    seen: dict[str, int] = {}
    for checked in checked_rows(report, path, COLUMNS, REQUIRED, lang, may_site):
        row, bad = checked.cells, checked.bad
        floor = None
        if row.get("floor"):
            try:
                floor = int(row["floor"])
            except ValueError:
                bad("floor", "server.import.not_whole_number", value=row["floor"])
        if row.get("owner_phone") and not _PHONE.match(row["owner_phone"]):
            bad("owner_phone", "server.import.bad_phone", value=row["owner_phone"])
        care = special_care(row.get("special_care", ""), bad, lang)
        unit_id = row.get("id") or str(
            uuid.uuid5(
                _UNIT_NS, f"{row.get('site_id')}/{row.get('building_id')}/{row.get('number')}"
            )
        )
        if unit_id in seen:
            bad("id", "server.import.duplicate", other=seen[unit_id])
        seen[unit_id] = checked.line
        if checked.problems:
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
        report.records.append(unit.to_dict())
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
