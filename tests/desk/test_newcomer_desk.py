"""What a newcomer at the desk (nc15) tripped on, read as they read it, zh and en: the
building filter takes a building as people type it and names the buildings there are when
it is not one; full-width digits from a Chinese IME are digits (a score, a phone, a flat);
a caller who is not the owner is "the caller" in the steps after; each complaint category
has its own example; 其他 / Other is under a letter the keyboard shows."""

from __future__ import annotations

import time

import pytest

from fieldkit.i18n import set_language
from fieldkit.model import Target
from fieldkit.services.callback import clean_phone
from fieldkit.services.cases import iso
from fieldkit.services.lifecycle import parse_follow_up
from fieldkit.ui.app import FieldkitApp
from fieldkit.ui.dialogs.ask import AskDialog
from fieldkit.ui.screens.cases import CasesScreen
from tests.desk.helpers import open_cases, text_of, to_category
from tests.waits import shown


@pytest.fixture
def ws(tmp_path):
    from fieldkit.services.demo import generate
    from fieldkit.services.workspace import Workspace

    generate(tmp_path / "c", cases=0, floors=2)
    workspace = Workspace.open(tmp_path / "c")
    due = iso(time.time() + 30 * 3600)
    codes = {b.id: b.code for b in workspace.store.reference("building")}
    for unit in workspace.store.reference("unit"):
        if codes.get(unit.building_id) in ("1", "3") and unit.number.endswith("01"):
            workspace.store.create_case("repair", Target("unit", unit.id), title="漏水 leak",
                                        department="engineering", due=due)  # fmt: skip
    yield workspace
    workspace.close()
    set_language("en")


def _in_building(ws, code: str) -> int:
    codes = {b.id: b.code for b in ws.store.reference("building")}
    units = {u.id: codes.get(u.building_id) for u in ws.store.reference("unit")}
    return sum(1 for c in ws.store.open_cases() if units.get(c.target.id) == code)


TYPED = {"zh": ["3号楼", "3栋", "三号楼", "３"], "en": ["Building 3", "Bldg 3", "3"]}
NO_NINE = {
    "zh": "本小区没有9号楼（现有：1、2、3号楼）。",
    "en": "There is no building 9 in this compound (there are buildings 1, 2, 3).",
}
ASKED = {"zh": "如 3、3号楼、3栋", "en": "e.g. 3 or Building 3"}


@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_the_building_filter_takes_a_building_as_people_type_it(ws, lang):
    set_language(lang)
    in_three = _in_building(ws, "3")
    assert in_three and in_three < len(ws.store.open_cases())
    app = FieldkitApp(ws, lang=lang)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_cases(app, pilot)
        for typed in TYPED[lang]:
            await pilot.press("b")
            await shown(pilot, lambda: isinstance(app.screen, AskDialog))
            assert ASKED[lang] in str(app.screen.query_one("#question").render())
            app.screen.query_one("Input").value = typed
            await pilot.press("enter")
            await shown(pilot, lambda: isinstance(app.screen, CasesScreen))
            await shown(pilot, lambda: screen.filter.building == "3")
            await shown(pilot, lambda: screen.page.total == in_three)
            assert not screen.query_one("#case-empty").display
            await pilot.press("c")  # every filter off: the next form is read afresh
            await shown(pilot, lambda: not screen.filter.building)
        await pilot.press("b")
        await shown(pilot, lambda: isinstance(app.screen, AskDialog))
        dialog = app.screen
        nine = dialog.query_one("Input").value = "9号楼" if lang == "zh" else "Building 9"
        await pilot.press("enter")
        await shown(pilot, lambda: NO_NINE[lang] in text_of(dialog, "#ask-hint"))
        assert app.screen is dialog  # kept open, what was typed kept
        assert dialog.query_one("Input").value == nine


def test_full_width_digits_from_a_chinese_ime_are_digits(ws):
    assert parse_follow_up("５分，满意").score == 5
    assert parse_follow_up("５分，满意").comment == "满意"  # the comment as typed
    assert parse_follow_up("２ 还在漏水").comment == "还在漏水"
    for typed, note in (("未接通", ""), ("没人接，晚上再打", "晚上再打"), ("No answer", ""),
                        ("nobody answered", ""), ("didn't pick up, try at 6", "try at 6"),
                        ("打不通", "")):  # fmt: skip
        result = parse_follow_up(typed)
        assert not result.answered and result.comment == note, typed
    assert parse_follow_up("4 未接通过一次，后来接了").answered  # a score first: answered
    assert clean_phone("１３８１２３４５６７８") == "13812345678"
    assert any(t.code == "1-1-101" for t in ws.search("１－１－１０１"))


SAID = {
    "zh": {"help": "来电人反映了什么情况？", "so_far": "来电人反映：楼上", "other": "a  其他",
           "noisy": "跳舞"},
    "en": {"help": "What does the caller report?", "so_far": "The caller said: upstairs",
           "other": "a  Other", "noisy": "square downstairs"},
}  # fmt: skip


@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_a_tenant_who_calls_is_the_caller_and_other_is_under_a(ws, lang):
    set_language(lang)
    app = FieldkitApp(ws, lang=lang)
    async with app.run_test(size=(120, 40)) as pilot:
        intake = await to_category(app, pilot, "2", "1-1-101", "陈丽 13812345678")  # a complaint
        assert SAID[lang]["other"] in text_of(intake, "#intake-help")
        assert intake.bar_keys()[0][0] == "1-9 0 a"
        await pilot.press("9")  # 装修扰邻 / Neighbour's renovation
        await shown(pilot, lambda: intake.step == "description")
        assert intake.category == "renovation"
        assert SAID[lang]["noisy"] not in intake.query_one("#intake-line").placeholder
        assert SAID[lang]["help"] in text_of(intake, "#intake-help")
        intake.query_one("#intake-line").value = "楼上" if lang == "zh" else "upstairs drilling"
        await pilot.press("enter")
        await shown(pilot, lambda: intake.step == "photo")
        assert SAID[lang]["so_far"] in text_of(intake, "#intake-so-far")
        await pilot.press("escape")
        await shown(pilot, lambda: intake.step == "description")
        await pilot.press("escape")
        await shown(pilot, lambda: intake.step == "category")
        await pilot.press("a")  # the eleventh: Other
        await shown(pilot, lambda: intake.step == "description")
        assert intake.category == "other"
