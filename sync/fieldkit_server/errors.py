"""Errors as JSON ``{code, message}`` in the caller's language; never a bare 500.

Messages live in ``i18n/catalog/*/server.toml`` under ``[errors]`` (request errors) and
``[rejected]`` (per-operation refusals); the language comes from ``Accept-Language``.

What is logged of a failure never holds a value from the request: database errors name
the error classes, the SQL statement without its parameters and the code frames; an
unexpected error its class and the frames, not its message (which may quote a record).
"""

from __future__ import annotations

import logging
import traceback

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DBAPIError, OperationalError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import ClientDisconnect

from fieldkit.config import normalise_language
from fieldkit.i18n import catalogue, t

log = logging.getLogger("fieldkit.server")

_STATUS_CODES = {
    400: "bad_request",
    404: "not_found",
    405: "method_not_allowed",
    413: "too_large",
}


class ApiError(Exception):
    def __init__(self, status: int, code: str, /, **params: object) -> None:
        super().__init__(code)
        self.status = status
        self.code = code
        self.params = params


def request_language(request: Request) -> str:
    header = request.headers.get("accept-language", "")
    for part in header.split(","):
        lang = normalise_language(part.split(";")[0])
        if lang:
            return lang
    return "en"


def message(code: str, lang: str, area: str = "errors", **params: object) -> str:
    """The message for ``code``: ``server.toml``, else the boundary's own ``trust.toml``."""
    if isinstance(params.get("role"), str):
        from fieldkit.i18n.roles import role_name

        params["role"] = role_name(str(params["role"]), lang)
    key = f"server.{area}.{code}"
    if key not in catalogue(lang):
        key = f"trust.{area}.{code}"
    return t(key, lang, **params)


def error_response(request: Request, status: int, code: str, **params: object) -> JSONResponse:
    request.state.error_code = code  # for the request log
    lang = request_language(request)
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    return JSONResponse(
        {"code": code, "message": message(code, lang, **params)}, status, headers=headers
    )


def install(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def _api_error(request: Request, exc: ApiError) -> JSONResponse:
        return error_response(request, exc.status, exc.code, **exc.params)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        first = exc.errors()[0] if exc.errors() else {}
        where = ".".join(str(p) for p in first.get("loc", ()) if p != "body") or "-"
        return error_response(
            request, 422, "invalid_request", where=where, problem=first.get("msg", "")
        )

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = _STATUS_CODES.get(exc.status_code, "bad_request")
        return error_response(request, exc.status_code, code)

    @app.exception_handler(ClientDisconnect)
    async def _aborted(request: Request, exc: ClientDisconnect) -> JSONResponse:
        log.info("client aborted %s %s mid-body", request.method, request.url.path)
        return error_response(request, 400, "client_aborted")

    @app.exception_handler(OperationalError)
    async def _db_down(request: Request, exc: OperationalError) -> JSONResponse:
        log.error(
            "database unavailable on %s %s: %s", request.method, request.url.path, _db_failure(exc)
        )
        return error_response(request, 503, "database_unavailable")

    @app.exception_handler(DBAPIError)
    async def _db_error(request: Request, exc: DBAPIError) -> JSONResponse:
        log.error(
            "database error on %s %s: %s\n%s",
            request.method,
            request.url.path,
            _db_failure(exc),
            _frames(exc),
        )
        return error_response(request, 503, "database_error")

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.error(
            "unexpected error on %s %s: %s\n%s",
            request.method,
            request.url.path,
            type(exc).__name__,
            _frames(exc),
        )
        return error_response(request, 500, "internal")


def _db_failure(exc: DBAPIError) -> str:
    """The failure without its parameters or the driver's message (which quotes values)."""
    orig = exc.orig
    sqlstate = getattr(orig, "sqlstate", None) or getattr(orig, "pgcode", None)
    statement = " ".join((exc.statement or "").split())[:300]
    return (
        f"{type(exc).__name__} ({type(orig).__name__}"
        + (f", sqlstate {sqlstate}" if sqlstate else "")
        + f") in: {statement or '-'}"
    )


def _frames(exc: BaseException) -> str:
    return "".join(traceback.format_tb(exc.__traceback__)).rstrip()
