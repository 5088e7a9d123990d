"""The compound's local time: every time a person reads is the time on the compound's clocks.

A field laptop's own clock may be set to any zone (a laptop left on UTC, an office PC in
another city); what a patroller, an owner or the office reads — a screen, a notice, a file
name, a report — is the compound's wall time, from its site record's ``utc_offset``
(``"+08:00"`` unless the site says otherwise; China has no daylight saving time). Stored
times stay UTC ISO strings; only what is shown goes through here.

:func:`now` is "now in the compound" and :func:`fmt` formats a moment for reading; the
workspace puts the compound's offset in use when it opens a data folder (:func:`use`).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

#: UTC+8, China Standard Time: the offset before a site record says otherwise.
DEFAULT_OFFSET_MINUTES = 8 * 60

_offset = DEFAULT_OFFSET_MINUTES

#: The ways a moment is written (``time.strftime`` patterns on the compound's wall time).
STYLES = {
    "minute": "%Y-%m-%d %H:%M",  # 2026-12-06 22:55
    "short": "%m-%d %H:%M",  # 12-06 22:55: lists where the year goes without saying
    "clock": "%H:%M",  # 22:55
    "date": "%Y-%m-%d",  # 2026-12-06
    "stamp": "%Y%m%d-%H%M%S",  # 20261206-225500: in a file name
    "due": "%Y-%m-%d %H:%M",  # a deadline: a day's end (midnight) reads 2026-12-09 24:00
    "short_due": "%m-%d %H:%M",  # the same in a list: 12-09 24:00
}
#: Styles of a deadline: midnight is the end of the day before.
DEADLINES = ("due", "short_due")


def use(offset_minutes: int) -> None:
    """Put the compound's offset from UTC in use (minutes, east positive)."""
    global _offset
    _offset = int(offset_minutes)


def zone() -> timezone:
    return timezone(timedelta(minutes=_offset))


def now() -> datetime:
    """Now on the compound's clocks (an aware datetime)."""
    return datetime.now(zone())


def today() -> date:
    return now().date()


def local(when: float | str | datetime | None) -> datetime | None:
    """``when`` (epoch seconds, a stored ISO time or a datetime) on the compound's clocks;
    None for nothing or a text that is no time. A naive datetime is taken as compound time."""
    if when is None:
        return None
    if isinstance(when, datetime):
        return when.replace(tzinfo=zone()) if when.tzinfo is None else when.astimezone(zone())
    if isinstance(when, str):
        try:
            found = datetime.fromisoformat(when.strip().replace("Z", "+00:00"))
        except ValueError:
            return None
        return local(found)
    if when in (float("inf"), float("-inf")) or when != when:
        return None
    return datetime.fromtimestamp(when, zone())


def fmt(when: float | str | datetime | None, style: str = "minute", midnight: str = "24:00") -> str:
    """``when`` as a person reads it, in one of :data:`STYLES`; "—" for none. A deadline
    ("due") at midnight is the end of the day before, 24:00, as an owner or a worker says
    it: "by the 9th" is 2026-12-09 24:00, never 2026-12-10 00:00; ``midnight``: how the
    reader's language writes that time (:func:`fieldkit.reports.dates.deadline`)."""
    found = local(when)
    if found is None:
        return "—"
    if style in DEADLINES:
        day, clock = deadline_parts(found, midnight)
        return f"{day.strftime(STYLES[style].split(' ')[0])} {clock}"
    return found.strftime(STYLES[style])


def deadline_parts(found: datetime, midnight: str = "24:00") -> tuple[date, str]:
    """A deadline's day and time of day as read: midnight is the end of the day before
    (24:00, or ``midnight`` as the reader's language writes it)."""
    if (found.hour, found.minute, found.second) == (0, 0, 0):
        return (found - timedelta(days=1)).date(), midnight
    return found.date(), f"{found:%H:%M}"


def epoch(day: date, hour: int = 0, minute: int = 0) -> float:
    """Epoch seconds of a wall time on the compound's clocks."""
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=zone()).timestamp()
