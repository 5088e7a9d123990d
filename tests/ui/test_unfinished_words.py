"""One word for the cases not yet finished (nc21): the home's heading said "Open cases"
while the case list's filter said "Status: unfinished", and "Open" is also a finding's own
first status, so "Open cases" held cases that were not "Open". The heading and the filter
say the same word: Unfinished / 未完结."""

from __future__ import annotations

import pytest
from textual.widgets import Static

from fieldkit.i18n import set_language
from fieldkit.ui.app import FieldkitApp
from fieldkit.ui.screens.cases import CasesScreen
from tests.waits import shown

SAID = {"zh": ("未完结工单", "状态：未完结"), "en": ("Unfinished cases", "Status: unfinished")}


@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_home_heading_and_case_filter_say_one_word(tmp_path, lang):
    from fieldkit.services.demo import generate
    from fieldkit.services.workspace import Workspace

    generate(tmp_path / "c", cases=30, floors=2)
    set_language(lang)
    ws = Workspace.open(tmp_path / "c")
    try:
        app = FieldkitApp(ws, lang=lang)
        heading, status = SAID[lang]
        async with app.run_test(size=(120, 40)) as pilot:

            def said(selector: str) -> str:
                return str(app.screen.query_one(selector, Static).render())

            await shown(pilot, lambda: heading in said("#cases-title"))
            assert "Open" not in said("#cases-title")
            await pilot.press("c")
            await shown(pilot, lambda: isinstance(app.screen, CasesScreen) and app.screen.page)
            assert said("#case-filters").startswith(status), said("#case-filters")
    finally:
        ws.close()
        set_language("en")
