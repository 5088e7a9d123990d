"""The deadline a violation carries and the one its notice gives: the inspector's own
"put right by" date where the round has one (the whole of that day), else the checklist's;
one notice, one deadline, and every listed case brought to it; who may act, said in the
device's language."""

from __future__ import annotations

import re
import time
from datetime import date, timedelta

import pytest

from fieldkit.i18n import set_language
from fieldkit.services import cases as case_rules
from fieldkit.services.registry import RegistryError
from fieldkit.services.renovation import end_of_day, notice, reinspect, send_notice
from fieldkit.services.runs import RunError
from fieldkit.services.workspace import Workspace
from tests.registry.test_renovation import PATROL, fill


@pytest.fixture
def live(tmp_path):
    from fieldkit.services.demo import generate

    generate(tmp_path / "live", cases=10, floors=3)
    ws = Workspace.open(tmp_path / "live")
    ws.store.set_device_state(role="renovation")
    ws.sign_in("李娜")
    set_language("zh")
    yield ws
    ws.close()
    set_language("zh")


def _raise(ws, tmp_path, fail, by=None):
    unit = ws.lookup_scan("3-2-302").target
    run = ws.start_run(PATROL, unit)
    fill(run, tmp_path, fail=fail, dates={"rectify_by": by} if by else None)
    return unit, [ws.store.get_case(c) for c in run.submit(run.proposed_cases())]


def test_the_inspectors_date_is_every_faults_deadline(live, tmp_path):
    by = date.today() + timedelta(days=5)
    _, made = _raise(live, tmp_path, {"load_bearing", "wiring"}, by)
    assert len(made) == 2
    assert {case_rules.epoch(c.due) for c in made} == {end_of_day(by)}


def test_without_a_date_the_checklist_sets_it(live, tmp_path):
    """Failing "notice issued" hides the date item: each fault keeps its on_fail due."""
    before = time.time()
    _, made = _raise(live, tmp_path, {"load_bearing", "notice_issued"})
    hours = sorted(round((case_rules.epoch(c.due) - before) / 3600) for c in made)
    assert hours == [4, 24]  # bearing wall 4h, notice not issued 24h


def test_a_past_date_is_refused_and_nothing_saved(live):
    unit = live.lookup_scan("3-2-302").target
    run = live.start_run(PATROL, unit)
    step = run.step("rectify_by")
    with pytest.raises(RunError) as refused:
        run.parse(step, (date.today() - timedelta(days=1)).isoformat())
    assert refused.value.key == "renovation.refused.past_deadline"
    assert "rectify_by" not in run.inspection.answers


def test_one_notice_one_deadline(live, tmp_path):
    _, made = _raise(live, tmp_path, {"load_bearing", "notice_issued"})
    ids = [c.id for c in made]
    earliest = min(case_rules.epoch(c.due) for c in made)
    text = notice(live, ids)
    for lang in ("zh", "en"):
        stamps = set(re.findall(r"\d{4}-\d{2}-\d{2}(?: \d{2}:\d{2})?", text[lang]))
        stamps -= {time.strftime("%Y-%m-%d")}  # the notice's own date
        inspected = time.strftime(
            "%Y-%m-%d %H:%M", time.localtime(case_rules.epoch(made[0].created_at))
        )
        stamps.discard(inspected)
        assert stamps == {time.strftime("%Y-%m-%d %H:%M", time.localtime(earliest))}, text[lang]
    send_notice(live, ids)
    after = [live.store.get_case(i) for i in ids]
    assert {case_rules.epoch(c.due) for c in after} == {earliest}
    assert all(c.status == "assigned" for c in after)
    moved = next(c for c in after if any(e.type == "note" for e in c.events))
    assert "统一整改期限" in next(e.text for e in moved.events if e.type == "note")


def test_the_notice_with_an_inspectors_date_names_only_that_day(live, tmp_path):
    by = date.today() + timedelta(days=3)
    _, made = _raise(live, tmp_path, {"outer_face"}, by)
    text = notice(live, [made[0].id])
    assert f"请于 {by.isoformat()} 前整改完毕" in text["zh"]
    assert f"Please put these right by {by.isoformat()}." in text["en"]


def test_on_the_deadline_day_a_fault_can_be_escalated(live, tmp_path):
    by = date.today() + timedelta(days=3)
    _, made = _raise(live, tmp_path, {"outer_face"}, by)
    morning = end_of_day(by) - 14 * 3600  # 09:59 on the deadline day
    result = reinspect(live, made[0].id, rectified=False, now=morning)
    assert result.status == "escalated"
    assert result.due == end_of_day(by + timedelta(days=2))
    case = live.store.get_case(made[0].id)
    assert case.severity == "critical" and case.events[-1].by == "李娜"
    assert reinspect(live, made[0].id, rectified=True).status == "closed"


@pytest.mark.parametrize(
    ("lang", "words"),
    [("zh", ["装修巡查岗", "办公室", "本设备是巡逻岗"]),
     ("en", ["renovation", "office", "this is a patrol device"])],
)  # fmt: skip
def test_a_patrol_device_is_told_who_may(live, tmp_path, lang, words):
    _, made = _raise(live, tmp_path, {"outer_face"}, date.today() + timedelta(days=3))
    live.store.set_device_state(role="patrol")
    set_language(lang)
    for call in (
        lambda: reinspect(live, made[0].id, rectified=True),
        lambda: reinspect(live, made[0].id, rectified=False, now=time.time() + 9 * 86400),
        lambda: send_notice(live, [made[0].id]),
    ):
        with pytest.raises(RegistryError) as refused:
            call()
        message = refused.value.message()
        assert all(w in message for w in words), message
        assert "patrol 岗位" not in message and "{" not in message
    assert live.store.get_case(made[0].id).status == "open"
    assert not (live.data_dir / "notices").exists()
