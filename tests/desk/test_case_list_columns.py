"""The case list at 80x24 (nc21): in English Where and Status kept ~20 cells each (a
dispute's two flats, "Hearing both sides") while Problem was squeezed to 12 and a screen
held 7 cases. Where and Status are cut with "…" first: Problem has the room, and a screen
holds more cases; the case's detail still shows them whole."""

from __future__ import annotations

import pytest
from rich.cells import cell_len

from fieldkit.i18n import set_language
from fieldkit.ui.app import FieldkitApp
from fieldkit.ui.widgets.case_table import CaseTable
from tests.desk.helpers import open_cases, take


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    from fieldkit.services.demo import generate
    from fieldkit.services.workspace import Workspace

    made = tmp_path_factory.mktemp("columns") / "c"
    generate(made, cases=60, floors=2)
    ws = Workspace.open(made)
    try:
        ws.store.set_device_state(role="office")  # the desk, as the lifecycle file names it
        ws.sign_in("刘洋")
        take(ws, "dispute", "1-1-101", "noise_dispute", "Furniture dragged upstairs after 10 pm",
             other="1-1-201")  # fmt: skip
    finally:
        ws.close()
    return made


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_problem_has_the_room_at_80_by_24(folder, lang):
    from fieldkit.services.workspace import Workspace

    set_language(lang)
    ws = Workspace.open(folder)
    try:
        app = FieldkitApp(ws, lang=lang)
        async with app.run_test(size=(80, 24)) as pilot:
            await open_cases(app, pilot)
            table = app.screen.query_one(CaseTable)
            width = {str(c.key.value): c.width for c in table.columns.values()}
            least = 24 if lang == "en" else 16  # zh keeps its narrow kind and department
            assert width["title"] >= least, width
            assert width["title"] > max(width["target"], width["status"]), width
            column = {col: table.shown.index(col) for col in ("target", "status")}
            cells = {col: [str(table.get_row_at(n)[at]) for n in range(table.row_count)]
                     for col, at in column.items()}  # fmt: skip
            for col, said in cells.items():
                assert all(cell_len(c) <= width[col] for c in said), (col, said)
            (dispute,) = [c for c in cells["target"] if c.startswith("1-1-101")]
            assert dispute == "1-1-101 ↔…" if lang == "en" else "↔" in dispute, dispute
            heights = [table.rows[key].height for key in list(table.rows)[:12]]
            on_screen, used = 0, 0
            for height in heights:
                used += height
                if used > table.size.height - 1:  # under the heading
                    break
                on_screen += 1
            assert on_screen > 7, (on_screen, heights, table.size)
    finally:
        ws.close()
        set_language("en")


@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_home_and_end_go_to_the_first_and_the_last_case(folder, lang):
    """nc26: Home then Enter opened the case chosen before — a stock table's Home moves a
    row cursor sideways, not up."""
    from fieldkit.services.workspace import Workspace
    from fieldkit.ui.screens.case_detail import CaseDetailScreen
    from tests.waits import shown

    set_language(lang)
    ws = Workspace.open(folder)
    try:
        app = FieldkitApp(ws, lang=lang)
        async with app.run_test(size=(120, 40)) as pilot:
            await open_cases(app, pilot)
            table = app.screen.query_one(CaseTable)
            assert table.row_count > 3
            await pilot.press("down", "down", "down")
            await shown(pilot, lambda: table.cursor_row == 3)
            await pilot.press("end")
            await shown(pilot, lambda: table.cursor_row == table.row_count - 1)
            await pilot.press("home")
            await shown(pilot, lambda: table.cursor_row == 0)
            first = table.rows_shown[0].id
            await pilot.press("enter")
            await shown(pilot, lambda: isinstance(app.screen, CaseDetailScreen))
            assert app.screen.case_id == first
    finally:
        ws.close()
    set_language("en")
