"""The case list's 待回访 / awaiting call-back filter finds exactly the cases the desk owes a
call-back (nc25: it offered the visits' own 待回访 and none of the repairs done): a repair
done, a complaint replied to, a dispute settled — whatever their kind calls the state — and
not a finding or violation put right (re-inspected, not phoned), nor a case still in hand,
already called or closed."""

from __future__ import annotations

from functools import partial

import pytest

from fieldkit.i18n import set_language
from fieldkit.services.types import CALL_BACK, CaseFilter
from fieldkit.ui.app import FieldkitApp
from fieldkit.ui.widgets.case_table import CaseTable
from tests.desk.helpers import case_in, open_cases, statuses_offered, text_of
from tests.waits import shown

OWED = ("repair_done", "complaint_replied", "dispute_settled")


@pytest.fixture
def desk(tmp_path):
    from fieldkit.services.demo import generate
    from fieldkit.services.workspace import Workspace

    generate(tmp_path / "c", cases=0, floors=2)
    ws = Workspace.open(tmp_path / "c")
    case = partial(case_in, ws)
    ids = {
        "repair_done": case("repair", "done", "厨房水管接头漏水"),
        "complaint_replied": case("complaint", "replied", "楼上夜里噪音"),
        "dispute_settled": case("dispute", "settled", "楼上漏水到楼下"),
        "repair_in_hand": case("repair", "in_progress", "卫生间地漏堵塞"),
        "repair_called": case("repair", "followed_up", "阳台晾衣架坏了"),
        "repair_closed": case("repair", "closed", "入户门锁坏了"),
        "finding_resolved": case("finding", "resolved", "灭火器压力不足"),
        "violation_resolved": case("violation", "resolved", "擅自改动承重墙"),
        "visit_open": case("visit", "open", "上门看看漏水后的情况"),
    }
    yield ws, ids
    ws.close()
    set_language("en")


def test_the_filter_finds_the_cases_owed_a_call_back(desk):
    ws, ids = desk
    found = ws.cases_page(CaseFilter(status=CALL_BACK))
    assert {r.id for r in found.rows} == {ids[k] for k in OWED}
    assert found.call_backs == len(OWED)


WORDS = {
    "zh": ("待回访（已办完，等客服回访）：3 条", "状态：待回访（已办完，等客服回访）", "待回访"),
    "en": ("Awaiting call-back (work done): 3", "Status: awaiting call-back (work done)",
           "call-back due"),
}  # fmt: skip


@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_the_desk_picks_it_by_its_key_and_reads_what_it_owes(desk, lang):
    ws, ids = desk
    option, line, due = WORDS[lang]
    set_language(lang)
    app = FieldkitApp(ws, lang=lang)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_cases(app, pilot)
        read = await statuses_offered(app, pilot)
        (picked,) = [r for r in read if r.endswith(option)]
        await pilot.press(picked.split()[0])
        await shown(pilot, lambda: screen.page is not None and screen.page.total == len(OWED))
        assert line in text_of(screen, "#case-filters")
        table = screen.query_one(CaseTable)
        assert {r.id for r in table.rows_shown} == {ids[k] for k in OWED}
        for row in range(table.row_count):  # each says what it waits on
            assert due in str(table.get_row_at(row)[-1])
