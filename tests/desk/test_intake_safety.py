"""A call about a gas smell: once the desk picks 燃气 / Gas the intake says, before the form
goes on, what the caller must do now (nc28: the desk took a gas smell like a dripping tap).
A water leak and an electrical fault have their own points; a door lock has none."""

from __future__ import annotations

import pytest

from fieldkit.i18n import set_language, t
from fieldkit.ui.app import FieldkitApp
from tests.desk.helpers import desk_workspace, text_of, to_category
from tests.waits import shown

CATEGORIES = ("water_leak", "drain_blocked", "electrical", "lift", "door_lock", "wall_ceiling",
              "gas")  # fmt: skip
SAYS = {"zh": ("燃气总阀", "门窗通风"), "en": ("main valve", "open the doors and windows")}


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("category", ["gas", "water_leak", "electrical", "door_lock"])
async def test_the_intake_says_what_the_caller_must_do_now(tmp_path, lang, category):
    set_language(lang)
    ws, _ = desk_workspace(tmp_path / "ws")
    app = FieldkitApp(ws, lang=lang)
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            intake = await to_category(app, pilot, "1", "1-1-602")
            await pilot.press(str(CATEGORIES.index(category) + 1))
            await shown(pilot, lambda: intake.step == "description")
            said = text_of(intake, "#intake-so-far")
            tell = t(f"desk.tell.repair.{category}", lang) if category != "door_lock" else ""
            if tell:
                assert tell.split("：", 1)[0].split(" — ")[0] in said, said
            else:
                assert t("desk.tell.repair.gas", lang)[:6] not in said, said
            if category == "gas":
                joined = ("" if lang == "zh" else " ").join(said.split())
                assert all(words in joined for words in SAYS[lang]), said
    finally:
        ws.close()
        set_language("en")


@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_enter_files_a_gas_smell_as_urgent(tmp_path, lang):
    """nc31: the urgency step said "回车：常规" under the gas safety line, and one Enter made a
    gas smell a three-day case. For a gas call Enter keeps 立即处理 / urgent."""
    from fieldkit.services import intake as intake_rules
    from tests.keys import type_text

    set_language(lang)
    ws, _ = desk_workspace(tmp_path / "ws")
    app = FieldkitApp(ws, lang=lang)
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            intake = await to_category(app, pilot, "1", "1-1-602")
            await pilot.press(str(CATEGORIES.index("gas") + 1))
            await shown(pilot, lambda: intake.step == "description")
            await type_text(pilot, "厨房有燃气味")
            await pilot.press("enter")
            await shown(pilot, lambda: intake.step == "photo")
            await pilot.press("enter")
            await shown(pilot, lambda: intake.step == "urgency")
            words = intake_rules.urgency_words("repair", "urgent", lang)
            said = t("lifecycle.ui.urgency_default_is", lang, urgency=words)
            await shown(pilot, lambda: said in text_of(intake, "#intake-help"))
            await pilot.press("enter")
            await shown(pilot, lambda: intake.step == "contact")
            assert intake.urgency == "urgent"
    finally:
        ws.close()
        set_language("en")
