"""What a newcomer tripped on as the renovation inspector (nc15): a put-right deadline after
the permit's end, the inspector's notes and a refusal to stop missing from the notice, the
card saying "work allowed" while security was on its way."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from fieldkit.i18n import set_language, t
from fieldkit.model import localtime
from fieldkit.services import cases as case_rules
from fieldkit.services.registry import RegistryError, unit_card
from fieldkit.services.renovation import (
    check_deadline,
    deadline_hint,
    deadline_limits,
    end_of_day,
    notice,
)
from fieldkit.services.runs import RunError
from tests.registry.test_renovation import PATROL, fill
from tests.registry.test_renovation_deadlines import live  # noqa: F401  (the fixture)

FLAT = "2-2-202"  # the demo's permit here ends 15 to 60 days from today
NOTES = {"load_bearing": "客厅与卧室之间承重墙被切开约1米宽门洞",
         "wiring": "Bedroom wiring run in wall chases without conduit"}  # fmt: skip


def _patrol(ws, tmp_path, fail, stopped="not_stopped"):
    unit = ws.lookup_scan(FLAT).target
    run = ws.start_run(PATROL, unit)
    for item in fail:
        run.answer(item, "fail")
        if item in NOTES:
            run.note(item, NOTES[item])
    run.answer("work_stopped", stopped)
    return unit, run


def test_the_latest_deadline_is_the_permits_last_day(live, tmp_path):  # noqa: F811
    _, run = _patrol(live, tmp_path, ["load_bearing", "wiring"])
    end = run.permit_end
    today = localtime.today()
    assert end is not None and today + timedelta(15) <= end < today + timedelta(60)
    step = run.step("rectify_by")
    first, last, offered = run.deadline_range(step)
    assert last == end.isoformat() and first <= offered <= last
    limits = run.deadline_limits(step)
    assert f"{first} 至 {last}" in deadline_hint(limits, "zh") and "许可" in deadline_hint(
        limits, "zh"
    )
    assert "the permit's last day" in deadline_hint(limits, "en")
    with pytest.raises(RunError) as refused:
        run.parse(step, (end + timedelta(days=1)).isoformat())
    assert refused.value.key == "renovation.refused.deadline_after_permit"
    for lang in ("zh", "en"):
        said = t(refused.value.key, lang, **refused.value.params)
        assert end.isoformat() in said
    assert "rectify_by" not in run.inspection.answers  # nothing saved
    run.answer("rectify_by", end.isoformat())  # the permit's last day will do
    fill(run, tmp_path, fail={"load_bearing", "wiring"})
    made = [live.store.get_case(c) for c in run.submit(run.proposed_cases())]
    due = {c.extra["finding"]["item"]: case_rules.epoch(c.due) for c in made
           if c.kind == "violation"}  # fmt: skip
    wiring = min(end, today + timedelta(15))  # the most its kind may have
    assert due == {"load_bearing": end_of_day(end), "wiring": end_of_day(wiring)}


def test_a_fault_that_needs_longer_than_the_permit_has_left_says_extend():
    today = date(2026, 12, 7)
    end = today + timedelta(days=5)  # a bearing wall needs 15 days at least
    limits = deadline_limits(["load_bearing", "wiring"], today, end)
    assert limits.extend and limits.first == limits.last == limits.offered == today + timedelta(15)
    assert "办理延期" in deadline_hint(limits, "zh") and "承重" in deadline_hint(limits, "zh")
    assert "extend the permit" in deadline_hint(limits, "en")
    said = {}
    for lang in ("zh", "en"):  # the refusal names the fault in the device's language
        set_language(lang)
        with pytest.raises(RegistryError) as refused:
            check_deadline(PATROL, "rectify_by", (today + timedelta(20)).isoformat(), today,
                           ["load_bearing", "wiring"], end)  # fmt: skip
        assert refused.value.key == "renovation.refused.deadline_extend"
        said[lang] = t(refused.value.key, lang, **refused.value.params)
    set_language("zh")
    assert "办理延期" in said["zh"] and "承重" in said["zh"] and end.isoformat() in said["zh"]
    assert "extend the permit" in said["en"] and "bearing" in said["en"]
    check_deadline(PATROL, "rectify_by", limits.first.isoformat(), today, ["load_bearing"], end)


def test_the_notice_quotes_the_notes_and_says_they_would_not_stop(live, tmp_path):  # noqa: F811
    unit, run = _patrol(live, tmp_path, ["load_bearing", "wiring"])
    fill(run, tmp_path, fail={"load_bearing", "wiring", "work_stopped"})
    made = [live.store.get_case(c) for c in run.submit(run.proposed_cases())]
    violations = [c.id for c in made if c.kind == "violation"]
    text = notice(live, violations)
    for note in NOTES.values():
        assert f"现场记录（原文）：{note}" in text["zh"]
        assert f"Noted on site (as written): {note}" in text["en"]
    assert "现场处理：巡查时当场劝阻无效，已报安保部处理。" in text["zh"]
    assert "would not stop" in text["en"] and "security" in text["en"]
    assert "已当场制止" not in text["zh"]
    set_language("en")
    card = unit_card(live, unit)
    assert card.refused is not None  # the card says so while security's case is open
    security = next(c for c in made if c.kind == "finding")
    assert card.refused.ref == security.id[-6:]
    assert "security" in t("renovation.card.refused.now", "en", ref="x", since="y")


def test_a_deadline_moved_past_the_permit_tells_the_owner_to_extend(live, tmp_path):  # noqa: F811
    _, run = _patrol(live, tmp_path, ["wiring"], stopped="stopped")
    fill(run, tmp_path, fail={"wiring"})
    (case_id,) = [c for c in run.submit(run.proposed_cases())]
    end = run.permit_end
    live.store.update_case(
        case_id, by=live.actor, due=case_rules.iso(end_of_day(end + timedelta(3)))
    )
    text = notice(live, [case_id])
    assert "办理延期" in text["zh"] and f"{end.year}年{end.month}月{end.day}日" in text["zh"]
    assert "extend it" in text["en"]
    assert "巡查时已当场制止" in text["zh"] and "劝阻无效" not in text["zh"]
