"""The office server's HTTP API (FastAPI; OpenAPI at ``/docs`` and ``/openapi.json``).

Every endpoint except ``/v1/health`` needs ``Authorization: Bearer <token>`` of an enrolled,
unrevoked device; what it may push and pull is limited to its site and role (``access.py``).
Errors are ``{code, message}`` (``errors.py``).
"""

from __future__ import annotations

import hashlib
import os
from datetime import UTC, datetime
from typing import Annotated

import orjson
from fastapi import Depends, FastAPI, Query, Request, Response
from fastapi import Path as PathParam
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import StreamingResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import select

from fieldkit import __version__
from fieldkit.sync import protocol as p
from fieldkit_server import access, console, errors, feed, reports
from fieldkit_server import limits as gate
from fieldkit_server.blobs import BLOBS_ENV, Blobs, BlobsUnavailable
from fieldkit_server.db import SERVER_DB_ENV, Database, default_url, migrate
from fieldkit_server.errors import ApiError, request_language
from fieldkit_server.pull import pull as pull_changes
from fieldkit_server.push import Caller, now
from fieldkit_server.push import push as push_ops
from fieldkit_server.requestlog import LOG_FILE_ENV, RequestLog, log_to_file
from fieldkit_server.tables import AttachmentSite, Conflict, Device

_bearer = HTTPBearer(auto_error=False, description="The device token from /v1/enroll")
_ERRORS = {
    400: {"model": p.ErrorBody},
    401: {"model": p.ErrorBody},
    403: {"model": p.ErrorBody},
    422: {"model": p.ErrorBody},
    500: {"model": p.ErrorBody},
    503: {"model": p.ErrorBody},
}
ShaPath = Annotated[str, PathParam(pattern=r"^[0-9a-f]{64}$")]


def _db(request: Request) -> Database:
    return request.app.state.db


def _caller(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Caller:
    if credentials is None or not credentials.credentials:
        raise ApiError(401, "token_missing")
    row = getattr(request.state, gate.DEVICE_ROW, None)  # looked up before the body was read
    if row is None:
        row = gate.lookup_device(_db(request), credentials.credentials)
    if row is None:
        raise ApiError(401, "token_invalid")
    # For requestlog: the log line, and last_seen_at rewritten once the answer is out.
    request.state.device_id, request.state.last_seen_at = row.id, row.last_seen_at
    if row.revoked_at is not None:
        raise ApiError(401, "device_revoked")
    return Caller(id=row.id, site=row.site, role=row.role, name=row.name)


CallerDep = Annotated[Caller, Depends(_caller)]


def _check_version(version: int) -> None:
    if version != p.PROTOCOL_VERSION:
        raise ApiError(400, "unsupported_version", version=version, ours=p.PROTOCOL_VERSION)


def create_app(
    url: str | None = None, *, run_migrations: bool = False, blobs: str | None = None
) -> FastAPI:
    """The app on the database at ``url`` (default: SQLite in the server's data folder),
    attachments where ``blobs`` says (``blobs.parse``; default: the database)."""
    db = Database(url or default_url())
    if run_migrations:
        migrate(db.engine)
    app = FastAPI(
        title="fieldkit office server",
        version=__version__,
        description="Sync API for fieldkit devices: push outbox operations, pull changes, "
        "attachments by sha256. Errors are JSON {code, message}.",
        docs_url=None,  # its page loads Swagger UI from a CDN: blank on an office network
        redoc_url=None,  # with no internet. /openapi.json is served (docs/sync.md)
    )
    app.state.db = db
    app.state.blobs = Blobs.from_spec(db, blobs)
    errors.install(app)
    reports.install(app, _caller, _ERRORS)
    console.install(app)
    app.add_middleware(gate.Gate)
    app.add_middleware(RequestLog)  # outermost: it logs what the gate refused too
    v1 = p.API_PREFIX

    @app.get(f"{v1}/health", response_model=p.Health, responses=_ERRORS, tags=["health"])
    def health(request: Request) -> p.Health:
        """No token needed: for load balancers and `fieldkit sync --check`."""
        with _db(request).read() as conn:
            conn.exec_driver_sql("SELECT 1")
        return p.Health(status="ok", database=_db(request).backend)

    @app.post(f"{v1}/enroll", response_model=p.EnrollResponse, responses=_ERRORS, tags=["devices"])
    def enroll(body: p.EnrollRequest, request: Request) -> p.EnrollResponse:
        """Trade a one-time enrolment code for the device's token (shown only here, once)."""
        _check_version(body.version)
        code = p.normalise_code(body.code)
        code_hash = access.hash_secret(code)
        token = access.enrolment_token(body.key, code) if body.key else access.new_token()
        with _db(request).sessions() as session, session.begin():
            device = session.execute(
                select(Device).where(Device.code_hash == code_hash).with_for_update()
            ).scalar_one_or_none()
            retried = device is None and body.key is not None
            if retried:  # the answer to an earlier try with this key may have been lost
                device = session.execute(
                    select(Device).where(Device.token_hash == access.hash_secret(token))
                ).scalar_one_or_none()
            if device is None or device.revoked_at is not None:
                raise ApiError(400, "code_invalid")
            expires = device.code_expires_at
            if expires is not None and expires.tzinfo is None:
                expires = expires.replace(tzinfo=UTC)
            if expires is not None and expires < datetime.now(UTC):
                raise ApiError(400, "code_expired")
            if not retried:
                device.code_hash = None  # the code works once; its expiry bounds a retry
                device.token_hash = access.hash_secret(token)
                device.enrolled_at = device.last_seen_at = now()
            answer = p.EnrollResponse(
                device_id=device.id,
                token=token,
                site=device.site,
                role=device.role,  # type: ignore[arg-type]
                name=device.name,
            )
        return answer

    @app.get(f"{v1}/me", response_model=p.EnrollResponse, responses=_ERRORS, tags=["devices"])
    def me(caller: CallerDep) -> dict:
        """Who the token belongs to (the token itself is not repeated)."""
        return {
            "device_id": caller.id,
            "token": "",
            "site": caller.site,
            "role": caller.role,
            "name": caller.name,
        }

    @app.post(f"{v1}/push", response_model=p.PushResponse, responses=_ERRORS, tags=["sync"])
    def push(body: p.PushRequest, request: Request, caller: CallerDep) -> p.PushResponse:
        """Apply outbox operations once each, in order; one result per operation."""
        _check_version(body.version)
        answer = push_ops(
            _db(request).sessions, caller, body.ops, request_language(request), body.held
        )
        feed.number_pending(_db(request), wait=False)  # into the feed now, if no run is on
        return answer

    def _pull(request: Request, caller: Caller, cursor: int, limit: int) -> Response:
        data = pull_changes(_db(request), caller, cursor, limit)
        return Response(data, media_type="application/json")

    @app.post(f"{v1}/pull", response_model=p.PullResponse, responses=_ERRORS, tags=["sync"])
    def pull_post(body: p.PullRequest, request: Request, caller: CallerDep) -> Response:
        """The changes after ``cursor`` visible to this device, oldest first."""
        _check_version(body.version)
        return _pull(request, caller, body.cursor, body.limit)

    @app.get(f"{v1}/pull", response_model=p.PullResponse, responses=_ERRORS, tags=["sync"])
    def pull_get(
        request: Request,
        caller: CallerDep,
        cursor: Annotated[int, Query(ge=0, le=p.MAX_SEQ)] = 0,
        limit: Annotated[int, Query(ge=1, le=p.MAX_PULL_LIMIT)] = p.DEFAULT_PULL_LIMIT,
    ) -> Response:
        """The same as POST, for tools that prefer a GET."""
        return _pull(request, caller, cursor, limit)

    @app.post(
        f"{v1}/attachments/ask",
        response_model=p.AttachmentNeeds,
        responses=_ERRORS,
        tags=["attachments"],
    )
    def attachments_ask(
        body: p.AttachmentAsk, request: Request, caller: CallerDep
    ) -> p.AttachmentNeeds:
        """Which of these files the server does not hold for the device's site yet."""
        _check_version(body.version)
        have = _site_has(request, caller, body.sha256)
        return p.AttachmentNeeds(missing=[h for h in dict.fromkeys(body.sha256) if h not in have])

    @app.head(f"{v1}/attachments/{{sha256}}", responses=_ERRORS, tags=["attachments"])
    def attachment_head(request: Request, caller: CallerDep, sha256: ShaPath) -> Response:
        if sha256 not in _site_has(request, caller, [sha256]):
            raise ApiError(404, "attachment_not_found", sha256=sha256)
        return Response(status_code=200)

    @app.get(
        f"{v1}/attachments/{{sha256}}",
        responses={**_ERRORS, 200: {"content": {"application/octet-stream": {}}}},
        tags=["attachments"],
        response_class=Response,
    )
    def attachment_get(request: Request, caller: CallerDep, sha256: ShaPath) -> Response:
        """The file's bytes, streamed (from the object store when it is there)."""
        if sha256 not in _site_has(request, caller, [sha256]):
            raise ApiError(404, "attachment_not_found", sha256=sha256)
        try:
            stored = request.app.state.blobs.open(sha256)
        except BlobsUnavailable:
            raise ApiError(503, "attachment_store_unavailable") from None
        return StreamingResponse(
            stored.chunks,
            media_type=stored.media_type,
            headers={"Content-Length": str(stored.size)},
        )

    @app.put(
        f"{v1}/attachments/{{sha256}}",
        response_model=p.AttachmentStored,
        responses=_ERRORS,
        tags=["attachments"],
        openapi_extra={
            "requestBody": {
                "required": True,
                "content": {
                    "application/octet-stream": {"schema": {"type": "string", "format": "binary"}}
                },
            }
        },
    )
    async def attachment_put(
        request: Request,
        response: Response,
        caller: CallerDep,
        sha256: ShaPath,
    ) -> p.AttachmentStored:
        """Upload a file's bytes; refused unless their sha256 is the one in the path."""
        declared = request.headers.get("content-length")
        if declared and declared.isdigit() and int(declared) > p.MAX_ATTACHMENT_BYTES:
            raise ApiError(413, "attachment_too_large", limit=p.MAX_ATTACHMENT_BYTES)
        digest = hashlib.sha256()
        chunks: list[bytes] = []
        size = 0
        async for chunk in request.stream():
            size += len(chunk)
            if size > p.MAX_ATTACHMENT_BYTES:
                raise ApiError(413, "attachment_too_large", limit=p.MAX_ATTACHMENT_BYTES)
            digest.update(chunk)
            chunks.append(chunk)
        if digest.hexdigest() != sha256:
            raise ApiError(422, "hash_mismatch", sha256=sha256, actual=digest.hexdigest())
        try:
            created = await run_in_threadpool(
                request.app.state.blobs.store,
                caller.id,
                caller.site,
                sha256,
                b"".join(chunks),
                now(),
            )
        except BlobsUnavailable:
            raise ApiError(503, "attachment_store_unavailable") from None
        response.status_code = 201 if created else 200
        return p.AttachmentStored(sha256=sha256, size=size, created=created)

    @app.get(f"{v1}/conflicts", responses=_ERRORS, tags=["office"])
    def conflicts(
        request: Request,
        caller: CallerDep,
        after: Annotated[int, Query(ge=0, le=p.MAX_SEQ)] = 0,
        limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    ) -> list[dict]:
        """The conflict log (values merges overwrote or refused). Office role only."""
        if caller.role != "office":
            raise ApiError(403, "office_only")
        query = select(Conflict).where(Conflict.id > after).order_by(Conflict.id).limit(limit)
        if caller.site != p.ALL_SITES:
            query = query.where(Conflict.site == caller.site)
        with _db(request).sessions() as session:
            rows = session.execute(query).scalars().all()
        return [
            {
                "id": r.id,
                "kind": r.kind,
                "record_id": r.record_id,
                "site": r.site,
                "device_id": r.device_id,
                "op_id": r.op_id,
                "detail": orjson.loads(r.detail),
                "created_at": r.created_at.isoformat(),
            }
            for r in rows
        ]

    return app


def _site_has(request: Request, caller: Caller, hashes: list[str]) -> set[str]:
    if not hashes:
        return set()
    query = select(AttachmentSite.sha256).where(AttachmentSite.sha256.in_(set(hashes)))
    if caller.site != p.ALL_SITES:
        query = query.where(AttachmentSite.site == caller.site)
    with _db(request).read() as conn:
        return set(conn.execute(query).scalars())


def create_app_from_env() -> FastAPI:
    """The factory ``fieldkit-server serve`` hands to uvicorn (one per worker process)."""
    log_to_file(os.environ.get(LOG_FILE_ENV))
    return create_app(os.environ.get(SERVER_DB_ENV) or None, blobs=os.environ.get(BLOBS_ENV))
