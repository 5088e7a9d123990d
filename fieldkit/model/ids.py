"""UUIDv7 record ids, made on the device without any dependency.

``new_id()`` returns the canonical 36-character lowercase string. Ids sort by creation time
(48-bit Unix milliseconds first) and are strictly increasing within one process: the 12-bit
``rand_a`` field is a counter seeded at random each millisecond (RFC 9562 §6.2, method 1),
and when it runs out, or the wall clock steps back, the timestamp is carried forward instead
of going backwards. The remaining 62 bits come from ``os.urandom``.
"""

from __future__ import annotations

import hashlib
import os
import re
import threading
import time
import uuid

_lock = threading.Lock()
_last_ms = 0
_counter = 0


def _next_stamp() -> tuple[int, int]:
    global _last_ms, _counter
    now = time.time_ns() // 1_000_000
    with _lock:
        if now > _last_ms:
            _last_ms = now
            # Seed below 0x800 so a burst of ids in one millisecond has room to count up.
            _counter = int.from_bytes(os.urandom(2), "big") & 0x7FF
        else:
            _counter += 1
            if _counter > 0xFFF:
                _last_ms += 1
                _counter = 0
        return _last_ms, _counter


def new_id(at_ms: int | None = None) -> str:
    """A new UUIDv7 as a string, greater than every id this process made before.

    ``at_ms`` backdates the id to that Unix millisecond (for importing older records);
    such ids are unique but not ordered against the others.
    """
    if at_ms is None:
        ms, counter = _next_stamp()
    else:
        ms, counter = at_ms, int.from_bytes(os.urandom(2), "big") & 0xFFF
    tail = int.from_bytes(os.urandom(8), "big") & ((1 << 62) - 1)
    value = (ms & ((1 << 48) - 1)) << 80 | 0x7 << 76 | counter << 64 | 0b10 << 62 | tail
    return str(uuid.UUID(int=value))


def agreed_id(at_ms: int, key: str) -> str:
    """The UUIDv7 of the record ``key`` names, dated ``at_ms``: every device that makes the
    record for the same ``key`` makes the same id (a missed scheduled run noticed by two
    devices is one case). The random bits come from the key's sha256."""
    digest = int.from_bytes(hashlib.sha256(key.encode("utf-8")).digest()[:10], "big")
    counter, tail = digest >> 68 & 0xFFF, digest & ((1 << 62) - 1)
    value = (at_ms & ((1 << 48) - 1)) << 80 | 0x7 << 76 | counter << 64 | 0b10 << 62 | tail
    return str(uuid.UUID(int=value))


#: A canonical lowercase UUIDv7: version 7, RFC 9562 variant (``10`` bits: 8, 9, a or b).
_UUID7 = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")


def id_time_ms(record_id: str) -> int:
    """The Unix milliseconds an id was made at (its first 48 bits). A canonical id is read
    as the hex of its first two groups (asked of every record a sync pulls); any other
    spelling of a UUID through :class:`uuid.UUID`."""
    if len(record_id) == 36 and record_id[8] == "-" and record_id[13] == "-":
        try:
            return int(record_id[:8] + record_id[9:13], 16)
        except ValueError:
            pass
    return uuid.UUID(record_id).int >> 80


def is_uuid7(value: object) -> bool:
    """True for a canonical lowercase UUIDv7 string (one regular-expression match: this is
    asked of every record a sync pulls)."""
    return isinstance(value, str) and _UUID7.fullmatch(value) is not None
