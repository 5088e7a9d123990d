"""An extinguisher's service tag says which of the two it is — no tag at all (无维保标签)
or a tag over 12 months old (维保超期) — and the case says so: the check was one pass/fail
whose finding read "service overdue or no service tag" (round26). Only an overdue tag asks
for the date on it."""

from __future__ import annotations

import pytest

from fieldkit.checklists.wording import labelled
from fieldkit.services.workspace import Workspace
from fieldkit.ui.app import FieldkitApp
from fieldkit.ui.screens.finish import FinishScreen
from tests.keys import one_read
from tests.ui.helpers import ROUND, open_runner, step_of
from tests.waits import shown

#: An extinguisher normal up to its nameplate (passed): its service tag is next.
UP_TO_TAG = ("1", "1", "p", "1", "p", "1", "enter", "p")


@pytest.mark.parametrize("size", [(140, 40), (80, 24)])
@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_no_tag_and_overdue_are_two_findings(compound, lang, size):
    ws = Workspace.open(compound)
    try:
        item = ws.checklist(ROUND).item("service_tag")
        options = {o.id: o.label.get(lang) for o in item.options}
        app = FieldkitApp(ws, lang=lang)
        async with app.run_test(size=size) as pilot:
            runner = await open_runner(app, pilot, ws)
            await pilot.press(*UP_TO_TAG, "3")  # the first one has no tag at all
            after = step_of(runner, "tag_initialled", pass_no=1)
            await shown(pilot, lambda: runner.current == after.key)  # no date to ask for
            one_read(app, "EXT-1-2-2\r")
            await shown(pilot, lambda: runner.current == step_of(runner, "in_place", 2).key)
            await pilot.press(*UP_TO_TAG, "2")  # the second one's tag is over 12 months old
            await shown(pilot, lambda: (runner.step().item.id, runner.step().pass_no)
                        == ("last_service", 2))  # the date on the tag is asked for  # fmt: skip
            await pilot.press("enter")  # not read: left empty (optional), on to the next
            await shown(pilot, lambda: runner.current == step_of(runner, "tag_initialled", 2).key)
            await pilot.press("s")
            await shown(pilot, lambda: isinstance(app.screen, FinishScreen))
            table = app.screen.query_one("#finish-cases")
            await pilot.pause()
            width = next(iter(table.columns.values())).get_render_width(table)
            problems = [table.render_line(y).crop(0, width).text.strip()  # as on screen
                        for y in range(1, table.row_count + 1)]  # fmt: skip
            lead = item.fail_label.get(lang)
            for option in ("no_tag", "expired"):
                said = labelled(lead, options[option], lang).lower()
                # whole, or — in a narrow review — cut, and then ending in "…" (it was cut
                # with nothing to say so: "Extinguisher service tag no")
                assert any(p.lower() == said or (p.endswith("…") and said.startswith(
                    p[:-1].lower())) for p in problems), (said, problems)  # fmt: skip
            if size == (140, 40):
                assert all(not p.endswith("…") for p in problems), problems
    finally:
        ws.close()
