"""Reports: the recurring-problems trends with their charts, for the person's site and a
date range chosen in a form, and the exports — the trends table and the cases of the range
as an ``.xlsx`` workbook or CSV with a BOM (Excel opens it in Chinese).

Everything comes from the code the devices and ``fieldkit-server report trends`` run: the
figures from :func:`fieldkit_server.reports.compute_trends`, the page's charts and table
from :func:`fieldkit.reports.trends_text.document` (the SVG charts of
:mod:`fieldkit.reports.charts`), the case sheet from :func:`fieldkit.services.sheets.sheets`
over the server's reference data, with personal data masked for the person's role as a
device of that role gets it (:func:`fieldkit_server.access.mask_body`).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import orjson
from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlalchemy import select

from fieldkit.model import localtime
from fieldkit.reports import charts, trends_text
from fieldkit.reports.document import Facts, Figure, Grid, Para, Section
from fieldkit.reports.spreadsheet import Sheet, write_csv, write_xlsx
from fieldkit.sync.protocol import ALL_SITES
from fieldkit_server import access
from fieldkit_server.console import people, web
from fieldkit_server.reference import Reference
from fieldkit_server.reports import category_names, compute_trends
from fieldkit_server.tables import CaseIndex, Record

router = APIRouter()
BY = ("category", "building", "month")
DEFAULT_DAYS = 180
FORMATS = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}
WHAT = ("trends", "cases")
#: The most cases one export holds: an .xlsx costs ~0.35 ms a row to write (openpyxl), so
#: 20,000 rows take some 7 s; CSV is ~50 times cheaper.
EXPORT_MOST = {"xlsx": 20_000, "csv": 200_000}


@dataclass(frozen=True)
class Chosen:
    by: str
    since: date
    until: date
    site: str


def _chosen(ctx: web.Ctx) -> tuple[Chosen, str]:
    """What the form asks for (defaults: by category, the last 180 days, the person's site),
    and a sentence when part of it could not be taken."""
    q = ctx.request.query_params
    today = localtime.today()  # the compound's day, not the server's
    error = ""
    by = q.get("by", "category")
    if by not in BY:
        by = "category"
    try:
        since = date.fromisoformat(q["from"]) if q.get("from") else today - timedelta(DEFAULT_DAYS)
        until = date.fromisoformat(q["to"]) if q.get("to") else today
    except ValueError:
        error = ctx.t("console.reports.bad_date")
        since, until = today - timedelta(DEFAULT_DAYS), today
    if until < since:
        error = ctx.t("console.reports.backwards")
        since, until = until, since
    site = ctx.person.site
    if site == ALL_SITES and q.get("site"):
        site = q["site"][:100]
    return Chosen(by, since, until, site), error


def sites(ctx: web.Ctx) -> list[str]:
    if ctx.person.site != ALL_SITES:
        return [ctx.person.site]
    with ctx.db.read() as conn:
        found = conn.execute(select(CaseIndex.site).distinct())  # indexed, as the case list
        return sorted(s for s in found.scalars() if s != ALL_SITES)


def blocks(doc: Any) -> list[dict[str, Any]]:
    """A report's document as a page shows it: facts, then sections of charts (SVG),
    tables and notes (the trends', the handover's); lines to sign are for paper."""
    out: list[dict[str, Any]] = []
    for block in doc.blocks:
        if isinstance(block, Facts):
            out.append({"facts": block.pairs})
            continue
        if not isinstance(block, Section):
            continue
        parts = []
        for inner in block.blocks:
            if isinstance(inner, Figure):
                svg = charts.to_svg(inner.chart, label=inner.caption)
                parts.append({"svg": svg, "caption": inner.caption})
            elif isinstance(inner, Grid):
                parts.append({"grid": inner})
            elif isinstance(inner, Para):
                parts.append({"note": inner.text})
        out.append({"title": block.title, "parts": parts})
    return out


@router.get("/reports")
def reports(request: Request) -> Response:
    ctx = web.person(request)
    chosen, error = _chosen(ctx)
    tr = compute_trends(ctx.db, chosen.by, chosen.since, chosen.site, chosen.until)
    doc = trends_text.document(tr, ctx.lang, category_names(ctx.lang))
    return web.page(
        ctx, "reports.html", 422 if error else 200, error=error, chosen=chosen, by_choices=BY,
        sites=sites(ctx), title=doc.title, blocks=blocks(doc), cases=tr.total.cases,
        query_of=lambda what, fmt: {"what": what, "format": fmt, "by": chosen.by,
                                    "from": chosen.since.isoformat(),
                                    "to": chosen.until.isoformat(),
                                    "site": chosen.site if ctx.person.site == ALL_SITES else ""},
    )  # fmt: skip


def _trends_sheet(ctx: web.Ctx, chosen: Chosen) -> Sheet:
    tr = compute_trends(ctx.db, chosen.by, chosen.since, chosen.site, chosen.until)
    doc = trends_text.document(tr, ctx.lang, category_names(ctx.lang))
    grid = next(b for s in doc.blocks if isinstance(s, Section) for b in s.blocks
                if isinstance(b, Grid))  # fmt: skip
    return Sheet("trends", ctx.t("console.reports.sheet_trends"), tuple(grid.head),
                 [tuple(row) for row in grid.rows])  # fmt: skip


def _cases_sheet(ctx: web.Ctx, chosen: Chosen, most: int) -> Sheet:
    """The cases raised in the range, in words, masked for the person's role; Refusal when
    there are more than ``most``."""
    from fieldkit.reports.trends import raised_on
    from fieldkit.services.places import Places
    from fieldkit.services.sheets import sheets

    query = select(Record.body).where(Record.kind == "case", Record.deleted.is_(False))
    if chosen.site != ALL_SITES:
        query = query.where(Record.site == chosen.site)
    docs = []
    with ctx.db.read() as conn:
        for (body,) in conn.execution_options(yield_per=1000).execute(query):
            doc = orjson.loads(body)
            day = raised_on(doc)
            if day is not None and chosen.since <= day <= chosen.until:
                docs.append(("case", access.mask_body(ctx.person.device_role, "case", doc)))
                if len(docs) > most:
                    raise web.Refusal(422, "console.reports.too_many", most=most)
    reference = Reference(ctx.db, chosen.site)
    return sheets(docs, ["case"], ctx.lang, places=Places.load(reference), checklists=())[0]


@router.get("/reports/export")
def export(request: Request) -> Response:
    ctx = web.person(request)
    chosen, error = _chosen(ctx)
    if error:
        raise web.Refusal(422, "console.reports.bad_date")
    what = request.query_params.get("what", "trends")
    fmt = request.query_params.get("format", "xlsx")
    if what not in WHAT or fmt not in FORMATS:
        raise web.Refusal(404, "console.error.not_found")
    if what == "trends":
        sheet = _trends_sheet(ctx, chosen)
    else:
        sheet = _cases_sheet(ctx, chosen, EXPORT_MOST[fmt])
    out = io.BytesIO()
    if fmt == "xlsx":
        write_xlsx([sheet], out)
    else:
        write_csv(sheet, out)
    people.record(ctx.db, ctx.person, "exported", what, "", chosen.site, format=fmt,
                  since=chosen.since.isoformat(), until=chosen.until.isoformat())  # fmt: skip
    name = f"{what}-{chosen.since.isoformat()}-{chosen.until.isoformat()}.{fmt}"
    return Response(out.getvalue(), media_type=FORMATS[fmt],
                    headers={"Content-Disposition": f'attachment; filename="{name}"',
                             "Cache-Control": "no-store"})  # fmt: skip
