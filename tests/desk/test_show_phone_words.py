"""In a case, `c` only shows the owner's phone number; the follow-up visit (回访) is a move
of the case's own. A newcomer read the bar's 回电 / "call back" as that follow-up: the two
read differently on the bar and in help, in zh and en."""

from __future__ import annotations

import pytest

from fieldkit.i18n import set_language
from fieldkit.services import intake, lifecycle
from fieldkit.ui.app import FieldkitApp
from fieldkit.ui.screens.case_detail import CaseDetailScreen
from fieldkit.ui.screens.help import HelpScreen
from fieldkit.ui.widgets.keybar import KeyBar
from tests.desk.helpers import desk_workspace, take, text_of
from tests.waits import shown

WORDS = {
    "zh": {"c": " c  显示电话", "move": "已回访", "help": "显示业主电话", "not": ("回电",)},
    "en": {"c": " c  show phone", "move": "Called back", "help": "show the owner's phone number",
           "not": ("call back", "Call back")},
}  # fmt: skip


@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_show_phone_never_reads_as_the_follow_up(tmp_path, lang):
    set_language(lang)
    ws, _ = desk_workspace(tmp_path / "ws")
    words = WORDS[lang]
    try:
        case = take(ws, "repair", "1-1-602", "water_leak", "厨房水管漏水")
        case = intake.dispatch(ws.store, case, "engineering", "desk", assignee="张师傅")
        case = lifecycle.move(ws.store, case.id, "in_progress", "desk")
        case = lifecycle.move(ws.store, case.id, "done", "desk", note="换了接头")
        app = FieldkitApp(ws, lang=lang)
        async with app.run_test(size=(140, 50)) as pilot:
            await pilot.pause()
            app.push_screen(CaseDetailScreen(case.id))
            await shown(pilot, lambda: getattr(app.screen, "case", None) is not None)
            screen = app.screen
            bar = screen.query_one(KeyBar)
            await shown(pilot, lambda: words["c"] in str(bar.render()))
            assert not any(w in str(bar.render()) for w in words["not"])
            assert words["move"] in text_of(screen, "#case-moves")  # the follow-up: a move
            await pilot.press("question_mark")
            await shown(pilot, lambda: isinstance(app.screen, HelpScreen))
            rows = dict(app.screen.rows)
            assert rows["c"].startswith(words["help"]), rows["c"]
            assert not any(w in rows["c"] for w in words["not"])
    finally:
        ws.close()
        set_language("en")
