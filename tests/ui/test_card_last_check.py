"""An extinguisher's card says its latest check from any round that covered it: the
stairwell's floor round answers for every extinguisher on it, and the card said "never done
here" of one that round had just checked (round26)."""

from __future__ import annotations

import pytest
from textual.widgets import OptionList

from fieldkit.i18n import plural, t
from fieldkit.model import localtime
from fieldkit.services.workspace import Workspace
from fieldkit.ui.app import FieldkitApp
from fieldkit.ui.screens.target import TargetScreen
from tests.keys import one_read
from tests.ui.helpers import ROUND, floor_round
from tests.waits import settled, shown


def card(app) -> str:
    return str(app.screen.query_one("#target-dates").render())


def checklist_lines(app) -> str:
    options = app.screen.query_one(OptionList)
    return "\n".join(
        str(options.get_option_at_index(i).prompt) for i in range(options.option_count)
    )


@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_an_extinguishers_card_says_the_floor_round_that_checked_it(compound, tmp_path, lang):
    ws = Workspace.open(compound)
    try:
        at = localtime.fmt(floor_round(ws, tmp_path, failing="EXT-1-2-2"), "minute")
        title = ws.checklist(ROUND).title.get(lang)
        app = FieldkitApp(ws, lang=lang)
        async with app.run_test(size=(120, 40)) as pilot:
            await settled(pilot)
            one_read(app, "EXT-1-2-2\r")
            await shown(pilot, lambda: isinstance(app.screen, TargetScreen))
            nameplate = ws.checklist(ROUND).item("nameplate").fail_label.get(lang)
            failed = plural("ui.target.check_failed", 1, lang, items=nameplate)
            said = t("ui.target.last_check", lang, at=at, title=title, where=" R-1-2",
                     result=failed)  # fmt: skip
            await shown(pilot, lambda: said in card(app))
            await pilot.press("escape")
            await settled(pilot)
            one_read(app, "EXT-1-2-1\r")
            await shown(
                pilot,
                lambda: (
                    isinstance(app.screen, TargetScreen)
                    and "EXT-1-2-1" in str(app.screen.query_one("#target-head").render())
                ),
            )
            normal = t("ui.target.last_check", lang, at=at, title=title, where=" R-1-2",
                       result=t("ui.target.check_normal", lang))  # fmt: skip
            await shown(pilot, lambda: normal in card(app))
            # its own checklist's line does not say "never done here" beside that line
            alone, never = t("ui.target.never_run_alone", lang), t("ui.target.never_run", lang)
            await shown(pilot, lambda: alone in checklist_lines(app))
            assert never not in checklist_lines(app)
    finally:
        ws.close()
