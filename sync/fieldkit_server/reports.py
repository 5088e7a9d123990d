"""Office reports over every device's data: the recurring-problems trends (issue #7).

The numbers come from :mod:`fieldkit.reports.trends` — the code ``fieldkit report trends``
runs on a device — fed with the cases in the server's ``records`` table and the places
(buildings, flats, checkpoints, assets) that say which building each case is in. So the
office sees exactly the figures a device holding all those cases would show.

Served as ``GET /v1/reports/trends`` (office devices only, limited to the device's site
unless it was enrolled for ``*``) and printed by ``fieldkit-server report trends``.
Category labels come from the lifecycle file fieldkit ships (the one the devices use unless
the office gave them their own); a category it does not list is shown by its id.

No ``from __future__ import annotations`` here: FastAPI reads the endpoint's annotations,
which name the authentication dependency passed in to :func:`install`.
"""

import functools
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Annotated, Any, Literal

import orjson
from fastapi import Depends, FastAPI, Query, Request, Response
from pydantic import BaseModel
from sqlalchemy import select

import fieldkit
from fieldkit.config import LANGUAGES
from fieldkit.reports import trends_text
from fieldkit.reports.trends import (
    PLACE_KINDS,
    Trends,
    building_index,
    building_lookup,
    building_names,
    to_dict,
    trends,
)
from fieldkit.services.notices import compound_name
from fieldkit.sync import protocol as p
from fieldkit_server.db import Database
from fieldkit_server.errors import ApiError, request_language
from fieldkit_server.push import Caller
from fieldkit_server.reference import Reference
from fieldkit_server.tables import Record

SHIPPED_LIFECYCLES = Path(fieldkit.__file__).resolve().parent / "services" / "lifecycles.yaml"
_YIELD_PER = 1000


class TrendsProblem(BaseModel):
    category: str
    cases: int


class TrendsGroup(BaseModel):
    key: str
    cases: int
    closed: int
    open: int
    avg_days_to_close: float | None
    top: list[TrendsProblem]
    months: list[int]


class TrendsReport(BaseModel):
    """Cases grouped by category, building or month; each group's ``months`` counts line
    up with the report's ``months``; ``total`` is every counted case."""

    by: Literal["category", "building", "month"]
    since: date | None
    months: list[str]
    groups: list[TrendsGroup]
    total: TrendsGroup


def _bodies(conn, query) -> Iterator[Any]:
    for (body,) in conn.execution_options(yield_per=_YIELD_PER).execute(query):
        yield orjson.loads(body)


def compute_trends(
    db: Database,
    by: str = "category",
    since: date | None = None,
    site: str | None = None,
    until: date | None = None,
) -> Trends:
    """The trends over every live case in the database, or over one site's (``site``),
    raised from ``since`` to ``until``; its incidents counted as incidents, the cases they
    raised apart (``reports.trends``)."""
    cases = select(Record.body).where(Record.kind == "case", Record.deleted.is_(False))
    incidents = select(Record.body).where(Record.kind == "incident", Record.deleted.is_(False))
    if site is not None and site != p.ALL_SITES:
        cases = cases.where(Record.site == site)
        incidents = incidents.where(Record.site == site)
    reference = Reference(db, site or p.ALL_SITES, (*PLACE_KINDS, "site"))
    found = [(kind, doc) for kind in PLACE_KINDS for doc in reference.docs[kind]]
    index, names = building_index(found), building_names(found)
    with db.read() as conn:
        raised = list(_bodies(conn, incidents))  # few: an incident is rare beside a case
        made = trends(_bodies(conn, cases), by, since, building_lookup(index), names, until,
                      incidents=raised)  # fmt: skip
    if site is not None and site != p.ALL_SITES:  # one compound's page names it
        made.compound = {lang: compound_name(reference, lang) for lang in LANGUAGES}
    return made


@functools.cache
def _lifecycles() -> Any:
    from fieldkit.checklists.lifecycle import load_lifecycle_file

    return load_lifecycle_file(SHIPPED_LIFECYCLES).lifecycles


def category_names(lang: str) -> dict[str, str]:
    """Category id → label in ``lang`` from the shipped lifecycle file, else the shipped
    checklist of that id ({} if the file is unreadable)."""
    from fieldkit.checklists.locate import shipped_titles

    lifecycles = _lifecycles()
    if lifecycles is None:
        return {}
    return trends_text.category_names(lifecycles, lang, shipped_titles())


def render(tr: Trends, fmt: str, lang: str) -> str | bytes:
    """The report as ``json``, ``csv``, ``html``, ``text`` (the last two in ``lang``) or the
    bytes of a ``pdf`` (``fieldkit-server report trends`` only)."""
    if fmt not in ("json", "csv", "html", "text", "pdf"):
        raise ValueError(f"unknown report format {fmt!r}")
    if fmt == "json":
        return orjson.dumps(to_dict(tr)).decode()
    if fmt == "csv":
        return trends_text.to_csv(tr, lang, category_names(lang))
    if fmt == "html":
        return trends_text.to_html(tr, lang, category_names(lang))
    if fmt == "pdf":
        return trends_text.to_pdf(tr, lang, category_names(lang))
    return trends_text.to_text(tr, category_names(lang), lang)


_MEDIA = {"json": "application/json", "csv": "text/csv; charset=utf-8", "html": "text/html"}


def install(app: FastAPI, authenticate: Callable[..., Caller], responses: dict) -> None:
    """Add ``GET /v1/reports/trends``; ``authenticate`` is the app's token check."""

    @app.get(
        f"{p.API_PREFIX}/reports/trends",
        response_model=TrendsReport,
        responses={
            **responses,
            200: {
                "content": {
                    "text/csv": {"schema": {"type": "string"}},
                    "text/html": {"schema": {"type": "string"}},
                }
            },
        },
        tags=["office"],
    )
    def trends_report(
        request: Request,
        caller: Annotated[Caller, Depends(authenticate)],
        by: Annotated[Literal["category", "building", "month"], Query()] = "category",
        since: Annotated[date | None, Query(description="cases raised on or after")] = None,
        site: Annotated[str | None, Query(max_length=100)] = None,
        format: Annotated[Literal["json", "csv", "html"], Query()] = "json",
    ) -> Response:
        """Recurring problems: cases counted by category, building or month, with the top
        problems, counts per month and the average days to close, over every device's
        cases. Office devices only; a device enrolled for one site sees that site's."""
        if caller.role != "office":
            raise ApiError(403, "office_only")
        if site is not None and caller.site != p.ALL_SITES and site != caller.site:
            raise ApiError(403, "report_site", site=site)
        tr = compute_trends(request.app.state.db, by, since, site or caller.site)
        headers = None
        if format == "csv":
            headers = {"Content-Disposition": f'attachment; filename="trends-{by}.csv"'}
        return Response(
            render(tr, format, request_language(request)),
            media_type=_MEDIA[format],
            headers=headers,
        )
