"""The incident's place box says it did not understand only when nothing matches: typing
a flat's code lists the flats while the code is half typed, and nc31 read "没看懂“2-1-15”"
above the very list it was choosing from."""

from __future__ import annotations

import pytest

from fieldkit.i18n import set_language, t
from fieldkit.ui.app import FieldkitApp
from fieldkit.ui.screens.incident_open import IncidentOpenScreen
from tests.waits import settled, shown


def help_text(screen) -> str:
    return str(screen.query_one("#open-help").render())


@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_not_understood_only_when_nothing_matches(ws, lang):
    set_language(lang)
    app = FieldkitApp(ws, lang=lang)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f2")
        await shown(pilot, lambda: isinstance(app.screen, IncidentOpenScreen))
        opening = app.screen
        await pilot.press("5")
        await shown(pilot, lambda: opening.step == "place")
        await pilot.press(*"1-1-")
        await shown(pilot, lambda: len(opening.results) > 1)
        await settled(pilot)
        assert opening.unread is not None  # not places as written: a flat's code, half typed
        unread = opening.unread.message()
        assert unread not in help_text(opening)
        await pilot.press(*"zz")  # now nothing matches
        await shown(pilot, lambda: not opening.results)
        await settled(pilot)
        assert opening.unread is not None
        said = opening.unread.message()
        await shown(pilot, lambda: said in help_text(opening))
        assert t("incidents.ui.open.place_help", lang) in help_text(opening)
