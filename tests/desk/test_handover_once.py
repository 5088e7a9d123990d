"""The handover says each case taken in the shift once: its number, its title (the start of
what the owner said) and "登记报修：漏水渗水" — it printed the cut title, then the same words
again after the category."""

from __future__ import annotations

import pytest

from fieldkit.i18n import set_language
from fieldkit.services.handover import handover, render
from tests.desk.helpers import desk_workspace, take

SAID = "厨房水槽下面的水管接口一直在滴水，柜子里的东西都泡湿了，麻烦尽快派人来看看"
TAKEN = {"zh": "登记报修：漏水渗水", "en": "New repair: Water leak"}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_case_taken_in_the_shift_is_said_once(tmp_path, lang):
    set_language(lang)
    ws, _ = desk_workspace(tmp_path / "ws")
    try:
        case = take(ws, "repair", "1-1-602", "water_leak", SAID)
        text = render(handover(ws.store, lang=lang), lang=lang)
        (line,) = [row.strip() for row in text.splitlines() if f"#{case.id[-6:]}" in row]
        title = case.title.rstrip("…")
        assert f"#{case.id[-6:]} 1-1-602 {case.title} — {TAKEN[lang]}" in line, line  # the flat
        assert line.count(title[:10]) == 1, line
    finally:
        ws.close()
        set_language("en")
