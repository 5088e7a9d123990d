"""A missed scheduled run is one finding for the office: raised once however often the due
list is drawn, noticed at the next submit when nobody looked in between, never raised again
after the office deleted it, and one record when two devices both notice it."""

from __future__ import annotations

import time

from fieldkit.checklists.schedule import Clock
from fieldkit.services import compound_clock, schedules
from fieldkit.services.types import Target
from tests.rules.helpers import log_compound, missed_cases, ran, site_of
from tests.sync.conftest import server_process  # noqa: F401 - the fixture
from tests.sync.feed import conflict_log
from tests.sync.live import LiveDevice


def test_a_missed_run_is_raised_once_however_often_the_due_list_is_drawn(tmp_path):
    ws = log_compound(tmp_path / "c")
    try:
        site, now = site_of(ws), time.time()
        ran(ws, "test.control_room.log", site, now - 5 * 3600)
        clock = compound_clock.clock_of(ws.store)
        checklist = ws.checklists()["test.control_room.log"]
        expected = checklist.schedule.standing(now - 5 * 3600, now, clock).missed
        assert 1 <= len(expected) <= 2  # two-hour slots wholly inside the last five hours
        row = next(d for d in ws.due(now, limit=100) if d.checklist_id == checklist.id)
        assert row.overdue and row.missed == len(expected) and row.late_by > 0
        assert row.when["zh"].startswith("超期 ") and row.when["en"].startswith("overdue ")
        for _ in range(3):
            ws.due(now, note_missed=True)
        cases = missed_cases(ws)
        assert len(cases) == len(expected)
        first = min(cases, key=lambda c: c.created_at)
        assert (first.kind, first.severity, first.department) == ("finding", "critical", "security")
        assert first.target.id == site.id and first.category == checklist.id
        assert first.extra["titles"]["zh"].startswith("漏检：值班记录，")
        assert first.extra["titles"]["en"].startswith("Missed: Duty log, ")
        slot = f"{clock.local(expected[0][0]):%m-%d %H:%M}–{clock.local(expected[0][1]):%H:%M}"
        assert slot in first.extra["titles"]["zh"]
        assert "every 2 hours" in first.description and "每 2 小时" in first.description
        _read_in_each_language(first)
        floor_rounds = missed_cases(ws, "fire.extinguisher.floor_round")  # the demo's, 41 days
        assert ws.store.outbox_count() == len(expected) + len(floor_rounds)  # queued once each
    finally:
        ws.close()


def _read_in_each_language(case) -> None:
    """nc14: the English handover read "Missed: … — 检查计划：每 2 小时…": the case's
    history and detail said its stored description, both languages' lines. Each reader
    reads its own."""
    from fieldkit.services.history import described, events_of, sentences
    from fieldkit.services.types import pick

    doc = case.to_dict()
    assert pick(described(doc), "en").startswith("Schedule: every 2 hours")
    assert pick(described(doc), "zh").startswith("检查计划：每 2 小时")
    for lang, other in (("en", "检查计划"), ("zh", "Schedule")):
        line = sentences("finding", events_of(doc)[:1], lang)[0]
        assert other not in line, line
    # the device raised it, no guard found it: nc31 read the missed slot in the handover as
    # "登记巡查问题：…", a finding of their own
    assert sentences("finding", events_of(doc)[:1], "zh")[0].startswith("系统自动登记巡查问题：")
    assert sentences("finding", events_of(doc)[:1], "en")[0].startswith("New ")
    assert "raised automatically" in sentences("finding", events_of(doc)[:1], "en")[0]


def test_a_gap_is_noticed_at_the_next_submit_when_nobody_looked(tmp_path):
    ws = log_compound(tmp_path / "c")
    try:
        site, now = site_of(ws), time.time()
        ran(ws, "test.control_room.log", site, now - 7 * 3600)
        run = ws.start_run("test.control_room.log", site)
        run.answer(next(iter(run.steps())).key, "pass")
        run.submit([])
        missed = missed_cases(ws)
        assert len(missed) >= 2  # 7 hours hold at least two whole 2-hour slots
        assert not any(d.overdue for d in ws.due(time.time(), limit=100)
                       if d.checklist_id == "test.control_room.log")  # fmt: skip
        ws.due(time.time(), note_missed=True)
        assert len(missed_cases(ws)) == len(missed)
    finally:
        ws.close()


def test_only_patrol_devices_raise_them_and_a_deleted_one_stays_deleted(tmp_path):
    ws = log_compound(tmp_path / "c")
    try:
        site, now = site_of(ws), time.time()
        ran(ws, "test.control_room.log", site, now - 5 * 3600)
        ws.due(now, note_missed=True)
        case = missed_cases(ws)[0]
        ws.store.apply_remote([{"entity": "case", "id": case.id, "deleted": True}], None)
        assert ws.store.get_case(case.id) is None
        ws.due(now, note_missed=True)
        assert ws.store.get_case(case.id) is None
    finally:
        ws.close()


def test_two_devices_noticing_the_same_miss_make_one_case(tmp_path, server_process):  # noqa: F811
    target = Target("site-1", "site", "CH", {"zh": "翠湖苑", "en": "Cuihu Garden"})
    ws = log_compound(tmp_path / "c")
    try:
        checklist = ws.checklists()["test.control_room.log"]
    finally:
        ws.close()
    clock = Clock()
    opens = clock.epoch(clock.local(time.time()).replace(hour=2, minute=0, second=0,
                                                         microsecond=0, tzinfo=None))  # fmt: skip
    opens -= 86400
    a = LiveDevice(server_process, tmp_path / "a", "patrol")
    b = LiveDevice(server_process, tmp_path / "b", "patrol")
    try:
        made = [
            schedules.missed_case(checklist, target, opens, opens + 7200, clock, "s1")
            for _ in (a, b)
        ]
        assert made[0].to_dict() == made[1].to_dict()  # built apart, the same record
        assert a.store.add_case_once(made[0]) and b.store.add_case_once(made[1])
        a.sync()
        assert b.sync().rejected == 0
        a.sync()
        for device in (a, b):
            held = [c for c in device.store.open_cases() if c.id == made[0].id]
            assert len(held) == 1 and held[0].to_dict() == made[0].to_dict()
            assert device.store.outbox_count() == 0
            assert not device.store.add_case_once(made[0])  # noticed again: nothing added
        assert conflict_log(server_process.db_url) == []
    finally:
        a.close()
        b.close()
