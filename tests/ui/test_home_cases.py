"""The home's case table (issue 17, start-up): mounted with the first cases, it builds its
rows when mounted and at its first size, not again for each draw of the home around it;
and a refresh of the home (back from a case, after a sync) keeps the cursor on its case."""

from __future__ import annotations

import pytest

from fieldkit.i18n import set_language
from fieldkit.services.demo import generate
from fieldkit.services.workspace import Workspace
from fieldkit.ui.app import FieldkitApp
from fieldkit.ui.screens.home import HomeScreen
from fieldkit.ui.widgets.case_table import CaseTable
from tests.waits import settled, shown


@pytest.fixture
def compound(tmp_path):
    generate(tmp_path / "c", cases=60, floors=2)
    ws = Workspace.open(tmp_path / "c")
    yield ws
    ws.close()
    set_language("en")


@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_the_home_builds_its_case_rows_once_a_draw_and_keeps_the_cursor(
    compound, lang, monkeypatch
):
    built: list[int] = []
    real_show = CaseTable.show

    def counted(table, rows, *args, **kwargs):
        if rows:
            built.append(len(rows))
        return real_show(table, rows, *args, **kwargs)

    monkeypatch.setattr(CaseTable, "show", counted)
    app = FieldkitApp(compound, lang=lang)
    async with app.run_test(size=(120, 40)) as pilot:
        await shown(pilot, lambda: isinstance(app.screen, HomeScreen) and app.screen.due)
        await settled(pilot)
        home = app.screen
        table = home.query_one("#home-cases", CaseTable)
        cases = home.summary.cases
        assert len(cases) > 3 and table.row_count == len(cases)
        # built when mounted and at its first size; then once for the due rounds' draw (it
        # relabels the whole home) and at the size it has under them. Each draw of the
        # home built them twice more, and the table relabelled the home once mounted: 8
        assert len(built) <= 4, built
        assert [table.get_row_at(i)[0] for i in range(3)] == [row.ref for row in cases[:3]]

        table.focus()
        await pilot.press("down", "down")
        chosen = table.selected_id()
        assert chosen == cases[2].id
        home.action_refresh()
        await settled(pilot)
        assert table.selected_id() == chosen  # not sent back to the first case
