"""A round done for now stays on the home's due list only as its next time, marked 下次 /
Next, not 待检 / Due: a guard who had just submitted a building's fire-door round read
"待检 防火门与疏散通道日巡 — 1号楼 · 今天 24:00 起" and took it for still to do (nc29)."""

from __future__ import annotations

import time

import pytest

from fieldkit.i18n import t
from fieldkit.model import ChecklistRef
from fieldkit.model import Target as ModelTarget
from fieldkit.services.workspace import Workspace
from fieldkit.ui.app import FieldkitApp
from tests.waits import settled, shown

DOORS = "fire.doors_evacuation.daily"


@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_a_round_done_for_now_reads_as_its_next_time(compound, lang):
    ws = Workspace.open(compound)
    try:
        before = {
            d.target.code: d.target for d in ws.due(time.time(), 100) if d.checklist_id == DOORS
        }
        building, other_building = before["1"], before["2"]
        checklist = ws.checklists()[DOORS].ref
        run = ws.store.create_inspection(
            ChecklistRef(checklist.id, checklist.version, checklist.content_hash),
            ModelTarget(building.kind, building.id),
        )
        ws.store.submit_inspection(run.id)
        rows = {d.target.code: d for d in ws.due(time.time(), limit=100) if d.checklist_id == DOORS}
        assert rows["1"].later and not rows["2"].later
        title = ws.checklist(DOORS).title.get(lang)
        app = FieldkitApp(ws, lang=lang)
        async with app.run_test(size=(120, 40)) as pilot:
            await settled(pilot)

            def row(target) -> str:
                due = app.screen.query_one("#due")
                lines = [str(due.get_option_at_index(i).prompt) for i in range(due.option_count)]
                label = f"{title} — {target.label(lang)}  · "
                return next((ln for ln in lines if label in ln), "")

            await shown(pilot, lambda: row(building))
            done = row(building)
            assert done.startswith(t("ui.home.due_later", lang) + "  "), done
            assert t("rules.due.from", lang, time="").strip() in done, done
            other = row(other_building)
            assert other.startswith(t("ui.home.due_today", lang) + "  "), other
    finally:
        ws.close()
