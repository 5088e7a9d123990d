"""A second call about a problem the flat already has a case open for (nc25: the same leak
became a second case). Once the flat and the category are chosen the intake says which case
is open, how old it is and where it stands, and asks by key: add this call to it (what the
caller says and who called kept on it as an event) or still make a new case."""

from __future__ import annotations

import pytest

from fieldkit.i18n import set_language, t
from fieldkit.services import intake
from fieldkit.ui.app import FieldkitApp
from fieldkit.ui.dialogs.form import FormDialog
from fieldkit.ui.screens.case_detail import CaseDetailScreen
from tests.desk.helpers import desk_workspace, flat, notes, take, text_of, to_category
from tests.keys import type_text
from tests.waits import shown

CODE = "1-1-602"
WORDS = {
    "zh": {"title": f"{CODE} 已有一张同类工单还没办完", "question": "这次来电说的是同一件事吗？",
           "add": "1 同一件事，记到这张工单 #{ref} 厨房漏水（1 分钟前登记，",
           "new": "2 不是同一件事，新建一张工单",
           "saved": "这次来电已记到工单 #{ref} 上", "joining": "记到已有工单：#{ref}",
           "history": "又接到来电（王**  139****5678）：还在漏水"},
    "en": {"title": f"{CODE} already has an unfinished case for this problem",
           "question": "Is this call about the same thing?",
           "add": "1 Same thing: add this call to #{ref} 厨房漏水 (taken 1 minute ago) · ",
           "new": "2 Something else: make a new case",
           "saved": "This call is added to case #{ref}",
           "joining": "Adding this call to case #{ref}",
           "history": "Another call about this (王**  139****5678): still leaking"},
}  # fmt: skip


@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_a_second_call_about_the_same_leak_is_added_to_its_case(tmp_path, lang):
    set_language(lang)
    words = WORDS[lang]
    ws, _ = desk_workspace(tmp_path / "ws")
    try:
        first = take(ws, "repair", CODE, intake.categories("repair")[0][0], "厨房漏水")
        ref = first.id[-6:]
        app = FieldkitApp(ws, lang=lang)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            screen = await to_category(app, pilot, "1", CODE, "王女士 13912345678")
            await pilot.press("1")  # the same category as the case open
            await shown(pilot, lambda: isinstance(app.screen, FormDialog))
            form = app.screen
            title = text_of(form, "#form-title")
            choices = " ".join(text_of(form, "#form-choices").split())
            assert words["title"] in title, title
            assert words["question"] in choices and words["new"] in choices, choices
            assert words["add"].format(ref=ref) in choices, choices
            await pilot.press("1")
            await shown(pilot, lambda: screen.step == "description")
            assert words["joining"].format(ref=ref) in text_of(screen, "#intake-so-far")
            await type_text(pilot, "还在漏水" if lang == "zh" else "still leaking")
            await pilot.press("enter")
            await shown(pilot, lambda: screen.step == "photo")
            # what Enter on the empty line does here: it adds the call, not "next"
            assert t("desk.same.photo_help", lang, ref=ref) in text_of(screen, "#intake-help")
            assert f"enter  {t('desk.same.save_bar', lang)}" in text_of(screen, "#keybar")
            await pilot.press("enter")
            await shown(pilot, lambda: isinstance(app.screen, CaseDetailScreen))
            detail = app.screen
            assert detail.case_id == first.id
            assert any(words["saved"].format(ref=ref) in n for n in notes(app))
            await shown(pilot, lambda: detail.case is not None)
            history = " ".join(text_of(detail, "#case-events").split())
            assert " ".join(words["history"].split()) in history, history
        opened = ws.store.open_cases(flat(ws, CODE).id)
        assert [c.id for c in opened] == [first.id]  # no second case
        (call,) = [e for e in ws.store.get_case(first.id).events if e.type == intake.CALL]
        assert call.data == {"caller": "王女士", "phone": "13912345678"}
    finally:
        ws.close()
        set_language("en")


async def test_a_different_problem_still_makes_a_new_case(tmp_path):
    set_language("zh")
    ws, _ = desk_workspace(tmp_path / "ws")
    try:
        first = take(ws, "repair", CODE, intake.categories("repair")[0][0], "厨房漏水")
        app = FieldkitApp(ws, lang="zh")
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            screen = await to_category(app, pilot, "1", CODE)
            await pilot.press("1")
            await shown(pilot, lambda: isinstance(app.screen, FormDialog))
            await pilot.press("2")  # something else
            await shown(pilot, lambda: screen.step == "description")
            assert "记到已有工单" not in text_of(screen, "#intake-so-far")
            await type_text(pilot, "水龙头关不紧")
            await pilot.press("enter")
            await shown(pilot, lambda: screen.step == "photo")
            await pilot.press("enter")
            await shown(pilot, lambda: screen.step == "urgency")
            await pilot.press("enter")
            await shown(pilot, lambda: screen.step == "contact")
            await pilot.press("1")
            await shown(pilot, lambda: isinstance(app.screen, CaseDetailScreen))
            assert app.screen.case_id != first.id
        assert len(ws.store.open_cases(flat(ws, CODE).id)) == 2
        assert not [e for e in ws.store.get_case(first.id).events if e.type == intake.CALL]
    finally:
        ws.close()
        set_language("en")


async def test_another_category_is_not_asked_about(tmp_path):
    set_language("zh")
    ws, _ = desk_workspace(tmp_path / "ws")
    try:
        take(ws, "repair", CODE, intake.categories("repair")[1][0], "电梯异响")
        app = FieldkitApp(ws, lang="zh")
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            screen = await to_category(app, pilot, "1", CODE)
            await pilot.press("1")
            await shown(pilot, lambda: screen.step == "description")
            assert not isinstance(app.screen, FormDialog)
    finally:
        ws.close()
        set_language("en")
