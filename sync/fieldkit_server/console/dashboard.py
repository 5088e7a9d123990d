"""The dashboard: open cases by department and by how overdue, incidents in progress (the
part that refreshes itself every few seconds through htmx), today's patrol rounds, the
devices and when each last synced, and what needs the office's attention (refused
operations, conflicts)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import orjson
from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlalchemy import case, func, select

from fieldkit.i18n import known
from fieldkit.model.incident import began_of
from fieldkit.services.types import pick
from fieldkit.sync.protocol import ALL_SITES
from fieldkit_server.console import people, web
from fieldkit_server.console.cases import labels
from fieldkit_server.console.web import Ctx
from fieldkit_server.tables import CaseIndex, Conflict, Device, Op, Record

router = APIRouter()
LIVE_SECONDS = 5
ATTENTION_DAYS = 7
#: The merge keeps every value a later change overwrote in the conflict log (``push.py``),
#: an ordinary edit's too: those are history, not something for the office to settle. What
#: needs attention is an edit that was not taken (stale, of a deleted record, personal data
#: sent back other than masked) and a repair.
MERGE_LOG = '{"merge":%'
#: How overdue an open case is, in whole days: (the bucket's key, from, to).
OVERDUE = (("due_later", None, 0), ("late_day", 0, 1), ("late_days", 1, 3), ("late_more", 3, None))


def _site(query, column, person: people.Person):
    if person.site == ALL_SITES:
        return query
    return query.where(column.in_([person.site, ALL_SITES]))


def open_by_department(ctx: Ctx) -> list[tuple[str, int, int]]:
    """(department, open cases, of those overdue), most first."""
    now = datetime.now(UTC)
    late = case((CaseIndex.waiting.is_(False) & (CaseIndex.due_at < now), 1), else_=0)
    q = (
        select(CaseIndex.department, func.count(), func.sum(late))
        .where(CaseIndex.deleted.is_(False), CaseIndex.done.is_(False))
        .group_by(CaseIndex.department)
    )
    with ctx.db.read() as conn:
        rows = conn.execute(_site(q, CaseIndex.site, ctx.person)).all()
    return sorted(((d, n, int(o or 0)) for d, n, o in rows), key=lambda r: (-r[1], r[0]))


def overdue_buckets(ctx: Ctx) -> list[tuple[str, int]]:
    """Open cases that are being worked on, by how far past their due time."""
    now = datetime.now(UTC)
    out = []
    with ctx.db.read() as conn:
        for key, low, high in OVERDUE:
            q = select(func.count()).where(
                CaseIndex.deleted.is_(False), CaseIndex.waiting.is_(False),
                CaseIndex.due_at.is_not(None),
            )  # fmt: skip
            if low is None:
                q = q.where(CaseIndex.due_at >= now)
            else:
                q = q.where(CaseIndex.due_at < now - timedelta(days=low))
            if high is not None and low is not None:
                q = q.where(CaseIndex.due_at >= now - timedelta(days=high))
            out.append((key, conn.execute(_site(q, CaseIndex.site, ctx.person)).scalar_one()))
    return out


def incidents(ctx: Ctx, limit: int = 10) -> list[dict[str, Any]]:
    """Incidents not closed, newest first, each with its latest timeline entries."""
    q = select(Record.record_id, Record.body).where(
        Record.kind == "incident", Record.deleted.is_(False)
    )
    with ctx.db.read() as conn:
        rows = conn.execute(_site(q, Record.site, ctx.person)).all()
    out = []
    for record_id, body in rows:
        doc = orjson.loads(body)
        if doc.get("status") == "closed":
            continue
        from fieldkit_server import access

        doc = access.mask_body(ctx.person.device_role, "incident", doc)
        timeline = doc.get("timeline") or []
        out.append({
            "id": record_id,
            "title": doc.get("title") or "",
            "type": known(f"incidents.type.{doc.get('type')}", str(doc.get("type")), ctx.lang),
            "place": doc.get("place") or "",
            "severity": doc.get("severity") or "",
            "status": known(f"incidents.status.{doc.get('status')}", str(doc.get("status")),
                            ctx.lang),
            "started": began_of(doc),  # when the call or alarm came in
            "entries": len(timeline),
            "latest": [{"at": e.get("at"), "by": e.get("by") or "", "text": e.get("text") or ""}
                       for e in timeline[-3:]][::-1],
        })  # fmt: skip
    out.sort(key=lambda i: i["started"] or "", reverse=True)
    return out[:limit]


def rounds_today(ctx: Ctx) -> dict[str, Any]:
    """Patrol rounds finished today (this server's day), the checkpoints they missed or
    reached late, and the routes nobody has walked yet today."""
    start = datetime.now().astimezone().replace(hour=0, minute=0, second=0, microsecond=0)
    with ctx.db.read() as conn:
        routes = conn.execute(
            _site(select(Record.record_id, Record.body).where(
                Record.kind == "patrol_route", Record.deleted.is_(False)), Record.site, ctx.person)
        ).all()  # fmt: skip
        walked = conn.execute(
            _site(select(Record.body).where(
                Record.kind == "patrol_round", Record.deleted.is_(False),
                Record.updated_at >= start - timedelta(days=1)), Record.site, ctx.person)
        ).scalars().all()  # fmt: skip
    done, missed, late, walked_routes = 0, 0, 0, set()
    for body in walked:
        doc = orjson.loads(body)
        started = doc.get("started_at") or ""
        try:
            when = datetime.fromisoformat(started.replace("Z", "+00:00"))
        except ValueError:
            continue
        if when < start or doc.get("status") != "finished":
            continue
        done += 1
        walked_routes.add(doc.get("route_id"))
        findings = doc.get("findings") or {}
        missed += len(findings.get("missed") or [])
        late += len(findings.get("late") or [])
    not_walked = []
    for record_id, body in routes:
        if record_id not in walked_routes:
            name = orjson.loads(body).get("name")
            not_walked.append(pick(name, ctx.lang) if name else record_id)
    return {"done": done, "missed": missed, "late": late, "not_walked": sorted(not_walked),
            "routes": len(routes)}  # fmt: skip


def device_rows(ctx: Ctx) -> list[Device]:
    consoles = people.console_device_ids(ctx.db)
    q = select(Device).where(Device.revoked_at.is_(None)).order_by(Device.last_seen_at.desc())
    with ctx.db.sessions() as session:
        found = session.execute(_site(q, Device.site, ctx.person)).scalars().all()
    return [d for d in found if d.id not in consoles]


def attention(ctx: Ctx) -> dict[str, Any]:
    """Operations refused and edits not taken (:data:`MERGE_LOG`) in the last week."""
    since = datetime.now(UTC) - timedelta(days=ATTENTION_DAYS)
    with ctx.db.read() as conn:
        refused_q = (
            select(Op.device_id, Op.kind, Op.record_id, Op.code, Op.received_at, Device.name)
            .join(Device, Device.id == Op.device_id)
            .where(Op.status == "rejected", Op.received_at >= since)
        )
        refused = conn.execute(
            _site(refused_q, Device.site, ctx.person).order_by(Op.received_at.desc()).limit(10)
        ).all()
        refused_count = conn.execute(
            _site(select(func.count()).select_from(Op).join(Device, Device.id == Op.device_id)
                  .where(Op.status == "rejected", Op.received_at >= since), Device.site, ctx.person)
        ).scalar_one()  # fmt: skip
        worth = (Conflict.created_at >= since) & ~Conflict.detail.like(MERGE_LOG)
        conflicts_q = select(Conflict).where(worth)
        conflicts = conn.execute(
            _site(conflicts_q, Conflict.site, ctx.person).order_by(Conflict.id.desc()).limit(10)
        ).all()
        conflict_count = conn.execute(
            _site(select(func.count()).select_from(Conflict).where(worth), Conflict.site,
                  ctx.person)
        ).scalar_one()  # fmt: skip
    return {
        "refused": refused, "refused_count": refused_count,
        "conflicts": [_conflict(c) for c in conflicts], "conflict_count": conflict_count,
    }  # fmt: skip


def _conflict(row: Any) -> dict[str, Any]:
    detail = orjson.loads(row.detail) if row.detail else {}
    what = next(iter(detail), "")
    field = (detail.get("merge") or {}).get("field", "") if isinstance(detail, dict) else ""
    return {"kind": row.kind, "record_id": row.record_id, "what": what, "field": field,
            "at": row.created_at}  # fmt: skip


@router.get("/dashboard")
def dashboard(request: Request) -> Response:
    ctx = web.person(request)
    return web.page(
        ctx, "dashboard.html", by_department=open_by_department(ctx),
        overdue=overdue_buckets(ctx), incidents=incidents(ctx), rounds=rounds_today(ctx),
        devices=device_rows(ctx), attention=attention(ctx), labels=labels(ctx),
        live_seconds=LIVE_SECONDS,
    )  # fmt: skip


@router.get("/dashboard/live")
def dashboard_live(request: Request) -> Response:
    """The part of the dashboard htmx fetches every few seconds."""
    ctx = web.person(request)
    return web.page(
        ctx, "dashboard_live.html", by_department=open_by_department(ctx),
        overdue=overdue_buckets(ctx), incidents=incidents(ctx), labels=labels(ctx),
        live_seconds=LIVE_SECONDS,
    )  # fmt: skip
