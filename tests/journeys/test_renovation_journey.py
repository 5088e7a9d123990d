"""The renovation inspector's journey on the demo, in a real terminal (tmux, 120x40), in zh
and en.

Li Qiang (装修巡查岗 李强) finds the flat under renovation (3-2-202 on a two-floor demo),
runs the site checklist from its unit card: a bearing wall, the outer face, the wiring and
debris in the corridor fail, and he gives the owner until today to put them right. The
violations carry that deadline; the rectification notice he writes lists the faults in
the owner's words with that one deadline. Re-inspection: the first is put right (closed);
the second is not, and is escalated with a new deadline two days on; then all are put
right. The acceptance inspection passes and returns the deposit in full, and the unit card
says so."""

from __future__ import annotations

import re
import shutil
import time
from datetime import date, timedelta

import pytest

from fieldkit.services import demo_office as demo
from fieldkit.services import renovation
from fieldkit.services.workspace import Workspace
from fieldkit.store import Store
from tests.journeys.demo_pane import answer, answer_typed, demo_pane

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")

FLAT = "3-2-202"  # flat 02 on the top floor of building 3 entrance 2: a permit in force
FAULTS = {
    "zh": ("擅自改动承重墙、柱、梁或楼板", "擅自改动外立面、外窗或阳台结构",
           "电线未穿管或未按图施工", "装修垃圾未按规定存放：堆在走道、楼梯间或电梯厅"),
    "en": ("Bearing walls, columns, beams or slabs altered",
           "Outer face, windows or balcony altered without approval",
           "Wiring not in conduit, or not as drawn",
           "Debris not kept as required: Left in corridor, stairs or lift lobby"),
}  # fmt: skip
PASS_WORDING = {
    "zh": "外立面、外窗、阳台结构没有改动",
    "en": "Outer face, windows, balcony unchanged",
}
WORDS = {
    "zh": {
        "title": "fieldkit 演示 — 装修巡查岗 · 李强", "find": "扫描标签，或搜索",
        "permit": "装修许可 ZX", "none_open": "没有未整改的违规。",
        "patrol": "装修现场巡查", "photo_path": "照片文件的路径", "sign_skip": "文字项：",
        "complete": "必答项已全部填写。", "fix_by": "整改期限 ",
        "violations": "未整改的违规", "next_section": "最近检查",
        "notice_sent": "整改通知已保存到", "deadline": "请于 {due} 前整改完毕",
        "closed": "已结案：复查已整改",
        "escalated": "未整改：已升级处理（第 1 次）",
        "acceptance": "装修完工验收", "no_cases": "提交后不会生成工单。",
        "accepted": "：通过 · 押金可以退还", "note": "业主同意三天内恢复墙体",
        "owner": "黄先生", "inspector": "李强",
    },
    "en": {
        "title": "fieldkit demo — Renovation inspector · Li Qiang", "find": "scan the label",
        "permit": "Permit ZX", "none_open": "No open violations.",
        "patrol": "Renovation site patrol", "photo_path": "Path of the photo file",
        "sign_skip": "Enter on an empty optional item skips it",
        "complete": "Every required item is answered.", "fix_by": "fix by ",
        "violations": "Open violations", "next_section": "Last inspections",
        "notice_sent": "Rectification notice written to",
        "deadline": "Please put these right by {due}.",
        "closed": "closed: put right.",
        "escalated": "not put right: escalated",
        "acceptance": "Renovation acceptance", "no_cases": "Submitting raises no case.",
        "accepted": ": passed · the deposit can be returned",
        "note": "The owner agreed to restore the wall in three days",
        "owner": "Mr Huang", "inspector": "Li Qiang",
    },
}  # fmt: skip


def violations_shown(screen: str, words: dict) -> list[str]:
    """The lines of the unit card's open violations (between its title and the next)."""
    part = screen.split(words["violations"], 1)[1].split(words["next_section"], 1)[0]
    return [line for line in part.splitlines() if re.search(r"#[0-9a-f]{6}  ", line)]


def wait_violations(pane, words: dict, count: int) -> list[str]:
    """The open violations once the card lists ``count`` of them."""
    end = time.monotonic() + pane.patience
    while time.monotonic() < end:
        screen = pane.text()
        if words["violations"] in screen and words["next_section"] in screen:
            shown = violations_shown(screen, words)
            if len(shown) == count:
                return shown
        time.sleep(0.05)
    raise AssertionError(f"never {count} open violations:\n{pane.text()}")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_site_patrol_notice_reinspection_and_acceptance(tmp_path, lang):
    words, faults = WORDS[lang], FAULTS[lang]
    folder = tmp_path / "demo"
    demo.make(folder, cases=5, lang=lang, floors=2)
    photo = tmp_path / "IMG_0002.jpg"
    photo.write_bytes(b"\xff\xd8\xff\xe0 the wall knocked through")
    today = date.today().isoformat()
    later = (date.today() + timedelta(days=renovation.ESCALATION_DAYS)).isoformat()

    with demo_pane(tmp_path, folder, lang, "2") as pane:
        pane.wait_for(words["title"])
        pane.keys("/")
        pane.wait_for(words["find"])
        pane.typed(FLAT)
        screen = pane.wait_for(words["permit"])  # the unit card: its permit in force
        assert words["none_open"] in screen
        pane.keys("Enter")  # the site patrol, first of its checklists
        pane.wait_for(words["patrol"])
        answer(pane, lang, "p")  # the permit is posted
        for option in ("2", "5"):  # today: demolition, wiring
            pane.keys(option)
            pane.wait_for(f"{option}*)")
        answer(pane, lang, "Enter")
        answer_typed(pane, lang, "0")  # workers without a pass
        # bearing wall FAIL, outer face FAIL, gas fine, no wet work, wiring FAIL, hours fine,
        # debris left in the corridor, lift and corridor protected
        answer(pane, lang, "f", "f", "p", "n", "f", "p", "4", "p")
        answer_typed(pane, lang, str(photo), ask="a", asked=words["photo_path"])
        answer(pane, lang, "p", "p")  # the work is stopped; a notice is given
        answer_typed(pane, lang, today)  # put right by: today
        pane.keys("Enter")  # the owner's signature is optional: skipped
        pane.wait_for(words["sign_skip"])
        pane.typed(words["note"])
        screen = pane.wait_for(words["complete"])
        for fault in faults:
            (line,) = [ln for ln in screen.splitlines() if fault[:20] in ln]
            assert line.rstrip().endswith(today), line  # the inspector's date, each of them
        pane.keys("C-s")

        shown = wait_violations(pane, words, 4)  # back on the unit card
        for line in shown:
            assert words["fix_by"] + today in line, line
        pane.keys("n")
        pane.wait_for(words["notice_sent"])
        (notice,) = (folder / "renovation" / "notices").glob("*.txt")
        text = notice.read_text("utf-8")
        zh, en = text.split("\n\n", 1)
        owner = zh if lang == "zh" else en
        for fault in faults:
            assert fault in owner
        assert PASS_WORDING[lang] not in owner  # never the opposite of the fault
        deadlines = re.findall(
            r"请于 (\S+) 前整改完毕" if lang == "zh" else r"right by (\S+)\.", owner
        )
        assert deadlines == [today]  # one deadline, the inspector's
        assert words["deadline"].format(due=today) in owner

        pane.keys("y")  # re-inspection of the marked one: put right
        pane.wait_for(words["closed"])
        wait_violations(pane, words, 3)
        pane.keys("x")  # the next: not put right, on its deadline day
        pane.wait_for(words["escalated"])  # the toast wraps: its new deadline is on the card
        wait_violations(pane, words, 3)
        pane.wait_for(words["fix_by"] + later)  # escalated: two more days (once the toast goes)
        for left in (2, 1, 0):
            pane.keys("y")
            if left:
                wait_violations(pane, words, left)
        pane.wait_for(words["none_open"])

        pane.keys("Down", "Down", "Enter")  # the acceptance, last of the checklists
        pane.wait_for(words["acceptance"])
        # structure, outer face, gas fine; no wet work; breakers labelled; RCD trips
        answer(pane, lang, "p", "p", "p", "2", "p", "p")
        pane.keys("1")  # common areas restored
        pane.wait_for("1*)")
        answer(pane, lang, "Enter", "p")  # all debris taken away
        pane.keys("Enter")  # no acceptance photos
        pane.wait_for("4) ")  # the deposit's options
        answer(pane, lang, "1")  # returned in full
        answer_typed(pane, lang, words["owner"])
        pane.typed(words["inspector"])
        pane.wait_for(words["no_cases"])
        pane.keys("C-s")
        pane.wait_for(words["accepted"])

    ws = Workspace.open(folder / "renovation")
    try:
        unit = ws.lookup_scan(FLAT).target
        result = renovation.acceptance(ws, unit.id)
        assert result.passed and result.deposit_returnable
        assert result.decision == "return_full" and result.open_violations == 0
    finally:
        ws.close()
    with Store.open(folder / "renovation", readonly=True) as store:
        violations = [d for _, d in store.iter_records(["case"]) if d.get("kind") == "violation"
                      and d["target"]["id"] == unit.id]  # fmt: skip
    assert len(violations) == 4 and {v["status"] for v in violations} == {"closed"}
    escalated = [v for v in violations if any(e["type"] == "escalated" for e in v["events"])]
    assert len(escalated) == 1 and escalated[0]["severity"] == "critical"
    assert all(any(e["type"] == "notice" for e in v["events"]) for v in violations)
