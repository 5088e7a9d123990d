"""A typed answer is answered, not passed (nc19): in a round's item list a check that
passed has ✔, a reading with no band, a remark, a signature show their value with no pass
mark — the guard read ✔ beside "备注" as if the remark had passed a check."""

from __future__ import annotations

import pytest

from fieldkit.services.workspace import Workspace
from fieldkit.ui.app import FieldkitApp
from tests.ui.helpers import answered_floor_round, line_of, open_runner
from tests.waits import shown


@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_typed_answers_show_their_value_without_a_pass_mark(compound, tmp_path, lang):
    ws = Workspace.open(compound)
    try:
        run = answered_floor_round(ws, tmp_path, failing="EXT-1-2-2")  # asks for a remark
        note = next(s for s in run.steps() if s.item.id == "note")
        run.answer(note.key, "门后有纸箱，已清走")
        app = FieldkitApp(ws, lang=lang)
        async with app.run_test(size=(120, 40)) as pilot:
            runner = await open_runner(app, pilot, ws)  # the round answered above
            await shown(pilot, lambda: "门后有纸箱" in line_of(runner, "note", 2))
            remark = line_of(runner, "note", 2)
            assert remark.startswith("  ") and "→ 门后有纸箱，已清走" in remark
            assert "✔" not in remark
            spares = line_of(runner, "spares_used")
            assert spares.startswith("  ") and "→ 0" in spares and "✔" not in spares
            sign = line_of(runner, "patroller_sign")
            assert sign.startswith("  ") and "→ 张伟" in sign and "✔" not in sign
            assert line_of(runner, "nameplate", 1).startswith("✔ ")  # a check passed
            assert line_of(runner, "nameplate", 2).startswith("✘ ")
            assert line_of(runner, "in_place", 1).startswith("✔ ")  # a choice that can fail
    finally:
        ws.close()
