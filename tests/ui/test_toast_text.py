"""A toast reads whole, as a person reads it on the screen: a Chinese character that sat
across the edge of a widget under the toast was drawn as blanks (after 未接通 at 80x24 the
toast read "…稍" / "再打。", its 后 gone), and a line began with a lone "。"."""

from __future__ import annotations

import pytest

from fieldkit.i18n import set_language
from fieldkit.ui.app import FieldkitApp
from fieldkit.ui.screens.case_detail import CaseDetailScreen
from tests.desk.helpers import desk_workspace, owned_flat, take
from tests.waits import shown

CLOSING = tuple("。，、；：？！）」』》”’")


def toast_lines(app) -> list[str]:
    """The toast's lines as the screen shows them (the composed screen, every widget under
    it included), right of its left edge."""
    out = []
    for strip in app.screen._compositor.render_strips():
        line = "".join(segment.text for segment in strip)
        if "▌" in line:
            out.append(line.split("▌", 1)[1].strip())
    return [line for line in out if line]


SAID = "已记下回访未接通，工单状态不变，稍后再打。"
SHOWN = "已显示来电人电话号码，本次查看已记录。60 秒后或离开本页时重新打码。"


@pytest.mark.parametrize("size", [(80, 24), (79, 24), (120, 40)])
async def test_a_toast_over_the_case_reads_every_character(tmp_path, size):
    set_language("zh")
    ws, _ = desk_workspace(tmp_path / "ws")
    try:
        case = take(ws, "repair", owned_flat(ws), "water_leak", "厨房水管漏水")
        app = FieldkitApp(ws, lang="zh")
        async with app.run_test(size=size, notifications=True) as pilot:
            app.push_screen(CaseDetailScreen(case.id))
            screen = app.screen
            await shown(pilot, lambda: screen.case is not None)
            for said in (SAID, SHOWN):
                app.clear_notifications()
                app.notify(said)
                await shown(pilot, lambda said=said: toast_lines(app))
                lines = toast_lines(app)
                assert "".join(lines).replace(" ", "") == said.replace(" ", ""), lines
                assert not [line for line in lines if line.startswith(CLOSING)], lines
    finally:
        ws.close()
        set_language("en")
