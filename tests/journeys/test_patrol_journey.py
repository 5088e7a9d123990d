"""The patroller's journey on the demo, in a real terminal (tmux, 120x40), in zh and en, on a
laptop whose clock is set to UTC (the compound is on China time).

Zhang Wei (巡逻岗 张伟) opens the first due round, the month's floor round of a stairwell,
with Enter. The first extinguisher is not there at all: he says so (option 3), and the
checks that need it there (gauge, body and nozzle …) are not asked; he photographs the
empty bracket, has no spare to put up, and notes it. The second is in the red: a note on
its gauge, a photo, no spare to swap in. He leaves the round half done and resumes it from
the due list (his answers shown), types a spare count out of range (refused, nothing
saved), signs, and the review opens at 100%: one case per fault, each saying what is wrong
— never "the faulty unit is still there" for one that is gone — and changing a case's
severity with v brings its due time with it. Submitted, he finds the gauge case from the
case list by the extinguisher's code and reads its evidence, raised at China time."""

from __future__ import annotations

import re
import shutil
import time
from datetime import UTC, datetime, timedelta, timezone

import pytest

from fieldkit.store import Store
from tests.journeys.demo_pane import answer, answer_typed, demo_pane, lines_with

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")

ROUND = "fire.extinguisher.floor_round"
CHINA = timezone(timedelta(hours=8))
WORDS = {
    "zh": {
        "title": "fieldkit 演示 — 巡逻岗 · 张伟", "due": "待检与超期",
        "round": "灭火器月检（按楼层）", "first": "第 1 / 2 件", "second": "第 2 / 2 件",
        "gone": "现场找不到（丢失）", "gauge_item": "[1/2] 压力表指针",
        "body_item": "[1/2] 瓶体与喷嘴",
        "refill_item": "[1/2] 补放备品", "photo_saved": "照片已保存",
        "no_refill": "没有备品，此处暂时没有灭火器", "empty_note": "灭火器箱是空的，已报工程部补配",
        "note": "压力表指针在红区，已贴停用标签", "red": "红区（压力不足）",
        "no_swap": "没有备品，已贴停用标签、留在原处",
        "in_progress": "（进行中，已答", "resumed": "继续上次未完成的巡检",
        "refused": "数值必须在 0 到 50 之间", "complete": "必答项已全部填写。",
        "done": re.compile(r"已答 (\d+)/(\d+)"),
        "gone_case": "灭火器不在指定位置：现场找不到（丢失）", "gone_row": "现场找不到",
        "gauge_case": "灭火器压力异常：红区（压力不足）",
        "still_there": "仍在原位", "dues": ("3 天内", "24 小时内", "4 小时内"),
        "submitted": "已提交，生成 2 张工单", "no_drafts": "没有未完成的巡检。",
        "find": "查找工单", "finding": "查找：", "ref": "编号",
        "detail": (("实际情况", "红区（压力不足）"), ("要求", "绿区（正常）或无压力表"),
                   ("备注", "压力表指针在红区，已贴停用标签"),
                   ("换备品", "没有备品，已贴停用标签、留在原处"), ("发现人", "张伟")),
        "created": "发起时间", "person": "张伟",
        "offered": "已填入当前登录人（张伟）：本人签字直接回车",
    },
    "en": {
        "title": "fieldkit demo — Patrol · Zhang Wei", "due": "Due and overdue",
        "round": "Monthly extinguisher round", "first": "Item 1 of 2",
        "second": "Item 2 of 2", "gone": "Missing (not found on site)",
        "gauge_item": "[1/2] Pressure gauge needle", "body_item": "[1/2] Body and nozzle",
        "refill_item": "[1/2] Spare put in its place", "photo_saved": "Photo saved",
        "no_refill": "No spare: the place is empty for now",
        "empty_note": "The box is empty, engineering told",
        "note": "Gauge in the red, tagged out of use", "red": "Red zone (low)",
        "no_swap": "No spare: tagged out of use and left in place",
        "in_progress": "(started, ", "resumed": "Resuming the round in progress",
        "refused": "The value must be between 0 and 50",
        "complete": "Every required item is answered.",
        "done": re.compile(r"(\d+)/(\d+) answered"),
        "gone_case": "Extinguisher not in its place: missing (not found on site)",
        "gone_row": "missing (not found",
        "gauge_case": "Extinguisher pressure out of range: red zone (low)",
        "still_there": "still there",
        "dues": ("within 3 days", "within 24 hours", "within 4 hours"),
        "submitted": "Submitted. 2 cases raised.", "no_drafts": "No round in progress.",
        "find": "Find a case", "finding": "Search: ", "ref": "Ref.",
        "detail": (("Found", "Red zone (low)"), ("Expected", "Green zone (OK) or No gauge"),
                   ("Note", "Gauge in the red, tagged out of use"),
                   ("Spare from stock", "No spare: tagged out of use and left in place"),
                   ("Raised by", "Zhang Wei")),
        "created": "Raised", "person": "Zhang Wei",
        "offered": "Filled in with who is signed in (Zhang Wei): press Enter to sign",
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


def wait_row(pane, needle: str, ending: str) -> str:
    """The screen once the row holding ``needle`` ends with ``ending``."""
    end = time.monotonic() + pane.patience
    while time.monotonic() < end:
        screen = pane.text()
        if any(line.rstrip().endswith(ending) for line in lines_with(screen, needle)):
            return screen
        time.sleep(0.05)
    raise AssertionError(f"the row of {needle!r} never ends {ending!r}:\n{pane.text()}")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_patrol_round_with_a_missing_extinguisher_resumed_submitted_and_found(
    tmp_path, make_demo, lang
):
    words = WORDS[lang]
    folder = tmp_path / "demo"
    make_demo(folder, cases=5, lang=lang, floors=2)
    stairwell, stairwell_id = first_due(folder)
    photo = tmp_path / "IMG_0001.jpg"
    photo.write_bytes(b"\xff\xd8\xff\xe0 an empty bracket")
    gauge_photo = tmp_path / "IMG_0002.jpg"
    gauge_photo.write_bytes(b"\xff\xd8\xff\xe0 a gauge in the red")

    with demo_pane(tmp_path, folder, lang, "1", tz="UTC") as pane:
        pane.wait_for(words["title"])
        screen = pane.wait_for(stairwell)
        due = screen.split(words["due"], 1)[1].splitlines()[1]  # the first due row
        assert words["round"] in due and stairwell in due and " · " in due  # says when
        pane.keys("Enter")  # the first row is highlighted: Enter opens it
        pane.wait_for(words["first"])

        answer(pane, lang, "3")  # the first extinguisher is not there at all
        screen = pane.wait_for(words["gone"])
        assert words["refill_item"] in screen  # asked: a spare put up in its place?
        for needs_it_there in (words["gauge_item"], words["body_item"]):
            assert needs_it_there not in screen  # no untrue answers for one that is gone
        answer_typed(pane, lang, str(photo), ask="a", asked=photo_question(lang))
        pane.wait_for(words["photo_saved"])  # a photo item stays for another; Enter on
        pane.keys("Enter")
        answer(pane, lang, "2")  # no spare to put up
        pane.wait_for(words["no_refill"])
        answer_typed(pane, lang, words["empty_note"])

        pane.wait_for(words["second"])
        answer(pane, lang, "1", "1", "p", "2")  # here; portable; easy to reach; gauge: red
        pane.wait_for(words["red"])
        pane.keys("Up", "t")  # a note on the gauge item
        pane.wait_for("”" if lang == "zh" else "Note on")
        pane.typed(words["note"])
        pane.wait_for("✎ " + words["note"])
        pane.keys("Down")
        answer(pane, lang, "p")  # pin and seal
        pane.keys("1")  # body: sound (a multi: ticked, then Enter)
        pane.wait_for("1*)")
        answer(pane, lang, "Enter", "p", "1", "p")  # nameplate, service tag (in date), card
        answer_typed(pane, lang, str(gauge_photo), ask="a", asked=photo_question(lang))
        pane.wait_for(words["photo_saved"])
        pane.keys("Escape")  # half done: back home

        screen = pane.wait_for(words["in_progress"])
        (row,) = lines_with(screen, words["in_progress"])
        assert stairwell in row
        pane.keys("Enter")  # resume it from the due list
        screen = pane.wait_for("✎ " + words["note"])  # the earlier answers are shown
        assert words["resumed"] in screen or words["gone"] in screen
        assert words["no_refill"] in screen and words["empty_note"] in screen
        answer(pane, lang, "2")  # it opens after the photo: no spare to swap in
        pane.wait_for(words["no_swap"])
        pane.keys("Enter")  # no note: skipped
        pane.wait_for("0 " + ("到" if lang == "zh" else "to") + " 50")
        pane.typed("60")  # spares used: out of its range
        pane.wait_for(words["refused"])
        pane.keys("BSpace", "BSpace")
        answer_typed(pane, lang, "0")
        answer(pane, lang, "p")  # every unit on site was on the list
        done, total = words["done"].search(pane.text()).groups()
        assert int(total) - int(done) == 1  # the signature: the last one to answer
        # the signature is offered to the patroller signed in: Enter signs, the review opens
        pane.wait_for(words["offered"])
        pane.keys("Enter")
        screen = pane.wait_for(words["complete"])
        assert words["gone_case"] in screen and words["gauge_case"] in screen
        assert words["still_there"] not in screen  # nothing said of a unit that is gone
        cases = [line for line in screen.splitlines() if re.search(r"EXT-\d+-\d+-\d+", line)]
        assert len(cases) == 2, screen  # one case per fault: what is wrong, the unit's code
        assert not any("）（" in line or ") (" in line for line in cases), cases
        (gauge_row,) = [line for line in cases if words["gauge_case"] in line]
        code = re.search(r"EXT-\d+-\d+-\d+", gauge_row.split(words["gauge_case"])[1])[0]
        # severity with v: the due time follows (critical 4 h → minor 3 days → major 24 h)
        for due_now in words["dues"]:
            pane.keys("v")
            wait_row(pane, words["gone_row"], due_now)
        pane.keys("C-s")
        pane.wait_for(words["submitted"])
        pane.wait_for(words["no_drafts"])  # one round, submitted: none in progress

        pane.keys("c")  # the case list; / finds the case by the extinguisher's code
        pane.wait_for(words["ref"])
        pane.keys("/")
        pane.wait_for(words["find"])
        pane.typed(code)
        screen = pane.wait_for(words["finding"] + code)
        rows = screen.splitlines()
        first = 1 + next(i for i, line in enumerate(rows) if words["ref"] in line)  # the header
        found = [i for i, line in enumerate(rows) if code in line and i >= first]
        target = next(i for i in found if words["gauge_case"][:8] in rows[i])
        pane.keys(*["Down"] * (target - first), "Enter")
        for label, value in words["detail"]:  # each on its own line, the value beside it
            screen = wait_line(pane, label, value)
        assert stairwell in screen  # the place: the round's stairwell
        (raised,) = re.findall(words["created"] + r"\s+(\d{4}-\d\d-\d\d \d\d:\d\d)", screen)
        shown = datetime.strptime(raised, "%Y-%m-%d %H:%M")
        china = datetime.now(CHINA).replace(tzinfo=None)
        assert abs(shown - china) < timedelta(minutes=10), raised  # China time, not UTC
        assert abs(shown - datetime.now(UTC).replace(tzinfo=None)) > timedelta(hours=7)
        pane.keys("Escape", "Escape")

    with Store.open(folder / "patrol", readonly=True) as store:
        walked = [d for _, d in store.iter_records(["inspection"])
                  if d["device"] != "office0demo0" and d["checklist"]["id"] == ROUND]  # fmt: skip
        cases = [c for c in store.open_cases() if (c.extra or {}).get("finding")]
    assert [d["status"] for d in walked if d["target"]["id"] == stairwell_id] == ["submitted"]
    (walk,) = [d for d in walked if d["target"]["id"] == stairwell_id]
    signed = [a["value"] for k, a in walk["answers"].items() if k.endswith("patroller_sign")]
    assert signed == [words["person"]]  # signed with the name offered, as the person read it
    assert len(cases) == 2
    gone = next(c for c in cases if c.extra["finding"]["item"] == "in_place")
    assert gone.extra["finding"]["value"] == "missing"
    assert gone.severity == "critical" and gone.department == "engineering"
    assert [p.name for e in gone.events if e.type == "photo" for p in e.attachments] == [photo.name]
    remarks = {r["label"]["en"]: r["text"] for r in gone.extra["finding"]["remarks"]}
    assert remarks["Spare put in its place"]["en"] == "No spare: the place is empty for now"
    gauge = next(c for c in cases if c.extra["finding"]["item"] == "gauge")
    assert gauge.created_by == words["person"]
    assert gauge.extra["finding"]["note"] == words["note"]
    assert gauge.extra["finding"]["place"]["code"] == stairwell


def photo_question(lang: str) -> str:
    return {"zh": "照片文件的路径", "en": "Path of the photo file"}[lang]
