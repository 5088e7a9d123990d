"""The timeline as the coordinator reads it at 80x24: every line of a wrapped entry is on
screen (its last line, with who wrote it, was cut off once the list grew a scrollbar), the
lines after the first indent under the text, and the list scrolls with the keyboard."""

from __future__ import annotations

import re

import pytest
from textual.geometry import Region
from textual.widgets import Input

from fieldkit.i18n import set_language, t
from fieldkit.services import incident_close
from fieldkit.services import incidents as inc
from fieldkit.services.incident_report import entry_text
from fieldkit.services.notices import local_time
from fieldkit.ui.app import FieldkitApp
from fieldkit.ui.screens.incident import IncidentScreen
from fieldkit.ui.screens.incident_notice import IncidentNoticeScreen
from tests.incidents.helpers import open_lift_entrapment, show_incident
from tests.waits import settled, shown

LONG = {
    "zh": "维保单位说二十分钟到，工程部小李已到电梯厅守候，并与被困人员保持通话直到救出为止",
    "en": "the lift contractor says twenty minutes; Li from engineering waits at the lift "
    "and keeps talking to the people inside until they are out",
}

NOTICE_END = {"zh": "供张贴或转发，对象：1号楼1单元业主、住户。",
              "en": "to print and post or pass on."}  # fmt: skip


def timeline_rows(screen) -> list[str]:
    """The timeline's rows as they are on screen, scrolled where it is scrolled."""
    timeline = screen.query_one("#timeline")
    size = timeline.size
    return [strip.text.rstrip() for strip in timeline.render_lines(Region(0, 0, *size))]


@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_wrapped_entries_show_every_line_indented(ws, lang):
    set_language(lang)
    incident = open_lift_entrapment(ws)
    by = "王敏"
    inc.hand_over(ws, incident.id, by)  # entries are signed by the coordinator
    app = FieldkitApp(ws, lang=lang)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await show_incident(app, pilot, incident.id)
        before = len(screen.view.entries)
        for n in range(1, 4):  # the list grows a scrollbar on the way
            screen.query_one("#line").insert_text_at_cursor(f"{n} {LONG[lang]}")  # pasted
            await pilot.press("enter")
            await shown(pilot, lambda n=n: len(screen.view.entries) == before + n)
        for n in range(4, 6):  # two notices: the second is a 续报 / update
            await pilot.press("f7")
            await shown(pilot, lambda: isinstance(app.screen, IncidentNoticeScreen))
            await pilot.press("ctrl+s")
            await shown(pilot, lambda n=n: app.screen is screen
                        and len(screen.view.entries) == before + n)  # fmt: skip
        await settled(pilot)
        rows = timeline_rows(screen)
        text = "".join(row.strip() for row in rows)
        ending = f"{NOTICE_END[lang]}  — {by}"
        assert text.replace(" ", "").endswith(ending.replace(" ", "")), rows
        for row in rows:  # a time, or a line indented under the text (not at column 1)
            assert re.match(r" \d\d:\d\d  \S", row) or re.match(r" {8}\S", row), rows


@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_a_closed_timeline_scrolls_with_the_keyboard(ws, lang):
    set_language(lang)
    incident = open_lift_entrapment(ws)
    for n in range(1, 21):
        inc.add_entry(ws, incident.id, f"entry {n:02d}")
    points = incident_close.open_points(ws, incident.id)
    incident_close.close(ws, incident.id, "all out", {p.key: p.choices[0] for p in points},
                         texts={p.ref: "done" for p in points})  # fmt: skip
    app = FieldkitApp(ws, lang=lang)
    async with app.run_test(size=(80, 24)) as pilot:
        app.push_screen(IncidentScreen(incident.id))
        await shown(pilot, lambda: isinstance(app.screen, IncidentScreen) and app.screen.closed)
        screen = app.screen

        def reads(text: str) -> bool:
            return any(text in row for row in timeline_rows(screen))

        await shown(pilot, lambda: not reads("entry 01"))  # the newest shown, not the first
        await pilot.press("home")
        await shown(pilot, lambda: reads("entry 01"))
        assert not reads("entry 20")
        await pilot.press("pagedown")
        await shown(pilot, lambda: not reads("entry 01"))
        await pilot.press("pageup")
        await shown(pilot, lambda: reads("entry 01"))
        await pilot.press("end")
        await shown(pilot, lambda: not reads("entry 01") and not reads("entry 05"))
        await pilot.press("home", "down")
        await shown(pilot, lambda: not timeline_rows(screen)[0].strip().endswith("entry 01"))
        await pilot.press("f1")
        await shown(pilot, lambda: app.screen.query("#help-keys"))
        rows = dict(app.screen.rows)
        assert rows["PgUp PgDn"] == t("incidents.ui.keys.scroll")
        assert rows["Home End"] == t("incidents.ui.keys.scroll_ends")
        assert rows["↑ ↓"] == t("incidents.ui.keys.scroll_lines")


@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_ctrl_r_says_which_entry_it_corrects(ws, lang):
    """The box was empty for a call (its words are made from what was recorded) and did not
    say which entry it corrected."""
    set_language(lang)
    incident = open_lift_entrapment(ws)
    inc.log_call(ws, incident.id, "120", "张医生")
    call = inc.view(ws, incident.id).entries[-1]
    said = entry_text(call, lang)
    app = FieldkitApp(ws, lang=lang)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await show_incident(app, pilot, incident.id)
        await pilot.press("ctrl+r")
        await shown(pilot, lambda: screen.correcting)
        screen.query_one("#timeline").highlighted = screen.query_one("#timeline").option_count - 1
        await pilot.press("enter")
        await shown(pilot, lambda: app.screen is not screen and app.screen.query("#question"))
        question = str(app.screen.query_one("#question").render())
        assert said in question and local_time(call.at, lang)[-5:] in question, question
        assert app.screen.query_one(Input).value == said
