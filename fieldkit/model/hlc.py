"""Hybrid logical clock (HLC) stamps: wall milliseconds + counter + device id.

An :class:`HLC` orders every change made on any device: by wall time, then by counter (for
changes in the same millisecond or while the wall clock lags), then by device id, so two
devices never produce equal stamps. ``str(hlc)`` gives a fixed-width string
``"<12 hex wall ms>-<6 hex counter>-<device>"`` that sorts exactly as the stamps compare;
:meth:`HLC.parse` reads it back.

:class:`Clock` hands out stamps for one device. It never goes backwards: give it the last
stamp it issued (the store persists ``clock.last`` in the same write as each change) and
feed it remote stamps with :meth:`Clock.observe` when changes arrive from elsewhere.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

WALL_MAX = (1 << 48) - 1
COUNTER_MAX = (1 << 24) - 1


class HLCError(ValueError):
    """A stamp string that is not an HLC."""


@dataclass(frozen=True, order=True, slots=True)
class HLC:
    wall: int
    counter: int
    device: str

    def __post_init__(self) -> None:
        if not (0 <= self.wall <= WALL_MAX and 0 <= self.counter <= COUNTER_MAX):
            raise HLCError(f"HLC out of range: {self.wall}, {self.counter}")
        if not self.device or "\n" in self.device:
            raise HLCError("an HLC needs a device id")

    def __str__(self) -> str:
        return f"{self.wall:012x}-{self.counter:06x}-{self.device}"

    @classmethod
    def parse(cls, text: str) -> HLC:
        """The stamp ``text`` holds; HLCError when it is not one. Stamps repeat (a record
        stamps most of its fields with one stamp, a pulled page is checked twice), and an
        HLC is immutable, so the last 32,768 parsed are kept (~11 MB when full): a pulled
        page is checked once by the sync and once by the store, in the same order, and
        when the page holds more distinct stamps than are kept, every look-up of the second
        pass misses (10,000 closed cases carry ~20,000: a case's first stamp and the one
        that closed it)."""
        if not isinstance(text, str):
            raise HLCError(f"not an HLC stamp: {text!r}")
        return _parse(text)


@lru_cache(maxsize=32768)
def _parse(text: str) -> HLC:
    try:
        wall, counter, device = text.split("-", 2)
        if len(wall) != 12 or len(counter) != 6:
            raise ValueError(text)
        return HLC(int(wall, 16), int(counter, 16), device)
    except ValueError as exc:
        raise HLCError(f"not an HLC stamp: {text!r}") from exc


def wall_ms() -> int:
    return time.time_ns() // 1_000_000


class Clock:
    """Issues strictly increasing HLC stamps for one device (thread-safe)."""

    def __init__(
        self, device: str, last: HLC | str | None = None, wall: Callable[[], int] = wall_ms
    ) -> None:
        self.device = device
        self._wall = wall
        self._lock = threading.Lock()
        if isinstance(last, str):
            last = HLC.parse(last)
        self.last: HLC = last if last is not None else HLC(0, 0, device)

    def _advance(self, wall: int, counter: int) -> HLC:
        if counter > COUNTER_MAX:
            wall, counter = wall + 1, 0
        self.last = HLC(wall, counter, self.device)
        return self.last

    def now(self) -> HLC:
        """A stamp for a local change, greater than every stamp seen so far."""
        with self._lock:
            physical = self._wall()
            if physical > self.last.wall:
                return self._advance(physical, 0)
            return self._advance(self.last.wall, self.last.counter + 1)

    def observe(self, remote: HLC | str) -> HLC:
        """Take in a stamp from another device, so later local stamps come after it."""
        if isinstance(remote, str):
            remote = HLC.parse(remote)
        with self._lock:
            physical = self._wall()
            last = self.last
            wall = max(physical, last.wall, remote.wall)
            if wall == last.wall == remote.wall:
                counter = max(last.counter, remote.counter) + 1
            elif wall == last.wall:
                counter = last.counter + 1
            elif wall == remote.wall:
                counter = remote.counter + 1
            else:
                counter = 0
            return self._advance(wall, counter)
