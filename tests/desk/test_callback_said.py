"""A saved call-back says what was saved, once it is on disk, as the other saves do: the
score and where the case now is (a call nobody answered said so, a score said nothing)."""

from __future__ import annotations

import pytest

from fieldkit.i18n import set_language
from fieldkit.ui.app import FieldkitApp
from fieldkit.ui.dialogs.ask import AskDialog
from fieldkit.ui.screens.case_detail import CaseDetailScreen
from tests.desk.helpers import desk_workspace, notes, take
from tests.desk.test_callback_ui import owned_flat
from tests.waits import shown

SAID = {
    "zh": {
        "未接通": "已记下回访未接通，工单状态不变，稍后再打。",
        "2 还在漏水": "已记下回访：不满意 2 分，工单退回“已派工”重新处理。",
        "5 很满意": "已记下回访：满意 5 分，工单已回访。",
    },
    "en": {
        "no answer": "Noted that nobody answered; the case stays as it is for the next call.",
        "2 still leaking": "Call-back recorded: not satisfied, 2 of 5; the case goes back to "
        "“Dispatched” for rework.",
        "5 all good": "Call-back recorded: satisfied, 5 of 5; the case is now “Followed up”.",
    },
}


@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_a_saved_call_back_says_what_was_saved(tmp_path, lang):
    set_language(lang)
    ws, _ = desk_workspace(tmp_path / "ws", person="刘洋")
    try:
        case = take(ws, "repair", owned_flat(ws), "water_leak", "厨房水管漏水")
        ws.store.set_case_status(case.id, "done")
        app = FieldkitApp(ws, lang=lang)
        async with app.run_test(size=(120, 40), notifications=True) as pilot:
            await pilot.pause()
            app.push_screen(CaseDetailScreen(case.id))
            screen = app.screen
            for typed, said in SAID[lang].items():
                await shown(pilot, lambda: screen.case is not None and screen.case.next_statuses)
                if screen.case.row.status != "done":  # sent back: the fitter has done it again
                    ws.store.set_case_status(case.id, "done")
                    screen.load_case()
                    await shown(pilot, lambda: screen.case.row.status == "done")
                await pilot.press("1")  # → followed up: the call-back's result is asked
                await shown(pilot, lambda: isinstance(app.screen, AskDialog))
                app.screen.query_one("Input").value = typed
                await pilot.press("enter")
                await shown(pilot, lambda said=said: said in notes(app), said)
    finally:
        ws.close()
        set_language("en")
