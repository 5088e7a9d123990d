"""ctrl+s opens the review from a text box, where s is typed: nc32 came back from the review
to the round's 备注, pressed s to review again and typed "s" into the note. What was typed
and not yet saved is saved first; the bar on a typed item says ctrl+s."""

from __future__ import annotations

import pytest

from fieldkit.i18n import t
from fieldkit.services.workspace import Workspace
from fieldkit.ui.app import FieldkitApp
from fieldkit.ui.screens.finish import FinishScreen
from fieldkit.ui.widgets.keybar import KeyBar
from tests.ui.helpers import open_runner, step_of
from tests.waits import shown


@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_ctrl_s_reviews_from_the_note_box_and_keeps_what_was_typed(compound, lang):
    ws = Workspace.open(compound)
    try:
        app = FieldkitApp(ws, lang=lang)
        async with app.run_test(size=(120, 40)) as pilot:
            target = ws.lookup_scan("EXT-1-1-1").target
            runner = await open_runner(app, pilot, ws, "fire.extinguisher.monthly", target)
            # in place, portable, hard to reach (fail), the rest fine: a photo and a note asked
            await pilot.press("1", "1", "f", "1", "p", "1", "enter", "p", "1", "p")
            note = step_of(runner, "note")
            await shown(pilot, lambda: runner.current == step_of(runner, "photo").key)
            await pilot.press("down")
            await shown(pilot, lambda: runner.current == note.key)
            bar = str(runner.query_one(KeyBar).render())
            assert f"ctrl+s  {t('ui.keys.finish', lang)}" in bar, bar
            await pilot.press(*"bikes", "space", "s")  # s is typed here
            await shown(pilot, lambda: runner.query_one("#entry").value == "bikes s")
            await pilot.press("ctrl+s")
            await shown(pilot, lambda: isinstance(app.screen, FinishScreen))
            assert runner.run.value(note) == "bikes s"
    finally:
        ws.close()
