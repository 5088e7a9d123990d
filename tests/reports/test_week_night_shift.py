"""Sunday's night shift is counted in the week it opens (nc26: the control room's check from
Sunday 20:00 to Monday 08:00 closed after one week ended and opened before the next began,
so neither week counted it: 13 shifts a week where there are 14)."""

from __future__ import annotations

import time
from datetime import datetime, timedelta

import pytest

from fieldkit.services import compound_clock, weekly
from fieldkit.services.catalog import applies
from fieldkit.services.equipment import today
from fieldkit.services.schedules import places
from fieldkit.services.types import pick
from tests.rules.helpers import log_compound, ran

SHIFT = "fire.control_room.shift"


@pytest.fixture(scope="module")
def week_of_shifts(tmp_path_factory):
    """Every shift checked from two weeks before this Monday until this Monday noon, but
    the night shift opening last Sunday at 20:00."""
    ws = log_compound(tmp_path_factory.mktemp("night-shift") / "office")
    clock = compound_clock.clock_of(ws.store)
    check = ws.checklists()[SHIFT]
    room = next(p for p in places(ws) if applies(check, p))
    day = today(ws, time.time())
    monday = day - timedelta(days=day.weekday())
    now = clock.epoch(datetime.combine(monday, datetime.min.time()).replace(hour=12))
    sunday_night = clock.epoch(datetime.combine(monday - timedelta(days=1),
                                                datetime.min.time()).replace(hour=20))  # fmt: skip
    start = clock.epoch(datetime.combine(monday - timedelta(days=14), datetime.min.time()))
    for opens, closes in check.schedule.slots(start, clock):
        if closes > now:
            break
        if opens != sunday_night:
            ran(ws, SHIFT, room, (opens + closes) / 2, took=600)
    yield ws, room, monday, now
    ws.close()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_night_from_sunday_to_monday_is_sundays(week_of_shifts, lang):
    ws, room, monday, now = week_of_shifts
    title = pick(ws.checklists()[SHIFT].title.to_dict(), lang)

    def missed(start, end):
        w = weekly.week(ws, start, end, now, lang)
        ours = [m for m in w.missed if pick(m.place, lang) == room.label(lang)]
        return [(m.day, m.count, m.spans) for m in ours if pick(m.title, lang) == title]

    sunday = monday - timedelta(days=1)
    assert missed(monday - timedelta(days=7), sunday) == [(sunday, 1, (("20:00", "+08:00"),))]
    assert missed(monday, monday) == []
    assert missed(monday - timedelta(days=14), monday - timedelta(days=8)) == []
