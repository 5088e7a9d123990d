"""The keys a patroller reads are the keys that work, on the demo in a real terminal (tmux,
120x40), in zh and en.

Zhang Wei (巡逻岗 张伟) opens help on home: r (refresh) is listed with the others, and d
(discard) is not, no round being in progress. He opens the first due round, says the
extinguisher is in its place (1), then picks its type and fails "easy to reach" with 1 and
f pressed at once: both are saved, in the order given, and the key bar offers the keys of
the item now shown. He leaves the round half done: home's key bar and help now offer d; r shows
the latest. After he quits, the answers are on disk as given."""

from __future__ import annotations

import re
import shutil

import pytest

from fieldkit.i18n import t
from fieldkit.store import Store
from tests.journeys.demo_pane import demo_pane, lines_with

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")

WORDS = {
    "zh": {"title": "fieldkit 演示 — 巡逻岗 · 张伟", "in_place": "灭火器在不在指定位置",
           "here": "在指定位置", "types": "1) 手提式", "reach": "取用通道畅通、一眼能看到",
           "first": "第 1 / 2 件", "help": "本页按键"},
    "en": {"title": "fieldkit demo — Patrol · Zhang Wei",
           "in_place": "Is it in its designated place", "here": "In its place",
           "types": "1) Portable", "reach": "Easy to reach and to see", "first": "Item 1 of 2",
           "help": "Keys on this screen"},
}  # fmt: skip


def help_line(screen: str, key: str) -> str:
    """Help's line for ``key`` ("" if it has none)."""
    for line in screen.splitlines():
        cells = line.strip(" █").split()
        if cells and cells[0] == key:
            return line
    return ""


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_keys_listed_are_the_keys_that_work(tmp_path, make_demo, lang):
    words = WORDS[lang]
    folder = tmp_path / "demo"
    make_demo(folder, cases=5, lang=lang, floors=2)

    with demo_pane(tmp_path, folder, lang, "1") as pane:
        pane.wait_for(words["title"])
        pane.wait_for(t("rounds.bar.start", lang))
        pane.wait_for(t("ui.home.overdue", lang))  # read the rounds due before asking for help
        pane.keys("?")
        screen = pane.wait_for(words["help"])
        assert t("ui.keys.refresh", lang) in help_line(screen, "r")
        assert help_line(screen, "d") == ""  # no round in progress: nothing to discard
        pane.keys("Escape")
        pane.wait_gone(words["help"])

        pane.keys("Enter")  # the first due round
        pane.wait_for(words["first"])
        pane.keys("1")  # in its place
        pane.wait_for(words["types"])
        pane.tmux("send-keys", "-t", pane.name, "1", "f")  # in one go: a quick hand
        screen = pane.wait_for(f"{words['reach']}  → {t('ui.runner.check_fail', lang)}")
        placed = lines_with(screen, words["in_place"])[0]  # the first extinguisher's
        assert f"→ {words['here']}" in placed
        bar = screen.rstrip().splitlines()[-1]
        assert f" p  {t('ui.keys.pass', lang)} " not in bar  # the next item: a choice
        # its options by number (the gauge's four readings, or a two-way choice first: which
        # comes next depends on the extinguisher the demo's day puts first)
        assert re.search(rf" 1-[2-9]  {re.escape(t('ui.runner.bar.option', lang))} ", bar), bar

        pane.keys("Escape")  # half done: home offers to discard it now
        screen = pane.wait_for(f" d  {t('rounds.keys.discard', lang)} ")
        pane.wait_gone(words["first"])
        pane.keys("?")
        screen = pane.wait_for(words["help"])
        assert t("rounds.drafts.discard_key", lang) in help_line(screen, "d")
        pane.keys("Escape")
        pane.wait_gone(words["help"])
        pane.keys("r")  # the latest: the round shows its three answers
        screen = pane.wait_for(t("rounds.drafts.in_progress", lang, done=3, total=0)[:5])
        assert re.search(r"\b3/\d+", screen), screen

    store = Store.open(folder / "patrol")
    try:
        (draft,) = store.drafts()
        answers = {k.split("@")[0]: a.value for k, a in draft.answers.items()}
        assert answers["in_place"] == "here" and answers["unit_type"] == "portable", answers
        assert answers["access_visible"] == "fail", answers
        order = sorted(draft.answers, key=lambda k: draft.answers[k].hlc)
        assert [k.split("@")[0] for k in order][-3:] == ["in_place", "unit_type", "access_visible"]
    finally:
        store.close()
