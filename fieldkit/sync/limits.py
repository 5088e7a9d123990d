"""How big and how deep a record or a request may be: the same numbers on both ends.

The office server refuses a pushed operation whose record breaks one of these limits
(per operation, with a code), and a request breaking its own limits as a whole, checked
while it is read (``fieldkit_server.limits``). A device checks its own outbox before
sending (an entry the server would refuse goes to needs-attention without a round trip)
and every pulled change before storing it (one it cannot store is quarantined).

A record is checked by an explicit walk (no recursion, stops at the first problem), so a
nest thousands of levels deep costs no more than the limit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import orjson

#: One record (its JSON body): nesting, text, keys per object, items per list, bytes.
MAX_DEPTH = 32
MAX_STRING_CHARS = 65_536
MAX_KEYS = 1_000
MAX_LIST_ITEMS = 10_000
MAX_RECORD_BYTES = 256 * 1024

#: One request body: JSON requests (push, pull, attachments/ask) and enrolment.
MAX_REQUEST_BYTES = 16 * 1024 * 1024
MAX_ENROLL_BYTES = 4 * 1024
#: A push request's own nesting (request, ops, op, body) around its records' limit, so a
#: record a little too deep is refused on its own and only a pathological one whole.
MAX_REQUEST_DEPTH = MAX_DEPTH + 32
#: What a device puts in one push request (the server takes up to MAX_REQUEST_BYTES).
PUSH_BATCH_BYTES = 4 * 1024 * 1024


@dataclass(frozen=True)
class Problem:
    """Why a record breaks a limit: ``code`` names the message, ``params`` fill it."""

    code: str
    params: dict[str, Any] = field(default_factory=dict)


def check_record(body: Any) -> Problem | None:
    """The first limit ``body`` breaks, or None."""
    stack: list[tuple[Any, int]] = [(body, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict):
            if depth > MAX_DEPTH:
                return Problem("record_too_deep", {"limit": MAX_DEPTH})
            if len(value) > MAX_KEYS:
                return Problem("record_too_many_keys", {"count": len(value), "limit": MAX_KEYS})
            for key, item in value.items():
                if isinstance(key, str) and len(key) > MAX_STRING_CHARS:
                    return Problem("record_text_too_long", {"limit": MAX_STRING_CHARS})
                if isinstance(item, dict | list | str):
                    stack.append((item, depth + 1))
        elif isinstance(value, list):
            if depth > MAX_DEPTH:
                return Problem("record_too_deep", {"limit": MAX_DEPTH})
            if len(value) > MAX_LIST_ITEMS:
                return Problem(
                    "record_list_too_long", {"count": len(value), "limit": MAX_LIST_ITEMS}
                )
            stack.extend((item, depth + 1) for item in value if isinstance(item, dict | list | str))
        elif isinstance(value, str) and len(value) > MAX_STRING_CHARS:
            return Problem("record_text_too_long", {"limit": MAX_STRING_CHARS})
    try:
        size = len(orjson.dumps(body))
    except (TypeError, ValueError):
        return Problem("record_unreadable")
    if size > MAX_RECORD_BYTES:
        return Problem("record_too_large", {"size": size, "limit": MAX_RECORD_BYTES})
    return None


_JSON_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_NOT_BRACKETS = bytes(b for b in range(256) if b not in b"[]{}")
_EMPTY_PAIR = re.compile(rb"\[\]|\{\}")


def json_depth_exceeds(raw: bytes, limit: int) -> bool:
    """Whether the JSON text ``raw`` nests deeper than ``limit``, found without parsing it.

    Strings are cut out, everything but brackets dropped, then innermost empty pairs are
    removed once per level: at most ``limit`` passes of a C regex over the brackets alone.
    Malformed text is not judged here (the parser refuses it after).
    """
    brackets = _JSON_STRING.sub(b"", raw).translate(None, _NOT_BRACKETS)
    for _ in range(limit):
        if not brackets:
            return False
        brackets, removed = _EMPTY_PAIR.subn(b"", brackets)
        if not removed:
            return False
    return bool(brackets)
