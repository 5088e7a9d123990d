"""A burst pipe's notice fits where the leak is (nc24): a flat's leak speaks to the residents
of its entrance (it read 尊敬的1号楼1单元602室各位业主 — one flat's "all owners") about
ceilings below and wet corridors; a leak in the garage or the basement, where nobody lives,
says to keep clear and move cars, not to watch the ceilings below."""

from __future__ import annotations

import pytest

from fieldkit.services import incident_places, notices
from fieldkit.services import incidents as inc

FLAT = {
    "zh": ("尊敬的1号楼1单元各位业主、住户：", "楼下住户请留意天花板"),
    "en": ("Dear residents of Building 1 entrance 1,", "If you live below, check your ceilings"),
}
GARAGE = {"zh": ("车库", "挪车"), "en": ("garage", "move it")}
BELOW = {"zh": "楼下住户", "en": "If you live below"}


def draft(ws, where: str, lang: str) -> str:
    places = incident_places.parse(where, inc.compound_of(ws))
    incident = inc.open_incident(ws, "flooding", places=places)
    return notices.draft(ws, incident.id, lang).text


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_flats_leak_speaks_to_its_entrance(ws, lang):
    text = draft(ws, "1-1-602", lang)
    greeting, below = FLAT[lang]
    assert greeting in text.splitlines(), text
    assert below in text
    for elsewhere in ("车库", "garage", "car park"):
        assert elsewhere not in text


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_garage_leak_says_keep_clear_not_ceilings_below(ws, lang):
    text = draft(ws, "1号楼地下车库", lang)
    spot, move = GARAGE[lang]
    assert spot in text.splitlines()[0] and move in text, text
    assert BELOW[lang] not in text


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_floor_is_where_people_live(ws, lang):
    text = draft(ws, "1号楼6层", lang)
    assert BELOW[lang] in text and GARAGE[lang][1] not in text, text


@pytest.mark.parametrize(("lang", "claimed", "said"), [
    ("zh", "已到场", "已安排工程人员关阀抢修"),
    ("en", "are on site", "We have sent our engineers"),
])  # fmt: skip
def test_the_first_notice_claims_nothing_not_yet_done(ws, lang, claimed, said):
    """nc28: drafted as the leak is logged, the notice said the engineers were on site and had
    shut the water off while the plan still had both steps open: it says they were sent."""
    text = draft(ws, "1号楼6层", lang)
    assert claimed not in text and said in text, text
