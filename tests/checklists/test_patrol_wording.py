"""The patrol's shipped checklists as a patroller and the case's reader read them (nc14): a
finding names the fault once ("消火栓水带有问题：缺失", not "…损坏或缺失：缺失"); the daily
fire-door round asks about fire doors on every building, registered one by one or not; the
extinguisher's form (portable / wheeled) is not called its type, which the register gives
as the agent."""

from __future__ import annotations

from fieldkit.checklists import load_folder, shipped_dir
from fieldkit.checklists.wording import failure_words


def shipped(checklist_id: str):
    return next(r.checklist for r in load_folder(shipped_dir()) if r.checklist.id == checklist_id)


def test_a_missing_hydrant_hose_is_said_once():
    hose = shipped("fire.hydrant_cabinet.weekly").item("hose_state")
    assert failure_words(hose, "missing", "zh") == "消火栓水带有问题：缺失"
    assert failure_words(hose, "missing", "en") == "Hydrant hose not fit for use: missing"


def test_the_daily_fire_door_round_asks_about_fire_doors_outside_its_repeat():
    round_ = shipped("fire.doors_evacuation.daily")
    doors = round_.section("fire_doors")
    assert doors.repeat is None  # asked on a building whose doors are not registered too
    words = {
        item.id: (failure_words(item, "fail", "zh"), item.on_fail.department)
        for item in doors.items
        if item.can_fail
    }
    assert words == {
        "doors_shut": ("常闭防火门开着：没能关上", "security"),
        "doors_not_wedged": ("防火门被楔子、杂物撑开或用绳子拴住：没能撤掉", "security"),
        "closers_work": ("防火门闭门器或顺序器失灵，门关不严", "engineering"),
        "seals_intact": ("防火门密封条脱落或门框损坏", "engineering"),
    }


def test_the_extinguisher_form_is_not_called_its_type():
    for checklist_id in ("fire.extinguisher.floor_round", "fire.extinguisher.monthly"):
        form = shipped(checklist_id).item("unit_type")
        assert form.label.get("zh") == "手提式还是推车式", checklist_id
        assert "unit" not in shipped(checklist_id).item("in_place").hint.get("en")
