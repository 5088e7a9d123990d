"""Schedules in the compound's local time: Hypothesis over dates, windows, offsets and
rhythms, with a pinned seed (``derandomize``) so CI never sees a new example."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from itertools import pairwise

from hypothesis import given, settings
from hypothesis import strategies as st

from fieldkit.checklists import load_text
from fieldkit.checklists.schedule import LOOKBACK, Clock, Schedule, parse, parse_window
from tests.checklists.helpers import GOOD

PINNED = settings(derandomize=True, max_examples=150, deadline=None)
BEIJING = Clock()

moments = st.floats(min_value=946_684_800, max_value=4_102_444_800)  # 2000 .. 2100
offsets = st.integers(min_value=-12 * 60, max_value=14 * 60).map(lambda m: m - m % 15)
shift_starts = st.lists(st.integers(0, 1439), min_size=1, max_size=4, unique=True).map(
    lambda xs: tuple(sorted(xs))
)
clocks = st.builds(Clock, offsets, shift_starts)
windows = st.tuples(st.integers(0, 23), st.integers(0, 23)).filter(lambda p: p[0] != p[1])


@st.composite
def calendar_rhythms(draw) -> Schedule:
    kind = draw(st.sampled_from(["hours", "hours_window", "days", "per", "per_window"]))
    value: dict[str, object] = {"from": "calendar"}
    if kind.startswith("hours"):
        value["hours"] = draw(st.integers(1, 8))
        if kind == "hours_window":
            start, end = draw(windows)
            length = (end - start) % 24
            value["hours"] = min(int(value["hours"]), length)
            value["window"] = f"{start:02d}:00-{end:02d}:00"
    elif kind == "days":
        value["days"] = draw(st.integers(1, 40))
    else:
        per = "day" if kind == "per_window" else draw(st.sampled_from(
            ["shift", "day", "week", "month", "quarter", "year"]))  # fmt: skip
        value["per"] = per
        value["times"] = draw(st.integers(1, {"shift": 4, "day": 6}.get(per, 4)))
        if kind == "per_window":
            start, end = draw(windows)
            value["window"] = f"{start:02d}:00-{end:02d}:00"
    found = parse(value)
    assert isinstance(found, Schedule), (value, found)
    return found


def _slots(schedule: Schedule, since: float, clock: Clock, count: int):
    out = []
    for slot in schedule.slots(since, clock):
        out.append(slot)
        if len(out) == count:
            return out
    return out


@PINNED
@given(calendar_rhythms(), moments, clocks)
def test_calendar_slots_are_ordered_apart_and_start_where_asked(schedule, since, clock):
    slots = _slots(schedule, since, clock, 30)
    assert slots[0][1] > since  # the first slot holds `since` or comes after it
    for opens, closes in slots:
        assert opens < closes
    for (_, closes), (opens, _) in pairwise(slots):
        assert closes <= opens  # never overlapping, in order


@PINNED
@given(calendar_rhythms().filter(lambda s: s.window is not None), moments, clocks)
def test_a_window_is_kept_in_local_time(schedule, since, clock):
    window = schedule.window
    for opens, closes in _slots(schedule, since, clock, 20):
        local = clock.local(opens)
        minute = local.hour * 60 + local.minute
        inside = (minute - window.start) % 1440
        assert inside < window.length
        assert (minute - window.start) % 1440 * 60 + (closes - opens) <= window.length * 60


@PINNED
@given(
    st.integers(1, 6).flatmap(lambda h: st.tuples(st.just(h), windows)),
    moments,
    offsets,
)
def test_every_n_hours_in_a_window_starts_at_the_window_and_steps_by_n_hours(hw, since, offset):
    hours, (start, end) = hw
    length = (end - start) % 24
    hours = min(hours, length)
    schedule = parse({"hours": hours, "window": f"{start:02d}:00-{end:02d}:00"})
    clock = Clock(offset)
    slots = _slots(schedule, since, clock, 12)
    for opens, closes in slots:
        hour = clock.local(opens).hour
        assert (hour - start) % 24 % hours == 0  # 22:00, 00:00, 02:00 … counted from the start
        assert closes - opens <= hours * 3600


@PINNED
@given(calendar_rhythms(), moments, st.floats(0, 20 * 86400), clocks)
def test_missed_slots_are_exactly_the_whole_slots_between_the_last_run_and_now(
    schedule, last, gap, clock
):
    now = last + gap
    standing = schedule.standing(last, now, clock)
    since = max(last, now - LOOKBACK)
    expected = []
    for opens, closes in schedule.slots(since, clock):
        if closes > now:
            break
        if opens > last:
            expected.append((opens, closes))
    assert list(standing.missed) == expected[: len(standing.missed)]
    assert len(standing.missed) == min(len(expected), 60)
    for opens, closes in standing.missed:
        assert last < opens < closes <= now
    if standing.missed and standing.due_now(now):
        assert standing.late_since == standing.missed[0][1]
        assert standing.late_by(now) == now - standing.missed[0][1]


@PINNED
@given(calendar_rhythms(), moments, st.floats(0, 1), clocks)
def test_a_run_inside_the_slot_open_now_meets_it(schedule, now, where, clock):
    opens, closes = next(schedule.slots(now, clock))
    if opens > now:
        return  # between windows: nothing is open now
    run = opens + where * (now - opens)
    standing = schedule.standing(run, now, clock)
    assert not standing.due_now(now) and standing.missed == ()
    assert standing.due >= closes  # the next slot
    before = schedule.standing(opens - 1, now, clock)  # the last run was before the slot
    assert before.due_now(now) and before.due == opens and before.closes == closes


@PINNED
@given(calendar_rhythms(), moments, clocks)
def test_never_run_is_due_now_or_at_the_next_slot_and_nothing_is_missed(schedule, now, clock):
    standing = schedule.standing(None, now, clock)
    assert standing.missed == () and standing.late_since is None
    opens, _ = next(schedule.slots(now, clock))
    assert standing.due == opens


@PINNED
@given(st.integers(1, 366), moments, st.floats(0, 800 * 86400))
def test_from_the_last_run_a_run_is_due_n_days_later_and_late_after(days, last, gap):
    schedule = parse({"days": days})
    now = last + gap
    standing = schedule.standing(last, now, BEIJING)
    assert standing.due == last + days * 86400
    late = now > standing.due
    assert (standing.late_since is not None) == late
    assert standing.missed == (((last, standing.due),) if late else ())
    assert standing.late_by(now) == (now - standing.due if late else 0)


@PINNED
@given(st.integers(1, 6), windows, moments, offsets)
def test_from_the_last_run_in_a_window_the_next_run_falls_inside_the_window(
    hours, window, last, offset
):
    start, end = window
    hours = min(hours, (end - start) % 24)
    schedule = parse({"hours": hours, "window": f"{start:02d}:00-{end:02d}:00",
                      "from": "last_run"})  # fmt: skip
    clock = Clock(offset)
    due = schedule.standing(last, last, clock).due
    assert due >= last + hours * 3600
    local = clock.local(due)
    assert ((local.hour * 60 + local.minute) - start * 60) % 1440 < schedule.window.length


def _at(text: str, clock: Clock = BEIJING) -> float:
    return clock.epoch(datetime.fromisoformat(text))


def test_twice_a_month_splits_the_calendar_month_into_halves():
    schedule = parse({"times": 2, "per": "month"})
    slots = _slots(schedule, _at("2026-02-03 10:00"), BEIJING, 4)
    local = [(BEIJING.local(a).strftime("%m-%d"), BEIJING.local(b).strftime("%m-%d"))
             for a, b in slots]  # fmt: skip
    assert local == [("02-01", "02-15"), ("02-15", "03-01"), ("03-01", "03-16"),
                     ("03-16", "04-01")]  # fmt: skip


def test_the_night_log_missed_once_is_late_by_the_time_since_its_slot_closed():
    """A 2-hourly night log last filled at 21:50: at 00:30 the 22:00–00:00 slot was missed
    and the 00:00–02:00 one is due, 30 minutes late."""
    schedule = parse({"hours": 2, "window": "22:00-06:00"})
    last, now = _at("2026-03-01 21:50"), _at("2026-03-02 00:30")
    standing = schedule.standing(last, now, BEIJING)
    assert standing.missed == ((_at("2026-03-01 22:00"), _at("2026-03-02 00:00")),)
    assert (standing.due, standing.closes) == (_at("2026-03-02 00:00"), _at("2026-03-02 02:00"))
    assert standing.late_by(now) == 30 * 60
    daytime = schedule.standing(_at("2026-03-02 05:10"), _at("2026-03-02 10:00"), BEIJING)
    assert daytime.due == _at("2026-03-02 22:00") and not daytime.due_now(_at("2026-03-02 10:00"))


def test_local_time_is_the_compounds_offset_not_the_machines():
    schedule = parse({"per": "day", "window": "08:00-10:00"})
    utc = Clock(0)
    now = datetime(2026, 3, 2, 1, 0, tzinfo=UTC).timestamp()  # 09:00 in Beijing
    assert BEIJING.local(schedule.standing(None, now, BEIJING).due).hour == 8
    assert schedule.standing(None, now, BEIJING).due_now(now)
    assert not schedule.standing(None, now, utc).due_now(now)  # 01:00 in UTC: not yet
    assert schedule.standing(None, now, utc).due - now == timedelta(hours=7).total_seconds()


def test_windows_read_the_24_hour_clock():
    assert parse_window("22:00-06:00").length == 8 * 60
    assert parse_window("00:00-24:00").length == 24 * 60
    assert parse_window("8:30 - 17:00").text() == "08:30-17:00"
    for bad in ("22-06", "25:00-06:00", "08:00-08:00", "08:00-24:30", 2200, None):
        assert parse_window(bad) is None


def test_every_keeps_its_written_form_and_the_hash_of_unchanged_files():
    month = load_text(GOOD).checklist
    assert month.every == "month" and month.schedule.kind == "per"
    night = load_text(GOOD.replace("every: month", "every: {hours: 2, window: 22:00-06:00}"))
    assert night.checklist.every == {"hours": 2, "window": "22:00-06:00", "from": "calendar"}
    mapping = "every:\n  window: '22:00-06:00'\n  from: calendar\n  hours: 2"
    spelled = load_text(GOOD.replace("every: month", mapping))
    assert spelled.checklist.content_hash == night.checklist.content_hash
