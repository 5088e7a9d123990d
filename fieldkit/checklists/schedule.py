"""When a checklist (or a patrol route) falls due: the rhythm its ``every`` says, worked out
in the compound's local time.

``every`` is a word (``shift``, ``day``, ``week``, ``month``, ``quarter``, ``year``,
``on_demand``), a duration (``2h``, ``3d``) or a mapping for the rhythms the regulations
set: ``{hours: 2, window: "22:00-06:00"}`` (every two hours at night), ``{times: 2, per:
month}``, ``{days: 15}`` (lifts), each with ``from: last_run | calendar``. :func:`parse`
reads a plain value and names what is wrong by a diagnostic code, so the checklist loader
(which adds positions) and a patrol route's stored ``every`` read it the same way.

Two ways to count, as the rules do:

- ``from: last_run`` — the next run is due a fixed time after the last one (a lift 15 days
  after its last maintenance). A run not made by then is late, and one missed run.
- ``from: calendar`` — fixed slots: 22:00–00:00, 00:00–02:00 … or the first and the second
  half of each month. A slot is met by a run inside it; a slot that ends without one is
  missed, and the slot now open is due.

What is known of the runs is the last one (the store's last-run index), so a slot counts as
missed only after the last run: a slot before it is history nobody can check here. A pair
never run has nothing missed: it is simply due.

Local time is a fixed UTC offset (China has no daylight saving time), with the compound's
shift starts; :class:`Clock` carries both. All instants are epoch seconds.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from itertools import pairwise

from fieldkit.checklists.diagnostics import closest
from fieldkit.checklists.durations import parse_duration
from fieldkit.checklists.vocabulary import PERIODS as WORDS
from fieldkit.model.localtime import DEFAULT_OFFSET_MINUTES

PERS = ("shift", "day", "week", "month", "quarter", "year")
FROM = ("last_run", "calendar")
KEYS = ("hours", "days", "times", "per", "window", "from")
#: how many runs each period can be split into (one per hour of a day or a shift, one per
#: day of the shortest week, month, quarter or year)
MAX_TIMES = {"shift": 12, "day": 24, "week": 7, "month": 28, "quarter": 90, "year": 365}
MAX_HOURS = 24
MAX_DAYS = 366
#: the fixed length of a period counted from the last run (``every: month`` as it always was)
PERIOD_SECONDS = {"day": 86400, "week": 7 * 86400, "month": 30 * 86400,
                  "quarter": 91 * 86400, "year": 365 * 86400}  # fmt: skip
#: calendar blocks of whole days are counted from a Monday, so ``days: 7`` runs Monday–Sunday
DAY_BLOCKS_FROM = datetime(2000, 1, 3)
#: how far back missed slots are looked for
LOOKBACK = 7 * 86400
MAX_MISSED = 60

_WINDOW = re.compile(r"^\s*([01]?\d|2[0-3]):([0-5]\d)\s*[-–~]\s*([01]?\d|2[0-4]):([0-5]\d)\s*$")


@dataclass(frozen=True)
class Clock:
    """The compound's local time: a fixed offset from UTC and the minutes after midnight
    at which its shifts begin (08:00 and 20:00 by default: a day shift and a night shift)."""

    offset_minutes: int = DEFAULT_OFFSET_MINUTES
    shift_starts: tuple[int, ...] = (8 * 60, 20 * 60)

    @property
    def tz(self) -> timezone:
        return timezone(timedelta(minutes=self.offset_minutes))

    def local(self, epoch: float) -> datetime:
        return datetime.fromtimestamp(epoch, self.tz)

    def epoch(self, local: datetime) -> float:
        """A local wall time (naive, or in this clock's zone) as epoch seconds."""
        return local.replace(tzinfo=self.tz).timestamp()

    @property
    def shift_seconds(self) -> int:
        return 86400 // max(1, len(self.shift_starts))


@dataclass(frozen=True)
class Window:
    """Hours of the day a rhythm runs in; ``end <= start`` crosses midnight (22:00–06:00)."""

    start: int  # minutes after midnight
    end: int

    @property
    def length(self) -> int:
        """Minutes the window is open (24 h for 00:00-24:00)."""
        return (self.end - self.start) % 1440 or 1440

    def text(self) -> str:
        return "-".join(f"{m // 60:02d}:{m % 60:02d}" for m in (self.start, self.end))


def parse_window(text: object) -> Window | None:
    """``"22:00-06:00"`` → a window; None when it is not ``HH:MM-HH:MM`` or is empty."""
    match = _WINDOW.match(text) if isinstance(text, str) else None
    if match is None:
        return None
    h1, m1, h2, m2 = (int(g) for g in match.groups())
    start, end = h1 * 60 + m1, h2 * 60 + m2
    if end > 1440 or (start == end % 1440 and end != 1440):
        return None
    return Window(start, end % 1440 if end != 1440 else 1440)


@dataclass(frozen=True)
class Schedule:
    """A rhythm. ``kind`` is ``on_demand``, ``interval`` (every ``seconds``) or ``per`` (``times``
    runs each ``per``); ``start`` is ``last_run`` or ``calendar``; ``written`` is the value as
    the checklist has it (canonical for a mapping), which its content hash covers."""

    kind: str
    written: str | dict
    seconds: int = 0
    times: int = 1
    per: str = ""
    window: Window | None = None
    start: str = "last_run"

    @property
    def on_demand(self) -> bool:
        return self.kind == "on_demand"

    @property
    def calendar(self) -> bool:
        return self.start == "calendar"

    def interval(self, clock: Clock) -> int:
        """Seconds between runs counted from the last run."""
        if self.kind == "interval":
            return self.seconds
        length = clock.shift_seconds if self.per == "shift" else PERIOD_SECONDS[self.per]
        if self.window is not None and self.per == "day":
            length = 86400
        return max(60, length // self.times)

    # -- calendar slots ------------------------------------------------------------------

    def slots(self, since: float, clock: Clock) -> Iterator[tuple[float, float]]:
        """The calendar slots (opens, closes), in order, from the one that holds ``since``
        (or the first after it) onwards, without end."""
        if self.kind == "interval" and self.seconds > 86400:
            yield from self._day_blocks(since, clock)
            return
        if self.kind == "per" and self.per not in ("day", "shift"):
            yield from self._period_parts(since, clock)
            return
        day = clock.local(since).replace(hour=0, minute=0, second=0, microsecond=0)
        day = day.replace(tzinfo=None) - timedelta(days=1)
        while True:
            for opens, closes in self._day_slots(day, clock):
                if closes > since:
                    yield opens, closes
            day += timedelta(days=1)

    def _day_slots(self, day: datetime, clock: Clock) -> list[tuple[float, float]]:
        """The slots of one local day (a window that crosses midnight belongs to the day it
        opens on; a shift to the day it begins)."""
        if self.kind == "per" and self.per == "shift":
            starts = sorted(set(clock.shift_starts)) or [0]
            out = []
            for i, minute in enumerate(starts):
                following = starts[i + 1] if i + 1 < len(starts) else starts[0] + 1440
                opens = clock.epoch(day + timedelta(minutes=minute))
                closes = clock.epoch(day + timedelta(minutes=following))
                out += _split(opens, closes, self.times)
            return out
        if self.window is not None:
            opens = clock.epoch(day + timedelta(minutes=self.window.start))
            closes = opens + self.window.length * 60
        else:
            opens = clock.epoch(day)
            closes = clock.epoch(day + timedelta(days=1))
        if self.kind == "per":
            return _split(opens, closes, self.times)
        out = []
        at = opens
        while at < closes:
            out.append((at, min(at + self.seconds, closes)))
            at += self.seconds
        return out

    def _day_blocks(self, since: float, clock: Clock) -> Iterator[tuple[float, float]]:
        days = self.seconds // 86400
        local = clock.local(since).replace(tzinfo=None)
        index = (local - DAY_BLOCKS_FROM).days // days
        while True:
            opens = DAY_BLOCKS_FROM + timedelta(days=index * days)
            yield clock.epoch(opens), clock.epoch(opens + timedelta(days=days))
            index += 1

    def _period_parts(self, since: float, clock: Clock) -> Iterator[tuple[float, float]]:
        local = clock.local(since).replace(tzinfo=None)
        start = _period_start(local, self.per)
        while True:
            end = _period_end(start, self.per)
            days = (end - start).days
            bounds = [start + timedelta(days=k * days // self.times) for k in range(self.times)]
            bounds.append(end)
            for opens, closes in pairwise(bounds):
                if clock.epoch(closes) > since:
                    yield clock.epoch(opens), clock.epoch(closes)
            start = end

    # -- standing -------------------------------------------------------------------------

    def standing(self, last: float | None, now: float, clock: Clock) -> Standing | None:
        """Where a (checklist, target) stands at ``now`` given its last run; None for an
        on-demand checklist."""
        if self.on_demand:
            return None
        if self.calendar:
            return self._calendar_standing(last, now, clock)
        if last is None:
            return Standing(due=now, closes=None, late_since=None, missed=())
        due = last + self.interval(clock)
        if self.window is not None:
            due = self.next_open(due, clock)
        if now > due:
            return Standing(due=due, closes=None, late_since=due, missed=((last, due),))
        return Standing(due=due, closes=None, late_since=None, missed=())

    def _calendar_standing(self, last: float | None, now: float, clock: Clock) -> Standing:
        missed: list[tuple[float, float]] = []
        if last is not None:
            since = max(last, now - LOOKBACK)
            for opens, closes in self.slots(since, clock):
                if closes > now or len(missed) >= MAX_MISSED:
                    break
                if opens > last:
                    missed.append((opens, closes))
        current = next(self.slots(now, clock))
        opens, closes = current
        done = last is not None and opens <= last < closes
        if done or opens > now:
            nxt = current if opens > now else next(self.slots(closes, clock))
            return Standing(
                due=nxt[0], closes=nxt[1], late_since=None, missed=tuple(missed), met=done
            )
        late_since = missed[0][1] if missed else None
        return Standing(due=opens, closes=closes, late_since=late_since, missed=tuple(missed))

    def next_open(self, at: float, clock: Clock) -> float:
        """``at`` if it falls inside the window, else when the window next opens."""
        if self.window is None:
            return at
        local = clock.local(at).replace(tzinfo=None)
        day = local.replace(hour=0, minute=0, second=0, microsecond=0)
        for back in (1, 0, -1):
            opens = day - timedelta(days=back) + timedelta(minutes=self.window.start)
            closes = opens + timedelta(minutes=self.window.length)
            if opens <= local < closes:
                return at
            if local < opens:
                return clock.epoch(opens)
        return at  # unreachable: the next day's window always opens later


@dataclass(frozen=True)
class Standing:
    """Where a rhythm stands at one moment.

    ``due``: when the run now awaited fell (or falls) due. ``closes``: the end of its
    calendar slot (None counted from the last run). ``late_since``: when it became late
    (None: not late). ``missed``: the slots that passed without a run since the last one,
    oldest first, as (opens, closes). ``met``: the slot open now has its run already.
    """

    due: float
    closes: float | None
    late_since: float | None
    missed: tuple[tuple[float, float], ...]
    met: bool = False

    def late_by(self, now: float) -> float:
        return max(0.0, now - self.late_since) if self.late_since is not None else 0.0

    def due_now(self, now: float) -> bool:
        return not self.met and self.due <= now


def _split(opens: float, closes: float, times: int) -> list[tuple[float, float]]:
    step = (closes - opens) / times
    edges = [opens + round(k * step) for k in range(times)] + [closes]
    return list(pairwise(edges))


def _period_start(local: datetime, per: str) -> datetime:
    day = local.replace(hour=0, minute=0, second=0, microsecond=0)
    if per == "week":
        return day - timedelta(days=day.weekday())
    if per == "month":
        return day.replace(day=1)
    if per == "quarter":
        return day.replace(month=(day.month - 1) // 3 * 3 + 1, day=1)
    return day.replace(month=1, day=1)  # year


def _period_end(start: datetime, per: str) -> datetime:
    if per == "week":
        return start + timedelta(days=7)
    if per == "year":
        return start.replace(year=start.year + 1)
    months = 1 if per == "month" else 3
    month = start.month - 1 + months
    year = start.year + month // 12
    return start.replace(year=year, month=month % 12 + 1, day=1)


# -- reading `every` ----------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """What is wrong with an ``every`` value: a diagnostic code, the key it is at (None:
    the value as a whole), a did-you-mean and the message's parameters."""

    code: str
    key: str | None = None
    suggestion: str | None = None
    params: tuple[tuple[str, object], ...] = ()


def parse(value: object) -> Schedule | list[Problem]:
    """A schedule from a plain ``every`` value (a word, a duration or a mapping), or every
    problem with it."""
    if isinstance(value, str):
        word = value.strip()
        if word == "on_demand":
            return Schedule("on_demand", word)
        if word in PERS:
            return Schedule("per", word, per=word)
        span = parse_duration(word)
        if span is not None:
            return Schedule("interval", word, seconds=int(span.total_seconds()))
        return [Problem("FK206", suggestion=closest(word, WORDS), params=(("value", word),))]
    if not isinstance(value, dict):
        return [Problem("FK202", params=(("key", "every"),))]
    problems: list[Problem] = []
    meant = set()
    for key in value:
        if key not in KEYS:
            meant.add(guess := closest(str(key), KEYS))
            problems.append(Problem("FK200", str(key), guess, (("key", str(key)),)))
    rhythm = [k for k in ("hours", "days", "per") if k in value]
    explained = not rhythm and ("times" in value or meant & {"hours", "days", "per"})
    if len(rhythm) != 1 and not explained:
        problems.append(Problem("FK229", params=(("key", "every"),)))
    hours = _whole(value, "hours", 1, MAX_HOURS, problems)
    days = _whole(value, "days", 1, MAX_DAYS, problems)
    per = value.get("per")
    if per is not None and per not in PERS:
        shown = str(per)
        problems.append(Problem("FK233", "per", closest(shown, PERS), _choice("per", shown, PERS)))
        per = None
    times = 1
    if "times" in value:
        if "per" not in value:
            problems.append(Problem("FK201", None, None, (("key", "per"),)))
        limit = MAX_TIMES.get(per, 365) if isinstance(per, str) else 365
        times = _whole(value, "times", 1, limit, problems) or 1
    window = None
    if "window" in value:
        window = parse_window(value["window"])
        if window is None:
            shown = str(value["window"])
            problems.append(Problem("FK231", "window", None, (("value", shown),)))
        elif (
            days is not None
            or (per is not None and per != "day")
            or (hours is not None and hours * 60 > window.length)
        ):
            problems.append(Problem("FK232", "window", None, (("key", "window"),)))
    start = value.get("from")
    if start is not None and start not in FROM:
        shown = str(start)
        problems.append(
            Problem("FK233", "from", closest(shown, FROM), _choice("from", shown, FROM))
        )
        start = None
    if problems:
        return problems
    written: dict[str, object] = {}
    if hours is not None:
        kind, seconds = "interval", hours * 3600
        written["hours"] = hours
        start = start or "calendar"
    elif days is not None:
        kind, seconds = "interval", days * 86400
        written["days"] = days
        start = start or "last_run"
    else:
        kind, seconds = "per", 0
        written.update(times=times, per=per)
        start = start or "calendar"
    if window is not None:
        written["window"] = window.text()
    written["from"] = start
    return Schedule(kind, written, seconds, times, per or "", window, start)


def _choice(key: str, value: str, choices: tuple[str, ...]) -> tuple[tuple[str, object], ...]:
    return (("key", key), ("value", value), ("choices", " / ".join(choices)))


def _whole(value: dict, key: str, low: int, high: int, problems: list[Problem]) -> int | None:
    if key not in value:
        return None
    n = value[key]
    if isinstance(n, int) and not isinstance(n, bool) and low <= n <= high:
        return n
    problems.append(Problem("FK230", key, None, (("key", key), ("low", low), ("high", high))))
    return None
