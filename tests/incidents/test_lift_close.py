"""A lift entrapment from opening to close, as the coordinator reads it (the newcomers of
inc22): ↓ after typing a place highlights the first match; closing asks about what the kind
and place call for, not every flagged flat of the building; the decisions about the flats
are one line on the timeline; the residents' counter follows the decisions; a closed
incident's key bar offers only what still works."""

from __future__ import annotations

import pytest

from fieldkit.i18n import set_language
from fieldkit.ui.app import FieldkitApp
from fieldkit.ui.screens.incident_open import IncidentOpenScreen
from tests.waits import settled, shown


@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_down_after_typing_highlights_the_first_match(ws, lang):
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
        listing = opening.query_one("#open-list")
        await pilot.press("down")
        await shown(pilot, lambda: listing.has_focus)
        await settled(pilot)
        assert listing.highlighted == 0
        first = opening.results[0]
        assert first.label() in str(listing.get_option_at_index(0).prompt)
        await pilot.press("enter")
        await shown(pilot, lambda: opening.step == "severity")
        assert opening.place == first
