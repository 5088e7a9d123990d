"""The sync wire schema, shared by the device and the office server.

Plain pydantic v2 models and nothing else, so the device imports this without the server
stack. Every request and response body carries ``version``; a server answers a version it
does not speak with the error code ``unsupported_version``.

Push: the device sends outbox operations in device order (``seq`` ascending). The server
applies each once, keyed by ``op_id``, and answers one :class:`OpResult` per operation.
Pull: the device sends the last ``cursor`` it stored and gets a page of :class:`Change`
rows with a ``next_cursor``; storing both in one write makes a repeated page harmless.
"""

from __future__ import annotations

import gc
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated, Any, Literal

import orjson
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SkipValidation,
    StringConstraints,
    model_validator,
)

PROTOCOL_VERSION = 1
API_PREFIX = "/v1"

MAX_PUSH_OPS = 500
#: Sequence numbers a push may say it keeps back (``PushRequest.held``).
MAX_HELD = 10_000
MAX_PULL_LIMIT = 10_000
DEFAULT_PULL_LIMIT = 1000
MAX_ATTACHMENT_BYTES = 25 * 1024 * 1024

ROLES = ("patrol", "renovation", "emergency", "desk", "office")
Role = Literal["patrol", "renovation", "emergency", "desk", "office"]

#: The site of records every device may pull (published checklists, for one).
ALL_SITES = "*"

Sha256 = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]
Ident = Annotated[str, StringConstraints(min_length=1, max_length=200)]
Kind = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,39}$")]
SiteId = Annotated[str, StringConstraints(min_length=1, max_length=100)]

_SHA256 = re.compile(r"^[0-9a-f]{64}$")
_HEX64_IN_JSON = re.compile(rb'"[0-9a-f]{64}"')
_ATTACHMENT_KEYS = frozenset({"sha256", "attachment", "photo", "file"})
_ATTACHMENT_LIST_KEYS = frozenset({"attachments", "photos", "files"})


MAX_SEQ = 2**62  # fits a signed 64-bit database integer with room to spare


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class _Request(_Body):
    """A body a device sends: every text must be valid UTF-8 (JSON lets a sender escape a
    lone surrogate, which no database or hash can take), refused as a bad request."""

    @model_validator(mode="after")
    def _valid_text(self) -> _Request:
        for name in type(self).model_fields:
            value = getattr(self, name)
            if isinstance(value, str):
                value.encode("utf-8")
            elif isinstance(value, dict | list) and not isinstance(value, BaseModel):
                try:
                    orjson.dumps(value)
                except orjson.JSONEncodeError as exc:
                    raise ValueError(f"{name}: {exc}") from None
        return self


class ErrorBody(_Body):
    """Every error the server answers: a stable ``code`` and a sentence a person can act on."""

    code: str
    message: str


class Operation(_Request):
    """One outbox entry: a record's new state as the device saw it after one change.

    ``put`` carries the whole record in ``body``; ``delete`` leaves a tombstone. The
    ``attachments`` listed must be on the server before this operation is applied.
    """

    op_id: Ident
    seq: int = Field(ge=1, le=MAX_SEQ)
    hlc: Annotated[str, StringConstraints(min_length=1, max_length=80)]
    kind: Kind
    record_id: Ident
    site: SiteId
    op: Literal["put", "delete"] = "put"
    body: dict[str, Any] = Field(default_factory=dict)
    attachments: list[Sha256] = Field(default_factory=list, max_length=200)


class PushRequest(_Body):
    """``held``: sequence numbers below this batch's that the device keeps back on
    purpose (their files cannot be uploaded now, see ``client.sync_round``); they come in a
    later push, so the server does not count them as gaps."""

    version: int = PROTOCOL_VERSION
    ops: list[Operation] = Field(max_length=MAX_PUSH_OPS)
    held: list[Annotated[int, Field(ge=1, le=MAX_SEQ)]] = Field(
        default_factory=list, max_length=MAX_HELD
    )


OpStatus = Literal["applied", "duplicate", "merged", "rejected"]


class OpResult(_Body):
    """The server's answer for one operation.

    ``applied``: stored as sent. ``merged``: combined with what the server held (a conflict
    may have been logged). ``duplicate``: this op id was applied before — drop it.
    ``rejected``: never applied; ``code`` and ``message`` say why, and the device keeps the
    entry for a person to look at. A duplicate of a rejected op is answered ``rejected``
    again, so a lost answer never turns a refusal into silence.
    """

    op_id: str
    status: OpStatus
    code: str | None = None
    message: str | None = None


class SeqGap(_Body):
    """Device sequence numbers the server never saw (``first`` to ``last`` inclusive)."""

    first: int
    last: int


class PushResponse(_Body):
    version: int = PROTOCOL_VERSION
    results: list[OpResult]
    gaps: list[SeqGap] = Field(default_factory=list)


class PullRequest(_Body):
    version: int = PROTOCOL_VERSION
    cursor: int = Field(default=0, ge=0, le=MAX_SEQ)
    limit: int = Field(default=DEFAULT_PULL_LIMIT, ge=1, le=MAX_PULL_LIMIT)


class Change(_Body):
    """A record's current state on the server; ``seq`` orders the change feed."""

    seq: int
    kind: str
    record_id: str
    site: str
    hlc: str
    device: str
    deleted: bool = False
    # Not walked by pydantic: a page holds thousands of records, and the device store
    # validates each record against the model when it applies the page.
    body: SkipValidation[dict[str, Any]] = Field(default_factory=dict)


class PullResponse(_Body):
    version: int = PROTOCOL_VERSION
    changes: list[Change]
    next_cursor: int
    has_more: bool


def normalise_code(code: str) -> str:
    """``abcd-efgh jk`` -> ``ABCDEFGHJK``: people type codes with dashes, spaces, lower case."""
    return re.sub(r"[\s\-]", "", code).upper()


class EnrollRequest(_Request):
    """``key``: a secret the device made for this enrolment and sends again on a retry;
    the token is derived from it, so a retry within the code's life gets the same token
    (a lost answer does not burn the code). Without a key a code works once."""

    version: int = PROTOCOL_VERSION
    code: Annotated[str, StringConstraints(min_length=4, max_length=64)]
    key: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_\-]{32,128}$")] | None = None


class EnrollResponse(_Body):
    version: int = PROTOCOL_VERSION
    device_id: str
    token: str
    site: str
    role: Role
    name: str


class AttachmentAsk(_Body):
    """Which of these hashes does the server still need? (one round trip for many photos)"""

    version: int = PROTOCOL_VERSION
    sha256: list[Sha256] = Field(max_length=1000)


class AttachmentNeeds(_Body):
    version: int = PROTOCOL_VERSION
    missing: list[str]


class AttachmentStored(_Body):
    sha256: str
    size: int
    created: bool


class Health(_Body):
    version: int = PROTOCOL_VERSION
    status: Literal["ok"]
    database: str


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while a pull page is built or read.

    A page of 10,000 changes allocates tens of thousands of dicts, lists and tuples (a few
    hundred thousand when the device decodes it), none of them garbage, and each burst
    sets off collections that walk every live object: on the device that doubled the time
    to read a page; on the server, a full collection (50-60 ms) hit every second or third
    page, doubling those. Objects built from JSON or from database rows form no cycles, so
    pausing costs nothing; anything else made meanwhile is collected once the collector is
    back on (if it was on), right after.
    """
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


def referenced_attachments(body: Any) -> list[str]:
    """Every sha256 a record body points to, in first-seen order.

    A hash counts when it is the value of a ``sha256``/``attachment``/``photo``/``file`` key,
    or an item of an ``attachments``/``photos``/``files`` list (items may be hashes or
    objects holding one), at any depth — cases keep photos inside their events.
    """
    if not _HEX64_IN_JSON.search(orjson.dumps(body)):
        return []  # the common case, found without walking the record in Python
    found: dict[str, None] = {}

    def visit(value: Any, key: str | None) -> None:
        if isinstance(value, dict):
            for k, v in value.items():
                visit(v, k)
        elif isinstance(value, list):
            for item in value:
                if not isinstance(item, str):
                    visit(item, key)
                elif key in _ATTACHMENT_LIST_KEYS and _SHA256.match(item):
                    found[item] = None
        elif isinstance(value, str) and key in _ATTACHMENT_KEYS and _SHA256.match(value):
            found[value] = None

    visit(body, None)
    return list(found)
