"""A same-day case taken from 18:00 is due by noon the next day, so the desk does not offer
it as 当天处理 / Today: the intake's choice, its summary and the case say 尽快处理 / As soon
as possible, with "too late today: by 12:00 tomorrow"; by day it stays 当天处理."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from fieldkit.i18n import set_language
from fieldkit.ui.app import FieldkitApp
from fieldkit.ui.screens.case_detail import CaseDetailScreen
from fieldkit.ui.screens.intake import IntakeScreen
from tests.desk.helpers import desk_workspace, text_of
from tests.keys import type_text
from tests.waits import shown

EVENING = datetime(2026, 12, 7, 10, 30, tzinfo=UTC)  # 18:30 in the compound (UTC+8)
MORNING = datetime(2026, 12, 7, 1, 30, tzinfo=UTC)  # 09:30

READ = {
    "zh": {
        EVENING: "2  尽快处理（今天来不及，明天 12:00 前）——业主等不了几天",
        MORNING: "2  当天处理（今天之内）——业主今天就要",
        "so_far": {EVENING: "紧急程度：尽快处理", MORNING: "紧急程度：当天处理"},
        "case": {EVENING: "尽快处理", MORNING: "当天处理"},
    },
    "en": {
        EVENING: "2  As soon as possible (too late today: by 12:00 tomorrow) — the owner "
        "cannot wait days",
        MORNING: "2  Today (by the end of today) — the owner needs it today",
        "so_far": {EVENING: "Urgency: As soon as possible", MORNING: "Urgency: Today"},
        "case": {EVENING: "As soon as possible", MORNING: "Today"},
    },
}


@pytest.mark.parametrize("taken", [EVENING, MORNING], ids=["evening", "morning"])
@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_the_same_day_choice_says_what_the_desk_can_keep(tmp_path, lang, taken):
    set_language(lang)
    ws, _ = desk_workspace(tmp_path / "ws")
    app = FieldkitApp(ws, lang=lang)
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            app.push_screen(IntakeScreen())
            await shown(pilot, lambda: isinstance(app.screen, IntakeScreen))
            intake = app.screen
            intake.taken = taken
            await pilot.press("1")  # a repair
            await shown(pilot, lambda: intake.step == "unit")
            await type_text(pilot, "1-1-602")
            await shown(pilot, lambda: any(r.code == "1-1-602" for r in intake.results))
            await pilot.press("enter")
            await shown(pilot, lambda: intake.step == "caller")
            await pilot.press("enter")  # the owner calling
            await shown(pilot, lambda: intake.step == "category")
            await pilot.press("1")
            await shown(pilot, lambda: intake.step == "description")
            await type_text(pilot, "kitchen tap drips")
            await pilot.press("enter")
            await shown(pilot, lambda: intake.step == "photo")
            await pilot.press("enter")
            await shown(pilot, lambda: intake.step == "urgency")
            lines = text_of(intake, "#intake-help").splitlines()
            assert READ[lang][taken] in [line.rstrip() for line in lines], lines
            await pilot.press("2")
            await shown(pilot, lambda: intake.step == "contact")
            assert READ[lang]["so_far"][taken] in text_of(intake, "#intake-so-far")
            await pilot.press("1")
            await shown(pilot, lambda: isinstance(app.screen, CaseDetailScreen))
            detail = app.screen
            await shown(pilot, lambda: detail.case is not None)
            head = [" ".join(line.split()) for line in text_of(detail, "#case-head").splitlines()]
            label = "紧急程度" if lang == "zh" else "Urgency"
            assert f"{label} {READ[lang]['case'][taken]}" in head, head
    finally:
        ws.close()
        set_language("en")
