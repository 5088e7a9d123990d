"""Signing in and out, and the language switch."""

from __future__ import annotations

import hmac
import logging
import math

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from fieldkit.config import normalise_language
from fieldkit_server.console import people, web

router = APIRouter()
log = logging.getLogger("fieldkit.server.console")


def _address(request: Request) -> str:
    return request.client.host if request.client else "-"


@router.get("")
@router.get("/")
def home(request: Request) -> Response:
    web.person(request)
    return web.redirect("/dashboard")


def _login_page(request: Request, status: int = 200, **values) -> Response:
    ctx = web.current(request)
    token = web.pre_token(request)
    ctx.csrf = token
    first_run = not people.has_admin(ctx.db)
    sent = str(values.pop("next", "") or "")
    nxt = web.local_path(sent or request.query_params.get("next", ""))
    response = web.page(ctx, "login.html", status, first_run=first_run, next=nxt, **values)
    web.set_pre(response, request, token)
    return response


@router.get("/login")
def login_form(request: Request) -> Response:
    return _login_page(request)


@router.post("/login")
async def login(request: Request) -> Response:
    ctx = web.current(request)
    data = await request.form(max_fields=10, max_part_size=4096)
    sent, kept = str(data.get("csrf") or ""), request.cookies.get(web.PRE_COOKIE, "")
    if not kept or not hmac.compare_digest(sent.encode(), kept.encode()):
        raise web.Refusal(403, "console.error.csrf")
    name = str(data.get("name") or "")[: people.NAME_MAX]
    password = str(data.get("password") or "")[: people.PASSWORD_MAX]
    nxt = web.local_path(str(data.get("next") or ""))
    result = people.sign_in(ctx.db, name, password, _address(request))
    if result.person is None:
        minutes = math.ceil(result.wait / 60) if result.wait else 0
        log.info("console sign-in refused from %s (locked %s)", _address(request), bool(minutes))
        key = "console.login.locked" if minutes else "console.login.wrong"
        return _login_page(request, 429 if minutes else 401, error=ctx.t(key, minutes=minutes),
                           name=name, next=nxt)  # fmt: skip
    log.info("console user %s signed in", result.person.id)
    response = RedirectResponse(nxt, status_code=303)
    web.set_session(response, request, result.token)
    response.delete_cookie(web.PRE_COOKIE, path=web.PREFIX)
    return response


@router.post("/logout")
async def logout(request: Request) -> Response:
    ctx = web.person(request, first_password=True)
    await web.form(ctx)
    people.end_session(ctx.db, request.cookies.get(web.SESSION_COOKIE, ""))
    people.record(ctx.db, ctx.person, "signed_out", "user", ctx.person.id)
    response = web.redirect("/login")
    response.delete_cookie(web.SESSION_COOKIE, path=web.PREFIX)
    return response


@router.get("/lang/{lang}")
def switch_language(request: Request, lang: str) -> Response:
    """A display preference only (a cookie), so a plain link switches it."""
    chosen = normalise_language(lang) or "zh"
    response = RedirectResponse(
        web.local_path(request.query_params.get("next", "")), status_code=303
    )
    response.set_cookie(web.LANG_COOKIE, chosen, path=web.PREFIX, samesite="lax",
                        max_age=365 * 86400, secure=web.secure(request))  # fmt: skip
    return response
