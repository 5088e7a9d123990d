"""Start-up as a person meets it, on the demo in a real terminal (tmux, 120x40), zh and en.

Zhang Wei (巡逻岗 张伟) opens the app: the home draws with its data — the case he raised
this morning at the top of the open cases, the rounds due — and every key on its bar does
what the bar says: s starts a round, / finds a flat, c lists the cases, ? shows the keys,
ctrl+l reads the home in the other language and back; ctrl+q quits (the demo's own exit).
A floor round he left half done is listed with its answers counted. Issue 17 moved work off
this path (catalogue files read by the key's file, messages made per screen, the due rounds
and the checklists loaded after the data is drawn, the round in progress read from its own
checklist file): this is the journey that must not change for it."""

from __future__ import annotations

import re
import shutil
import time

import orjson
import pytest

from fieldkit.i18n import t
from fieldkit.model import Target
from fieldkit.services import draft_progress
from fieldkit.services.cases import iso
from fieldkit.services.workspace import Workspace
from tests.journeys.demo_pane import answer, demo_pane, in_runner

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")

WORDS = {
    "zh": {"title": "fieldkit 演示 — 巡逻岗 · 张伟", "case": "3号楼2单元消防通道被电动车堵住"},
    "en": {"title": "fieldkit demo — Patrol · Zhang Wei", "case": "Fire lane blocked by e-bikes"},
}
OTHER = {"zh": "en", "en": "zh"}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_home_draws_its_data_and_every_key_on_its_bar_works(tmp_path, make_demo, lang):
    words = WORDS[lang]
    folder = tmp_path / "demo"
    make_demo(folder, cases=5, lang=lang, floors=2)
    patrol = Workspace.open(folder / "patrol")
    try:
        unit = patrol.store.reference("unit")[0]
        patrol.store.create_case(
            "finding", Target("unit", unit.id), by=patrol.actor, title=words["case"],
            severity="critical", department="security",
            due=iso(time.time() - 30 * 86400),  # the most overdue: first on the home
        )  # fmt: skip
        # a floor round left half done: the home shows it from its own checklist file
        run = patrol.start_run("fire.extinguisher.floor_round", patrol.lookup_scan("R-1-1").target)
        run.answer(next(s for s in run.steps() if s.item.id == "in_place").key, "here")
        round_title = run.checklist.title.to_dict()[lang]
        _, total = run.progress()
    finally:
        patrol.close()
    answered = t("ui.home.draft_line", lang, title="", target="|", done=1, total=total)
    answered = answered.split("|", 1)[1]  # "（已答 1/…）", "  (1/… answered)"

    with demo_pane(tmp_path, folder, lang, "1") as pane:
        pane.wait_for(words["title"])
        screen = pane.wait_for(words["case"])  # the data drawn
        assert t("ui.home.cases", lang) in screen
        rows = [line for line in screen.splitlines() if round_title in line]
        assert any(answered.strip() in row for row in rows), rows  # its answers counted
        screen = pane.wait_for(t("ui.home.overdue", lang))  # then the rounds due
        assert t("ui.home.due", lang) in screen
        bar = screen.rstrip().splitlines()[-1]
        for key, words_key in (("s", "rounds.bar.start"), ("/", "rounds.bar.find"),
                               ("c", "rounds.bar.cases"), ("?", "ui.keys.help"),
                               ("ctrl+q", "ui.keys.quit")):  # fmt: skip
            assert f" {key}  {t(words_key, lang)} " in f"{bar} ", (key, bar)

        for key, shows in (("s", t("ui.start.title", lang)),
                           ("/", t("ui.start.find_title", lang)),
                           ("c", t("ui.cases.filter_status", lang,
                                   value=t("ui.cases.unfinished", lang))),
                           ("?", t("ui.help.title", lang))):  # fmt: skip
            pane.keys(key)
            pane.wait_for(shows)
            pane.keys("Escape")
            pane.wait_gone(shows)
            pane.wait_for(words["case"])  # back on the home, its data still there

        other = OTHER[lang]
        pane.keys("C-l")
        screen = pane.wait_for(t("ui.home.cases", other))
        assert f" c  {t('rounds.bar.cases', other)} " in screen.rstrip().splitlines()[-1]
        pane.keys("C-l")
        pane.wait_for(t("ui.home.cases", lang))
        pane.wait_for(words["case"])


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_rounds_count_is_carried_over_each_start(tmp_path, make_demo, lang):
    """The home names a round in progress with its count kept beside the data (issue 17:
    its checklist is not read before the data): Zhang Wei answers two items of the first
    due round and goes back home; the next start counts two, without its checklist parsed;
    he answers one more, and the start after that counts three, as the round's head does."""
    folder = tmp_path / "demo"
    make_demo(folder, cases=5, lang=lang, floors=2)
    kept = folder / "patrol" / draft_progress.KEPT_FILE
    heading = t("ui.home.drafts", lang)

    def counted_on_home(pane, done: int) -> None:
        line = t("ui.home.draft_line", lang, title="", target="", done=done, total=0)
        screen = pane.wait_for(line[3 : line.index("/0") + 1])  # "（已答 2/", " (2/"
        carried = re.findall(r"(\d+)/\d+", screen.split(heading)[1].split("\n\n")[0])
        assert carried == [str(done)], screen

    with demo_pane(tmp_path, folder, lang, "1") as pane:
        pane.wait_for(t("ui.home.overdue", lang))
        pane.keys("Enter")  # the first due round
        assert in_runner(pane, lang) == 0
        answer(pane, lang, "1", "1")  # in its place, portable
        pane.keys("Escape")
        counted_on_home(pane, 2)
    (entry,) = orjson.loads(kept.read_bytes())["drafts"].values()
    assert entry["answered"] == 2 and entry["title"][lang] in round_title(folder, lang)

    with demo_pane(tmp_path, folder, lang, "1") as pane:
        counted_on_home(pane, 2)  # from the kept count
        pane.wait_for(t("ui.home.overdue", lang))
        pane.keys("Enter")  # the same round: carried on
        assert in_runner(pane, lang) == 2
        answer(pane, lang, "p")
        pane.keys("Escape")
        counted_on_home(pane, 3)
    (entry,) = orjson.loads(kept.read_bytes())["drafts"].values()
    assert entry["answered"] == 3

    with demo_pane(tmp_path, folder, lang, "1") as pane:
        counted_on_home(pane, 3)


def round_title(folder, lang: str) -> str:
    """The floor round's title in ``lang`` as its checklist says it."""
    ws = Workspace.open(folder / "patrol")
    try:
        return ws.checklist("fire.extinguisher.floor_round").title.to_dict()[lang]
    finally:
        ws.close()
