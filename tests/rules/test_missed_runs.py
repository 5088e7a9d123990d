"""A missed scheduled run is one finding for the office: raised once however often the due
list is drawn, noticed at the next submit when nobody looked in between, never raised again
after the office deleted it, and one record when two devices both notice it."""

from __future__ import annotations

import time

from fieldkit.checklists.schedule import Clock
from fieldkit.model import ChecklistRef, Inspection, new_id
from fieldkit.model import Target as ModelTarget
from fieldkit.services import compound_clock, schedules
from fieldkit.services.cases import iso
from fieldkit.services.demo import generate
from fieldkit.services.types import Target
from fieldkit.services.workspace import Workspace
from tests.sync.conftest import server_process  # noqa: F401 - the fixture
from tests.sync.feed import conflict_log
from tests.sync.live import LiveDevice

LOG = """\
id: test.control_room.log
version: 1
title: {zh: 值班记录, en: Duty log}
applies_to: site
every: {hours: 2}
on_missed: {severity: critical, department: security, due: 1h}
sections:
  - id: panel
    title: {zh: 控制器, en: Panel}
    items:
      - id: normal
        type: check
        label: {zh: 控制器正常, en: Panel normal}
        fail_label: {zh: 控制器异常, en: Panel fault}
        on_fail: {severity: critical, department: engineering, due: 1h}
"""


def _compound(folder):
    generate(folder, cases=0, floors=2)
    (folder / "checklists").mkdir(exist_ok=True)
    (folder / "checklists" / "log.yaml").write_text(LOG, "utf-8")
    return Workspace.open(folder)


def _ran(ws: Workspace, checklist_id: str, target: Target, at: float) -> None:
    """A run of ``checklist_id`` submitted at ``at`` on another device, as pulled."""
    c = ws.checklists()[checklist_id]
    run = Inspection(
        id=new_id(int(at * 1000)),
        checklist=ChecklistRef(c.id, c.version, c.content_hash),
        target=ModelTarget(target.kind, target.id),
        hlc=f"{int(at * 1000):012x}-000000-other0device",
        device="other0device",
        status="submitted",
        submitted_at=iso(at),
    )
    ws.store.apply_remote([{"entity": "inspection", "record": run.to_dict()}], None)
    ws.invalidate()


def _site(ws: Workspace) -> Target:
    return next(t for t in ws.places.targets if t.kind == "site")


def _missed_cases(ws: Workspace, checklist_id: str = "test.control_room.log") -> list:
    return [
        c for c in ws.store.open_cases() if c.extra.get("missed") and c.category == checklist_id
    ]


def test_a_missed_run_is_raised_once_however_often_the_due_list_is_drawn(tmp_path):
    ws = _compound(tmp_path / "c")
    try:
        site, now = _site(ws), time.time()
        _ran(ws, "test.control_room.log", site, now - 5 * 3600)
        clock = compound_clock.clock_of(ws.store)
        checklist = ws.checklists()["test.control_room.log"]
        expected = checklist.schedule.standing(now - 5 * 3600, now, clock).missed
        assert 1 <= len(expected) <= 2  # two-hour slots wholly inside the last five hours
        row = next(d for d in ws.due(now, limit=100) if d.checklist_id == checklist.id)
        assert row.overdue and row.missed == len(expected) and row.late_by > 0
        assert row.when["zh"].startswith("超期 ") and row.when["en"].startswith("overdue ")
        for _ in range(3):
            ws.due(now, note_missed=True)
        cases = _missed_cases(ws)
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
        floor_rounds = _missed_cases(ws, "fire.extinguisher.floor_round")  # the demo's, 41 days
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


def test_a_gap_is_noticed_at_the_next_submit_when_nobody_looked(tmp_path):
    ws = _compound(tmp_path / "c")
    try:
        site, now = _site(ws), time.time()
        _ran(ws, "test.control_room.log", site, now - 7 * 3600)
        run = ws.start_run("test.control_room.log", site)
        run.answer(next(iter(run.steps())).key, "pass")
        run.submit([])
        missed = _missed_cases(ws)
        assert len(missed) >= 2  # 7 hours hold at least two whole 2-hour slots
        assert not any(d.overdue for d in ws.due(time.time(), limit=100)
                       if d.checklist_id == "test.control_room.log")  # fmt: skip
        ws.due(time.time(), note_missed=True)
        assert len(_missed_cases(ws)) == len(missed)
    finally:
        ws.close()


def test_only_patrol_devices_raise_them_and_a_deleted_one_stays_deleted(tmp_path):
    ws = _compound(tmp_path / "c")
    try:
        site, now = _site(ws), time.time()
        _ran(ws, "test.control_room.log", site, now - 5 * 3600)
        ws.due(now, note_missed=True)
        case = _missed_cases(ws)[0]
        ws.store.apply_remote([{"entity": "case", "id": case.id, "deleted": True}], None)
        assert ws.store.get_case(case.id) is None
        ws.due(now, note_missed=True)
        assert ws.store.get_case(case.id) is None
    finally:
        ws.close()


def test_two_devices_noticing_the_same_miss_make_one_case(tmp_path, server_process):  # noqa: F811
    target = Target("site-1", "site", "CH", {"zh": "翠湖苑", "en": "Cuihu Garden"})
    ws = _compound(tmp_path / "c")
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
