"""The case list read as the service desk (客服) reads it: the status filter offers the
findings' own 待处理 / Open beside "every unfinished case" and never two entries alike; each
row says its kind (报修, 投诉, 纠纷 ...) and `k` shows one kind; a case whose work is done
says so in the due column instead of counting down; a narrow terminal gives up the columns
that matter least before the problem and the due time."""

from __future__ import annotations

import time

import pytest
from rich.cells import cell_len
from textual.widgets import OptionList

from fieldkit.i18n import set_language, t
from fieldkit.model import Target
from fieldkit.services.types import UNFINISHED, CaseFilter, CaseRow
from fieldkit.ui.app import FieldkitApp
from fieldkit.ui.dialogs.picker import Picker
from fieldkit.ui.widgets.case_table import CaseTable, due_text
from fieldkit.ui.widgets.keybar import KeyBar
from tests.desk.helpers import case_in, open_cases, options_read, statuses_offered
from tests.waits import shown

HOUR = 3600.0


@pytest.fixture
def desk(tmp_path):
    """A compound with one case of each kind the desk meets, in the states that matter."""
    from fieldkit.services.demo import generate
    from fieldkit.services.workspace import Workspace

    generate(tmp_path / "c", cases=0, floors=2)
    ws = Workspace.open(tmp_path / "c")

    def case(kind, status, title, department="engineering"):
        return case_in(ws, kind, status, title, department=department)

    ids = {
        "finding_open": case("finding", "open", "灭火器压力不足"),
        "finding_assigned": case("finding", "assigned", "消防栓水带缺失"),
        "repair_done": case("repair", "done", "厨房水管接头漏水"),
        "repair_closed": case("repair", "closed", "卫生间地漏堵塞"),
        "complaint": case("complaint", "received", "楼上夜里噪音", "customer_service"),
        "dispute_settled": case("dispute", "settled", "楼上漏水到楼下", "customer_service"),
    }
    yield ws, ids
    ws.close()
    set_language("en")


def _text(screen, selector: str) -> str:
    return str(screen.query_one(selector).render())


def test_unfinished_is_not_the_findings_open_state(desk):
    ws, ids = desk
    unfinished = {r.id for r in ws.cases_page(CaseFilter(status=UNFINISHED)).rows}
    assert unfinished == {ids[k] for k in ids if k != "repair_closed"}
    waiting = {r.id for r in ws.cases_page(CaseFilter(status="open")).rows}
    assert waiting == {ids["finding_open"]}  # nobody has picked it up yet


@pytest.mark.parametrize(
    ("lang", "unfinished", "open_state", "shows"),
    [
        ("zh", "1  未完结（当前）",
         "待处理 / 待整改 / 待上门回访（巡查问题、装修违规、回访）：1 条", "状态：待处理"),
        ("en", "1  Unfinished (current)",
         "Open / To visit (patrol finding, renovation violation, visit): 1",
         "Status: Open / To visit (patrol finding"),
    ],
)  # fmt: skip
async def test_the_status_picker_offers_the_findings_open_state(
    desk, lang, unfinished, open_state, shows
):
    ws, ids = desk
    set_language(lang)
    app = FieldkitApp(ws, lang=lang)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_cases(app, pilot)
        read = await statuses_offered(app, pilot)
        assert read[0] == unfinished
        line = read[2]  # first of the states: the findings nobody has picked up
        assert line == f"3  {open_state}", read
        words = [r.split("  ", 1)[1] for r in read]
        assert len(set(words)) == len(words), read  # no two read alike
        await pilot.press(line.split()[0])  # its number key
        await shown(pilot, lambda: screen.filter.status == "open" and not screen.waiting)
        assert shows in _text(screen, "#case-filters")
        assert [r.id for r in screen.query_one(CaseTable).rows_shown] == [ids["finding_open"]]


@pytest.mark.parametrize(
    ("lang", "kinds", "picked", "shows"),
    [
        ("zh", ["报修", "投诉", "纠纷", "巡查"], "2  报修", "类型：报修"),
        ("en", ["Repair", "Complaint", "Dispute", "Finding"], "2  Repair", "Kind: Repair"),
    ],
)
async def test_each_row_says_its_kind_and_k_shows_one_kind(desk, lang, kinds, picked, shows):
    ws, ids = desk
    set_language(lang)
    app = FieldkitApp(ws, lang=lang)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_cases(app, pilot, CaseFilter(status=""))
        table = screen.query_one(CaseTable)
        await shown(pilot, lambda: table.row_count == len(ids))
        column = [str(table.get_row_at(n)[1]) for n in range(table.row_count)]
        assert set(kinds) <= set(column), column
        assert "k" in str(screen.query_one(KeyBar).render())
        await pilot.press("k")
        await shown(pilot, lambda: isinstance(app.screen, Picker))
        listed = app.screen.query_one(OptionList)
        assert options_read(listed)[1] == picked
        await pilot.press("2")
        await shown(pilot, lambda: screen.filter.kind == "repair" and not screen.waiting)
        assert shows in _text(screen, "#case-filters")
        shown_ids = {r.id for r in table.rows_shown}
        assert shown_ids == {ids["repair_done"], ids["repair_closed"]}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_case_whose_work_is_done_does_not_count_down(lang):
    set_language(lang)
    now = time.time()

    def row(kind, status, hours):
        return CaseRow(id="x", kind=kind, ref="x", title={}, target="", building="",
                       department="", severity="major", status=status,
                       due=now + hours * HOUR, overdue=False)  # fmt: skip

    # what it still waits on: an unfinished case read "已办完" among the unfinished (nc14)
    waits = {"to_follow_up": ("待回访", "call-back due"), "to_recheck": ("待复查", "to re-inspect"),
             "to_close": ("待结案", "to close"), "done": ("已办完", "done")}  # fmt: skip
    for kind, status, word in (
        ("repair", "done", "to_follow_up"), ("complaint", "replied", "to_follow_up"),
        ("dispute", "settled", "to_follow_up"), ("dispute", "referred", "to_close"),
        ("finding", "resolved", "to_recheck"), ("violation", "resolved", "to_recheck"),
        ("repair", "followed_up", "to_close"),
        ("repair", "closed", "done"),
    ):  # fmt: skip
        said = waits[word][0 if lang == "zh" else 1]
        assert due_text(row(kind, status, 5), now).plain == said, status
        assert due_text(row(kind, status, -50), now).plain == said, status  # never 超时
    assert due_text(row("repair", "cancelled", 5), now).plain == "—"
    assert due_text(row("repair", "dispatched", 5), now).plain == t(
        "ui.cases.due_in_hours", hours="5"
    )


async def test_a_narrow_terminal_gives_up_columns_not_the_due_time(desk):
    """At 80 columns in English the longest words (a dispute's two flats, "Customer
    service", "Hearing both sides") leave the problem too little room: the department,
    severity and kind give way, the due time stays whole."""
    ws, _ = desk
    set_language("en")
    app = FieldkitApp(ws, lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_cases(app, pilot, CaseFilter(status=""))
        table = app.screen.query_one(CaseTable)
        await shown(pilot, lambda: table.row_count and "department" not in table.shown)
        await pilot.pause()
        widths = sum(c.get_render_width(table) for c in table.columns.values())
        assert widths <= table.size.width
        due = next(c for c in table.columns.values() if c.key.value == "due")
        longest = max(cell_len(due_text(r, time.time()).plain) for r in table.rows_shown)
        assert due.get_render_width(table) >= longest
        assert {"ref", "title", "target", "status", "due"} <= set(table.shown)
        await pilot.resize_terminal(160, 40)  # room again: every column comes back
        await shown(pilot, lambda: "department" in table.shown and "kind" in table.shown)


@pytest.mark.parametrize(
    ("title", "where", "shown"),
    [
        ("EXT-1-2-1 压力不足", "EXT-1-2-1", "压力不足"),
        ("干粉灭火器到期维修：EXT-1-2-1，应于 2026-12-30 前", "EXT-1-2-1",
         "干粉灭火器到期维修，应于 2026-12-30 前"),
        ("Dry powder extinguisher due for service: EXT-1-2-1, by 2026-12-30", "EXT-1-2-1",
         "Dry powder extinguisher due for service, by 2026-12-30"),
        ("Pressure low (HYD-2-1-15)", "HYD-2-1-15", "Pressure low"),
        ("Leak at 3-2-502 again", "3-2-502", "Leak at 3-2-502 again"),  # inside a sentence
        ("EXT-1-2-1", "EXT-1-2-1", "EXT-1-2-1"),
        ("压力不足", "EXT-1-2-1", "压力不足"),
        # a place that is part of a longer word stays whole (nc22: "号楼2单元…" beside "1")
        ("1号楼2单元电梯困人后检修", "1", "1号楼2单元电梯困人后检修"),
        ("压力不足 EXT-1-2-10", "EXT-1-2-1", "压力不足 EXT-1-2-10"),
    ],
)  # fmt: skip
def test_the_list_shows_an_equipment_code_once(title, where, shown):
    from fieldkit.services.cases import title_beside

    assert title_beside(title, where) == shown


async def test_a_finding_on_an_asset_names_its_code_under_where_only(tmp_path):
    """A finding raised on an extinguisher is titled "EXT-… 压力不足" (the detail and the
    reports need the code); the list, whose Where column shows the code, says it once."""
    from fieldkit.services.demo import generate
    from fieldkit.services.workspace import Workspace

    generate(tmp_path / "c", cases=0, floors=2)
    ws = Workspace.open(tmp_path / "c")
    try:
        asset = next(a for a in ws.store.reference("asset") if a.label.startswith("EXT-"))
        code = asset.label
        titles = {"zh": f"{code} 压力表指针不在绿区", "en": f"{code} gauge not in green"}
        ws.store.create_case("finding", Target("asset", asset.id), title=titles["zh"],
                             extra={"titles": titles, "where": code})  # fmt: skip
        set_language("zh")
        app = FieldkitApp(ws, lang="zh")
        async with app.run_test(size=(120, 40)) as pilot:
            await open_cases(app, pilot)
            table = app.screen.query_one(CaseTable)
            await shown(pilot, lambda: table.row_count == 1)
            cells = [str(c) for c in table.get_row_at(0)]
            assert "压力表指针不在绿区" in cells and code in cells
            assert sum(code in c for c in cells) == 1, cells
    finally:
        ws.close()
        set_language("en")
