"""Every pop-up opens on its question or title, right under the box's edge and its one line
of padding: the 备注, 查找 and 楼栋 questions had a ruled line ("────") above them, read as a
title gone missing, and a picker's title had two empty lines above it."""

from __future__ import annotations

import pytest

from fieldkit.i18n import set_language, t
from fieldkit.ui.app import FieldkitApp
from fieldkit.ui.dialogs.ask import AskDialog
from fieldkit.ui.dialogs.confirm import ConfirmDialog
from fieldkit.ui.dialogs.picker import Picker
from tests.desk.helpers import desk_workspace
from tests.waits import shown

EDGE = "█"


def box_lines(app) -> list[str]:
    """The lines inside the dialog's box, as the screen shows them (edges left out)."""
    out = []
    for strip in app.screen._compositor.render_strips():
        line = "".join(segment.text for segment in strip)
        if line.count(EDGE) >= 2:
            out.append(line[line.index(EDGE) + 1 : line.rindex(EDGE)].strip())
    return out


DIALOGS = {
    "note": lambda: AskDialog("ui.case.ask_note"),
    "find": lambda: AskDialog("desk.cases.ask_find"),
    "building": lambda: AskDialog("desk.cases.ask_building"),
    "confirm": lambda: ConfirmDialog("desk.moves.ask_final", ref="4f81c6", to="已撤销"),
    "status": lambda: Picker("ui.cases.pick_status", [("", "全部"), ("open", "待处理")], ""),
}


@pytest.mark.parametrize("which", list(DIALOGS))
@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_a_dialog_opens_on_its_question(tmp_path, lang, which):
    set_language(lang)
    ws, _ = desk_workspace(tmp_path / "ws")
    try:
        app = FieldkitApp(ws, lang=lang)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            dialog = DIALOGS[which]()
            app.push_screen(dialog)
            await shown(pilot, lambda: app.screen is dialog and box_lines(app))
            inside = box_lines(app)[1:]  # under the top edge
            assert inside[0] == "", inside  # the box's padding: one line, no more
            first = inside[1]
            assert first and "─" not in first, inside
            key = getattr(dialog, "question_key", None) or dialog.title_key
            words = t(key, ref="4f81c6", to="已撤销")
            assert words.startswith(first.split()[0]), (first, words)
    finally:
        ws.close()
        set_language("en")
