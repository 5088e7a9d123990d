"""The case at 80x24 (nc21): the key bar ended "a note …", hiding p and f, and the history
was below the screen with nothing saying PgDn reaches it. The bar keeps the case's main
actions first and, while the history is below the screen, says PgDn reaches it; read to
the end, the bar gives that room back; help lists every key."""

from __future__ import annotations

import pytest
from rich.cells import cell_len

from fieldkit.i18n import set_language, t
from fieldkit.ui.app import FieldkitApp
from fieldkit.ui.screens.case_detail import CaseDetailScreen
from fieldkit.ui.screens.help import HelpScreen
from fieldkit.ui.widgets.keybar import KeyBar
from tests.desk.helpers import desk_workspace, owned_flat, take
from tests.waits import shown


def bar(screen) -> str:
    return str(screen.query_one(KeyBar).render()).rstrip()


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_the_case_bar_keeps_its_actions_and_points_to_the_history(tmp_path, lang):
    set_language(lang)
    ws, _ = desk_workspace(tmp_path / "ws")
    try:
        case = take(ws, "repair", owned_flat(ws), "water_leak", "厨房水管漏水")
        app = FieldkitApp(ws, lang=lang)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            app.push_screen(CaseDetailScreen(case.id))
            screen = app.screen
            history = f" pgdn  {t('desk.bar.history')} "
            await shown(pilot, lambda: screen.contacts and history in bar(screen) + " ")
            said = bar(screen)
            assert cell_len(said) <= 80 and said.endswith(f"{history}  esc  {t('ui.keys.back')}")
            for key, word in (("d", "desk.bar.dispatch"), ("a", "desk.bar.note"),
                              ("p", "desk.bar.add_photo")):  # fmt: skip
                assert f" {key}  {t(word)} " in said, (key, said)
            assert said.index(" d ") < said.index(" a ") < said.index(" p ") < said.index("…")
            body = screen.query_one("#case-body")
            while body.scroll_y < body.max_scroll_y:  # PgDn to the end of the history
                await pilot.press("pagedown")
                await pilot.pause()
            await shown(pilot, lambda: history not in bar(screen) + " ")
            assert f" c  {t('desk.bar.call')} " in bar(screen)  # its room given back
            await pilot.press("question_mark")
            await shown(pilot, lambda: isinstance(app.screen, HelpScreen))
            listed = dict(app.screen.rows)
            assert listed["pgdn / pgup"] == t("desk.keys.history")
            assert listed["p"] == t("ui.keys.add_photo") and listed["f"] == t("cases.keys.photos")
        async with FieldkitApp(ws, lang=lang).run_test(size=(120, 60)) as pilot:
            pilot.app.push_screen(CaseDetailScreen(case.id))
            screen = pilot.app.screen
            await shown(
                pilot, lambda: screen.contacts and f" f  {t('desk.bar.photos')} " in bar(screen)
            )
            assert " pgdn " not in bar(screen)  # the history on the screen: nothing to point to
    finally:
        ws.close()
        set_language("en")
