"""The patroller's journey on the demo, in a real terminal (tmux, 120x40), in zh and en.

Zhang Wei (巡逻岗 张伟) opens the first due round, the month's floor round of a stairwell,
with Enter; fails the first extinguisher's "in place" check, picks the red zone on its
gauge and writes a note on it with t, attaches a photo, types a spare count out of range
(refused, nothing saved); leaves the round half done and resumes it from the due list
(the same round, his answers shown, no second round); finishes, reviews and submits. The
cases it raised read as the fault with the failing answer and carry his note and photo.
A second round begun and left is discarded with d after a confirmation, and kept on
record as discarded."""

from __future__ import annotations

import shutil
import time

import pytest

from fieldkit.services import demo_office as demo
from fieldkit.store import Store
from tests.journeys.demo_pane import answer, answer_typed, demo_pane, lines_with

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")

ROUND = "fire.extinguisher.floor_round"
WORDS = {
    "zh": {
        "title": "fieldkit 演示 — 巡逻岗 · 张伟", "due": "待检与超期",
        "round": "灭火器月检（按楼层）", "first": "第 1 / 2 件",
        "note": "压力表指针在红区，已贴停用标签", "remark": "现场没有备品，已报工程部",
        "red": "红区（压力不足）", "refused": "数值必须在 0 到 50 之间",
        "in_progress": "（进行中，已答", "resumed": "继续上次未完成的巡检",
        "complete": "必答项已全部填写。",
        "gauge_case": "灭火器压力异常：红区（压力不足）（EXT-",
        "gauge_row": "灭火器压力异常：红区（压力不足）",
        "place_case": "灭火器不在指定位置（被挪走或丢失）（EXT-",
        "submitted": "已提交，生成 3 张工单", "no_drafts": "没有未完成的巡检。",
        "open_cases": "未完结工单",
        "detail": (("实际情况", "红区（压力不足）"), ("要求", "绿区（正常）或无压力表"),
                   ("备注", "压力表指针在红区，已贴停用标签"), ("发现人", "张伟"),
                   ("照片：1 张", "")),
        "ask_discard": "作废未完成的巡检", "discarded": "已作废：",
        "person": "张伟", "ref": "编号", "critical": "紧急", "spares": "0 到 50",
        "photo_path": "照片文件的路径",
    },
    "en": {
        "title": "fieldkit demo — Patrol · Zhang Wei", "due": "Due and overdue",
        "round": "Extinguishers monthly — floor round", "first": "Item 1 of 2",
        "note": "Gauge in the red, tagged out of use", "remark": "No spare here, engineering told",
        "red": "Red zone (low)", "refused": "The value must be between 0 and 50",
        "in_progress": "(in progress,", "resumed": "Resuming the round in progress",
        "complete": "Every required item is answered.",
        "gauge_case": "Extinguisher pressure out of range: Red zone (low) (EXT-",
        "gauge_row": "Extinguisher pressure out of range: Red zone",  # cut to leave the due
        "place_case": "Extinguisher not in its place (moved or missing) (EXT-",
        "submitted": "Submitted. 3 cases raised.", "no_drafts": "No round in progress.",
        "open_cases": "Open cases",
        "detail": (("Found", "Red zone (low)"), ("Expected", "Green zone (OK) or No gauge"),
                   ("Note", "Gauge in the red, tagged out of use"), ("Raised by", "Zhang Wei"),
                   ("Photos: 1", "")),
        "ask_discard": "Discard the round in progress", "discarded": "Discarded:",
        "person": "Zhang Wei", "ref": "Ref.", "critical": "critical", "spares": "0 to 50",
        "photo_path": "Path of the photo file",
    },
}  # fmt: skip


def first_due(folder) -> tuple[str, str]:
    """The stairwell whose floor round heads the due list (most overdue): code and id."""
    from fieldkit.services.workspace import Workspace

    ws = Workspace.open(folder / "patrol")
    try:
        (due, *_) = ws.due(time.time())
        assert due.checklist_id == ROUND, due
        return due.target.code, due.target.id
    finally:
        ws.close()


def wait_line(pane, label: str, value: str) -> str:
    """The screen once a line starts with ``label`` and ends with ``value``."""
    end = time.monotonic() + pane.patience
    while time.monotonic() < end:
        screen = pane.text()
        if any(line.strip().startswith(label) and line.rstrip().endswith(value)
               for line in screen.splitlines()):  # fmt: skip
            return screen
        time.sleep(0.05)
    raise AssertionError(f"no line {label!r} … {value!r}:\n{pane.text()}")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_patrol_round_resumed_submitted_and_its_cases_read_right(tmp_path, lang):
    words = WORDS[lang]
    folder = tmp_path / "demo"
    demo.make(folder, cases=5, lang=lang, floors=2)
    stairwell, stairwell_id = first_due(folder)
    demo_history = "office0demo0"  # the device the demo's past rounds came from
    photo = tmp_path / "IMG_0001.jpg"
    photo.write_bytes(b"\xff\xd8\xff\xe0 a photo of the gauge")

    with demo_pane(tmp_path, folder, lang, "1") as pane:
        screen = pane.wait_for(words["title"])
        screen = pane.wait_for(stairwell)
        due = screen.split(words["due"], 1)[1].splitlines()[1]  # the first due row
        assert words["round"] in due and stairwell in due
        pane.keys("Enter")  # the first row is highlighted: Enter opens it
        pane.wait_for(words["first"])
        answer(pane, lang, "1", "f", "p", "2")  # type; NOT in place; access clear; gauge: red
        pane.wait_for(words["red"])
        pane.keys("Up", "t")  # a note on the gauge item
        pane.wait_for("”" if lang == "zh" else "Note on")
        pane.typed(words["note"])
        pane.wait_for("✎ " + words["note"])
        pane.keys("Down")
        answer(pane, lang, "p")  # pin and seal
        pane.keys("1")  # body: fine (a multi: ticked, then Enter)
        pane.wait_for("1*)")
        answer(pane, lang, "Enter", "p", "p", "p")  # nameplate, service tag, card signed
        # the photo of the problem (required: items failed), by its path
        answer_typed(pane, lang, str(photo), ask="a", asked=words["photo_path"])
        answer(pane, lang, "f")  # no spare to swap in
        answer_typed(pane, lang, words["remark"])
        pane.keys("Escape")  # half done: back home

        screen = pane.wait_for(words["in_progress"])
        (row,) = lines_with(screen, words["in_progress"])
        assert stairwell in row
        pane.keys("Enter")  # resume it from the due list
        screen = pane.wait_for("✎ " + words["note"])  # the earlier answers are shown
        assert words["red"] in screen and words["remark"] in screen
        answer(pane, lang, "1", "p", "p", "1", "p")  # the second unit is fine
        pane.keys("1")
        pane.wait_for("1*)")
        answer(pane, lang, "Enter", "p", "p", "p")
        pane.keys("Enter")  # no photo needed: skipped
        pane.wait_for(words["spares"])
        pane.typed("60")  # spares used: out of its range
        pane.wait_for(words["refused"])
        pane.keys("BSpace", "BSpace")
        answer_typed(pane, lang, "1")
        answer(pane, lang, "p")  # every unit on site was on the list
        pane.typed(words["person"])  # the patroller signs: the review opens
        screen = pane.wait_for(words["complete"])
        assert words["gauge_case"] in screen and words["place_case"] in screen
        pane.keys("C-s")
        pane.wait_for(words["submitted"])
        screen = pane.wait_for(words["gauge_row"])  # on home, among the open cases
        assert words["no_drafts"] in screen  # one round, submitted: none in progress
        assert words["in_progress"] not in screen

        pane.keys("c")  # the cases list, most urgent first
        screen = pane.wait_for(words["gauge_row"])
        rows = screen.splitlines()
        first = 1 + next(i for i, line in enumerate(rows) if words["ref"] in line)  # the header
        target = next(i for i, line in enumerate(rows) if words["gauge_row"] in line)
        assert words["critical"] in rows[target]
        pane.keys(*["Down"] * (target - first), "Enter")  # the cursor starts on the first row
        screen = pane.wait_for(words["detail"][0][1])
        assert words["gauge_case"] in screen  # the whole title
        for label, value in words["detail"]:  # each on its own line, the value beside it
            screen = wait_line(pane, label, value)  # the evidence comes after the case

        assert stairwell in screen  # the place: the round's stairwell
        pane.keys("Escape", "Escape")

        screen = pane.wait_for(words["open_cases"])
        pane.keys("Enter")  # the next stairwell's round, now first on the list
        pane.wait_for(words["first"])
        pane.keys("1")
        pane.keys("Escape")
        pane.wait_for(words["in_progress"])
        pane.keys("d")
        pane.wait_for(words["ask_discard"])
        pane.keys("y")
        screen = pane.wait_for(words["discarded"])
        pane.wait_for(words["no_drafts"])

    with Store.open(folder / "patrol", readonly=True) as store:
        walked = [d for _, d in store.iter_records(["inspection"])
                  if d["device"] != demo_history and d["checklist"]["id"] == ROUND]  # fmt: skip
        cases = [c for c in store.open_cases() if (c.extra or {}).get("finding")]
    on_first = [d["status"] for d in walked if d["target"]["id"] == stairwell_id]
    assert on_first == ["submitted"]  # resumed, never a second round of the same stairwell
    assert sorted(d["status"] for d in walked) == ["discarded", "submitted"]  # kept, marked
    assert len(cases) == 3
    gauge = next(c for c in cases if c.extra["finding"]["item"] == "gauge")
    assert gauge.created_by == words["person"]
    assert gauge.extra["finding"]["note"] == words["note"]
    assert gauge.extra["finding"]["place"]["code"] == stairwell
    assert gauge.severity == "critical" and gauge.department == "engineering"
