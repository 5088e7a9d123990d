"""Incidents: the list, and one incident's timeline as the field writes it — the page
fetches new entries every few seconds (htmx), so the office follows it without reloading.
Personal data in the entries is masked for the person's role, as for a device of it."""

from __future__ import annotations

from typing import Any

import orjson
from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlalchemy import select

from fieldkit.i18n import known
from fieldkit.model.incident import began_of
from fieldkit_server import access
from fieldkit_server.console import web
from fieldkit_server.console.dashboard import LIVE_SECONDS, incidents
from fieldkit_server.tables import Record

router = APIRouter()


def _incident(ctx: web.Ctx, incident_id: str) -> dict[str, Any]:
    with ctx.db.read() as conn:
        found = conn.execute(
            select(Record.body, Record.site).where(
                Record.kind == "incident", Record.record_id == incident_id[:200],
                Record.deleted.is_(False),
            )
        ).first()  # fmt: skip
    if found is None or not ctx.person.sees(found.site):
        raise web.Refusal(404, "console.error.no_incident")
    return access.mask_body(ctx.person.device_role, "incident", orjson.loads(found.body))


def _entries(ctx: web.Ctx, doc: dict) -> list[dict[str, Any]]:
    out = []
    for e in doc.get("timeline") or []:
        kind = str(e.get("type") or "")
        out.append({
            "at": e.get("at"), "by": e.get("by") or "", "text": e.get("text") or "",
            "kind": known(f"incidents.kind.{kind}", known(f"ui.case.event_{kind}", kind,
                                                          ctx.lang), ctx.lang),
            "photos": [a.get("sha256") for a in e.get("attachments") or [] if a.get("sha256")],
        })  # fmt: skip
    return out[::-1]


@router.get("/incidents")
def incident_list(request: Request) -> Response:
    ctx = web.person(request)
    return web.page(ctx, "incidents.html", incidents=incidents(ctx, limit=100))


@router.get("/incidents/{incident_id}")
def incident_page(request: Request, incident_id: str) -> Response:
    ctx = web.person(request)
    doc = _incident(ctx, incident_id)
    lang = ctx.lang
    return web.page(
        ctx, "incident.html", doc=doc, incident_id=incident_id, entries=_entries(ctx, doc),
        began=began_of(doc),
        type_name=known(f"incidents.type.{doc.get('type')}", str(doc.get("type")), lang),
        status_name=known(f"incidents.status.{doc.get('status')}", str(doc.get("status")), lang),
        severity_name=known(f"incidents.severity.{doc.get('severity')}",
                            str(doc.get("severity")), lang),
        live_seconds=LIVE_SECONDS,
    )  # fmt: skip


@router.get("/incidents/{incident_id}/timeline")
def timeline(request: Request, incident_id: str) -> Response:
    ctx = web.person(request)
    doc = _incident(ctx, incident_id)
    return web.page(ctx, "timeline.html", entries=_entries(ctx, doc))
