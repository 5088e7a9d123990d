"""Checklists: the versions the office has published, a preview of one as a patroller
reads it, and publishing a YAML file — checked by the same loader as
``fieldkit checklist validate`` and published by the same code as ``fieldkit-server
publish``, its errors shown beside the lines they are on."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path
from typing import Any

import orjson
from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlalchemy import select

from fieldkit.checklists import describe
from fieldkit.checklists.loader import load_text
from fieldkit.services.types import pick
from fieldkit_server.console import people, web
from fieldkit_server.publish import publish
from fieldkit_server.tables import Record

router = APIRouter()
_SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")


def _versions(ctx: web.Ctx) -> list[dict[str, Any]]:
    with ctx.db.read() as conn:
        rows = conn.execute(
            select(Record.record_id, Record.body, Record.updated_at).where(
                Record.kind == "checklist", Record.deleted.is_(False)
            )
        ).all()
    out = []
    for record_id, body, updated in rows:
        doc = orjson.loads(body)
        out.append({
            "record_id": record_id, "id": doc.get("id", record_id),
            "version": doc.get("version", ""), "title": pick(doc.get("title"), ctx.lang),
            "applies_to": doc.get("applies_to", ""), "every": doc.get("every", ""),
            "published": updated,
        })  # fmt: skip
    out.sort(key=lambda c: (c["id"], -int(c["version"] or 0)))
    return out


def _page(ctx: web.Ctx, status: int = 200, **values: Any) -> Response:
    return web.page(ctx, "checklists.html", status, versions=_versions(ctx),
                    may_publish=ctx.person.may("checklists.publish"), **values)  # fmt: skip


@router.get("/checklists")
def checklists(request: Request) -> Response:
    return _page(web.person(request))


@router.get("/checklists/{record_id}")
def preview(request: Request, record_id: str) -> Response:
    ctx = web.person(request)
    with ctx.db.read() as conn:
        body = conn.execute(
            select(Record.body).where(
                Record.kind == "checklist", Record.record_id == record_id[:200],
                Record.deleted.is_(False),
            )
        ).scalar_one_or_none()  # fmt: skip
    if body is None:
        raise web.Refusal(404, "console.error.no_checklist")
    doc = orjson.loads(body)
    loaded = load_text(doc.get("yaml") or "", f"{record_id}.yaml")
    lang = ctx.lang
    return web.page(
        ctx, "checklist.html", doc=doc, record_id=record_id, checklist=loaded.checklist,
        title=pick(doc.get("title"), lang),
        words={
            "type": lambda v: describe.word("type", v, lang),
            "applies_to": lambda v: describe.applies_to_words(v, lang),
            "every": lambda v: describe.every_words(v, lang),
            "on_fail": lambda v: describe.on_fail_words(v, lang),
        },
    )  # fmt: skip


@router.post("/checklists")
async def upload(request: Request) -> Response:
    ctx = web.person(request, "checklists.publish")
    data = await web.form(ctx)
    upload = data.get("file")
    name = "checklist.yaml"
    raw = b""
    if upload is not None and hasattr(upload, "read"):
        raw = await upload.read()
        name = Path(upload.filename or name).name
    if not raw.strip():
        raw = str(data.get("text") or "").encode("utf-8")
    if not raw.strip():
        return _page(ctx, 422, error=ctx.t("console.checklists.nothing"))
    name = _SAFE_NAME.sub("_", name)[:80] or "checklist.yaml"
    if not name.endswith((".yaml", ".yml")):
        name += ".yaml"
    checked = load_text(raw, name)
    lines = raw.decode("utf-8", errors="replace").splitlines()
    if checked.errors:
        return _page(ctx, 422, failed=_annotated(ctx, name, lines, checked.diagnostics))
    with tempfile.TemporaryDirectory(prefix="fieldkit-console-") as folder:
        path = Path(folder) / name
        path.write_bytes(raw)
        outcome = publish(ctx.db, [path], ctx.lang)[0]
    if outcome.status == "invalid":  # the same loader said otherwise: show what it said
        return _page(ctx, 422, failed=_annotated(ctx, name, lines, checked.diagnostics))
    if outcome.status == "version_clash":
        return _page(ctx, 409, error=ctx.t("server.cli.version_clash",
                     checklist=outcome.checklist, version=outcome.version))  # fmt: skip
    people.record(ctx.db, ctx.person, f"checklist_{outcome.status}", "checklist",
                  f"{outcome.checklist}@{outcome.version}", "*")  # fmt: skip
    key = "server.cli.published" if outcome.status == "published" else "server.cli.unchanged"
    return _page(ctx, notice=ctx.t(key, checklist=outcome.checklist, version=outcome.version))


def _annotated(ctx: web.Ctx, name: str, lines: list[str], diagnostics) -> dict[str, Any]:
    """The file's lines with each diagnostic under the line it is on."""
    at: dict[int, list[dict[str, Any]]] = {}
    for d in diagnostics:
        at.setdefault(d.line, []).append({
            "column": d.column, "code": d.code, "error": d.is_error(),
            "text": d.message(ctx.lang), "full": d.render(ctx.lang),
        })  # fmt: skip
    shown = [{"n": n, "text": text, "notes": at.get(n, [])} for n, text in enumerate(lines, 1)]
    beyond = [note for n, notes in at.items() if n > len(lines) or n < 1 for note in notes]
    return {"name": name, "lines": shown, "beyond": beyond,
            "count": sum(1 for d in diagnostics if d.is_error())}  # fmt: skip
