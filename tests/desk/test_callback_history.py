"""A call-back noted on a case reads on its history as who rang, when and what was said,
in the language on screen: one nobody answered read only in the language of the clerk who
noted it (its words were kept as a plain note), so the desk switched to the other language
read "Call-back not answered" among Chinese lines. A note from a release before keeps its
words."""

from __future__ import annotations

import re

import pytest

from fieldkit.i18n import set_language
from fieldkit.services.history import events_of, sentences
from fieldkit.ui.app import FieldkitApp
from fieldkit.ui.dialogs.ask import AskDialog
from tests.desk.helpers import desk_workspace, open_case, owned_flat, take, text_of
from tests.waits import shown

WHEN = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$")
LINES = {
    "zh": {"unanswered": "回访电话未接通：晚上六点后再打",
           "answered": "回访：满意 4 分 — 修得很快"},
    "en": {"unanswered": "Call-back not answered: 晚上六点后再打",
           "answered": "Call-back: satisfied, 4 of 5 — 修得很快"},
}  # fmt: skip


def history_rows(screen) -> list[list[str]]:
    """The history table's rows as read: [when, who, what], a wrapped line joined on."""
    rows: list[list[str]] = []
    for line in text_of(screen, "#case-events").splitlines():
        cells = [c.strip() for c in line.split("│")]
        if len(cells) != 3:
            continue
        if cells[0]:
            rows.append(cells)
        elif rows:
            rows[-1][2] += cells[2]
    return rows


@pytest.mark.parametrize(("lang", "other"), [("zh", "en"), ("en", "zh")])
async def test_a_call_back_says_who_rang_when_and_what_was_said(tmp_path, lang, other):
    set_language(lang)
    ws, _ = desk_workspace(tmp_path / "ws", person="刘洋")
    try:
        case = take(ws, "repair", owned_flat(ws), "water_leak", "厨房水管漏水")
        ws.store.set_case_status(case.id, "done")
        app = FieldkitApp(ws, lang=lang)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            screen = await open_case(app, pilot, case.id, lambda s: s.case.next_statuses)
            for n, typed in enumerate(("未接通，晚上六点后再打", "4 修得很快"), 1):
                await pilot.press("1")  # → followed up: the call-back's result is asked
                await shown(pilot, lambda: isinstance(app.screen, AskDialog))
                app.screen.query_one("Input").value = typed
                await pilot.press("enter")
                await shown(pilot, lambda: app.screen is screen)
                await shown(pilot, lambda n=n: len(screen.case.events) > 1 + n)
            for shown_in in (lang, other):
                said = {row[2]: row for row in history_rows(screen)}
                for line in LINES[shown_in].values():
                    assert line in said, (line, list(said))
                    when, who, _ = said[line]
                    assert WHEN.match(when) and who == "刘洋", said[line]
                if shown_in == lang:
                    await pilot.press("ctrl+l")
                    await shown(pilot, lambda: LINES[other]["answered"] in text_of(
                        screen, "#case-events"))  # fmt: skip
    finally:
        ws.close()
        set_language("en")


def test_a_note_from_an_older_release_keeps_its_words(tmp_path):
    ws, _ = desk_workspace(tmp_path / "ws")
    try:
        case = take(ws, "repair", owned_flat(ws), "water_leak", "厨房水管漏水")
        ws.store.add_case_event(case.id, "note", "回访电话未接通：晚上再打", by="刘洋")
        doc = ws.store.get_case(case.id).to_dict()
        assert sentences("repair", events_of(doc), "en")[-1] == "Note: 回访电话未接通：晚上再打"
    finally:
        ws.close()
