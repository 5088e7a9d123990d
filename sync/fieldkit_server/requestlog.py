"""After each request: one log line, and the device's last-seen time.

:class:`RequestLog` is a plain ASGI middleware (no per-request task or body buffering, so a
pull streams as before). When the answer has gone out it logs one line to the
``fieldkit.server.requests`` logger::

    device=0b6f… method=GET endpoint=/v1/pull status=200 ms=3.1
    device=- method=POST endpoint=/v1/push status=401 ms=0.4 code=token_missing

and, when the token check found the device's ``last_seen_at`` older than a minute, writes it
(:func:`fieldkit_server.devices.note_seen`), whatever the answer was: a device whose
every push is refused was still seen. Only the device id, the endpoint's path, the status,
the duration and the error code are logged — never a header (the token), a query string or
a body, so no personal data.

``fieldkit-server serve`` also writes every ``fieldkit`` log record to a rotating file in
the server's data folder (:func:`log_to_file`); several worker processes share that file,
so the rollover is taken under a lock by whichever process finds it full first.
"""

from __future__ import annotations

import contextlib
import logging
import os
import time
import traceback
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from fieldkit.logs import OwnerOnlyFileHandler
from fieldkit.store.modes import make_dir, open_file
from fieldkit_server import devices

LOG_FILE_ENV = "FIELDKIT_SERVER_LOG"
LOG_FILE_NAME = "fieldkit-server.log"
MAX_BYTES = 10 * 1024 * 1024
BACKUPS = 5
NO_FILE = "-"

log = logging.getLogger("fieldkit.server.requests")


def default_log_file(folder: Path) -> Path:
    return folder / "logs" / LOG_FILE_NAME


class RequestLog:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        state: dict[str, Any] = scope.setdefault("state", {})
        started = time.perf_counter()
        status = 500

        async def send_noting_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_noting_status)
        except Exception:
            status = 500
            state.setdefault("error_code", "internal")
            raise
        finally:
            _log_line(scope, state, status, time.perf_counter() - started)
            device_id = state.get("device_id")
            if device_id and devices.seen_is_stale(state.get("last_seen_at")):
                app = scope.get("app")
                db = getattr(getattr(app, "state", None), "db", None)
                if db is not None:
                    await run_in_threadpool(devices.note_seen, db, device_id)


def _log_line(scope: Scope, state: dict[str, Any], status: int, seconds: float) -> None:
    if not log.isEnabledFor(logging.INFO):
        return
    if state.get("error_code") == "client_aborted":
        status = 499  # the client hung up before the answer (nginx's number for it)
    route = scope.get("route")
    endpoint = getattr(route, "path", None) or _printable(scope.get("path", ""))
    line = (
        f"device={state.get('device_id') or '-'} method={scope.get('method', '-')} "
        f"endpoint={endpoint} status={status} ms={seconds * 1000:.1f}"
    )
    code = state.get("error_code")
    if code:
        line += f" code={code}"
    log.log(logging.WARNING if 500 <= status < 600 else logging.INFO, line)


def _printable(path: str, limit: int = 200) -> str:
    """A path no route matched, as sent: control characters (``%0A``…) would forge lines."""
    return "".join(ch if ch.isprintable() and ch != " " else "?" for ch in path[:limit])


class SharedRotatingFileHandler(OwnerOnlyFileHandler):
    """A size-rotated log file that several processes append to (``serve --workers N``).

    The process that finds the file full renames it under an exclusive ``flock`` on a lock
    file beside it; a process that finds the file already renamed under its feet (the path
    now names another inode) reopens it instead of rotating again, so no rollover is done
    twice and no line is written into a file that was renamed away.
    """

    def shouldRollover(self, record: logging.LogRecord) -> bool:
        if self.stream is not None and self._renamed():
            self._reopen()
        return bool(super().shouldRollover(record))

    def doRollover(self) -> None:
        with self._locked():
            if self.stream is not None and self._renamed():
                self._reopen()
                return
            super().doRollover()

    def _renamed(self) -> bool:
        try:
            return os.stat(self.baseFilename).st_ino != os.fstat(self.stream.fileno()).st_ino
        except OSError:
            return True

    def _reopen(self) -> None:
        self.stream.close()
        self.stream = self._open()

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        try:
            import fcntl
        except ImportError:  # Windows: one process rotates at a time by luck only
            yield
            return
        flags = os.O_WRONLY | os.O_CREAT | os.O_APPEND
        with os.fdopen(open_file(self.baseFilename + ".lock", flags), "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)


_FORMAT = "%(asctime)s %(process)d %(levelname)s %(name)s: %(message)s"


class _FramesOnly(logging.Formatter):
    """Tracebacks as the exception's class and its code frames, without its message: a
    message can quote what a request carried (uvicorn logs every unhandled error)."""

    def formatException(self, ei) -> str:
        kind = ei[0].__name__ if ei[0] else "Exception"
        return "Traceback (message left out):\n" + "".join(traceback.format_tb(ei[2])) + kind


def log_to_file(path: str | Path | None) -> Path | None:
    """Send every ``fieldkit`` log record (INFO and up) and uvicorn's own messages to the
    rotating file ``path``; nothing when ``path`` is empty or ``-``. Safe to call twice."""
    if not path or str(path) == NO_FILE:
        return None
    path = Path(path).expanduser().resolve()
    make_dir(path.parent)
    for name in ("fieldkit", "uvicorn.error"):
        logger = logging.getLogger(name)
        if any(getattr(h, "baseFilename", None) == str(path) for h in logger.handlers):
            continue
        handler = SharedRotatingFileHandler(
            path, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8"
        )
        handler.setFormatter(_FramesOnly(_FORMAT))
        handler.setLevel(logging.INFO)
        logger.addHandler(handler)
        if logger.getEffectiveLevel() > logging.INFO:
            logger.setLevel(logging.INFO)
    return path
