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
