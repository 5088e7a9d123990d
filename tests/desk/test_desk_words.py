"""The desk's screens in plain words, zh and en, as a newcomer read them (nc21): who a case
is assigned to when nobody is named yet, a closed case, a complaint being resolved, the
status change on the key bar, the caller's help and the resident's-details dialog."""

from __future__ import annotations

import pytest

from fieldkit.i18n import set_language, t
from fieldkit.services import intake
from fieldkit.ui.app import FieldkitApp
from fieldkit.ui.widgets.keybar import KeyBar
from tests.desk.helpers import desk_workspace, open_case, take, text_of

READ = {
    "zh": {"assignee": "处理人 尚未指定（只派到部门）", "final": "此工单已结案，不再流转。",
           "resolving": "协调处理中", "bar": "1  流转",
           "caller": "回访时先打这个号码",
           "reveal": "查看 3-1-1404 林* 的完整信息（每次只看一项）"},
    "en": {"assignee": "Assigned to nobody yet (department only)",
           "final": "This case is “Closed”: nothing more to do on it.",
           "resolving": "Being resolved", "bar": "1  status",
           "caller": "that is the number we ring first for the call-back",
           "reveal": "Show the details of 3-1-1404 林* in full, one at a time"},
}  # fmt: skip


def head(screen) -> list[str]:
    return [" ".join(line.split()) for line in text_of(screen, "#case-head").splitlines()]


@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_the_desk_reads_plainly(tmp_path, lang):
    set_language(lang)
    ws, _ = desk_workspace(tmp_path / "ws")
    w = READ[lang]
    try:
        repair = take(ws, "repair", "1-1-602", "water_leak", "卫生间顶上滴水")
        intake.dispatch(ws.store, repair, "engineering", "office")  # no one named
        closed = take(ws, "repair", "1-1-502", "water_leak", "厨房滴水")
        ws.store.set_case_status(closed.id, "closed")
        complaint = take(ws, "complaint", "1-1-402", "noise", "楼下太吵")
        ws.store.set_case_status(complaint.id, "resolving")
        app = FieldkitApp(ws, lang=lang)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            screen = await open_case(app, pilot, repair.id, lambda s: s.case.next_statuses)
            assert w["assignee"] in head(screen), head(screen)
            assert w["bar"] in screen.query_one(KeyBar).render().plain
            app.pop_screen()
            screen = await open_case(app, pilot, closed.id)
            assert text_of(screen, "#case-moves").strip() == w["final"]
            app.pop_screen()
            screen = await open_case(app, pilot, complaint.id)
            assert any(line.endswith(w["resolving"]) for line in head(screen)), head(screen)
    finally:
        ws.close()
        set_language("en")
    assert w["caller"] in t("desk.caller.help", lang)
    assert t("reveals.dialog.title", lang, unit="3-1-1404", name="林*") == w["reveal"]
