"""A problem on one floor lists the residents there, not the whole building (nc24): the
incident at 1号楼4层 listed every flagged flat of building 1. A floor said with its building
takes in that floor and the ones beside it (smoke, a gas smell); water takes in every floor
below, those below first."""

from __future__ import annotations

import pytest

from fieldkit.i18n import set_language, t
from fieldkit.services import incident_places
from fieldkit.services import incidents as inc
from fieldkit.ui.app import FieldkitApp
from fieldkit.ui.screens.incident import IncidentScreen
from tests.incidents.helpers import show_incident
from tests.waits import shown


def listed(screen) -> list[str]:
    people = screen.query_one("#people")
    return [str(people.get_option_at_index(n).prompt) for n in range(people.option_count)]


@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_a_floor_lists_its_residents_not_the_buildings(ws, lang):
    set_language(lang)
    compound = inc.compound_of(ws)
    fire = inc.open_incident(ws, "fire", places=incident_places.parse("1号楼4层", compound))
    leak = inc.open_incident(ws, "flooding", places=incident_places.parse("1号楼4楼", compound))
    app = FieldkitApp(ws, lang=lang)
    async with app.run_test(size=(120, 40)) as pilot:
        await show_incident(app, pilot, fire.id)
        head = str(app.screen.query_one("#incident-head").render())
        building = {"zh": "1号楼", "en": "Building 1"}[lang]
        assert t("incidents.places.floor", lang, place=building, floor=4) in head, head
        rows = " ".join(listed(app.screen))
        assert "1-1-402" in rows and "1-2-402" in rows
        for far in ("1-1-202", "1-1-602", "1-2-602"):  # two floors away
            assert far not in rows, rows
        app.pop_screen()
        app.push_screen(IncidentScreen(leak.id))
        await shown(pilot, lambda: isinstance(app.screen, IncidentScreen)
                    and app.screen.incident_id == leak.id and app.screen.view)  # fmt: skip
        rows = listed(app.screen)
        codes = [next(w for w in row.split() if w.startswith("1-")) for row in rows]
        assert "1-1-202" in codes and "1-1-602" not in codes, codes  # water comes down
        assert codes.index("1-1-202") < codes.index("1-1-402"), codes  # those below first


@pytest.mark.parametrize(
    "typed",
    [
        "building 1 floor 6",
        "Building 1, floor 6",
        "building 1 6th floor",
        "Building 1 level 6",
        "1号楼 6层",
    ],
)
def test_a_floor_said_in_english_is_the_same_floor(ws, typed):
    """nc28: "building 1 floor 6" read 6 as building 6 ("There is no building 6"), and with
    it written as free text the notice told residents to move their cars and the residents
    list lost the floors below."""
    compound = inc.compound_of(ws)
    (place,) = incident_places.parse(typed, compound)
    (chinese,) = incident_places.parse("1号楼6层", compound)
    assert (place.key, incident_places.floor_of(place)) == (chinese.key, 6)
    assert place.said("en") == chinese.said("en") == t("incidents.places.floor", "en",
                                                          place="Building 1", floor=6)  # fmt: skip
