"""The home's "submitted today" says what each round found: the cases it raised, or "all
normal" — the line named the round only, so a guard could not tell a round that found a
broken extinguisher from one that found nothing (round26)."""

from __future__ import annotations

import pytest

from fieldkit.i18n import plural, t
from fieldkit.model import localtime
from fieldkit.services.workspace import Workspace
from fieldkit.ui.app import FieldkitApp
from tests.ui.helpers import ROUND, floor_round
from tests.waits import settled, shown


@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_submitted_today_says_the_cases_each_round_raised(compound, tmp_path, lang):
    ws = Workspace.open(compound)
    try:
        found = floor_round(ws, tmp_path, failing="EXT-1-2-2", route="R-1-2")
        normal = floor_round(ws, tmp_path, failing="", route="R-1-1")
        title = ws.checklist(ROUND).title.get(lang)
        app = FieldkitApp(ws, lang=lang)
        async with app.run_test(size=(120, 40)) as pilot:
            await settled(pilot)

            def line(at, code, result):
                target = ws.lookup_scan(code).target.label()
                return t("ui.home.done_line", lang, at=localtime.fmt(at, "clock"), title=title,
                         target=target, result=result)  # fmt: skip

            def listing() -> str:
                return str(app.screen.query_one("#done").render())

            await shown(pilot, lambda: title in listing())
            raised = plural("ui.home.done_cases", 1, lang)
            assert line(found, "R-1-2", raised) in listing()
            assert line(normal, "R-1-1", t("ui.home.done_normal", lang)) in listing()
    finally:
        ws.close()
