"""Dates and spans as a printed report writes them, in the reader's language and local time:
"2026年5月1日 14:32" / "1 May 2026, 14:32", "3 小时 20 分钟" / "3 hours 20 minutes", months
labelled "5月" / "May" with the year where it starts or turns."""

from __future__ import annotations

from datetime import date, datetime

from fieldkit.i18n import plural, t
from fieldkit.model import localtime


def parse(text: object) -> datetime | None:
    """A stored ISO time (UTC, ``Z``) as an aware datetime; None when there is none."""
    if not isinstance(text, str) or not text:
        return None
    try:
        when = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return localtime.local(when)


def full_time(
    when: datetime | str | None, lang: str, short: bool = False, deadline: bool = False
) -> str:
    """The date with its year and the local time of day; "—" for none. ``short`` names
    the month short where the language has a short name (6 Dec 2026), for tables. A
    ``deadline`` at midnight is its day's end, 24:00 (in English "midnight") of the day
    before (as :func:`deadline` writes it), never 00:00 of the next."""
    found = parse(when) if isinstance(when, str) else when
    if found is None:
        return "—"
    local = localtime.local(found)
    if deadline:
        day, clock = localtime.deadline_parts(local, t("reports.date.midnight", lang))
    else:
        day, clock = local, f"{local:%H:%M}"
    return t("reports.date.time", lang, date=full_date(day, lang, short), time=clock)


def deadline(
    when: datetime | str | float | None, lang: str | None = None, short: bool = False
) -> str:
    """A deadline as the desk reads it: "2026-12-09 18:30"; at midnight the end of its day,
    as the reader's language says it — "2026-12-09 24:00" / "2026-12-09 midnight" (an
    English reader does not write 24:00). ``short``: without the year (12-09), for lists."""
    style = "short_due" if short else "due"
    return localtime.fmt(when, style, midnight=t("reports.date.midnight", lang))


def full_date(when: datetime | date, lang: str, short: bool = False) -> str:
    local = localtime.local(when) if isinstance(when, datetime) else when
    month = t(f"reports.month{'_short' if short else ''}.{local.month}", lang)
    return t("reports.date.date", lang, year=local.year, month=month, day=local.day)


def time_ranges(windows: list[str] | tuple[str, ...], lang: str | None = None) -> str:
    """Times of day from–to, as stored ("08:00-12:00"), as a reader writes them: an en
    dash between, the language's list mark between ranges ("08:00–12:00、14:00–18:00" /
    "08:00–12:00, 14:00–18:00")."""
    sep = t("checklists.words.list_sep", lang)
    return sep.join(t("week.span_time", lang, start=a.strip(), end=b.strip())
                    for a, _, b in (w.partition("-") for w in windows))  # fmt: skip


def span(seconds: float, lang: str) -> str:
    """A duration in days, hours and minutes, the two largest parts ("2 天 3 小时")."""
    minutes = max(0, round(seconds / 60))
    parts = [(minutes // 1440, "d"), (minutes % 1440 // 60, "h"), (minutes % 60, "m")]
    shown = [(n, unit) for n, unit in parts if n][:2] or [(0, "m")]
    return " ".join(plural(f"checklists.words.duration.{unit}", n, lang, n=n) for n, unit in shown)


def month_ticks(months: list[str], lang: str) -> tuple[tuple[str, str], ...]:
    """``2025-12``, ``2026-01`` … as chart ticks: (the month, the year under the first
    month and each January, else "")."""
    out = []
    for n, ym in enumerate(months):
        year, month = (int(x) for x in ym.split("-"))
        shown_year = t("reports.date.year", lang, year=year) if n == 0 or month == 1 else ""
        out.append((t(f"reports.month_short.{month}", lang), shown_year))
    return tuple(out)


def month_name(ym: str, lang: str) -> str:
    """``2026-05`` as "2026年5月" / "May 2026"."""
    year, month = (int(x) for x in ym.split("-"))
    return t("reports.date.month", lang, year=year, month=t(f"reports.month.{month}", lang))
