"""The trends screen shows the same numbers as the report, and h shows the handover."""

from __future__ import annotations

import asyncio

import pytest

from fieldkit.i18n import set_language, t
from fieldkit.model import Target
from fieldkit.reports.trends_text import counted
from fieldkit.services import intake
from fieldkit.services.intake import Request
from fieldkit.ui.app import FieldkitApp
from fieldkit.ui.screens.trends import TrendsScreen
from tests.incidents.helpers import make_compound, open_workspace
from tests.waits import shown


@pytest.fixture
def ws(tmp_path):
    make_compound(tmp_path / "ws")
    workspace = open_workspace(tmp_path / "ws")
    for category in ("noise", "noise", "parking"):
        intake.take(
            workspace.store,
            Request("complaint", Target("unit", "u1"), category, "x", building="1"),
        )
    yield workspace
    workspace.close()


async def _flow(ws, lang):
    set_language(lang)
    app = FieldkitApp(ws, lang=lang)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        cmd = next(
            c
            for c in app.get_system_commands(app.screen)
            if c.title == t("lifecycle.ui.trends_cmd")
        )
        cmd.callback()
        await shown(pilot, lambda: isinstance(app.screen, TrendsScreen) and app.screen.text)
        screen = app.screen
        assert t("trends.text.title", by=t("trends.by.category"), cases=3) in screen.text
        noise, parking = ("噪音扰民", "停车问题") if lang == "zh" else ("Noise", "Parking")
        assert f"{noise}  " in screen.text and f"{parking}  " in screen.text
        sep = t("trends.text.sep")
        top = counted(noise, 2, lang) + sep + counted(parking, 1, lang)  # "Noise (2)"
        assert t("trends.text.top_all", top=top) in screen.text
        # the chart: where each category happens most, the month's cell, the heat map
        assert t("trends.col.where") in screen.text and t("trends.doc.heat") in screen.text
        building = "1号楼" if lang == "zh" else "Building 1"
        assert counted(building, 2, lang) in screen.text  # noise: most in building 1
        today = __import__("datetime").date.today()
        heads = screen.text.splitlines()[3:5]  # the year over the first month, the months
        assert str(today.year) in heads[0], heads
        # the month still under way marked so (on its last day it is whole)
        assert f" {today.month}* " in heads[1] + " " or f" {today.month} " in heads[1] + " "
        await pilot.press("h")
        expected = [
            t("trends.handover.due", count=0),
            t("trends.handover.later", count=3),
            t("trends.handover.incidents", count=0),
        ]
        await shown(pilot, lambda: screen.view == "handover" and expected[0] in screen.text)
        assert all(line in screen.text for line in expected)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_trends_screen(ws, lang):
    asyncio.run(_flow(ws, lang))
