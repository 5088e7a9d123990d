"""The renovation inspector scans a flat's door label on the demo, in a real terminal
(tmux, 120x40), in zh and en (issue 17: the first scan after start reads the indexes the
data folder carries, as every later one does).

Li Qiang (装修巡查岗 李强) scans the label on 3-2-202's door (a scanner: the code and Enter
in one write): the card shows the flat, its permit and that this device has no inspection
of it yet. He runs the site patrol and finds nothing wrong; back on the card it is under
the last inspections. He goes home and scans the door again: there it is. He closes the
app and starts it again; the first scan after the start shows it too."""

from __future__ import annotations

import shutil
import time

import pytest

from fieldkit.services.labels import LabelIndex
from fieldkit.store import Store
from tests.journeys.demo_pane import answer, demo_pane, start_on_card

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")

FLAT = "3-2-202"  # building 3 entrance 2, top floor: a permit in force
WORDS = {
    "zh": {
        "title": "fieldkit 演示 — 装修巡查岗 · 李强", "home": "装修中的房屋",
        "flat": "3号楼2单元202室", "permit": "装修许可 ZX", "last": "最近检查",
        "none_yet": "本机还没有这户的检查记录。", "patrol": "装修现场巡查",
        "no_work": "1*) 今天没有施工", "no_photo": "没有需要拍的，按回车跳过本项。",
        "complete": "必答项已全部填写。", "submitted": "已提交，没有生成工单。",
        "row": "装修现场巡查（发现问题 0 项）",
    },
    "en": {
        "title": "fieldkit demo — Renovation inspector · Li Qiang",
        "home": "Flats under renovation", "flat": "Building 3, Entrance 2, Flat 202",
        "permit": "Permit ZX", "last": "Last inspections",
        "none_yet": "No inspections on this device yet.", "patrol": "Renovation site patrol",
        "no_work": "1*)", "no_photo": "Nothing to photograph? Enter skips this item.",
        "complete": "Every required item is answered.", "submitted": "Submitted. No case raised.",
        "row": "Renovation site patrol  (0 problems found)",
    },
}  # fmt: skip


def last_inspections(screen: str, words: dict) -> list[str]:
    """The lines under the card's last inspections, up to the next heading."""
    part = screen.split(words["last"], 1)[1]
    lines = [line.strip() for line in part.splitlines()]
    out = []
    for line in lines[1:]:
        if not line or not (line[0].isdigit() or line == words["none_yet"]):
            break
        out.append(line)
    return out


def card_of(pane, payload: str, words: dict) -> str:
    """Scan the door label; the card once its last inspections are drawn under it."""
    pane.scan(payload)
    end = time.monotonic() + pane.patience
    while time.monotonic() < end:
        screen = pane.text()
        shown = words["permit"] in screen and words["last"] in screen
        if shown and last_inspections(screen, words):
            return screen
        time.sleep(0.05)
    raise AssertionError(f"no card with its last inspections:\n{pane.text()}")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_scan_run_the_site_patrol_scan_again_and_after_a_new_start(tmp_path, make_demo, lang):
    words = WORDS[lang]
    folder = tmp_path / "demo"
    make_demo(folder, cases=5, lang=lang, floors=2)
    with Store.open(folder / "renovation", readonly=True) as store:
        (payload,) = [lb.payload for lb in LabelIndex.load(store).labels if lb.code == FLAT]

    with demo_pane(tmp_path, folder, lang, "2") as pane:
        pane.wait_for(words["title"])
        pane.wait_for(words["home"])
        screen = card_of(pane, payload, words)
        assert words["permit"] in screen
        (earlier,) = last_inspections(screen, words)  # the demo's earlier, clean patrol
        assert earlier != words["none_yet"]

        start_on_card(pane, lang, words["patrol"])  # the card's checklists: the patrol first
        answer(pane, lang, "p")  # the permit is on the door
        pane.keys("1")  # no work today
        pane.wait_for(words["no_work"])
        answer(pane, lang, "Enter")
        answer(pane, lang, "p", "p", "p", "p", "p", "p", "1", "p")  # nothing wrong, no debris
        pane.wait_for(words["no_photo"])
        pane.keys("Enter")  # no photo
        pane.keys("Enter")  # no note
        pane.wait_for(words["complete"])
        pane.keys("C-s")
        pane.wait_for(words["submitted"])
        screen = pane.wait_for(words["row"])  # back on the card, under its last inspections
        row, before = last_inspections(screen, words)  # newest first, then the earlier
        assert row.endswith(words["row"]) and before == earlier

        pane.keys("Escape")
        pane.wait_for(words["home"])
        screen = card_of(pane, payload, words)  # the door scanned again
        assert last_inspections(screen, words) == [row, earlier]

    with demo_pane(tmp_path, folder, lang, "2") as pane:  # the app started again
        pane.wait_for(words["home"])
        screen = card_of(pane, payload, words)
        assert words["permit"] in screen
        assert last_inspections(screen, words) == [row, earlier]
