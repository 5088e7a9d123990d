"""The device side of sync: HTTP calls (``requests``), one sync round, background sync.

Nothing here imports the server stack. The round works against any store that offers
:class:`SyncStore` (the device store in ``fieldkit.store`` does), so the order of steps —
and what is durable when — lives in one place:

1. attachments the outbox refers to: ask which are missing, upload those (hash verified
   by the server). When the office's file store is down (503
   ``attachment_store_unavailable``), the changes that need a file not yet up — and any
   later change of the same record — stay in the outbox for a later round, and the rest
   are pushed and pulled as usual (``RoundReport.held``);
2. push the outbox in sequence order, in batches; after each answer, in one store write,
   drop the acknowledged entries (applied, merged, duplicate) and move rejected ones to
   the "needs attention" list. An answer that never arrives leaves the entries in place:
   they are sent again and answered ``duplicate``;
3. pull pages after the stored cursor; each page and its cursor go to the store in one
   write, so a page pulled twice is harmless.

Errors (``fieldkit.sync.errors``, each with a sentence for a person): :class:`Offline` (no
connection, timeout, 5xx — try again later, with backoff), :class:`Untrusted` (the server's
certificate is not trusted — not the network), :class:`CAUnreadable` (the device's CA file
is gone), :class:`NeedsEnrolment` (401 — the user must enrol again), :class:`SyncRefused`
(the server refused a request for another reason; its coded message is kept).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import random
import secrets
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any, Protocol

import orjson
import requests

from fieldkit.store.atomic import atomic_write
from fieldkit.store.modes import make_dir
from fieldkit.sync import protocol as p
from fieldkit.sync import screen, trust
from fieldkit.sync.credentials import CREDENTIALS_FILE, Credentials, sync_standing
from fieldkit.sync.errors import (
    CAUnreadable,
    FilesUnavailable,
    NeedsEnrolment,
    Offline,
    RateLimited,
    SyncError,
    SyncRefused,
    Untrusted,
)

__all__ = [  # the errors live in fieldkit.sync.errors, the credentials in .credentials;
    "CREDENTIALS_FILE",  # callers import them from here
    "CAUnreadable",
    "Credentials",
    "FilesUnavailable",
    "NeedsEnrolment",
    "Offline",
    "RateLimited",
    "SyncError",
    "SyncRefused",
    "Untrusted",
    "sync_standing",
]

log = logging.getLogger("fieldkit.sync")

#: A CA certificate file (PEM) the device trusts for the office server instead of the
#: system's: the office's own CA, or the server's self-signed certificate.
CA_FILE_ENV = "FIELDKIT_SYNC_CA"
ENROL_KEY_FILE = "enrol-key.json"
CONNECT_TIMEOUT = 5.0
READ_TIMEOUT = 30.0
PUSH_BATCH = 200


class SyncClient:
    """One server, one device token; every call has a connect and a read timeout."""

    def __init__(
        self,
        url: str,
        token: str | None = None,
        *,
        timeout: tuple[float, float] = (CONNECT_TIMEOUT, READ_TIMEOUT),
        session: requests.Session | None = None,
        lang: str = "en",
        verify: str | bool = True,
    ) -> None:
        self.url = url.rstrip("/")
        self.token = token
        self.timeout = timeout
        self.session = session or requests.Session()
        #: A pinned CA file, or the system's trust store; passed on every call, since
        #: requests lets REQUESTS_CA_BUNDLE override a session's own setting.
        self.verify = verify
        self.lang = lang
        #: The server's clock (its answers' ``Date``) at the last answer, in wall ms.
        self.server_ms: int | None = None

    def close(self) -> None:
        self.session.close()

    def _call(
        self, method: str, path: str, *, ok: Iterable[int] = (200,), **kwargs
    ) -> requests.Response:
        headers = kwargs.pop("headers", {})
        headers["Accept-Language"] = self.lang
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        try:
            answer = self.session.request(
                method,
                self.url + path,
                headers=headers,
                timeout=self.timeout,
                verify=self.verify,
                **kwargs,
            )
        except requests.RequestException as exc:
            raise self.failed(method, path, exc) from exc
        self.server_ms = _server_ms(answer) or self.server_ms
        if answer.status_code in ok:
            return answer
        code, message = _error_of(answer)
        if answer.status_code == 401:
            raise NeedsEnrolment(code, message)
        if answer.status_code == 429:
            raise RateLimited(code, message)
        if code == "attachment_store_unavailable":
            raise FilesUnavailable(code, message)
        if answer.status_code >= 500:
            said = None if code.startswith("http_") else message  # else a proxy's page
            cause = "server" if said else "proxy"
            raise Offline(f"{answer.status_code} {code}: {message}", cause, said=said)
        raise SyncRefused(answer.status_code, code, message)

    def failed(self, method: str, path: str, exc: BaseException) -> SyncError:
        """What a request that raised ``exc`` met, as an error a person can read; the
        exception's text goes to the log only."""
        cause = trust.network_cause(exc)
        trust.log_failure(method, self.url + path, exc, cause)
        host = trust.host_of(self.url)
        if cause in trust.TRUST_CAUSES:
            pinned = self.verify if isinstance(self.verify, str) else None
            return Untrusted(str(exc), cause, url=self.url, host=host, ca=pinned)
        return Offline(str(exc), cause, host=host)

    def _json(self, answer: requests.Response, model: type[Any]) -> Any:
        try:
            with p.collector_paused():
                return model.model_validate(orjson.loads(answer.content))
        except ValueError as exc:
            # A truncated or garbled body is a network fault, not a refusal.
            raise Offline(f"unreadable answer from {answer.url}: {exc}", "garbled") from exc

    def health(self) -> p.Health:
        return self._json(self._call("GET", f"{p.API_PREFIX}/health"), p.Health)

    def me(self) -> p.EnrollResponse:
        """Who this token belongs to, as the server holds it (the token is not repeated)."""
        return self._json(self._call("GET", f"{p.API_PREFIX}/me"), p.EnrollResponse)

    def enroll(self, code: str, key: str | None = None) -> p.EnrollResponse:
        body = p.EnrollRequest(code=code, key=key).model_dump(exclude_none=True)
        answer = self._call("POST", f"{p.API_PREFIX}/enroll", json=body)
        return self._json(answer, p.EnrollResponse)

    def push(self, ops: Sequence[p.Operation], held: Sequence[int] = ()) -> p.PushResponse:
        """``held``: sequence numbers kept back on purpose (``PushRequest.held``)."""
        request = p.PushRequest(ops=list(ops), held=list(held)[-p.MAX_HELD :])
        body = request.model_dump_json(exclude_defaults=True)
        answer = self._call(
            "POST",
            f"{p.API_PREFIX}/push",
            data=body,
            headers={"Content-Type": "application/json"},
        )
        response = self._json(answer, p.PushResponse)
        if [r.op_id for r in response.results] != [op.op_id for op in ops]:
            raise Offline("push answer does not match the batch sent", "garbled")
        return response

    def pull(self, cursor: int, limit: int = p.DEFAULT_PULL_LIMIT) -> p.PullResponse:
        answer = self._call("POST", f"{p.API_PREFIX}/pull", json={"cursor": cursor, "limit": limit})
        return self._json(answer, p.PullResponse)

    def missing_attachments(self, hashes: Sequence[str]) -> list[str]:
        missing: list[str] = []
        for start in range(0, len(hashes), 1000):
            chunk = list(hashes[start : start + 1000])
            answer = self._call("POST", f"{p.API_PREFIX}/attachments/ask", json={"sha256": chunk})
            missing += self._json(answer, p.AttachmentNeeds).missing
        return missing

    def upload_attachment(self, sha256: str, data: bytes) -> None:
        self._call(
            "PUT",
            f"{p.API_PREFIX}/attachments/{sha256}",
            ok=(200, 201),
            data=data,
            headers={"Content-Type": "application/octet-stream"},
        )


def _server_ms(answer: requests.Response) -> int | None:
    try:
        return int(parsedate_to_datetime(answer.headers["Date"]).timestamp() * 1000)
    except (KeyError, TypeError, ValueError, IndexError):
        return None


def _error_of(answer: requests.Response) -> tuple[str, str]:
    try:
        body = p.ErrorBody.model_validate_json(answer.content)
        return body.code, body.message
    except ValueError:
        return f"http_{answer.status_code}", answer.text[:200]


class SyncStore(Protocol):
    """What a sync round needs from the device store."""

    def outbox(self, limit: int) -> list[p.Operation]:
        """The oldest ``limit`` pending operations, in sequence order."""

    def settle(self, done: Sequence[str], rejected: Sequence[p.OpResult]) -> None:
        """In one durable write: drop ``done`` op ids; move ``rejected`` to needs-attention."""

    def pull_cursor(self) -> int: ...

    def apply_remote(self, changes: Sequence[p.Change], cursor: int) -> None:
        """Store the changes and the new cursor in one durable write."""

    def read_blob(self, sha256: str) -> bytes: ...


@dataclass
class RoundReport:
    uploaded: int = 0
    pushed: int = 0
    acknowledged: int = 0
    rejected: int = 0
    pulled: int = 0
    pages: int = 0
    cursor: int = 0
    seconds: float = 0.0
    gaps: list[p.SeqGap] = field(default_factory=list)
    #: Pulled changes this device could not store, set aside on needs-attention.
    set_aside: int = 0
    #: This device's clock minus the server's (ms), from the answers' ``Date``.
    clock_skew_ms: int | None = None
    #: Changes kept in the outbox because the office's file store could not take their
    #: files this round (sent in a later round; everything else went as usual).
    held: int = 0
    #: Files that fell back to an older copy and this round's pull filled again
    #: (:func:`sync_and_recover`).
    recovered: int = 0


def sync_round(
    store: SyncStore,
    client: SyncClient,
    *,
    batch: int = PUSH_BATCH,
    page: int | None = None,
    progress: Callable[[str, int], None] | None = None,
) -> RoundReport:
    """One whole round: attachments, push, pull (see the module docstring).

    ``page`` fixes how many changes a pull asks for at a time. By default the first page
    is the protocol's default (a device that is up to date gets its few changes in one
    small answer) and, once a page comes back full, the rest are asked for in the largest
    pages the server gives: a new laptop's first round stores each 10,000 changes in one
    write and one fsync, not ten."""
    started = time.perf_counter()
    report = RoundReport()
    note = progress or (lambda _stage, _n: None)
    held: dict[str, int] = {}  # op id -> seq, kept back: their files cannot go up now
    held_records: set[tuple[str, str]] = set()
    files_down = False
    while True:
        ops = [op for op in store.outbox(batch + len(held)) if op.op_id not in held][:batch]
        if not ops:
            break
        refused = screen.refuse_outgoing(ops, client.lang)
        if refused:  # the server would refuse these: to needs-attention without a request
            store.settle([], refused)
            report.rejected += len(refused)
            continue
        fetched = len(ops)
        ops = ops[: screen.within_budget(ops)]  # a request stays under the server's cap
        hashes = list(dict.fromkeys(h for op in ops for h in _attachments_of(op)))
        full = False
        waiting: set[str] = set()  # over the quota: sent once the records before are in
        unavailable: set[str] = set()  # the office's file store cannot take them now
        if hashes:
            for sha256 in client.missing_attachments(hashes):
                if full:
                    waiting.add(sha256)
                    continue
                if files_down:
                    unavailable.add(sha256)
                    continue
                try:
                    data = store.read_blob(sha256)
                except Exception:  # gone or damaged here: the server refuses the record,
                    log.exception("attachment %s cannot be read", sha256)  # and a person sees it
                    continue
                try:
                    client.upload_attachment(sha256, data)
                except FilesUnavailable:
                    files_down = True  # no more tries this round: the text goes on
                    unavailable.add(sha256)
                    continue
                except SyncRefused as exc:
                    if exc.code != "attachment_quota":
                        raise
                    full = True  # this device's files no record names yet: push, then go on
                    waiting.add(sha256)
                    continue
                report.uploaded += 1
                note("upload", report.uploaded)
        kept = _kept_back(ops, unavailable, held_records)
        for op in kept:
            held[op.op_id] = op.seq
            held_records.add((op.kind, op.record_id))
        ops = [op for op in ops if op.op_id not in held]
        if full:
            ops = _ready(ops, waiting)
            if not ops and not kept:
                raise SyncRefused(413, "attachment_quota", "no room for one record's files")
        if ops:
            top = ops[-1].seq
            answer = client.push(ops, sorted(seq for seq in held.values() if seq < top))
            done = [r.op_id for r in answer.results if r.status != "rejected"]
            rejected = [r for r in answer.results if r.status == "rejected"]
            store.settle(done, rejected)
            report.pushed += len(ops)
            report.acknowledged += len(done)
            report.rejected += len(rejected)
            report.gaps += answer.gaps
            note("push", report.pushed)
        if fetched < batch and len(ops) + len(kept) == fetched and not full:
            break
    report.held = len(held)
    if client.server_ms is not None:
        report.clock_skew_ms = int(time.time() * 1000) - client.server_ms
        if hasattr(store, "screen"):
            store.screen.server_ms = client.server_ms
    cursor = store.pull_cursor()
    size = page or p.DEFAULT_PULL_LIMIT
    while True:
        answer = client.pull(cursor, size)
        if answer.changes or answer.next_cursor != cursor:
            store.apply_remote(answer.changes, answer.next_cursor)
        report.pulled += len(answer.changes)
        report.pages += 1
        cursor = answer.next_cursor
        note("pull", report.pulled)
        if not answer.has_more:
            break
        if page is None:  # behind: catch up in the largest pages
            size = p.MAX_PULL_LIMIT
    report.cursor = cursor
    report.set_aside = getattr(getattr(store, "screen", None), "set_aside", 0)
    report.seconds = time.perf_counter() - started
    return report


def _attachments_of(op: p.Operation) -> list[str]:
    return [*op.attachments, *p.referenced_attachments(op.body)]


def _kept_back(
    ops: list[p.Operation], unavailable: set[str], held_records: set[tuple[str, str]]
) -> list[p.Operation]:
    """The ops that need a file the office cannot take now, and every later op of the
    same record (a record's changes reach the office in the order they were made)."""
    kept = []
    records = set(held_records)
    for op in ops:
        key = (op.kind, op.record_id)
        if key in records or unavailable.intersection(_attachments_of(op)):
            records.add(key)
            kept.append(op)
    return kept


def _ready(ops: list[p.Operation], waiting: set[str]) -> list[p.Operation]:
    """The ops, in order, up to the first one whose files are not all on the server."""
    ready = []
    for op in ops:
        if waiting.intersection(_attachments_of(op)):
            break
        ready.append(op)
    return ready


def backoff_delays(
    base: float = 2.0, cap: float = 300.0, rng: random.Random | None = None
) -> Iterable[float]:
    """Full-jitter exponential backoff: uniform(0, min(cap, base·2^n)) for n = 0, 1, 2 ..."""
    rng = rng or random.Random()
    attempt = 0
    while True:
        yield rng.uniform(0, min(cap, base * 2**attempt))
        attempt = min(attempt + 1, 30)


class StoreAdapter:
    """:class:`SyncStore` over the device store (:class:`fieldkit.store.Store`).

    Outbox entries become operations (a record's ``site_id``, else the device's enrolled
    site); a settled batch is one store write (acks and refusals together); a pulled page
    and its cursor are one ``apply_remote`` write on the ``office`` cursor stream.
    """

    STREAM = "office"

    def __init__(self, store: Any, site: str, lang: str = "en") -> None:
        self.store = store
        self.site = site
        self.screen = screen.Screened(store, self.STREAM, lang)

    def outbox(self, limit: int) -> list[p.Operation]:
        ops = []
        for entry in self.store.outbox_pending(limit):
            site = entry.record.get("site_id") if isinstance(entry.record, dict) else None
            ops.append(
                p.Operation(
                    op_id=entry.op,
                    seq=entry.seq,
                    hlc=entry.hlc,
                    kind=entry.entity,
                    record_id=entry.id,
                    site=site or self.site,
                    op="delete" if entry.action == "delete" else "put",
                    body=entry.record or {},
                )
            )
        return ops

    def settle(self, done: Sequence[str], rejected: Sequence[p.OpResult]) -> None:
        with self.store.transaction():
            if done:
                self.store.ack(done)
            for result in rejected:
                self.store.reject(result.op_id, result.message or "", result.code or "")

    def pull_cursor(self) -> int:
        value = self.store.cursor(self.STREAM)
        return int(value) if value else 0

    def apply_remote(self, changes: Sequence[p.Change], cursor: int) -> None:
        with p.collector_paused():  # a page builds ~30 objects a record, no cycles among them
            self.screen.apply(changes, cursor)  # what it cannot store goes to needs-attention
            self.store.archive_pulled()

    def read_blob(self, sha256: str) -> bytes:
        return self.store.read_blob(sha256)

    def pending(self) -> int:
        return self.store.outbox_count()

    def needs_attention(self) -> list[dict]:
        return self.store.needs_attention()


def ca_file(creds: Credentials | None = None) -> str | bool:
    """What the device trusts for the server's certificate: ``FIELDKIT_SYNC_CA``, else the
    CA copy kept at enrolment, else the system's trust store. A pinned file that is gone or
    holds no certificate raises :class:`CAUnreadable` here, before any request."""
    pinned = os.environ.get(CA_FILE_ENV) or (creds.ca_file if creds else None)
    if not pinned:
        return True
    trust.read_ca(pinned)
    return pinned


def client_for(creds: Credentials, lang: str = "en") -> SyncClient:
    """A client of the office server with the saved credentials and their CA pin."""
    return SyncClient(creds.url, creds.token, lang=lang, verify=ca_file(creds))


def _enrol_key(data_dir: Path, code: str) -> str:
    """The key of this enrolment: made once per code and kept (owner-only) until it succeeds,
    so running the same ``fieldkit enroll`` again after a lost answer is a retry."""
    path = data_dir / ENROL_KEY_FILE
    tag = hashlib.sha256(p.normalise_code(code).encode()).hexdigest()
    try:
        saved = json.loads(path.read_text("utf-8"))
        if saved.get("code") == tag and isinstance(saved.get("key"), str):
            return saved["key"]
    except (OSError, ValueError, AttributeError):
        pass
    key = secrets.token_urlsafe(32)
    make_dir(data_dir)
    atomic_write(path, json.dumps({"code": tag, "key": key}).encode())
    return key


def enroll_device(
    data_dir: Path, url: str, code: str, *, attempts: int = 3, ca: str | None = None, **kwargs: Any
) -> Credentials:
    """Trade an enrolment code for a token and keep it (owner-only) in the data folder.

    The request carries a key kept for this code, and is retried when no answer comes:
    the server answers a retry with the same key with the same token."""
    pinned = ca or os.environ.get(CA_FILE_ENV)
    ca_bytes = trust.read_ca(pinned) if pinned else None  # refused before anything is written
    key = _enrol_key(data_dir, code)
    client = SyncClient(url, verify=pinned or True, **kwargs)
    try:
        for attempt in range(attempts):
            try:
                answer = client.enroll(code, key)
                break
            except RateLimited:
                raise
            except Offline:
                if attempt == attempts - 1:
                    raise
                time.sleep(0.5 * (attempt + 1))
    finally:
        client.close()
    creds = Credentials(
        url=client.url,
        device_id=answer.device_id,
        token=answer.token,
        site=answer.site,
        role=answer.role,
        name=answer.name,
        ca_file=str(trust.keep_copy(data_dir, ca_bytes)) if ca_bytes and ca else None,
    )
    creds.save(data_dir)
    (data_dir / ENROL_KEY_FILE).unlink(missing_ok=True)
    return creds


def sync_and_recover(store: Any, creds: Credentials, **kwargs: Any) -> RoundReport:
    """:func:`sync_store`, then mark recovered what the round's pull filled again of a file
    that fell back to its previous copy (``Store.damage_recovered``): what ``fieldkit sync``,
    the app's rounds and the demo's devices run."""
    started = store.begin_pull()
    report = sync_store(store, creds, **kwargs)
    if store.damage():
        report.recovered = store.damage_recovered(started)
    return report


def sync_store(store: Any, creds: Credentials, **kwargs: Any) -> RoundReport:
    """One round for the device store with the saved credentials (what ``fieldkit sync`` and
    the app's background rounds call, through ``Workspace.background_sync``)."""
    lang = kwargs.pop("lang", "en")
    client = client_for(creds, lang)
    try:
        report = sync_round(StoreAdapter(store, creds.site, lang), client, **kwargs)
    except NeedsEnrolment as exc:
        store.set_device_state(sync_refused={"device_id": creds.device_id, "code": exc.code,
                                             "at": time.time()})  # fmt: skip
        raise
    finally:
        client.close()
    store.set_device_state(last_sync=time.time(), sync_refused=None)
    return report
