"""Accounts: the administrator lists, adds and disables the people who sign in to the
console and resets their passwords; everyone changes their own password.

The same functions as ``fieldkit-server user add|disable|password`` (:mod:`.people`: the
same rules for names, roles, sites and passwords), each recorded with the administrator's
name. A password the administrator types is a first password: the person chooses their
own at their next sign-in (see :mod:`.people`). An administrator of one site sees and
manages that site's accounts; one of every site (``*``), everyone's.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from fieldkit.sync.protocol import ALL_SITES
from fieldkit_server.console import people, web

router = APIRouter()
log = logging.getLogger("fieldkit.server.console")


def _page(ctx: web.Ctx, status: int = 200, **values: Any) -> Response:
    users = people.list_users(ctx.db, ctx.person.site)
    return web.page(ctx, "people.html", status, users=users, roles=people.ROLES,
                    least=people.PASSWORD_MIN, **values)  # fmt: skip


@router.get("/people")
def accounts(request: Request) -> Response:
    return _page(web.person(request, "people"))


@router.post("/people")
async def add(request: Request) -> Response:
    ctx = web.person(request, "people")
    data = await web.form(ctx)
    name = str(data.get("name") or "")[: people.NAME_MAX + 1]
    role = str(data.get("role") or "")
    site = ctx.person.site
    if site == ALL_SITES:
        site = str(data.get("site") or "")[:101]
    password = str(data.get("password") or "")[: people.PASSWORD_MAX + 1]
    kept = {"name": name, "role": role, "site": site}
    try:
        added = people.add_user(ctx.db, name=name, role=role, site=site, password=password,
                                by=ctx.person, change_due=True)  # fmt: skip
    except people.PeopleError as exc:
        return _page(ctx, 422, error=ctx.t(exc.key, **exc.params), form=kept)
    log.info("console user %s added account %s", ctx.person.id, added.id)
    return _page(ctx, notice=ctx.t("console.accounts.added", name=added.name,
                                   role=web.people_role(added.role, ctx.lang)))  # fmt: skip


def _account(ctx: web.Ctx, user_id: str):
    user = people.user_by_id(ctx.db, user_id)
    if user is None or (ctx.person.site != ALL_SITES and user.site != ctx.person.site):
        raise web.Refusal(404, "console.error.no_account")
    return user


@router.post("/people/{user_id}/password")
async def reset(request: Request, user_id: str) -> Response:
    ctx = web.person(request, "people")
    data = await web.form(ctx)
    user = _account(ctx, user_id)
    password = str(data.get("password") or "")[: people.PASSWORD_MAX + 1]
    try:
        people.set_password(ctx.db, user.name, password, by=ctx.person, change_due=True)
    except people.PeopleError as exc:
        return _page(ctx, 422, error=ctx.t(exc.key, **exc.params))
    log.info("console user %s reset the password of %s", ctx.person.id, user.id)
    return _page(ctx, notice=ctx.t("console.accounts.reset_done", name=user.name))


@router.post("/people/{user_id}/disable")
async def disable(request: Request, user_id: str) -> Response:
    ctx = web.person(request, "people")
    await web.form(ctx)
    user = _account(ctx, user_id)
    if user.id == ctx.person.id:
        return _page(ctx, 422, error=ctx.t("console.accounts.not_yourself"))
    try:
        people.disable_user(ctx.db, user.name, by=ctx.person)
    except people.PeopleError as exc:
        return _page(ctx, 422, error=ctx.t(exc.key, **exc.params))
    log.info("console user %s disabled account %s", ctx.person.id, user.id)
    return _page(ctx, notice=ctx.t("console.cli.disabled", name=user.name))


def _password_page(ctx: web.Ctx, status: int = 200, **values: Any) -> Response:
    return web.page(ctx, "password.html", status, least=people.PASSWORD_MIN, **values)


@router.get("/password")
def password_form(request: Request) -> Response:
    return _password_page(web.person(request, first_password=True))


@router.post("/password")
async def change_password(request: Request) -> Response:
    ctx = web.person(request, first_password=True)
    data = await web.form(ctx)
    current = str(data.get("current") or "")[: people.PASSWORD_MAX + 1]
    new = str(data.get("new") or "")[: people.PASSWORD_MAX + 1]
    if new != str(data.get("again") or "")[: people.PASSWORD_MAX + 1]:
        return _password_page(ctx, 422, error=ctx.t("console.password.mismatch"))
    try:
        kept = request.cookies.get(web.SESSION_COOKIE, "")
        people.change_own_password(ctx.db, ctx.person, current, new, keep_token=kept)
    except people.PeopleError as exc:
        return _password_page(ctx, 422, error=ctx.t(exc.key, **exc.params))
    log.info("console user %s changed their password", ctx.person.id)
    ctx = web.person(request)
    return _password_page(ctx, notice=ctx.t("console.password.done"))
