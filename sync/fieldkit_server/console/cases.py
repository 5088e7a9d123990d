"""Cases: the list with filters and search, a case's page with its evidence and history,
and the moves the office makes on it (each pushed as an ordinary change, ``writer.py``).

The case page reads the case as the device's desk screen does (``fieldkit.services.cases``
builds the view and the moves this role may make from the lifecycle file; the history
sentences are ``fieldkit.services.history``'s), masked for the person's role as the sync
API masks it for a device of that role.
"""

from __future__ import annotations

import logging
import time
from typing import Any

import orjson
from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlalchemy import select

from fieldkit.i18n import UserError, known
from fieldkit.model import DEPARTMENTS, Case
from fieldkit.services import cases as case_rules
from fieldkit.services import history, intake, lifecycle
from fieldkit.services.types import pick
from fieldkit_server import access
from fieldkit_server.console import case_list, people, web, writer
from fieldkit_server.console.web import Ctx
from fieldkit_server.reports import category_names
from fieldkit_server.tables import AttachmentSite, Record

router = APIRouter()
log = logging.getLogger("fieldkit.server.console")
_ID_MAX = 200


def labels(ctx: Ctx) -> dict[str, Any]:
    """Names of statuses, departments, categories and severities in the person's language."""
    lang = ctx.lang
    return {
        "statuses": case_rules.status_names(lang, lifecycle.current()),
        "departments": {d: history.department_name(d, lang) for d in DEPARTMENTS},
        "categories": category_names(lang),
        "severity": lambda s: known(f"words.severity.{s}", s, lang),
        "kind": lambda k: known(f"desk.kind.{k}", k, lang),
        "status": lambda kind, s: lifecycle.status_label(kind, s, lang),
        "department": lambda d: history.department_name(d, lang) or "—",
    }


def _masked(ctx: Ctx, body: dict) -> dict:
    return access.mask_body(ctx.person.device_role, "case", body)


def row(ctx: Ctx, record_id: str, body: dict, now: float) -> dict[str, Any]:
    """What the list shows of one case (masked for the person's role)."""
    body = _masked(ctx, body)
    e = case_rules.entry(body, None)
    where = e.where if isinstance(e.where, str) else pick(e.where, ctx.lang)
    return {
        "id": record_id,
        "ref": record_id[-6:],
        "kind": e.kind,
        "title": pick(e.title, ctx.lang) or body.get("title", ""),
        "summary": _short(str(body.get("description") or "")),
        "where": where,
        "building": e.building,
        "category": str(body.get("category") or ""),
        "department": e.department,
        "assignee": str(body.get("assignee") or ""),
        "severity": e.severity,
        "status": e.status,
        "due": body.get("due"),
        "overdue": e.overdue(now),
    }


def _short(text: str, most: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= most else text[: most - 1] + "…"


@router.get("/cases")
def case_list_page(request: Request) -> Response:
    ctx = web.person(request)
    flt = case_list.Filter.from_query(request.query_params)
    after = str(request.query_params.get("after", ""))[:_ID_MAX]
    found = case_list.page(ctx.db, ctx.person, flt, after)
    now = time.time()
    rows = [row(ctx, rid, body, now) for rid, _site, body in found.cases]
    return web.page(
        ctx, "cases.html", flt=flt, rows=rows, found=found, after=after,
        choices=_choices(ctx), labels=labels(ctx),
    )  # fmt: skip


_choice_cache: dict[str, tuple[float, dict]] = {}


def _choices(ctx: Ctx) -> dict[str, list[str]]:
    """The filter choices, kept a minute per site (they change slowly)."""
    key = ctx.person.site
    hit = _choice_cache.get(key)
    if hit is None or time.monotonic() - hit[0] > 60:
        hit = (time.monotonic(), case_list.choices(ctx.db, ctx.person))
        _choice_cache[key] = hit
    return hit[1]


# --- one case -----------------------------------------------------------------------------


def _read(ctx: Ctx, case_id: str) -> tuple[dict, str]:
    found = writer.read_case(ctx.db, ctx.person, case_id[:_ID_MAX])
    if found is None:
        raise web.Refusal(404, "console.error.no_case")
    return found


def _evidence(ctx: Ctx, case: dict) -> dict[str, Any]:
    """The photos of the case's events and of the answer that raised it, and that answer:
    the item's label, the value given, the note."""
    photos: list[dict] = []
    for event in case.get("events") or []:
        for ref in event.get("attachments") or []:
            photos.append({"sha256": ref.get("sha256"), "name": ref.get("name") or ""})
    answer = None
    source, item = case.get("source_inspection"), case.get("source_item")
    if source and item:
        with ctx.db.read() as conn:
            found = conn.execute(
                select(Record.body).where(
                    Record.kind == "inspection", Record.record_id == source,
                    Record.deleted.is_(False),
                )
            ).scalar_one_or_none()  # fmt: skip
            inspection = orjson.loads(found) if found else None
            checklist = None
            if inspection:
                ref = inspection.get("checklist") or {}
                cl = conn.execute(
                    select(Record.body).where(
                        Record.kind == "checklist",
                        Record.record_id == f"{ref.get('id')}@{ref.get('version')}",
                    )
                ).scalar_one_or_none()
                checklist = orjson.loads(cl) if cl else None
        if inspection:
            inspection = access.mask_body(ctx.person.device_role, "inspection", inspection)
            given = (inspection.get("answers") or {}).get(item) or {}
            for ref in given.get("attachments") or []:
                photos.append({"sha256": ref.get("sha256"), "name": ref.get("name") or ""})
            answer = {
                "label": _item_label(checklist, item, ctx.lang) or item,
                "checklist": pick((checklist or {}).get("title"), ctx.lang)
                or (inspection.get("checklist") or {}).get("id", ""),
                "value": _answer_text(ctx, given.get("value")),
                "note": given.get("note") or "",
                "by": inspection.get("inspector") or "",
                "at": inspection.get("submitted_at"),
            }
    unique = {p["sha256"]: p for p in reversed(photos) if p["sha256"]}
    return {"photos": list(reversed(unique.values())), "answer": answer}


def _item_label(checklist: dict | None, item_key: str, lang: str) -> str:
    item_id = item_key.split("@")[0]
    for section in (checklist or {}).get("sections") or []:
        for item in section.get("items") or []:
            if item.get("id") == item_id:
                return pick(item.get("label"), lang)
    return ""


def _answer_text(ctx: Ctx, value: Any) -> str:
    if value in ("pass", "fail", "na", "n/a"):
        return known(f"console.answer.{value.replace('/', '')}", str(value), ctx.lang)
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return "" if value is None else str(value)


def _case_page(ctx: Ctx, case_id: str, status: int = 200, **values: Any) -> Response:
    body, site = _read(ctx, case_id)
    shown = _masked(ctx, body)
    case = Case.from_dict(shown)
    now = time.time()
    e = case_rules.entry(shown, None)
    view = case_rules.view(case, e, now, ctx.person.device_role)
    sentences = history.sentences(case.kind, view.events, ctx.lang)
    lines = [
        {"at": ev.at, "by": ev.by, "text": text}
        for ev, text in zip(view.events, sentences, strict=True)
    ]
    extra = case.extra or {}
    return web.page(
        ctx, "case.html", status,
        case=case, site=site, row=row(ctx, case_id, body, now), view=view, history=lines,
        evidence=_evidence(ctx, shown), labels=labels(ctx),
        contact=str(extra.get("contact") or ""), urgency=str(extra.get("urgency") or ""),
        departments=DEPARTMENTS, may_act=ctx.person.may("cases.act"),
        followup_ready=any("followup" in view.move_needs.get(s, ()) for s in view.next_statuses),
        time_text=lambda at: time.strftime("%Y-%m-%d %H:%M", time.localtime(at)),
        **values,
    )  # fmt: skip


@router.get("/cases/{case_id}")
def case_page(request: Request, case_id: str) -> Response:
    ctx = web.person(request)
    done = request.query_params.get("done", "")
    return _case_page(ctx, case_id, notice=ctx.t(f"console.case.done_{done}") if done in
                      ("dispatch", "note", "move", "followup") else "")  # fmt: skip


async def _act(request: Request, case_id: str, what: str, action) -> Response:
    """Run one move of the device's rules on the case as this person; back to the case
    page with what was done, or with the refusal in the person's language."""
    ctx = web.person(request, "cases.act")
    data = await web.form(ctx)
    _read(ctx, case_id)  # 404 before anything for a case this person cannot reach
    try:
        writer.run(ctx.db, ctx.person, ctx.lang, lambda store: action(store, data, ctx))
    except lifecycle.MoveRefused as exc:
        return _case_page(ctx, case_id, 422, error=ctx.t(exc.key, **exc.params), form=data)
    except UserError as exc:
        return _case_page(ctx, case_id, 422, error=exc.message(ctx.lang), form=data)
    except writer.Refused as exc:
        return _case_page(ctx, case_id, 409, error=exc.message, form=data)
    except writer.NotFound:
        raise web.Refusal(404, "console.error.no_case") from None
    people.record(ctx.db, ctx.person, f"case_{what}", "case", case_id,
                  **{k: str(v)[:200] for k, v in data.items() if k != "csrf"})  # fmt: skip
    log.info("console user %s: %s on case %s", ctx.person.id, what, case_id)
    return web.redirect(f"/cases/{case_id}?done={what}")


def _text(data: Any, name: str) -> str:
    return case_rules.check_text(str(data.get(name) or "").strip())


@router.post("/cases/{case_id}/dispatch")
async def dispatch(request: Request, case_id: str) -> Response:
    def action(store, data, ctx):
        department = str(data.get("department") or "")
        assignee = str(data.get("assignee") or "").strip()[:100]
        return intake.dispatch(store, case_id, department, ctx.person.device_role,
                               assignee=assignee, by=ctx.person.name, remember=False)  # fmt: skip

    return await _act(request, case_id, "dispatch", action)


@router.post("/cases/{case_id}/note")
async def note(request: Request, case_id: str) -> Response:
    def action(store, data, ctx):
        text = _text(data, "text")
        if not text:
            raise case_rules.CaseError("services.case.empty_note")
        return store.add_case_event(case_id, "note", text, by=ctx.person.name)

    return await _act(request, case_id, "note", action)


@router.post("/cases/{case_id}/move")
async def move(request: Request, case_id: str) -> Response:
    def action(store, data, ctx):
        to = str(data.get("to") or "")[:40]
        return lifecycle.move(store, case_id, to, ctx.person.device_role,
                              note=_text(data, "note"), by=ctx.person.name)  # fmt: skip

    return await _act(request, case_id, "move", action)


@router.post("/cases/{case_id}/followup")
async def follow_up(request: Request, case_id: str) -> Response:
    def action(store, data, ctx):
        score = str(data.get("score") or "").strip()
        result = lifecycle.parse_follow_up(f"{score} {_text(data, 'comment')}")
        return lifecycle.follow_up(store, case_id, result, ctx.person.device_role,
                                   by=ctx.person.name)  # fmt: skip

    return await _act(request, case_id, "followup", action)


# --- photos -------------------------------------------------------------------------------

THUMB = 320


@router.get("/files/{sha256}")
def photo(request: Request, sha256: str) -> Response:
    """A photo the server holds for a site the person reaches; ``?thumb=1`` a small JPEG."""
    ctx = web.person(request)
    if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
        raise web.Refusal(404, "console.error.no_file")
    from fieldkit_server.tables import Attachment

    with ctx.db.read() as conn:
        sites = set(
            conn.execute(select(AttachmentSite.site).where(AttachmentSite.sha256 == sha256))
            .scalars()
        )  # fmt: skip
        if not any(ctx.person.sees(s) for s in sites):
            raise web.Refusal(404, "console.error.no_file")
        data = bytes(
            conn.execute(select(Attachment.data).where(Attachment.sha256 == sha256)).scalar_one()
        )
    headers = {"Cache-Control": "private, max-age=86400", "X-Content-Type-Options": "nosniff"}
    if request.query_params.get("thumb"):
        small = _thumbnail(data)
        if small is not None:
            return Response(small, media_type="image/jpeg", headers=headers)
    kind = _image_type(data)
    if kind is None:  # not a picture: never served inline (it could be HTML)
        headers["Content-Disposition"] = f'attachment; filename="{sha256[:12]}"'
        return Response(data, media_type="application/octet-stream", headers=headers)
    return Response(data, media_type=kind, headers=headers)


def _image_type(data: bytes) -> str | None:
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data[:6] in (b"GIF87a", b"GIF89a"):
        return "image/gif"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    return None


def _thumbnail(data: bytes) -> bytes | None:
    import io

    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as image:
            image.thumbnail((THUMB, THUMB))
            out = io.BytesIO()
            image.convert("RGB").save(out, "JPEG", quality=80)
            return out.getvalue()
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        return None
