"""The weekly report counts a daily round missed on any day of the week, not only since the
last run: the fire-door patrol of one building done every day but one, three days ago, is
one missed round, listed on that day (the due list, which knows only the last run, had
nothing late to say of it)."""

from __future__ import annotations

import time
from datetime import datetime, timedelta

import pytest

from fieldkit.i18n import t
from fieldkit.services import compound_clock, weekly
from fieldkit.services.equipment import today
from fieldkit.services.types import pick
from tests.rules.helpers import log_compound, ran

DOORS = "fire.doors_evacuation.daily"


@pytest.fixture(scope="module")
def ws(tmp_path_factory):
    workspace = log_compound(tmp_path_factory.mktemp("week-missed") / "office")
    clock = compound_clock.clock_of(workspace.store)
    now = time.time()
    day = today(workspace, now)
    one = next(p for p in workspace.places.targets if p.kind == "building")
    for back in range(10, 0, -1):  # noon of each day, from before the week to yesterday
        if back != 3:
            noon = datetime.combine(day - timedelta(days=back), datetime.min.time()).replace(
                hour=12
            )
            ran(workspace, DOORS, one, clock.epoch(noon), took=1200)  # begun 20 minutes before
    yield workspace, one, now
    workspace.close()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_round_missed_days_ago_is_counted_and_listed(ws, lang):
    workspace, one, now = ws
    end = today(workspace, now)
    w = weekly.week(workspace, end - timedelta(days=6), end, now, lang)
    title = pick(workspace.checklists()[DOORS].title.to_dict(), lang)
    ours = [m for m in w.missed if pick(m.place, lang) == one.label(lang) and m.count]
    doors = [m for m in ours if pick(m.title, lang) == title]
    assert [(m.day, m.count, m.spans) for m in doors] == [
        (end - timedelta(days=3), 1, (("00:00", "24:00"),))
    ]
    text = weekly.render(w, "text", lang)
    section = text[text.index(t("week.missed", lang)) :]
    line = next(s for s in section.splitlines() if title in s and one.label(lang) in s)
    assert t("week.whole_day", lang) in line and " 1 " in f" {line} "
    rounds = text[text.index(t("week.rounds", lang)) : text.index(t("week.duty", lang))]
    row = next(s for s in rounds.splitlines() if s.startswith(title))
    others = sum(m.count for m in w.missed if pick(m.title, lang) == title)
    done, missed = row.split()[-4:-2]  # done, missed, late now, due within a day
    assert (done, missed) == ("5", str(others)) and others >= 1
