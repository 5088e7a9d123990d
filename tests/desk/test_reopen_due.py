"""A reopened case gets a new deadline by its urgency, as intake gave it its first (nc25: one
due at midnight days ago read overdue the moment it was reopened); the toast and the
history say the new deadline. A case taken with no urgency keeps its own."""

from __future__ import annotations

import time

import pytest

from fieldkit.i18n import set_language
from fieldkit.model import localtime
from fieldkit.reports import dates
from fieldkit.services import history, intake, lifecycle
from fieldkit.services.cases import epoch, iso
from fieldkit.ui.app import FieldkitApp
from fieldkit.ui.dialogs.ask import AskDialog
from tests.desk.helpers import desk_workspace, notes, open_case, take, text_of
from tests.waits import shown

DAYS_AGO = iso(time.time() - 3 * 86400)


def _done_long_ago(ws, urgency="normal"):
    case = take(ws, "repair", "1-1-602", "water_leak", "厨房漏水", urgency=urgency)
    ws.store.update_case(case.id, due=DAYS_AGO)  # due days ago, the work then done
    ws.store.set_case_status(case.id, "done")
    return case


def test_a_reopening_move_sets_a_new_deadline_and_says_it(tmp_path):
    ws, _ = desk_workspace(tmp_path / "ws")
    try:
        case = _done_long_ago(ws)
        before = time.time()
        moved = lifecycle.move(ws.store, case.id, "dispatched", "office", note="还在漏", by="张伟")
        expected = intake.due_again(ws.store, moved)
        assert moved.status == "dispatched" and moved.due == expected
        assert epoch(moved.due) > before + 2 * 86400  # normal: three days from now
        lines = history.sentences("repair", ws.case(case.id).events, "zh")
        said = localtime.fmt(epoch(moved.due), "short")
        assert lines[-2].startswith("重新打开：已完工 → 已派工") and "还在漏" in lines[-2]
        assert lines[-1] == f"处理期限定为 {said}"
    finally:
        ws.close()


def test_a_dissatisfied_call_back_sets_a_new_deadline(tmp_path):
    ws, _ = desk_workspace(tmp_path / "ws")
    try:
        case = _done_long_ago(ws, urgency="urgent")
        result = lifecycle.parse_follow_up("2 还在漏水")
        back = lifecycle.follow_up(ws.store, case.id, result, "office", by="张伟")
        assert back.status == "dispatched"
        assert time.time() < epoch(back.due) <= time.time() + 2 * 3600 + 60  # urgent: 2 h
    finally:
        ws.close()


def test_a_case_with_no_urgency_keeps_its_deadline(tmp_path):
    from fieldkit.model import Target

    ws, _ = desk_workspace(tmp_path / "ws")
    try:
        unit = ws.store.reference("unit")[0]
        found = ws.store.create_case("finding", Target("unit", unit.id), title="灭火器压力不足",
                                     department="engineering", due=DAYS_AGO)  # fmt: skip
        ws.store.set_case_status(found.id, "resolved")
        assert intake.due_again(ws.store, ws.store.get_case(found.id)) is None
        moved = lifecycle.move(ws.store, found.id, "in_progress", "office", note="又没压力了")
        assert moved.status == "in_progress" and moved.due == DAYS_AGO
    finally:
        ws.close()


SAID = {"zh": "工单已退回“已派工”重新处理，新的处理期限 {due}。",
        "en": "The case goes back to “Dispatched” for rework, now due {due}."}  # fmt: skip


@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_the_desk_reads_the_new_deadline_on_reopening(tmp_path, lang):
    set_language(lang)
    ws, _ = desk_workspace(tmp_path / "ws")
    try:
        case = _done_long_ago(ws)
        app = FieldkitApp(ws, lang=lang)
        async with app.run_test(size=(120, 40), notifications=True) as pilot:
            await pilot.pause()
            screen = await open_case(app, pilot, case.id, lambda s: s.case.reopens)
            back = screen.case.next_statuses.index("dispatched") + 1
            await pilot.press(str(back))
            await shown(pilot, lambda: isinstance(app.screen, AskDialog))
            app.screen.query_one("Input").value = "还在漏"
            await pilot.press("enter")
            await shown(pilot, lambda: screen.case.row.status == "dispatched")
            due = dates.deadline(screen.case.row.due)  # "midnight" in English at 00:xx
            await shown(pilot, lambda: SAID[lang].format(due=due) in notes(app))
            assert not screen.case.row.overdue
            assert due in text_of(screen, "#case-head")
    finally:
        ws.close()
        set_language("en")
