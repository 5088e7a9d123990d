"""A newcomer's round on the demo, as the patrol guard, in a real terminal (tmux), zh and en
(nc14): at the end of the floor round the cursor is on the signature; a scan of an
extinguisher's label (code and Enter in one write) goes back to that extinguisher — it is
not saved as the signature — and its question is on screen with its options, at 120x40
and at 80x24. Then the signature is typed over and the app closed with Ctrl+Q before
Enter: opened again, the round holds the name typed, not nothing."""

from __future__ import annotations

import shutil

import pytest

from tests.journeys.demo_pane import demo_pane, lines_with
from tests.journeys.test_patrol_journey import first_due

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")

WORDS = {
    "zh": {"first": "第 1 / 3 件", "sign": "巡检人签名", "name": "张伟", "other": "李四",
           "jumped": "{code}：已跳到它未答的第一项。", "second": "第 2 / 3 件",
           "question": "[2/3] 灭火器在不在指定位置", "options": "1) 在指定位置",
           "draft": "（已答 1/"},
    "en": {"first": "Item 1 of 3", "sign": "Patroller signature", "name": "Zhang Wei",
           "other": "Li Si", "jumped": "{code}: next item to answer.",
           "second": "Item 2 of 3", "question": "[2/3] Is it in its designated place",
           "options": "1) In its place", "draft": "(1/"},
}  # fmt: skip


def open_the_round(pane, lang: str, stairwell: str) -> None:
    """The first due row is the stairwell's floor round: Enter opens it."""
    pane.wait_for(stairwell)
    pane.keys("Enter")
    pane.wait_for(WORDS[lang]["first"])
    pane.wait_for("1) ")  # its first question's options: the round has the keys


def at_the_signature(pane, words) -> str:
    """End: the last item, the patroller's signature, his name offered in its box."""
    pane.keys("End")
    return pane.wait_for(f"   {words['sign']} *")


@pytest.mark.parametrize("size", [(120, 40), (80, 24)])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_scan_at_the_signature_goes_back_and_ctrl_q_keeps_the_name(
    tmp_path, make_demo, lang, size
):
    words = WORDS[lang]
    folder = tmp_path / "demo"
    make_demo(folder, cases=0, lang=lang, floors=3)
    stairwell, _ = first_due(folder)
    code = "EXT-" + stairwell.removeprefix("R-") + "-2"  # its second floor's extinguisher
    with demo_pane(tmp_path, folder, lang, "1", size=size) as pane:
        open_the_round(pane, lang, stairwell)
        at_the_signature(pane, words)
        pane.scan(code)
        screen = pane.wait_for(words["jumped"].format(code=code))
        screen = pane.wait_for(words["second"])
        assert words["question"] in screen and words["options"] in screen, screen
        signature = "".join(lines_with(screen, words["sign"]))
        assert "→" not in signature and code not in signature  # not saved as the signature

        at_the_signature(pane, words)
        pane.keys(*["BSpace"] * len(words["name"]))
        pane.tmux("send-keys", "-t", pane.name, "-l", words["other"])  # typed, no Enter
        pane.wait_for(words["other"])
        pane.keys("C-q")  # closes the app (and the demo): the name is saved first
        pane.history = True
        pane.wait_for("FIELDKIT_DATA_DIR")
    with demo_pane(tmp_path, folder, lang, "1", size=size) as pane:
        screen = pane.wait_for(words["draft"])  # the home's rounds in progress: one answer
        (draft,) = lines_with(screen, words["draft"])
        assert stairwell in draft, draft
        open_the_round(pane, lang, stairwell)
        pane.keys("End")
        pane.wait_for(f"{words['sign']}  → {words['other']}")
