"""Help lists the keys of the screen underneath and the keys that work everywhere."""

from __future__ import annotations

import pytest

from fieldkit.i18n import set_language, t
from fieldkit.ui.app import FieldkitApp
from fieldkit.ui.screens.help import HelpScreen
from tests.waits import shown


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_help_names_the_global_keys(workspace, lang):
    set_language(lang)
    app = FieldkitApp(workspace)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("question_mark")
        await shown(pilot, lambda: isinstance(app.screen, HelpScreen))
        rows = dict(app.screen.rows)
        assert rows["f2"] == t("ui.keys.incident")
        assert rows["s"] == t("ui.keys.start")
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, HelpScreen)
    set_language("en")
