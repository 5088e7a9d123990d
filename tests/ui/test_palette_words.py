"""The office supervisor finds the trends and the weekly report in the command palette by
the words people type, in either language ("trend" matched nothing in English: the title
says "Recurring problems"), and w on the trends screen shows the weekly report."""

from __future__ import annotations

import pytest

from fieldkit.i18n import set_language, t
from fieldkit.ui.app import FieldkitApp
from fieldkit.ui.dialogs.palette import Palette
from fieldkit.ui.screens.trends import TrendsScreen
from fieldkit.ui.widgets.keybar import KeyBar
from tests.ui.helpers import palette_prompts
from tests.waits import shown


@pytest.mark.parametrize(
    ("lang", "typed"),
    [("en", "trend"), ("en", "统计"), ("zh", "趋势"), ("zh", "report")],
)  # fmt: skip
async def test_trends_are_found_by_the_words_people_type(workspace, lang, typed):
    set_language(lang)
    app = FieldkitApp(workspace, lang=lang)
    title = t("lifecycle.ui.trends_cmd", lang)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+p")
        await shown(pilot, lambda: isinstance(app.screen, Palette))
        await pilot.press(*typed)
        await shown(
            pilot, lambda: any(title in p for p in palette_prompts(app)), f"{typed} finds it"
        )
        assert title in palette_prompts(app)[0]  # found by its words, first
        await pilot.press("enter")
        await shown(pilot, lambda: isinstance(app.screen, TrendsScreen) and app.screen.text)
        screen = app.screen
        await pilot.press("w")
        await shown(pilot, lambda: screen.view == "week" and t("week.title", lang) in screen.text)
        for key in ("week.cases", "week.rounds", "week.missed", "week.incidents"):
            assert t(key, lang) in screen.text, key
        bar = str(screen.query_one(KeyBar).render())
        # the week's bar offers its own keys (w, where it already is, stays in help)
        assert t("week.bar.move", lang) in bar and t("week.bar.incidents", lang) in bar
        assert ("w", "lifecycle.ui.week_key") in screen.HELP_KEYS


async def test_a_word_typed_finds_nothing_it_does_not_mean(workspace):
    set_language("en")
    app = FieldkitApp(workspace, lang="en")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+p")
        await shown(pilot, lambda: isinstance(app.screen, Palette))
        await pilot.press(*"sync")
        await shown(pilot, lambda: any(t("ui.cmd.sync", "en") in p for p in palette_prompts(app)))
        assert not any(t("lifecycle.ui.trends_cmd", "en") in p for p in palette_prompts(app))
