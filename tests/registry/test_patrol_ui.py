"""Pilot: a patrol round by scans, in en and zh — the skipped checkpoint is flagged at the
end and the finished round waits in the outbox for the office."""

from __future__ import annotations

import pytest

from fieldkit.i18n import set_language
from fieldkit.model.qr import encode
from fieldkit.services.workspace import Workspace
from fieldkit.ui.app import FieldkitApp
from fieldkit.ui.screens.patrol import PatrolScreen
from tests.waits import shown

from .test_card_ui import scan, text_of
from .test_patrol import night_route

WORDS = {
    "en": {"missed": "Missed: CP-LOBBY, CP-ROOF", "refused": "not a patrol checkpoint"},
    "zh": {"missed": "漏检：CP-LOBBY, CP-ROOF", "refused": "不是巡更点"},
}


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_round_by_scans_flags_the_skipped_checkpoints(tmp_path, lang):
    night_route(tmp_path / "c")
    ws = Workspace.open(tmp_path / "c")
    try:
        app = FieldkitApp(ws, lang=lang)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            app.action_patrol()
            await shown(pilot, lambda: isinstance(app.screen, PatrolScreen))
            screen = app.screen
            await shown(pilot, lambda: screen.routes)
            await pilot.press("enter")
            await shown(pilot, lambda: screen.round_id is not None)
            scan(app, encode("checkpoint", "CH", "CP-GATE"))
            await shown(pilot, lambda: screen.report.stops[0].visited is not None)
            await pilot.pause(0.1)
            said = [n.message for n in app._notifications]
            assert len(said) == len(set(said)), said  # each thing said once
            scan(app, "3-2-201")  # a flat: refused, nothing recorded, no card opened
            await shown(
                pilot, lambda: any(WORDS[lang]["refused"] in n.message for n in app._notifications)
            )
            assert app.screen is screen
            scan(app, "CP-GARAGE")
            await shown(pilot, lambda: screen.report.stops[2].visited is not None)
            await pilot.press("f")
            await shown(pilot, lambda: screen.report.finished)
            assert WORDS[lang]["missed"] in text_of(screen, "#patrol-summary")
            walk = ws.store.get("patrol_round", screen.round_id)
            assert walk.status == "finished"
            assert walk.findings["missed"] == ["CP-LOBBY", "CP-ROOF"]
            assert [v.code for v in walk.visits] == ["CP-GATE", "CP-GARAGE"]
            assert any(e.entity == "patrol_round" for e in ws.store.outbox_pending())
    finally:
        ws.close()
        set_language("en")


async def test_scanning_a_checkpoint_anywhere_begins_a_round_there(tmp_path):
    night_route(tmp_path / "c")
    ws = Workspace.open(tmp_path / "c")
    try:
        app = FieldkitApp(ws, lang="en")
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            scan(app, encode("checkpoint", "CH", "CP-GATE"))
            await shown(pilot, lambda: isinstance(app.screen, PatrolScreen))
            screen = app.screen
            await shown(pilot, lambda: screen.routes)
            await pilot.press("enter")
            await shown(pilot, lambda: screen.report is not None)
            first = screen.report.stops[0]
            assert first.code == "CP-GATE" and first.visited is not None
            assert ws.store.get("patrol_round", screen.round_id).visits[0].code == "CP-GATE"
    finally:
        ws.close()
