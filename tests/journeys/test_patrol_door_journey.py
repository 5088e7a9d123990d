"""The patroller's fire-door round on the demo, in a real terminal, in zh and en (nc27): he
opens building 3 by typing its whole name, finds a normally-closed door propped open and
shuts it there and then, says which door, and finds the rest as it should be. The round's
list marks that answer ``!`` (found and put right), not ✔; the review lists it as put right
on the spot and raises no case; the home's "submitted today" says so — it read 全部正常."""

from __future__ import annotations

import shutil

import pytest

from fieldkit.i18n import plural, t
from tests.journeys.demo_pane import answer, answer_typed, demo_pane, in_runner, lines_with

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")

WORDS = {
    "zh": {"building": "3号楼", "round": "防火门与疏散通道日巡", "doors": "常闭防火门",
           "closed": "发现常开，已关闭", "where": "5层东侧楼梯间门"},
    "en": {"building": "Building 3", "round": "Fire doors and escape routes — daily",
           "doors": "Normally-closed fire doors", "closed": "Found open, closed it",
           "where": "floor 5, east stair door"},
}  # fmt: skip


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_door_shut_on_the_spot_is_said_from_the_round_to_the_home(tmp_path, make_demo, lang):
    words = WORDS[lang]
    folder = tmp_path / "demo"
    make_demo(folder, cases=5, lang=lang, floors=2)
    with demo_pane(tmp_path, folder, lang, "1") as pane:
        pane.wait_for(t("rounds.bar.start", lang))
        pane.keys("s")
        pane.wait_for(t("ui.start.title", lang))
        pane.typed(words["building"])  # its whole name and Enter: the building, not a list
        pane.wait_for(words["round"])
        pane.keys("Enter")  # its first checklist: the daily door round
        in_runner(pane, lang)
        answer(pane, lang, "2")  # a door found open, shut there and then
        screen = pane.text()
        (line,) = [s for s in lines_with(screen, words["doors"]) if words["closed"] in s]
        assert f"! {words['doors']}" in line and "✔" not in line, line
        answer(pane, lang, "1", "p", "p")  # no wedge; closers and seals as they should be
        answer_typed(pane, lang, words["where"])  # which door it was
        pane.keys("1")  # the stairs and corridors: clear (ticked, then saved)
        answer(pane, lang, "Enter")
        answer(pane, lang, "p", "p", "p", "p", "p")
        pane.keys("s")
        acted = t("ui.finish.acted", lang, item=words["doors"], done=words["closed"])
        screen = pane.wait_for(acted)
        assert t("ui.finish.no_cases", lang) in screen
        pane.keys("C-s")
        pane.wait_gone(acted)  # back on the building's card
        pane.keys("Escape")
        pane.wait_for(t("ui.start.title", lang))  # the search it was found by
        pane.keys("Escape")
        said = plural("ui.home.done_acted", 1, lang)
        screen = pane.wait_for(said)
        (done,) = [s for s in lines_with(screen, said) if words["building"] in s]
        assert t("ui.home.done_normal", lang) not in done
