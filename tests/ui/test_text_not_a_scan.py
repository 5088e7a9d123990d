"""Text is never lost to the scanner logic: a whole line and Enter arriving in one burst (a
paste without bracketed paste, an input method committing a phrase, a typist's macro) in a
text box is saved as typed. Each kind of text box gets the burst and the line is found
saved; where a scan means something (the search box, the incident's line at a flat's door),
a code-shaped line that names nothing is typed there after all."""

from __future__ import annotations

from textual.widgets import Input, TextArea

from fieldkit.services import incidents as inc
from fieldkit.services.demo import generate
from fieldkit.services.workspace import Workspace
from fieldkit.ui.app import FieldkitApp
from fieldkit.ui.dialogs.ask import AskDialog
from fieldkit.ui.dialogs.signin import SignInDialog
from fieldkit.ui.screens.incident import IncidentScreen
from fieldkit.ui.screens.incident_notice import IncidentNoticeScreen
from fieldkit.ui.screens.runner import RunnerScreen
from fieldkit.ui.screens.start import StartRunScreen
from tests.incidents.helpers import make_compound, open_workspace
from tests.keys import one_read
from tests.waits import shown

LINE = "第4条：3楼东侧积水已清理，住户已通知"
WORD = "done2024"  # shaped like a code, names nothing


def burst(app, text: str) -> None:
    """The line and Enter in one terminal read, posted at once, as a paste arrives."""
    one_read(app, text + "\r")


def texts(ws, incident_id):
    return [e.text for e in ws.store.get_incident(incident_id).timeline]


async def test_a_burst_in_the_incident_line_is_a_timeline_entry(tmp_path):
    make_compound(tmp_path / "ws")
    ws = open_workspace(tmp_path / "ws")
    try:
        incident = inc.open_incident(ws, "flooding", place_text="1号楼")
        app = FieldkitApp(ws, lang="zh")
        async with app.run_test(size=(140, 40)) as pilot:
            await pilot.pause()
            app.push_screen(IncidentScreen(incident.id))
            await shown(pilot, lambda: isinstance(app.focused, Input))
            burst(app, LINE)
            await shown(pilot, lambda: LINE in texts(ws, incident.id))
            burst(app, WORD)  # taken as a door scan, names no flat: typed after all
            await shown(pilot, lambda: WORD in texts(ws, incident.id))
            on_screen = [n.message for n in app._notifications]
            assert not any("标签" in m or "编码" in m for m in on_screen), on_screen
        assert texts(ws, incident.id) == [LINE, WORD]
    finally:
        ws.close()


LINES = ["1号楼地下车库进水约20厘米", "保安在车库入口堆沙袋", "ok", "done2024", "已通知工程部抽水"]


async def test_lines_typed_together_into_the_incident_line_stay_apart_and_in_order(tmp_path):
    """Five lines and their Enters in one read (a quick typist on a busy laptop, an input
    method): five entries, in order, none run together, none wiped; then a paste of three
    lines gives three more."""
    from textual import events

    make_compound(tmp_path / "ws")
    ws = open_workspace(tmp_path / "ws")
    try:
        incident = inc.open_incident(ws, "flooding", place_text="1号楼")
        app = FieldkitApp(ws, lang="zh")
        async with app.run_test(size=(140, 40)) as pilot:
            await pilot.pause()
            app.push_screen(IncidentScreen(incident.id))
            await shown(pilot, lambda: isinstance(app.focused, Input))
            one_read(app, "".join(line + "\r" for line in LINES))
            await shown(pilot, lambda: len(texts(ws, incident.id)) == len(LINES))
            pasted = ["2号楼也进水了", "电梯已停用", "住户已转移到1楼大堂"]
            app.focused.post_message(events.Paste("\n".join(pasted) + "\n"))
            await shown(pilot, lambda: len(texts(ws, incident.id)) == len(LINES) + 3)
            assert app.focused.value == ""
        assert texts(ws, incident.id) == LINES + pasted
    finally:
        ws.close()


async def test_a_burst_in_the_notice_is_text(tmp_path):
    make_compound(tmp_path / "ws")
    ws = open_workspace(tmp_path / "ws")
    try:
        incident = inc.open_incident(ws, "flooding", place_text="1号楼")
        app = FieldkitApp(ws, lang="zh")
        async with app.run_test(size=(140, 40)) as pilot:
            await pilot.pause()
            app.push_screen(IncidentNoticeScreen(incident.id))
            await shown(pilot, lambda: isinstance(app.focused, TextArea))
            area = app.focused
            burst(app, WORD)
            await shown(pilot, lambda: WORD in area.text)
            assert app.scanned == []
    finally:
        ws.close()


async def test_a_burst_in_a_runner_note_and_a_text_item_is_saved(tmp_path):
    generate(tmp_path / "c", cases=0, floors=4)
    ws = Workspace.open(tmp_path / "c")
    try:
        app = FieldkitApp(ws, lang="zh")
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            route = ws.lookup_scan("R-2-1").target
            runner = RunnerScreen(checklist_id="fire.extinguisher.floor_round", target=route)
            app.push_screen(runner)
            await shown(pilot, lambda: runner.run is not None)
            step = runner.step()
            await pilot.press("t")
            await shown(pilot, lambda: isinstance(app.screen, AskDialog))
            burst(app, LINE)
            await shown(pilot, lambda: app.screen is runner and runner.run.note_of(step))
            assert runner.run.note_of(step) == LINE
            draft = ws.store.get_inspection(runner.run.inspection.id)
            assert LINE in str(draft.to_dict())  # on disk, not only on screen
            assert app.scanned == []
    finally:
        ws.close()


async def test_a_code_shaped_burst_in_the_search_box_that_names_nothing_stays_typed(workspace):
    assert workspace.places and workspace.code_starts()  # the registry read, as at the home
    app = FieldkitApp(workspace)
    async with app.run_test() as pilot:
        start = StartRunScreen()
        app.push_screen(start)
        await pilot.pause()
        box = start.query_one("#search", Input)
        burst(app, "zz-99-9999")
        await shown(pilot, lambda: start.shown_query == "zz-99-9999")
        assert box.value == "zz-99-9999" and app.screen is start
        assert app.focused is box  # its Enter waited for its own results: none
        burst(app, "浇水 东门")  # not a code at all: typed straight away, never looked up
        await shown(pilot, lambda: box.value.endswith("浇水 东门"))
        # "zz-" cannot begin a code of this compound: typed at once; "99-9999" could (a tag
        # id's digits), was taken as a search code, named nothing and was typed after it
        assert app.scanned == ["99-9999"]


async def test_a_burst_in_the_sign_in_dialog_is_the_name(workspace):
    app = FieldkitApp(workspace, lang="zh")
    async with app.run_test() as pilot:
        await pilot.pause()
        app.action_sign_in_next()
        await shown(pilot, lambda: isinstance(app.screen, SignInDialog))
        burst(app, "WangXiaoming")
        await shown(pilot, lambda: app.who is not None and app.who.person == "WangXiaoming")
        assert app.scanned == []
