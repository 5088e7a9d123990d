"""Cases on screen: the list pages and filters, the detail moves a case along its lifecycle
(checked in the store), a rejection needs a reason, and help lists the screen's keys."""

from __future__ import annotations

from textual.widgets import Input

from fieldkit.services.types import UNFINISHED, CaseFilter
from fieldkit.store import Store
from fieldkit.ui.app import FieldkitApp
from fieldkit.ui.dialogs.confirm import ConfirmDialog
from fieldkit.ui.dialogs.picker import Picker
from fieldkit.ui.screens.case_detail import CaseDetailScreen
from fieldkit.ui.screens.cases import CasesScreen
from fieldkit.ui.screens.help import HelpScreen
from tests.waits import shown


async def test_cases_list_filters_and_pages(workspace):
    app = FieldkitApp(workspace)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("c")
        await shown(pilot, lambda: isinstance(app.screen, CasesScreen) and app.screen.page)
        screen = app.screen
        open_total = workspace.cases_page(CaseFilter(status=UNFINISHED)).total
        assert screen.page.total == open_total
        await pilot.press("o")  # the statuses to pick from: 2 is any status
        await shown(pilot, lambda: isinstance(app.screen, Picker))
        await pilot.press("2")
        await shown(pilot, lambda: screen.page.total == 80)
        assert len(screen.page.rows) == 50
        assert "(] or PgDn for the next page)" in str(screen.query_one("#case-filters").render())
        # nc14: PgDn stopped at the page's 50th row; from its last row it turns the page
        screen.query_one("CaseTable").focus()
        for _ in range(30):
            if screen.page.offset == 50:
                break
            await pilot.press("pagedown")
            await pilot.pause()
        await shown(pilot, lambda: screen.page.offset == 50)
        assert len(screen.page.rows) == 30
        assert "PgDn" not in str(screen.query_one("#case-filters").render())  # the last page
        await pilot.press("left_square_bracket")
        await shown(pilot, lambda: screen.page.offset == 0)
        await pilot.press("right_square_bracket")
        await shown(pilot, lambda: screen.page.offset == 50)
        await pilot.press("d")  # engineering only
        await shown(pilot, lambda: screen.filter.department == "engineering")
        await shown(pilot, lambda: screen.page.offset == 0)
        assert screen.page.rows and {r.department for r in screen.page.rows} == {"engineering"}
        await pilot.press("question_mark")
        await shown(
            pilot, lambda: isinstance(app.screen, HelpScreen) and app.screen.query("#help-keys")
        )
        await pilot.pause()
        labels = dict(app.screen.rows)
        assert labels["d"] == "department filter" and labels["] / ["] == "next / previous page"
        assert labels["ctrl+l"] == "中文 / English"
        await pilot.press("escape")
        await shown(pilot, lambda: app.screen is screen)


async def test_case_moves_along_its_lifecycle_and_rejection_needs_a_reason(demo_dir):
    """Moves come from the lifecycle file: a note where a move needs one, the follow-up
    visit's score, and only the office may reject."""
    from fieldkit.services.workspace import Workspace

    ws = Workspace.open(demo_dir)
    first_id = next(r.id for r in ws.cases_page(CaseFilter(status=UNFINISHED), 0, 500).rows
                    if r.status == "open")  # fmt: skip
    app = FieldkitApp(ws)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        detail = CaseDetailScreen(first_id)
        app.push_screen(detail)
        await shown(pilot, lambda: detail.case is not None)
        assert detail.case.next_statuses == ("assigned",)  # a patrol device cannot reject
        for expected in ("assigned", "in_progress"):
            await pilot.press("1")
            await shown(pilot, lambda e=expected: detail.case.row.status == e)
        await pilot.press("1")  # resolved needs a note: asked for
        await shown(pilot, lambda: isinstance(app.focused, Input))
        await pilot.press(*"hose replaced", "enter")
        await shown(pilot, lambda: detail.case.row.status == "resolved")
        await pilot.press("a")
        await shown(pilot, lambda: isinstance(app.focused, Input))
        await pilot.press(*"owner satisfied", "enter")
        await shown(pilot, lambda: any(e.text == "owner satisfied" for e in detail.case.events))
        await pilot.press("1")  # the follow-up visit: a score, then a comment
        await shown(pilot, lambda: isinstance(app.focused, Input))
        await pilot.press(*"ok", "enter")  # no score: refused in the dialog, nothing changes
        await shown(pilot, lambda: getattr(app.screen, "refused", None) is not None)
        assert "score" in app.screen.refused.message()
        assert detail.case.row.status == "resolved"
        await shown(pilot, lambda: isinstance(app.focused, Input))  # asked again, text kept
        assert app.focused.value == "ok"
        app.focused.value = ""
        await pilot.press(*"5 quick work", "enter")
        await shown(pilot, lambda: detail.case.row.status == "followed_up")
        await pilot.press("1")  # closing cannot be undone: asked once more, n keeps it open
        await shown(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        assert "this cannot be undone" in str(app.screen.query_one("#question").render())
        await pilot.press("n")
        await shown(pilot, lambda: app.screen is detail)
        assert ws.store.get_case(detail.case_id).status == "followed_up"
        await pilot.press("1", "y")
        await shown(pilot, lambda: detail.case.row.status == "closed")
        assert detail.case.next_statuses == ()
        assert "nothing more to do on it" in str(detail.query_one("#case-moves").render())

        ws.store.set_device_state(role="office")
        other = next(r.id for r in ws.cases_page(CaseFilter(status=UNFINISHED), 0, 500).rows
                     if r.status == "open")  # fmt: skip
        detail2 = CaseDetailScreen(other)
        app.push_screen(detail2)
        await shown(pilot, lambda: detail2.case is not None)
        assert detail2.case.next_statuses == ("assigned", "cancelled")
        await pilot.press("2")  # reject: asks why
        await shown(pilot, lambda: isinstance(app.focused, Input))
        await pilot.press("enter")  # no reason: refused in the dialog, which stays open
        await shown(pilot, lambda: getattr(app.screen, "refused", None) is not None)
        assert "needs an answer" in app.screen.refused.message()
        assert detail2.case.row.status == "open" and isinstance(app.focused, Input)
        await pilot.press(*"duplicate", "enter")
        await shown(pilot, lambda: detail2.case.row.status == "cancelled")
    ws.close()
    store = Store.open(demo_dir)
    case = store.get_case(first_id)
    assert case.status == "closed"
    assert [e.data["to"] for e in case.events if e.type == "status"][-5:] == [
        "assigned", "in_progress", "resolved", "followed_up", "closed"]  # fmt: skip
    assert any(e.type == "note" and e.text == "owner satisfied" for e in case.events)
    rejected = store.get_case(other)
    assert rejected.status == "cancelled" and rejected.events[-1].text == "duplicate"
    store.close()


async def test_a_slow_page_shows_the_table_loading_until_it_arrives(workspace):
    """The first view of every case reads all history (seconds with 100k cases): the table
    says it is loading instead of standing still. The delay is injected before the real
    query, which then runs as usual."""
    import threading

    release = threading.Event()
    real = workspace.cases_page

    def slow(*args, **kwargs):
        release.wait(10)
        return real(*args, **kwargs)

    workspace.cases_page = slow
    app = FieldkitApp(workspace)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("c")
        await shown(pilot, lambda: isinstance(app.screen, CasesScreen), settle=False)
        table = app.screen.query_one("#case-table")
        await shown(pilot, lambda: table.loading, settle=False)  # the page is still coming
        assert app.screen.page is None
        release.set()
        await shown(pilot, lambda: app.screen.page is not None)
        await shown(pilot, lambda: not table.loading)
        assert table.row_count == len(app.screen.page.rows) > 0


def as_before_the_index(folder) -> int:
    """Write every archive month as a fieldkit from before the case index did."""
    import orjson

    from fieldkit.store.months import EXTRA_KEYS

    months = sorted((folder / "archive").glob("*.json"))
    for path in months:
        whole = orjson.loads(path.read_bytes())
        path.write_bytes(orjson.dumps({k: v for k, v in whole.items() if k not in EXTRA_KEYS}))
    return len(months)


async def test_a_history_from_before_the_index_is_indexed_once_with_a_progress_line(demo_dir):
    """Months written before they carried their case index are indexed the first time the
    list shows every status; the line above the table says which month it is at (held at
    the first month here, so the line can be read), then the page comes as usual."""
    import threading

    from fieldkit.services.workspace import Workspace

    months = as_before_the_index(demo_dir)
    ws = Workspace.open(demo_dir)
    assert len(ws.store.months_without_index()) == months > 1
    release = threading.Event()
    real = ws.store.upgrade_months

    def held(progress=None):
        def told(done, total, month):
            progress(done, total, month)
            if done == 0:
                release.wait(10)

        return real(told)

    ws.store.upgrade_months = held
    app = FieldkitApp(ws)
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.press("c")
            await shown(pilot, lambda: isinstance(app.screen, CasesScreen) and app.screen.page)
            screen = app.screen
            await pilot.press("o", "2")  # any status: reads the history
            line = screen.query_one("#case-filters")
            wanted = f"Indexing the case history, once: month 1 of {months}"
            await shown(pilot, lambda: wanted in str(line.render()), settle=False)
            release.set()
            await shown(pilot, lambda: screen.page.total == 80 and not screen.waiting)
            assert "Indexing" not in str(line.render())
        assert ws.store.months_without_index() == []
    finally:
        ws.close()
