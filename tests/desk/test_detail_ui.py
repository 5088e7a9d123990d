"""The case detail as the desk reads it, in zh and en: what the owner said, dispatch to a
named person, the history as sentences, a move key with no move behind it, and a patrol
device looking at an open repair (told who handles it, never "已办结")."""

from __future__ import annotations

import pytest

from fieldkit.i18n import set_language, t
from fieldkit.i18n.roles import role_name
from fieldkit.services import cases as case_rules
from fieldkit.services.intake import case_urgency_words
from fieldkit.ui.app import FieldkitApp
from fieldkit.ui.dialogs.assignee import AssigneeDialog
from fieldkit.ui.dialogs.form import FormDialog
from fieldkit.ui.screens.case_detail import CaseDetailScreen
from tests.desk.helpers import desk_workspace, notes, take, text_of
from tests.waits import shown

WORDS = {
    "zh": {
        "said": ("业主反映", "厨房水管漏水", "微信"),
        "dispatched": "派给工程部 张师傅",
        "moved": "已受理 → 已派工",
        "raised": "登记报修：漏水渗水",
        "no_such": "没有第 7 项操作。可选：1 → 维修中",
        "blocked": "巡逻岗不能推进报修工单（当前：已受理），请由办公室、客服岗处理。",
    },
    "en": {
        "said": ("What the owner said", "厨房水管漏水", "WeChat"),
        "dispatched": "Dispatched to Engineering, 张师傅",
        "moved": "Received → Dispatched",
        "raised": "New repair: Water leak",
        "no_such": "There is no move 7. You can: 1 → In progress",
        "blocked": "A patrol device cannot move this repair on (it is Received); "
        "it is handled by: office, service desk.",
    },
}


@pytest.fixture(params=["zh", "en"])
def lang(request):
    set_language(request.param)
    yield request.param
    set_language("en")


async def test_desk_reads_the_case_and_dispatches_to_a_person(tmp_path, lang):
    ws, _ = desk_workspace(tmp_path / "ws")
    try:
        case = take(ws, "repair", "1-1-602", "water_leak", "厨房水管漏水")
        words = WORDS[lang]
        app = FieldkitApp(ws, lang=lang)
        async with app.run_test(size=(140, 50)) as pilot:
            await pilot.pause()
            app.push_screen(CaseDetailScreen(case.id))
            await shown(pilot, lambda: getattr(app.screen, "case", None) is not None)
            screen = app.screen
            head = text_of(screen, "#case-head")
            for word in words["said"]:
                assert word in head, head
            # 当天处理, or 尽快处理 when the test runs in the evening (due the next noon)
            due = case_rules.epoch(case.due)
            urgency = case_urgency_words(case.kind, case.extra["urgency"], due, lang)
            assert urgency in head, head
            assert "张伟" in head  # who took it
            assert words["raised"] in text_of(screen, "#case-events")
            await pilot.press("1")  # → dispatched: needs a department, then a person
            await shown(pilot, lambda: isinstance(app.screen, FormDialog))
            await pilot.press("1")  # engineering
            await shown(pilot, lambda: isinstance(app.screen, AssigneeDialog))
            app.screen.query_one("#assignee-name").value = "张师傅"
            await pilot.press("enter")
            await shown(pilot, lambda: screen.case.row.status == "dispatched")
            events = text_of(screen, "#case-events")
            assert words["dispatched"] in events and words["moved"] in events, events
            assert "信息修改" not in events and "Details changed" not in events
            assert "张师傅" in text_of(screen, "#case-head")
            await pilot.press("7")  # no such move: said, with what can be done
            await shown(pilot, lambda: any(words["no_such"] in n for n in notes(app)))
            await pilot.press("d")  # reassign: the names offered include 张师傅
            await shown(pilot, lambda: isinstance(app.screen, FormDialog))
            await pilot.press("1")
            await shown(pilot, lambda: isinstance(app.screen, AssigneeDialog))
            assert app.screen.names == ["张师傅"]
            app.screen.query_one("#assignee-name").value = "李师傅"
            await pilot.press("enter")
            await shown(pilot, lambda: "李师傅" in text_of(screen, "#case-head"))
            events = text_of(screen, "#case-events")
            reassigned = (
                "改派给工程部 李师傅（原为工程部 张师傅）"
                if lang == "zh"
                else ("Reassigned to Engineering, 李师傅 (was Engineering, 张师傅)")
            )
            assert reassigned in events, events
        stored = ws.store.get_case(case.id)
        assert (stored.department, stored.assignee) == ("engineering", "李师傅")
        assert all(e.by == "张伟" for e in stored.events)
    finally:
        ws.close()


async def test_patrol_is_told_who_handles_an_open_repair(tmp_path, lang):
    ws, _ = desk_workspace(tmp_path / "ws", role="patrol", person="王强")
    try:
        case = take(ws, "repair", "1-1-602", "water_leak", "厨房水管漏水")
        app = FieldkitApp(ws, lang=lang)
        async with app.run_test(size=(140, 50)) as pilot:
            await pilot.pause()
            app.push_screen(CaseDetailScreen(case.id))
            await shown(pilot, lambda: getattr(app.screen, "case", None) is not None)
            screen = app.screen
            moves = text_of(screen, "#case-moves")
            blocked = WORDS[lang]["blocked"]
            assert blocked in " ".join(moves.split()) or blocked.replace(" ", "") in moves.replace(
                "\n", ""
            ), moves
            assert t("ui.case.final") not in moves
            await pilot.press("1")
            patrol = role_name("patrol", lang)
            await shown(pilot, lambda: any(patrol in n for n in notes(app)))
            await pilot.press("d")  # patrol cannot dispatch a repair either
            await shown(pilot, lambda: isinstance(app.screen, FormDialog))
            await pilot.press("1")
            await shown(pilot, lambda: isinstance(app.screen, AssigneeDialog))
            await pilot.press("enter")
            refused = "巡逻岗不能把工单转到“已派工”" if lang == "zh" else "patrol"
            await shown(pilot, lambda: any(refused in n for n in notes(app)))
        assert ws.store.get_case(case.id).department == ""
    finally:
        ws.close()


async def test_how_to_contact_the_owner_reads_as_a_value(tmp_path):
    """The contact choice stands on its own beside Urgency and Status, so it starts with a
    capital as they do ("Phone call", not "phone call"); zh is unchanged."""
    ws, _ = desk_workspace(tmp_path / "ws")
    try:
        case = take(ws, "repair", "1-1-602", "water_leak", "水管漏水", contact="phone")
        for lang, said in (("en", "Phone call"), ("zh", t("lifecycle.ui.contact.phone", "zh"))):
            set_language(lang)
            app = FieldkitApp(ws, lang=lang)
            async with app.run_test(size=(140, 50)) as pilot:
                await pilot.pause()
                app.push_screen(CaseDetailScreen(case.id))
                await shown(pilot, lambda: getattr(app.screen, "case", None) is not None)  # noqa: B023
                head = text_of(app.screen, "#case-head")
                row = next(line for line in head.splitlines() if t("desk.detail.contact") in line)
                assert said in row, row
    finally:
        set_language("en")
        ws.close()
