"""A saved call-back says what was saved, once it is on disk, as the other saves do: the
score and where the case now is (a call nobody answered said so, a score said nothing)."""

from __future__ import annotations

import pytest

from fieldkit.i18n import set_language
from fieldkit.reports import dates
from fieldkit.ui.app import FieldkitApp
from fieldkit.ui.dialogs.ask import AskDialog
from fieldkit.ui.screens.case_detail import CaseDetailScreen
from tests.desk.helpers import desk_workspace, notes, open_case, owned_flat, take, text_of
from tests.waits import shown


def due_of(screen) -> str:
    """The case's deadline as the screen writes it (a reopening sets a new one; one at
    midnight reads "midnight" in English, CI found it at 00:50)."""
    return dates.deadline(screen.case.row.due) if screen.case else ""


SAID = {
    "zh": {
        "未接通": "已记下回访未接通，工单状态不变，稍后再打。",
        "2 还在漏水": "已记下回访：不满意 2 分，工单退回“已派工”重新处理，新的处理期限 {due}。",
        "5 很满意": "已记下回访：满意 5 分，工单已回访。",
    },
    "en": {
        "no answer": "Noted that nobody answered the call-back; the case stays as it is until you "
        "call back.",
        "2 still leaking": "Call-back recorded: not satisfied, 2 of 5; the case goes back to "
        "“Dispatched” for rework, now due {due}.",
        "5 all good": "Call-back recorded: satisfied, 5 of 5; the case is now “Called back”.",
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
                await shown(pilot, lambda said=said: said.format(due=due_of(screen)) in notes(app),
                            said)  # fmt: skip
    finally:
        ws.close()
        set_language("en")


ASKED = {
    "zh": {"repair": "例如：4 修得很快", "complaint": "例如：4 处理得很及时",
           "key": "没打通按 ctrl+n", "note": "回访电话未接通：晚上六点后再打"},
    "en": {"repair": "e.g. 4 fixed quickly", "complaint": "e.g. 4 dealt with promptly",
           "key": "if nobody answered, press ctrl+n",
           "note": "Call-back not answered: 晚上六点后再打"},
}  # fmt: skip


@pytest.mark.parametrize("kind", ["repair", "complaint"])
@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_nobody_answered_has_its_own_key_and_the_example_suits_the_kind(tmp_path, lang, kind):
    set_language(lang)
    ws, _ = desk_workspace(tmp_path / "ws", person="刘洋")
    try:
        category = "water_leak"
        case = take(ws, kind, owned_flat(ws), category, "厨房水管漏水")
        ws.store.set_case_status(case.id, "done" if kind == "repair" else "replied")
        app = FieldkitApp(ws, lang=lang)
        async with app.run_test(size=(120, 40), notifications=True) as pilot:
            await pilot.pause()
            screen = await open_case(app, pilot, case.id, lambda s: s.case.next_statuses)
            await pilot.press("1")
            await shown(pilot, lambda: isinstance(app.screen, AskDialog))
            asked = " ".join(text_of(app.screen, "#question").split())
            other = "complaint" if kind == "repair" else "repair"
            assert ASKED[lang][kind] in asked and ASKED[lang][other] not in asked, asked
            assert ASKED[lang]["key"] in asked, asked
            app.screen.query_one("Input").value = "晚上六点后再打"
            await pilot.press("ctrl+n")
            await shown(pilot, lambda: app.screen is screen)
            await shown(pilot, lambda: SAID[lang][next(iter(SAID[lang]))] in notes(app))
            assert ASKED[lang]["note"] in text_of(screen, "#case-events")
            assert screen.case.row.status == ("done" if kind == "repair" else "replied")
    finally:
        ws.close()
        set_language("en")
