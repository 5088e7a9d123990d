"""The shift handover as the desk needs it (nc25): reached from the desk's home by a key the
bar and help show, and from the palette; it lists the call-backs owed (work done, the owner
not yet called back), names each case by its flat as well as its title, and its headings
are plain words in both languages."""

from __future__ import annotations

import time

import pytest

from fieldkit.i18n import set_language, t
from fieldkit.model import Target
from fieldkit.services.cases import iso
from fieldkit.services.handover import handover, render
from fieldkit.ui.app import FieldkitApp
from fieldkit.ui.dialogs.palette import Palette
from fieldkit.ui.screens.trends import TrendsScreen
from fieldkit.ui.widgets.keybar import KeyBar
from tests.desk.helpers import desk_workspace, take, text_of
from tests.ui.helpers import palette_prompts
from tests.waits import shown

WORDS = {
    "zh": {"done": "本班已办事项（", "owed": "待回访：已办完，尚未回访业主（2）",
           "status": "[已完工, ", "bar": "h  交接班", "cmd": "交接班记录"},
    "en": {"done": "What this shift did (", "owed": "Call-backs owed: work done, the owner still "
           "to be called back (2)", "status": "[Done, ", "bar": "h  handover",
           "cmd": "Shift handover"},
}  # fmt: skip


def _shift(ws):
    """A repair done and a complaint replied to (call-backs owed), a leak still in hand due
    soon, and a finding put right (waiting on its re-inspection: counted, not listed)."""
    done = take(ws, "repair", "1-1-602", "water_leak", "厨房漏水")
    ws.store.set_case_status(done.id, "dispatched")
    ws.store.set_case_status(done.id, "in_progress")
    ws.store.set_case_status(done.id, "done")
    replied = take(ws, "complaint", "1-1-502", "noise", "楼上夜里拖家具")
    for status in ("registered", "investigating", "resolving", "replied"):
        ws.store.set_case_status(replied.id, status)
    due = take(ws, "repair", "1-1-502", "drain_blocked", "厨房下水道堵了")
    ws.store.update_case(due.id, due=iso(time.time() + 3600))
    unit = ws.store.reference("unit")[0]
    found = ws.store.create_case("finding", Target("unit", unit.id), title="灭火器压力不足",
                                 due=iso(time.time() + 3600))  # fmt: skip
    ws.store.set_case_status(found.id, "resolved")
    return done, replied, due


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_handover_lists_the_call_backs_owed_with_their_flats(tmp_path, lang):
    set_language(lang)
    ws, _ = desk_workspace(tmp_path / "ws")
    try:
        done, replied, due = _shift(ws)
        h = handover(ws.store, lang=lang)
        text = render(h, lang=lang)
    finally:
        ws.close()
        set_language("en")
    words = WORDS[lang]
    lines = text.splitlines()
    assert any(line.startswith(words["done"]) for line in lines), text
    at = lines.index(words["owed"])
    owed = lines[at + 1 : at + 3]
    assert f"#{done.id[-6:]} 1-1-602 厨房漏水 {words['status']}" in owed[0], owed
    assert f"#{replied.id[-6:]} 1-1-502 楼上夜里拖家具" in owed[1], owed
    assert any(f"#{due.id[-6:]} 1-1-502 厨房下水道堵了" in line for line in lines[at + 3 :]), text
    assert h.waiting == 1  # the finding: re-inspected, not phoned
    assert "Done this shift" not in text and "本班已办（" not in text


@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_the_desk_opens_it_from_home_by_its_key_and_from_the_palette(tmp_path, lang):
    set_language(lang)
    words = WORDS[lang]
    ws, _ = desk_workspace(tmp_path / "ws", role="desk")
    try:
        _shift(ws)
        app = FieldkitApp(ws, lang=lang)
        async with app.run_test(size=(80, 24)) as pilot:
            await shown(pilot, lambda: words["bar"] in str(app.screen.query_one(KeyBar).render()))
            home = app.screen
            await pilot.press("h")
            await shown(pilot, lambda: isinstance(app.screen, TrendsScreen) and app.screen.text)
            assert words["owed"] in app.screen.text
            await pilot.press("escape")
            await shown(pilot, lambda: app.screen is home)
            await pilot.press("?")
            said = "".join(t("desk.keys.handover", lang).split())
            await shown(pilot, lambda: said in _help_text(app))
            await pilot.press("escape")
            await shown(pilot, lambda: app.screen is home)
            await pilot.press("ctrl+p")
            await shown(pilot, lambda: isinstance(app.screen, Palette))
            await pilot.press(*("交接" if lang == "zh" else "handover"))
            await shown(pilot, lambda: any(words["cmd"] in p for p in palette_prompts(app)))
            assert words["cmd"] in palette_prompts(app)[0]
            await pilot.press("enter")
            await shown(pilot, lambda: isinstance(app.screen, TrendsScreen) and app.screen.text)
            assert app.screen.view == "handover" and words["owed"] in app.screen.text
    finally:
        ws.close()
        set_language("en")


def _help_text(app) -> str:
    """The help's keys, whitespace left out (a line folds where the table wraps it)."""
    return "".join(text_of(app.screen, "#help-keys").split())
