"""Reports → shift handover: the device's ``fieldkit report handover`` over the server's
records, for the person's site, the shift since a time chosen in the form (by default the
last 12 hours), handed over by the person reading it.

The figures come from :func:`fieldkit_server.handover.compute_handover` (the device's own
builder fed from ``records``, masked for the person's role); the page shows the document of
:func:`fieldkit.services.handover.document` as the trends page shows its own, and the
downloads are the device's Markdown and PDF (:func:`~fieldkit.services.handover.render`,
``render_pdf``). A download is recorded like every export.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from fastapi import APIRouter, Request
from fastapi.responses import Response

from fieldkit.model import localtime
from fieldkit.reports.fonts import FontsMissing
from fieldkit.services.handover import document, render, render_pdf
from fieldkit.sync.protocol import ALL_SITES
from fieldkit_server.console import people, reports, web
from fieldkit_server.handover import compute_handover

router = APIRouter()
SHIFT_HOURS = 12
NEXT_HOURS = 12
#: The longest shift the form takes: a handover is read at the end of one shift, and the
#: days before it are the trends' and the case list's.
LONGEST_DAYS = 7
FORMATS = {"md": "text/markdown; charset=utf-8", "pdf": "application/pdf"}


@dataclass(frozen=True)
class Shift:
    since: datetime  # in the compound's time zone
    now: datetime
    site: str

    @property
    def hours(self) -> float:
        return (self.now - self.since).total_seconds() / 3600


def _shift(ctx: web.Ctx) -> tuple[Shift, str]:
    """The shift the form asks for (by default the last 12 hours, the person's site), and
    a sentence when its start could not be taken."""
    q = ctx.request.query_params
    now = localtime.now()
    since, error = now - timedelta(hours=SHIFT_HOURS), ""
    raw = q.get("since", "")[:40]
    if raw:
        try:
            chosen = localtime.local(datetime.fromisoformat(raw))
        except ValueError:
            chosen, error = None, ctx.t("console.handover.bad_since")
        if chosen is not None and chosen >= now:
            error = ctx.t("console.handover.future")
        elif chosen is not None and now - chosen > timedelta(days=LONGEST_DAYS):
            error = ctx.t("console.handover.too_long", most=LONGEST_DAYS)
        elif chosen is not None:
            since = chosen
    site = ctx.person.site
    if site == ALL_SITES and q.get("site"):
        site = q["site"][:100]
    return Shift(since, now, site), error


@router.get("/reports/handover")
def handover_page(request: Request) -> Response:
    ctx = web.person(request)
    shift, error = _shift(ctx)
    fmt = request.query_params.get("format", "")
    if fmt and fmt not in FORMATS:
        raise web.Refusal(404, "console.error.not_found")
    if fmt and error:
        raise web.Refusal(422, "console.handover.bad_download")
    h = compute_handover(ctx.db, shift.site, shift.now, shift.hours, NEXT_HOURS, ctx.lang,
                         ctx.person.device_role, by=ctx.person.name)  # fmt: skip
    if fmt:
        try:
            body = render_pdf(h, ctx.lang) if fmt == "pdf" else render(h, "md", ctx.lang)
        except FontsMissing as exc:
            raise web.Refusal(503, exc.key, **exc.params) from None
        people.record(ctx.db, ctx.person, "exported", "handover", "", shift.site, format=fmt,
                      since=shift.since.isoformat(), until=shift.now.isoformat())  # fmt: skip
        name = f"handover-{shift.now.strftime('%Y-%m-%d-%H%M')}.{fmt}"
        return Response(body, media_type=FORMATS[fmt],
                        headers={"Content-Disposition": f'attachment; filename="{name}"',
                                 "Cache-Control": "no-store"})  # fmt: skip
    doc = document(h, ctx.lang)
    return web.page(
        ctx, "handover.html", 422 if error else 200, error=error, shift=shift,
        since_value=shift.since.strftime("%Y-%m-%dT%H:%M"), sites=reports.sites(ctx),
        title=doc.title, subtitle=doc.subtitle, blocks=reports.blocks(doc),
        query_of=lambda fmt: {"format": fmt, "since": shift.since.strftime("%Y-%m-%dT%H:%M"),
                              "site": shift.site if ctx.person.site == ALL_SITES else ""},
    )  # fmt: skip
