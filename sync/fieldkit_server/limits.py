"""The server's front door: who is asking is checked before what they send is read.

:class:`Gate` is a plain ASGI middleware in front of every route:

- a request with a body to a route that needs a token has its token looked up *before*
  one byte of the body is read; no token, or one the server does not know, is answered
  401 and the body is never parsed or kept (one of at most :data:`DRAIN_BYTES` is read and
  dropped first, so a proxy in front delivers the answer; a larger one is answered at
  once, so a 400 MB POST costs nothing);
- a body longer than its route's cap is refused with 413: at once when its
  ``Content-Length`` says so, else as soon as the bytes read pass the cap (a JSON body is
  read here, at most :data:`~fieldkit.sync.limits.MAX_REQUEST_BYTES`; an attachment
  streams to its route, which stops at its own cap);
- a JSON body nesting deeper than :data:`~fieldkit.sync.limits.MAX_REQUEST_DEPTH` is
  refused (422 ``request_too_deep``) before it is parsed;
- a client that hangs up mid-body is logged as an abort (one line), not an error;
- failed enrolment attempts are counted per client address in the database, shared by
  every server process (``enrol_failures.py``); past
  :data:`~fieldkit_server.enrol_failures.ENROLL_FAILURES` in the window the address is
  answered 429.

The device row found for the token is handed to the route (``scope["state"]``), so the
token costs one lookup per request.
"""

from __future__ import annotations

import logging
from typing import Any, NamedTuple

from sqlalchemy import select
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from fieldkit.sync import limits, stamps
from fieldkit.sync import protocol as p
from fieldkit_server import access, enrol_failures
from fieldkit_server.errors import error_response
from fieldkit_server.tables import Device

log = logging.getLogger("fieldkit.server.requests")

ENROLL_PATH = f"{p.API_PREFIX}/enroll"
OPEN_PATHS = frozenset({ENROLL_PATH, f"{p.API_PREFIX}/health"})
ATTACHMENTS = f"{p.API_PREFIX}/attachments/"

DEVICE_ROW = "device_row"
#: A refused request's body up to this size is read and dropped before the answer (so a
#: proxy in front delivers it): the largest body an honest device sends, an attachment.
DRAIN_BYTES = p.MAX_ATTACHMENT_BYTES


class DeviceRow(NamedTuple):
    id: str
    site: str
    role: str
    name: str
    revoked_at: Any
    last_seen_at: Any


def lookup_device(db: Any, token: str) -> DeviceRow | None:
    """The device whose token hashes to the stored hash, or None."""
    with db.read() as conn:
        row = conn.execute(
            select(
                Device.id,
                Device.site,
                Device.role,
                Device.name,
                Device.revoked_at,
                Device.last_seen_at,
            ).where(Device.token_hash == access.hash_secret(token))
        ).first()
    return None if row is None else DeviceRow(*row)


def bearer_token(scope: Scope) -> str | None:
    for name, value in scope.get("headers", ()):
        if name == b"authorization":
            scheme, _, token = value.decode("latin-1").partition(" ")
            if scheme.lower() == "bearer" and token.strip():
                return token.strip()
            return None
    return None


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", ()):
        if key == name:
            return value.decode("latin-1")
    return None


def _has_body(scope: Scope) -> bool:
    length = _header(scope, b"content-length")
    if length is not None:
        return length.strip() != "0"
    return _header(scope, b"transfer-encoding") is not None or scope["method"] in (
        "POST",
        "PUT",
        "PATCH",
    )


class Gate:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith(p.API_PREFIX + "/"):
            await self.app(scope, receive, send)
            return
        state: dict[str, Any] = scope.setdefault("state", {})
        path = scope["path"]
        if path == ENROLL_PATH:
            await self._enroll(scope, receive, send)
            return
        if path not in OPEN_PATHS and _has_body(scope):
            refused = await self._authenticate(scope, state)
            if refused:
                await _refuse(scope, receive, send, 401, refused)
                return
        streamed = path.startswith(ATTACHMENTS) and scope["method"] == "PUT"
        cap = p.MAX_ATTACHMENT_BYTES if streamed else limits.MAX_REQUEST_BYTES
        if _declared_over(scope, cap):
            await _refuse(scope, receive, send, 413, "body_too_large", limit=cap)
            return
        if streamed:
            await self.app(scope, receive, send)
            return
        await self._buffered(scope, receive, send, cap)

    async def _authenticate(self, scope: Scope, state: dict[str, Any]) -> str | None:
        token = bearer_token(scope)
        if token is None:
            return "token_missing"
        app = scope.get("app")
        row = await run_in_threadpool(lookup_device, app.state.db, token)
        if row is None:
            return "token_invalid"
        state[DEVICE_ROW] = row
        state["device_id"], state["last_seen_at"] = row.id, row.last_seen_at
        return "device_revoked" if row.revoked_at is not None else None

    async def _enroll(self, scope: Scope, receive: Receive, send: Send) -> None:
        client = scope.get("client")
        address = client[0] if client else "-"
        db = scope["app"].state.db
        wait = await run_in_threadpool(enrol_failures.wait_for, db, address)
        if wait:
            log.warning("enrolment attempts from %s refused for %.0f s", address, wait)
            await _refuse(
                scope,
                receive,
                send,
                429,
                "enroll_rate_limited",
                headers={"Retry-After": str(int(wait + 0.999))},
                minutes=max(1, int(wait + 59) // 60),
            )
            return

        async def noting(message: Message) -> None:
            """A refusal is counted before the device reads it, so an attempt right after
            it (to this or another server process) already sees it."""
            if message["type"] == "http.response.start" and 400 <= message["status"] < 500:
                await run_in_threadpool(enrol_failures.failed, db, address)
            await send(message)

        if _declared_over(scope, limits.MAX_ENROLL_BYTES):
            await _refuse(
                scope, receive, noting, 413, "body_too_large", limit=limits.MAX_ENROLL_BYTES
            )
        else:
            await self._buffered(scope, receive, noting, limits.MAX_ENROLL_BYTES)

    async def _buffered(self, scope: Scope, receive: Receive, send: Send, cap: int) -> None:
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                _log_abort(scope, size)
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > cap:
                chunks.clear()
                rest = message.get("more_body", False)  # else the body has all been read
                await _refuse(scope, receive, send, 413, "body_too_large",
                              read=size if rest else None, limit=cap)  # fmt: skip
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        raw = b"".join(chunks)
        del chunks
        if raw and limits.json_depth_exceeds(raw, limits.MAX_REQUEST_DEPTH):
            await _refuse(
                scope,
                receive,
                send,
                422,
                "request_too_deep",
                read=None,
                limit=limits.MAX_REQUEST_DEPTH,
            )
            return
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": raw, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)


async def _drained(scope: Scope, receive: Receive, read: int) -> bool:
    """Read and drop the rest of a body of at most DRAIN_BYTES; False if the client hung up.
    A client that asked before sending its body (``Expect: 100-continue``) has sent none:
    reading would invite it, so it is answered at once."""
    expect = (_header(scope, b"expect") or "").lower()
    if not _has_body(scope) or _declared_over(scope, DRAIN_BYTES) or "100-continue" in expect:
        return True
    while read <= DRAIN_BYTES:
        message = await receive()
        if message["type"] == "http.disconnect":
            return False
        read += len(message.get("body", b""))
        if not message.get("more_body", False):
            break
    return True


def _declared_over(scope: Scope, cap: int) -> bool:
    length = _header(scope, b"content-length")
    return length is not None and length.strip().isdigit() and int(length) > cap


def _log_abort(scope: Scope, size: int) -> None:
    scope.setdefault("state", {})["error_code"] = "client_aborted"
    log.info(
        "client aborted %s %s after %d bytes of its body", scope["method"], scope["path"], size
    )


async def _refuse(
    scope: Scope,
    receive: Receive,
    send: Send,
    status: int,
    code: str,
    headers: dict[str, str] | None = None,
    *,
    read: int | None = 0,
    **params: object,
) -> None:
    """Answer a request the gate does not pass on; its body is never parsed or kept.

    A body of at most :data:`DRAIN_BYTES` (by its ``Content-Length``, else counted) is read
    and dropped before the answer, ``read`` bytes of it already (None: all of it): a
    reverse proxy still sending a body when the answer comes (nginx) drops the answer and
    gives the device a 502, so a revoked device uploading a photo would be told "offline"
    instead of "enrol again". A larger body is answered at once and its connection closed.
    """
    if read is not None and not await _drained(scope, receive, read):
        _log_abort(scope, read)
        return
    response = error_response(Request(scope), status, code, **params)
    if headers:
        response.headers.update(headers)
    await response(scope, receive, send)


def message_params(code: str, params: dict[str, Any], lang: str) -> dict[str, Any]:
    """A refusal's stored parameters as its message shows them (``clock_ahead``: how far,
    in the reader's language)."""
    if code == "clock_ahead" and "ahead_ms" in params:
        return {**params, "ahead": stamps.describe_ahead(int(params["ahead_ms"]), lang)}
    return params
