"""The office console: the office's people see and steer the field's work in a browser.

Served under ``/console`` by the same process and database as the sync API
(:func:`install`); pages are rendered on the server (Jinja2) with a vendored htmx for the
parts that refresh themselves. Nothing is fetched from the internet. See docs/console.md.
"""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles

from fieldkit_server.console import web


def install(app: FastAPI) -> None:
    """Add the console's routes, its static files and its error pages to ``app``."""
    from fieldkit_server.console import (
        accounts,
        auth,
        cases,
        checklists,
        dashboard,
        devices,
        handover,
        incidents,
        reports,
        units,
    )

    for module in (auth, dashboard, cases, incidents, devices, checklists, units, handover,
                   reports, accounts):  # fmt: skip
        app.include_router(module.router, prefix=web.PREFIX, include_in_schema=False)
    app.mount(
        web.PREFIX + "/static", StaticFiles(directory=web.HERE / "static"), name="console-static"
    )

    @app.get(web.PREFIX + "/{rest:path}", include_in_schema=False)
    def _unknown(request: Request, rest: str) -> Response:
        web.person(request)
        raise web.Refusal(404, "console.error.not_found")

    app.add_middleware(web.BodyCap)

    @app.exception_handler(web.SignInNeeded)
    async def _sign_in(request: Request, exc: web.SignInNeeded) -> Response:
        if request.headers.get("hx-request"):
            return Response(status_code=401, headers={"HX-Redirect": web.PREFIX + "/login"})
        if request.method != "GET":
            return _refused(request, web.Refusal(401, "console.error.signed_out"))
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        from urllib.parse import quote

        return RedirectResponse(f"{web.PREFIX}/login?next={quote(target)}", status_code=303)

    @app.exception_handler(web.PasswordChangeNeeded)
    async def _change_password(request: Request, exc: web.PasswordChangeNeeded) -> Response:
        if request.headers.get("hx-request"):
            return Response(status_code=401, headers={"HX-Redirect": web.PREFIX + "/password"})
        if request.method != "GET":
            return _refused(request, web.Refusal(403, "console.password.first"))
        return RedirectResponse(f"{web.PREFIX}/password", status_code=303)

    @app.exception_handler(web.Refusal)
    async def _refusal(request: Request, exc: web.Refusal) -> Response:
        return _refused(request, exc)


def _refused(request: Request, exc: web.Refusal) -> HTMLResponse:
    ctx = web.current(request)
    return web.page(ctx, "refused.html", exc.status, message=ctx.t(exc.key, **exc.params))
