"""The office supervisor's home opens the recurring-problems statistics with one key, as it
opens the weekly report with ``w`` (nc29 found them only in the command palette)."""

from __future__ import annotations

import pytest

from fieldkit.i18n import t
from fieldkit.services.demo import generate
from fieldkit.services.workspace import Workspace
from fieldkit.ui.app import FieldkitApp
from fieldkit.ui.screens.home import HomeScreen
from fieldkit.ui.screens.trends import TrendsScreen
from fieldkit.ui.widgets.keybar import KeyBar
from tests.waits import settled, shown


@pytest.fixture
def office(tmp_path):
    generate(tmp_path / "c", cases=20, floors=2)
    ws = Workspace.open(tmp_path / "c")
    ws.store.set_device_state(role="office")
    yield ws
    ws.close()


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("width", [120, 80])
async def test_t_on_the_office_home_opens_the_trends(office, lang, width):
    app = FieldkitApp(office, lang=lang)
    async with app.run_test(size=(width, 24)) as pilot:
        await settled(pilot)
        await shown(pilot, lambda: isinstance(app.screen, HomeScreen) and app.screen.summary)
        bar = str(app.screen.query_one(KeyBar).render())
        assert f"t  {t('week.bar.trends', lang)}" in bar, bar
        await pilot.press("t")
        await shown(pilot, lambda: isinstance(app.screen, TrendsScreen))


@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_the_handovers_bar_says_only_what_acts_on_the_handover(office, lang):
    """A guard opens the handover with ``h``: its bar offers the PDF and the way back, not
    the statistics' grouping keys (nc31 read 类别/楼栋/月份 under the handover). The office
    still finds them on the statistics' own bar."""
    office.store.set_device_state(role="patrol")
    app = FieldkitApp(office, lang=lang)
    async with app.run_test(size=(120, 40)) as pilot:
        await shown(pilot, lambda: isinstance(app.screen, HomeScreen) and app.screen.summary)
        await pilot.press("h")
        await shown(pilot, lambda: isinstance(app.screen, TrendsScreen) and app.screen.text)
        bar = str(app.screen.query_one(KeyBar).render())
        assert t("week.bar.pdf", lang) in bar and t("ui.keys.back", lang) in bar, bar
        for word in ("week.bar.group", "week.bar.week", "week.bar.handover"):
            assert t(word, lang) not in bar, bar
        await pilot.press("c")  # the keys still act, for whoever knows them
        await shown(pilot, lambda: app.screen.view == "category")
        bar = str(app.screen.query_one(KeyBar).render())
        assert t("week.bar.group", lang) in bar and t("week.bar.handover", lang) in bar, bar
