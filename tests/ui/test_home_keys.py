"""Home as a patroller meets it, in zh and en: the first due row is highlighted (also after
help is closed) so the first Enter opens it; ``d`` is offered only while a round is in
progress and asks in a dialog in the middle of the screen; a building reads by its name in
the due list and in the cases' place column; the review screen words its due times."""

from __future__ import annotations

import time

import pytest
from textual.widgets import OptionList

from fieldkit.i18n import set_language, t
from fieldkit.model import Target
from fieldkit.services.cases import iso
from fieldkit.services.demo import generate
from fieldkit.services.workspace import Workspace
from fieldkit.ui.app import FieldkitApp
from fieldkit.ui.dialogs.confirm import ConfirmDialog
from fieldkit.ui.screens.finish import FinishScreen
from fieldkit.ui.screens.help import HelpScreen
from fieldkit.ui.screens.home import HomeScreen
from fieldkit.ui.screens.runner import RunnerScreen
from fieldkit.ui.widgets.case_table import CaseTable
from fieldkit.ui.widgets.keybar import KeyBar
from tests.waits import shown

BUILDING = {"zh": "3号楼", "en": "Building 3"}


@pytest.fixture
def compound(tmp_path):
    generate(tmp_path / "c", cases=0, floors=2)
    ws = Workspace.open(tmp_path / "c")
    building = next(b for b in ws.store.reference("building") if b.code == "3")
    ws.store.create_case(
        "finding", Target("building", building.id), by="张伟", title="常闭防火门被撑开",
        severity="major", department="security", due=iso(time.time() - 3600),
        extra={"where": "3", "building": "3"},
    )  # fmt: skip
    yield ws
    ws.close()
    set_language("en")


def _bar(screen) -> str:
    return str(screen.query_one(KeyBar).render())


def _due_lines(home: HomeScreen) -> list[str]:
    due = home.query_one("#due", OptionList)
    return [str(due.get_option_at_index(i).prompt) for i in range(due.option_count)]


@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_home_keys_answer_and_buildings_read_by_name(compound, lang):
    ws = compound
    discard = f" d  {t('rounds.keys.discard', lang)} "
    app = FieldkitApp(ws, lang=lang)
    async with app.run_test(size=(120, 40)) as pilot:
        await shown(pilot, lambda: isinstance(app.screen, HomeScreen) and app.screen.due)
        home = app.screen
        assert discard not in _bar(home)  # no round in progress: nothing to discard
        lines = _due_lines(home)
        name = BUILDING[lang]
        building_rounds = [line for line in lines if f" — {name}  · " in line]
        assert building_rounds, lines  # every due row says when, after the place
        assert not any(f"3  {name}" in line for line in lines), lines

        table = home.query_one("#home-cases", CaseTable)
        await shown(pilot, lambda: table.rows_shown)
        assert table.get_row_at(0)[table.shown.index("target")] == name  # the place: its name

        await pilot.press("question_mark")
        await shown(pilot, lambda: isinstance(app.screen, HelpScreen))
        assert "d" not in dict(app.screen.rows)
        await pilot.press("escape")
        await shown(pilot, lambda: app.screen is home)
        due = home.query_one("#due", OptionList)
        assert app.focused is due and due.highlighted == 0  # visibly chosen: Enter opens it
        await pilot.press("enter")
        await shown(pilot, lambda: isinstance(app.screen, RunnerScreen) and app.screen.run)
        runner = app.screen
        assert runner.run.checklist.id == home.due[0].checklist_id
        await pilot.press("1")  # the first extinguisher is in place: a round is now in progress
        await shown(pilot, lambda: runner.run.inspection.answers)
        await pilot.press("escape")
        await shown(pilot, lambda: app.screen is home and home.summary.drafts)
        await shown(pilot, lambda: discard in _bar(home))
        await pilot.press("question_mark")
        await shown(pilot, lambda: isinstance(app.screen, HelpScreen))
        assert dict(app.screen.rows)["d"] == t("rounds.drafts.discard_key", lang)
        await pilot.press("escape")
        await shown(pilot, lambda: app.screen is home)

        await pilot.press("d")
        await shown(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        box = app.screen.query_one(".dialog-box").region
        assert box.x > 0 and box.y > 0  # in the middle of the screen, not in its corner
        assert abs((box.x + box.right) - 120) <= 2
        await pilot.press("n")  # kept: nothing discarded
        await shown(pilot, lambda: app.screen is home)
        assert home.summary.drafts


@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_review_words_the_due_time_and_says_when_nothing_is_raised(compound, lang):
    ws = compound
    target = ws.lookup_scan("R-1-1").target
    run = ws.start_run("fire.extinguisher.floor_round", target)
    first = next(s for s in run.steps() if s.item.id == "in_place")
    run.answer(first.key, "moved")
    app = FieldkitApp(ws, lang=lang)
    async with app.run_test(size=(120, 40)) as pilot:
        await shown(pilot, lambda: isinstance(app.screen, HomeScreen))
        app.push_screen(FinishScreen(run))
        await shown(pilot, lambda: isinstance(app.screen, FinishScreen)
                       and app.screen.query("#finish-cases"))  # fmt: skip
        table = app.screen.query_one("#finish-cases")
        (case,) = app.screen.cases
        assert case.due == "24h"
        within = {"zh": "24 小时内", "en": "within 24 hours"}[lang]
        assert str(table.get_row_at(0)[-1]) == within
        assert " d v u " in _bar(app.screen)
        await pilot.press("escape")

        run.answer(first.key, "here")
        app.push_screen(FinishScreen(run))
        await shown(pilot, lambda: isinstance(app.screen, FinishScreen)
                       and app.screen.query("#finish-cases"))  # fmt: skip
        body = str(app.screen.query_one("#finish-notes").render())
        assert t("ui.finish.no_cases", lang) in body
        assert not app.screen.query_one("#finish-cases").display
        assert " d v u " not in _bar(app.screen)


async def test_the_due_rounds_take_the_focus_when_they_arrive_after_the_first_draw(compound):
    """On a busy laptop the due rounds are worked out after home is first drawn (and its
    rounds in progress focused): they lead once they come, so Enter opens the first."""
    import threading

    ws = compound
    arrived = threading.Event()
    due = ws.due

    def late_due(*args, **kwargs):
        arrived.wait(30)
        return due(*args, **kwargs)

    ws.due = late_due
    app = FieldkitApp(ws, lang="en")
    async with app.run_test(size=(120, 40)) as pilot:
        await shown(pilot, lambda: isinstance(app.screen, HomeScreen) and app.screen.summary,
                    settle=False)  # fmt: skip
        home = app.screen
        drafts = home.query_one("#drafts", OptionList)
        await shown(pilot, lambda: app.focused is drafts, settle=False)
        arrived.set()
        await shown(pilot, lambda: home.due)
        listed = home.query_one("#due", OptionList)
        await shown(pilot, lambda: app.focused is listed and listed.highlighted == 0)
        await pilot.press("enter")
        await shown(pilot, lambda: isinstance(app.screen, RunnerScreen))
