"""Bounding the HLC stamps a record carries, so one device's clock cannot poison a site.

Every device's clock takes in the newest stamp of every record it pulls and never goes
back (``fieldkit.model.hlc``). A stamp far in the future (a device whose clock is years
ahead, or a forged ``ffffffffffff-ffffff-…``) would drag every clock of the site there for
good, or overflow it. So:

- the office server refuses a pushed operation whose stamps (the operation's own, and
  every stamp-shaped text anywhere in its record) are beyond the server's clock plus
  :data:`MAX_AHEAD_MS` (10 minutes): ``clock_ahead``, with how far ahead the device is;
  a stamp that does not parse at a stamp's place is ``bad_stamp``;
- a device quarantines a pulled change whose stamps it cannot take in: unparseable, or
  beyond the later of its own clock and the server's (the answer's ``Date``) plus the
  same skew.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

import orjson

from fieldkit.model.hlc import HLC, HLCError
from fieldkit.sync import limits
from fieldkit.sync import protocol as p
from fieldkit.sync.limits import Problem

#: How far ahead of the server's clock a stamp may be (clocks drift; NTP may be off).
MAX_AHEAD_MS = 10 * 60 * 1000

_STAMP_IN_JSON = re.compile(rb'"([0-9a-f]{12})-[0-9a-f]{6}-')


def wall_of(stamp: str) -> int:
    """The wall milliseconds of a stamp; :class:`HLCError` when it is not one."""
    return _wall(stamp) if type(stamp) is str else HLC.parse(stamp).wall


@lru_cache(maxsize=32768)
def _wall(stamp: str) -> int:
    """``wall_of`` a text, kept as ``HLC.parse`` keeps its stamps (a pulled page asks for
    each of its ~20,000 distinct stamps several times): one look-up where there were four
    calls. A text that is not a stamp raises each time (errors are not kept)."""
    return HLC.parse(stamp).wall


def placed_stamps(body: Any) -> list[Any]:
    """The values a record keeps at a stamp's place: its ``hlc`` and its ``stamps``."""
    if not isinstance(body, dict):
        return []
    placed = [body["hlc"]] if "hlc" in body else []
    stamps = body.get("stamps")
    if isinstance(stamps, dict):
        placed += stamps.values()
    return placed


def placed_wall(hlc: str | None, body: Any) -> int:
    """The newest wall time among ``hlc`` and the record's own stamps (those a clock takes
    in); :class:`HLCError` when one is not a stamp."""
    walls = [wall_of(hlc)] if hlc is not None else []
    placed = placed_stamps(body)
    try:
        distinct = {*placed}  # most fields share a stamp: a pulled page asks 10,000 times
    except TypeError:
        distinct = placed  # a list or a dict where a stamp belongs: refused below
    for stamp in distinct:
        if not isinstance(stamp, str):
            raise HLCError(f"not an HLC stamp: {stamp!r}")
        walls.append(wall_of(stamp))
    return max(walls, default=0)


def newest_wall(hlc: str | None, body: Any, raw: bytes | None = None) -> int:
    """The newest wall time among ``hlc``, the record's own stamps and every stamp-shaped
    text in the record; :class:`HLCError` when a stamp at a stamp's place is not one."""
    walls = [placed_wall(hlc, body)]
    found = _STAMP_IN_JSON.findall(raw if raw is not None else orjson.dumps(body))
    if found:
        walls.append(int(max(found), 16))  # fixed-width hex: the text max is the number max
    return max(walls, default=0)


def check(
    hlc: str | None, body: Any, now_ms: int | None, raw: bytes | None = None
) -> Problem | None:
    """Why a record's stamps cannot be taken in at ``now_ms``, or None (with ``now_ms``
    None, only whether each is a stamp)."""
    try:
        newest = newest_wall(hlc, body, raw)
    except HLCError:
        return Problem("bad_stamp")
    if now_ms is None:
        return None
    ahead = newest - now_ms
    if ahead > MAX_AHEAD_MS:
        return Problem("clock_ahead", {"ahead_ms": ahead})
    return None


def check_operation(op: p.Operation, now_ms: int | None = None) -> Problem | None:
    """Why the office refuses one pushed operation at the boundary: its record's limits,
    then its stamps against the server's clock ``now_ms``. A device checks its outbox with
    the same rules, without a clock (``now_ms`` None: it cannot know the server's)."""
    body = op.body if op.op == "put" else None
    if body is not None:
        problem = limits.check_record(body)
        if problem is not None:
            return problem
    return check(op.hlc, body, now_ms)


def describe_ahead(ahead_ms: int, lang: str) -> str:
    """``3 days 4 hours`` / ``3天4小时``: how far ahead, to the minute, largest units first."""
    from fieldkit.i18n import t

    minutes = max(1, ahead_ms // 60_000)
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    parts = []
    if days:
        parts.append(t("trust.time.days", lang, n=days))
    if hours:
        parts.append(t("trust.time.hours", lang, n=hours))
    if minutes and not days:
        parts.append(t("trust.time.minutes", lang, n=minutes))
    return "".join(parts).strip()
