"""Units and people: import flats, residents and renovation permits from a CSV or ``.xlsx``
file, and print QR label sheets.

An import is checked first (the **check** button writes nothing): every problem is shown in
place — the row, the column and what is wrong, in the person's language — and a file with
any problem writes nothing. A clean file is shown as a preview, with a button that imports
it: the file travels back with that button (there is no copy kept on the server between the
two requests, so any server process behind a proxy can take the second), and is checked
again before it is written in one transaction. Reading, checking and writing are
``fieldkit-server import``'s own (:mod:`fieldkit_server.imports`,
:mod:`fieldkit_server.registry_import`). Rows of a site the person does not look after
are problems like any other.

Label sheets are the device's ``fieldkit qr labels`` PDF (:mod:`fieldkit.services.labels`,
:mod:`fieldkit.services.labelsheet`) over the reference data the server holds.
"""

from __future__ import annotations

import base64
import binascii
import math
import re
import tempfile
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlalchemy import func, select
from starlette.concurrency import run_in_threadpool

from fieldkit.model.qr import QRError, field_text
from fieldkit.sync.protocol import ALL_SITES
from fieldkit_server import imports, registry_import
from fieldkit_server.console import people, web
from fieldkit_server.reference import Reference
from fieldkit_server.tables import Record

router = APIRouter()
WHAT = ("units", "residents", "permits")
KIND_OF = {"units": "unit", "residents": "resident", "permits": "renovation_permit"}
#: Rows with problems shown in place (the count of all problems is always said).
SHOWN_ROWS = 200
PREVIEW_ROWS = 20
LABEL_KINDS = ("unit", "asset", "checkpoint")
_SAFE_NAME = re.compile(r"[^\w.-]+")
#: Bytes of the import form besides the file: the other fields and the part boundaries.
_FORM_ROOM = 4096


def _counts(ctx: web.Ctx) -> list[dict[str, Any]]:
    """Per site the person sees: how many flats, residents and permits the server holds."""
    query = (
        select(Record.site, Record.kind, func.count())
        .where(Record.kind.in_(KIND_OF.values()), Record.deleted.is_(False))
        .group_by(Record.site, Record.kind)
    )
    if ctx.person.site != ALL_SITES:
        query = query.where(Record.site == ctx.person.site)
    found: dict[str, dict[str, int]] = {}
    with ctx.db.read() as conn:
        for site, kind, count in conn.execute(query):
            found.setdefault(site, {})[kind] = int(count)
    return [{"site": site, **found[site]} for site in sorted(found)]


def _labels(ctx: web.Ctx) -> tuple[Any, list[dict[str, Any]], Reference]:
    """The label index of the person's sites, per site its code and buildings, and the
    reference data it was made from."""
    from fieldkit.services.labels import LabelIndex

    reference = Reference(ctx.db, ctx.person.site)
    index = LabelIndex.load(reference)
    sites = []
    for site_id, code in sorted(index.site_codes.items()):
        buildings = {lb.building for lb in index.labels if lb.site == code} - {""}
        sites.append({"id": site_id, "code": code, "buildings": sorted(buildings, key=_natural),
                      "count": sum(1 for lb in index.labels if lb.site == code)})  # fmt: skip
    return index, sites, reference


def _natural(code: str) -> tuple:
    return (0, int(code), "") if code.isdigit() else (1, 0, code)


def _page(ctx: web.Ctx, status: int = 200, **values: Any) -> Response:
    _, label_sites, _ = _labels(ctx)
    counts = _counts(ctx)
    unlabelled = sorted({c["site"] for c in counts} - {s["id"] for s in label_sites} - {ALL_SITES})
    return web.page(
        ctx, "units.html", status, what_choices=WHAT, counts=counts,
        label_sites=label_sites, unlabelled=unlabelled, label_kinds=LABEL_KINDS,
        chosen=values.pop("chosen", "units"), **values,
    )  # fmt: skip


@router.get("/units")
def units(request: Request) -> Response:
    return _page(web.person(request, "units"))


def _may_site(ctx: web.Ctx):
    return lambda site: site != ALL_SITES and ctx.person.sees(site)


def _check(ctx: web.Ctx, what: str, path: Path, write: bool) -> imports.ImportReport:
    """The import's report (records and problems); written when ``write`` and clean."""
    lang, may = ctx.lang, _may_site(ctx)
    if what == "units":
        report = imports.read_units(path, lang, may)
    else:
        report = registry_import.read(ctx.db, what, path, lang, may)
    return imports.import_records(ctx.db, report) if write else report


def _in_place(report: imports.ImportReport) -> dict:
    """The rows that have problems, each cell marked when a problem names its column, with
    the problems under the row; and the problems of the whole file."""
    by_row: dict[int, list[imports.Problem]] = {}
    for p in report.problems:
        if p.row is not None:
            by_row.setdefault(p.row, []).append(p)
    rows = report.rows
    header = list(rows[0][1]) if rows else []
    shown = []
    for number, cells in rows:
        if number in by_row and len(shown) < SHOWN_ROWS:
            bad = {p.column for p in by_row[number]}
            shown.append({"n": number, "cells": [(h, cells.get(h, ""), h in bad) for h in header],
                          "problems": by_row[number]})  # fmt: skip
    return {"header": header, "rows": shown, "count": len(report.problems),
            "whole": [p for p in report.problems if p.row is None],
            "rows_with": len(by_row)}  # fmt: skip


def _preview(report: imports.ImportReport) -> dict:
    rows = report.rows
    header = list(rows[0][1]) if rows else []
    return {"header": header, "rows": [(n, [c.get(h, "") for h in header])
                                       for n, c in rows[:PREVIEW_ROWS]]}  # fmt: skip


def most_file() -> int:
    """The largest file the console imports: it goes back with the Import button as base64
    (4 bytes for 3) in a multipart form, which with its other fields must stay within
    :data:`web.MAX_BODY` — a larger one would pass the check and then be refused whole."""
    return (web.MAX_BODY - _FORM_ROOM) * 3 // 4


async def _upload(ctx: web.Ctx, data: Any) -> tuple[str, bytes]:
    """The file sent: a chosen file, else the one a preview sent back (``staged``); a file
    larger than :func:`most_file` is refused before it is checked."""
    upload = data.get("file")
    if upload is not None and hasattr(upload, "read"):
        raw = await upload.read()
        if len(raw) > most_file():
            most = math.floor(most_file() * 10 / (1024 * 1024)) / 10
            name = Path(upload.filename or "import.csv").name
            raise web.Refusal(413, "console.units.too_large", name=name, most=most)
        if raw:
            return Path(upload.filename or "import.csv").name, raw
    staged = str(data.get("staged") or "")
    if staged:
        try:
            return Path(str(data.get("filename") or "import.csv")).name, base64.b64decode(
                staged, validate=True
            )
        except (binascii.Error, ValueError):
            raise web.Refusal(422, "console.units.damaged") from None
    return "", b""


@router.post("/units/import")
async def import_file(request: Request) -> Response:
    ctx = web.person(request, "units")
    data = await web.form(ctx)
    what = str(data.get("what") or "")
    # the pages read the database, and a file's reading (a workbook above all) and writing
    # take long: off the event loop, which serves the devices' sync meanwhile
    if what not in WHAT:
        return await run_in_threadpool(_page, ctx, 422, error=ctx.t("console.units.choose_what"))
    name, raw = await _upload(ctx, data)
    return await run_in_threadpool(_import, ctx, what, name, raw, data.get("step") == "import")


def _import(ctx: web.Ctx, what: str, name: str, raw: bytes, write: bool) -> Response:
    """Check the file sent (and import it when ``write``): the page that says how it went."""
    if not raw.strip():
        return _page(ctx, 422, chosen=what, error=ctx.t("console.units.nothing"))
    suffix = Path(name).suffix.lower()
    if suffix not in imports.SUFFIXES:
        return _page(ctx, 422, chosen=what, error=ctx.t("console.units.bad_type", name=name))
    name = _SAFE_NAME.sub("_", Path(name).stem)[:80] + suffix
    with tempfile.TemporaryDirectory(prefix="fieldkit-console-") as folder:
        path = Path(folder) / name
        path.write_bytes(raw)
        report = _check(ctx, what, path, write)
    if report.problems:
        return _page(ctx, 422, chosen=what, name=name, failed=_in_place(report))
    if not write:
        return _page(ctx, chosen=what, name=name, checked=len(report.records),
                     preview=_preview(report),
                     staged=base64.b64encode(raw).decode("ascii"))  # fmt: skip
    people.record(ctx.db, ctx.person, "imported", KIND_OF[what], name, ctx.person.site,
                  created=report.created, updated=report.updated)  # fmt: skip
    if what == "units":
        done = ctx.t("server.import.done", created=report.created, updated=report.updated)
    else:
        done = ctx.t("registry.import.done", created=report.created, updated=report.updated,
                     what=ctx.t(f"registry.import.{what}"))  # fmt: skip
    return _page(ctx, chosen=what, notice=done + " " + ctx.t("console.units.reach_devices"))


@router.get("/units/labels")
def labels(request: Request) -> Response:
    """The label sheet PDF of one site, optionally one building and one kind."""
    ctx = web.person(request, "units")
    index, sites, reference = _labels(ctx)
    site_id = request.query_params.get("site", "")[:100]
    site = next((s for s in sites if s["id"] == site_id), None)
    if site is None:
        raise web.Refusal(404, "console.units.no_site", site=site_id)
    building = request.query_params.get("building", "")[:40] or None
    if building is not None and building not in site["buildings"]:
        raise web.Refusal(404, "console.units.no_building", building=building)
    kind = request.query_params.get("kind", "")
    chosen = index.select(site["code"], building, kind if kind in LABEL_KINDS else None)
    if not chosen:
        raise web.Refusal(404, "console.units.no_labels")
    from fieldkit.model import record_from_dict
    from fieldkit.services import labelsheet
    from fieldkit.services.labels import sheet_title

    record = next(d for d in reference.docs["site"] if d.get("id") == site_id)
    title = sheet_title(record_from_dict("site", record), site["code"])
    with tempfile.TemporaryDirectory(prefix="fieldkit-labels-") as folder:
        out = Path(folder) / "labels.pdf"
        labelsheet.write_pdf(chosen, out, title)
        body = out.read_bytes()
    try:
        part = field_text(building) if building else "all"
    except QRError:
        part = "building"
    filename = f"labels-{site['code']}-{part}.pdf".replace("/", "-")
    people.record(ctx.db, ctx.person, "labels_printed", "site", site_id, site_id,
                  building=building or "", labels=len(chosen))  # fmt: skip
    return Response(body, media_type="application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"',
                             "Cache-Control": "no-store"})  # fmt: skip
