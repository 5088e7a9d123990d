"""What every console page shares: the person's language, their session and its CSRF
token, the templates, the answers for refused requests, and a cap on request bodies.

- **Language**: the ``fk_lang`` cookie (set by the switch in the page header), else the
  browser's ``Accept-Language`` (zh for a zh browser), else zh — the office's language.
- **Session**: the ``fk_session`` cookie (HttpOnly, SameSite=Lax, Path=/console, Secure
  when the page came over HTTPS); :func:`person` refuses a request without a live one
  (a page asks to sign in, an htmx fragment answers 401) and one whose role lacks the grant.
- **CSRF**: every POST carries the session's token (a hidden ``csrf`` field, or the
  ``X-CSRF-Token`` header htmx sends); the sign-in form, before any session, uses a
  double-submit token in the ``fk_pre`` cookie. A POST without the right token changes
  nothing and is answered 403.
"""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.types import ASGIApp, Receive, Scope, Send

from fieldkit.config import normalise_language
from fieldkit.i18n import known, plural, t
from fieldkit.i18n.roles import role_name
from fieldkit_server.console import people
from fieldkit_server.console.people import Person
from fieldkit_server.db import Database

PREFIX = "/console"
SESSION_COOKIE = "fk_session"
PRE_COOKIE = "fk_pre"
LANG_COOKIE = "fk_lang"
#: The largest request body the console takes (a checklist file or a spreadsheet).
MAX_BODY = 4 * 1024 * 1024
HERE = Path(__file__).resolve().parent

_env = Environment(
    loader=FileSystemLoader(HERE / "templates"),
    autoescape=select_autoescape(["html"]),
    trim_blocks=True,
    lstrip_blocks=True,
)


class Refusal(Exception):
    """Answer the request with an error page (or fragment) in the person's language."""

    def __init__(self, status: int, key: str, **params: object) -> None:
        super().__init__(key)
        self.status = status
        self.key = key
        self.params = params


class SignInNeeded(Exception):
    """No live session: a page goes to the sign-in page and comes back after."""


class PasswordChangeNeeded(Exception):
    """The person signed in with a first password: they choose their own before anything
    else (a page goes to the password page; anything else is refused)."""


def db_of(request: Request) -> Database:
    return request.app.state.db


def language(request: Request) -> str:
    chosen = normalise_language(request.cookies.get(LANG_COOKIE, ""))
    if chosen:
        return chosen
    for part in request.headers.get("accept-language", "").split(","):
        lang = normalise_language(part.split(";")[0].strip())
        if lang:
            return lang
    return "zh"


def secure(request: Request) -> bool:
    return request.url.scheme == "https"


@dataclass
class Ctx:
    """A request as a page sees it: who, in which language, with which CSRF token."""

    request: Request
    lang: str
    person: Person | None = None
    csrf: str = ""

    @property
    def db(self) -> Database:
        return db_of(self.request)

    def t(self, key: str, **params: object) -> str:
        return t(key, self.lang, **params)


def current(request: Request) -> Ctx:
    """The request's person (None when signed out), without refusing anything."""
    lang = language(request)
    found = people.session_of(db_of(request), request.cookies.get(SESSION_COOKIE))
    if found is None:
        return Ctx(request, lang)
    request.state.console_user = found.person.id
    return Ctx(request, lang, found.person, found.csrf)


def person(request: Request, grant: str | None = None, first_password: bool = False) -> Ctx:
    """The signed-in person, or SignInNeeded; Refusal 403 when their role lacks ``grant``;
    PasswordChangeNeeded while they still have a first password (unless ``first_password``:
    the password page and signing out)."""
    ctx = current(request)
    if ctx.person is None:
        raise SignInNeeded()
    if ctx.person.change_due and not first_password:
        raise PasswordChangeNeeded()
    if grant is not None and not ctx.person.may(grant):
        raise Refusal(403, "console.error.role", role=people_role(ctx.person.role, ctx.lang))
    return ctx


async def form(ctx: Ctx) -> Any:
    """The POSTed form, after its CSRF token is checked (Refusal 403 otherwise)."""
    data = await ctx.request.form(max_files=2, max_fields=50, max_part_size=MAX_BODY)
    sent = ctx.request.headers.get("x-csrf-token") or str(data.get("csrf") or "")
    if not ctx.csrf or not hmac.compare_digest(sent.encode(), ctx.csrf.encode()):
        raise Refusal(403, "console.error.csrf")
    return data


def people_role(role: str, lang: str) -> str:
    return known(f"console.role.{role}", role, lang)


def local_time(when: Any, with_date: bool = True) -> str:
    """A stored time (aware, naive UTC, or ISO text) in this server's time zone."""
    if when is None or when == "":
        return "—"
    if isinstance(when, str):
        try:
            when = datetime.fromisoformat(when.replace("Z", "+00:00"))
        except ValueError:
            return when
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return when.astimezone().strftime("%Y-%m-%d %H:%M" if with_date else "%H:%M")


def page(ctx: Ctx, template: str, status: int = 200, **values: Any) -> HTMLResponse:
    lang = ctx.lang

    def _t(key: str, **params: object) -> str:
        return t(key, lang, **params)

    def _plural(key: str, count: int, **params: object) -> str:
        return plural(key, count, lang, **params)

    def _url(path: str, **query: Any) -> str:
        kept = {k: v for k, v in query.items() if v not in (None, "", False)}
        return PREFIX + path + ("?" + urlencode(kept) if kept else "")

    html = _env.get_template(template).render(
        t=_t,
        plural=_plural,
        url=_url,
        lang=lang,
        me=ctx.person,
        csrf=ctx.csrf,
        role_name=lambda r: role_name(r, lang),
        people_role=lambda r: people_role(r, lang),
        local_time=local_time,
        first_upper=lambda text: text[:1].upper() + text[1:] if lang == "en" else text,
        path=ctx.request.url.path,
        query=str(ctx.request.url.query),
        **values,
    )
    response = HTMLResponse(html, status)
    response.headers["Cache-Control"] = "no-store"
    return response


def redirect(path: str) -> RedirectResponse:
    return RedirectResponse(PREFIX + path, status_code=303)


def set_session(response: Any, request: Request, token: str) -> None:
    response.set_cookie(
        SESSION_COOKIE, token, path=PREFIX, httponly=True, samesite="lax",
        secure=secure(request), max_age=int(people.LONGEST.total_seconds()),
    )  # fmt: skip


def pre_token(request: Request) -> str:
    """The sign-in form's double-submit token: the cookie's, or a new one."""
    token = request.cookies.get(PRE_COOKIE, "")
    return token if 20 <= len(token) <= 100 else secrets.token_urlsafe(32)


def set_pre(response: Any, request: Request, token: str) -> None:
    response.set_cookie(
        PRE_COOKIE, token, path=PREFIX, httponly=True, samesite="lax", secure=secure(request)
    )


def local_path(text: str) -> str:
    """A ``next`` path after sign-in or a language switch: only a console page of ours."""
    if text.startswith(PREFIX + "/") and not text.startswith("//") and "\\" not in text:
        return text
    return PREFIX + "/"


class BodyCap:
    """Console request bodies above :data:`MAX_BODY` are refused (413) before they are
    read; one sent without a length is cut off once it passes the cap."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith(PREFIX):
            await self.app(scope, receive, send)
            return
        length = dict(scope.get("headers", ())).get(b"content-length", b"")
        if length.strip().isdigit() and int(length) > MAX_BODY:
            await _too_large(scope, receive, send)
            return
        seen = 0

        async def counted() -> Any:
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > MAX_BODY:
                raise Refusal(413, "console.error.too_large", most=MAX_BODY // (1024 * 1024))
            return message

        await self.app(scope, counted, send)


async def _too_large(scope: Scope, receive: Receive, send: Send) -> None:
    request = Request(scope)
    lang = language(request)
    text = t("console.error.too_large", lang, most=MAX_BODY // (1024 * 1024))
    response = HTMLResponse(f"<!doctype html><p>{text}</p>", 413, headers={"Connection": "close"})
    await response(scope, receive, send)
