"""The desk's screens read in English at 80x24, as a newcomer found them (nc): a long
problem in the list ends its third line in "…" rather than stopping mid-sentence; the
status picker shows its title and its hint, the list scrolling between them; the case's
key bar keeps help's and back's keys and says "…" for those it leaves to help; the case's
category follows the language switched to (it stayed 燃气 in English)."""

from __future__ import annotations

import pytest
from rich.cells import cell_len
from textual.widgets import OptionList

from fieldkit.i18n import set_language
from fieldkit.model import Target
from fieldkit.services.types import UNFINISHED, CaseFilter
from fieldkit.ui.app import FieldkitApp
from fieldkit.ui.dialogs.picker import Picker
from fieldkit.ui.widgets.case_table import COLUMNS, CaseTable
from fieldkit.ui.widgets.keybar import KeyBar
from tests.desk.helpers import (
    desk_workspace,
    flat,
    open_case,
    open_cases,
    owned_flat,
    take,
    text_of,
)
from tests.waits import shown

LONG = ("Water from the flat upstairs has been coming through the living-room ceiling "
        "every evening since the heavy rain last week")  # fmt: skip


@pytest.fixture
def ws(tmp_path):
    from fieldkit.services.demo import generate
    from fieldkit.services.workspace import Workspace

    generate(tmp_path / "c", floors=2)  # cases in each state: a picker longer than 24 rows
    workspace = Workspace.open(tmp_path / "c")
    unit = workspace.store.reference("unit")[0]
    made = workspace.store.create_case("repair", Target("unit", unit.id), title=LONG,
                                       department="engineering", severity="critical")  # fmt: skip
    workspace.store.set_case_status(made.id, "dispatched")
    yield workspace
    workspace.close()
    set_language("en")


async def test_the_case_list_and_its_picker_at_80_by_24(ws):
    set_language("en")
    app = FieldkitApp(ws, lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_cases(
            app, pilot, CaseFilter(status=UNFINISHED, text="upstairs has been")
        )
        table = screen.query_one(CaseTable)
        at = table.shown.index("title")
        cells = [table.get_row_at(n)[at] for n in range(table.row_count)]
        (long,) = [str(c) for c in cells if str(c).startswith("Water from")]
        lines = long.split("\n")
        assert len(lines) == 3 and lines[-1].endswith("…"), lines  # the rest is in the case
        assert "title" in COLUMNS and all(cell_len(line) <= table.columns[
            table.ordered_columns[at].key].width for line in lines)  # fmt: skip
        await pilot.press("escape")
        await open_cases(app, pilot)
        await pilot.press("o")
        await shown(pilot, lambda: isinstance(app.screen, Picker))
        picker = app.screen
        assert picker.query_one(OptionList).option_count > 14
        box = picker.query_one(".dialog-box")
        assert box.max_scroll_y == 0, box.virtual_size  # the list scrolls, not the dialog
        for part in ("#picker-title", "#picker-hint"):
            region = picker.query_one(part).region
            assert region.height and region.y >= 0 and region.bottom <= 24, (part, region)
        assert "Show cases with which status?" in text_of(picker, "#picker-title")


async def test_the_case_at_80_columns_keeps_back_and_says_its_category_in_each_language(
    tmp_path,
):
    set_language("zh")
    ws, _ = desk_workspace(tmp_path / "ws")
    try:
        case = take(ws, "repair", owned_flat(ws), "water_leak", "厨房水管漏水")
        app = FieldkitApp(ws, lang="zh")
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            screen = await open_case(app, pilot, case.id, lambda s: bool(s.contacts))
            assert "问题类别  漏水渗水" in text_of(screen, "#case-head")
            await pilot.press("ctrl+l")
            await shown(pilot, lambda: "Category" in text_of(screen, "#case-head"))
            head = {line.split("  ")[0]: line for line in text_of(screen, "#case-head").split("\n")}
            assert head["Category"].split() == ["Category", "Water", "leak"], head
            bar = str(screen.query_one(KeyBar).render()).rstrip()
            assert cell_len(bar) <= 80 and bar.endswith(" esc  back"), bar
            assert "…" in bar and "  status " in bar, bar  # the rest: in help (?)
    finally:
        ws.close()
        set_language("en")


async def test_the_call_back_question_is_read_whole_and_the_intake_lists_read_as_labels(
    tmp_path,
):
    """The call-back's question (whom to ring, how to type the score) was cut after its
    second line at 80 columns; the intake's kinds and contact ways read "1  repair",
    "1  phone call" beside "1  Water leak", and its default "Enter: phone"."""
    from fieldkit.services import intake as intake_service
    from fieldkit.ui.dialogs.ask import AskDialog
    from fieldkit.ui.screens.intake import IntakeScreen
    from fieldkit.ui.widgets.phrases import lines

    set_language("en")
    ws, _ = desk_workspace(tmp_path / "ws")
    try:
        code = owned_flat(ws)
        request = intake_service.Request(
            "repair", Target("unit", flat(ws, code).id), "water_leak", "卫生间漏水",
            where=code, caller_name="Tom (tenant)", caller_phone="13812345678",
        )  # fmt: skip
        case = intake_service.take(ws.store, request, by=ws.actor, lifecycles=ws.lifecycles)
        ws.store.set_case_status(case.id, "done")
        app = FieldkitApp(ws, lang="en")
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            screen = await open_case(app, pilot, case.id, lambda s: s.case.next_statuses)
            await pilot.press("1")
            await shown(pilot, lambda: isinstance(app.screen, AskDialog))
            question = app.screen.query_one("#question")
            said = lines(question.text, question.content_region.width)
            whole = " ".join(said)
            assert len(said) > 2 and whole.endswith("press ctrl+n (or type “no answer”):"), said
            assert question.content_region.height >= len(said), (question.region, said)
            await pilot.press("escape")
            await shown(pilot, lambda: app.screen is screen)
            await pilot.press("escape")
            app.push_screen(IntakeScreen())
            await shown(pilot, lambda: isinstance(app.screen, IntakeScreen))
            intake = app.screen
            help_text = str(intake.query_one("#intake-help").render())
            assert "1  Repair" in help_text and "3  Neighbour dispute" in help_text, help_text
            await pilot.press("1")  # repair
            await shown(pilot, lambda: intake.step == "unit")
            intake.query_one("#intake-line").value = owned_flat(ws)
            await shown(pilot, lambda: intake.results)
            for step, keys in (("unit", ("enter",)), ("caller", ("enter",)),
                               ("category", ("2",)),  # not the leak open on the flat
                               ("description", (*"drain", "enter")),
                               ("photo", ("enter",)), ("urgency", ("enter",))):  # fmt: skip
                await shown(pilot, lambda step=step: intake.step == step)
                await pilot.press(*keys)
            await shown(pilot, lambda: intake.step == "contact")
            help_text = str(intake.query_one("#intake-help").render())
            assert "1  Phone call" in help_text and "Enter: phone call" in help_text, help_text
    finally:
        ws.close()
        set_language("en")


async def test_a_long_chinese_problem_wraps_at_a_pause(ws):
    """At 80 columns a Chinese problem wraps after its comma, not inside a word (抖|动)."""
    title = "厨房下水道堵塞，水排不下去，楼下邻居家卫生间也开始往上返水了"
    unit = ws.store.reference("unit")[0]
    made = ws.store.create_case("repair", Target("unit", unit.id), title=title,
                                department="engineering", severity="critical")  # fmt: skip
    ws.store.set_case_status(made.id, "dispatched")
    set_language("zh")
    app = FieldkitApp(ws, lang="zh")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_cases(app, pilot, CaseFilter(status=UNFINISHED, text="楼下邻居家"))
        table = app.screen.query_one(CaseTable)
        at = table.shown.index("title")
        (cell,) = [str(table.get_row_at(n)[at]) for n in range(table.row_count)]
        lines = cell.split("\n")
        assert lines[:2] == ["厨房下水道堵塞，", "水排不下去，"] and len(lines) == 3, lines
        assert lines[2].endswith("…"), lines  # 楼下… the rest is on the case
