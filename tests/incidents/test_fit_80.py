"""The incident's screen at 80x24, as nc24 read it in a capture: the key bar ended in "…"
before F7 and F10 (no way to close on the bar), the line over the entry box and its
placeholder were cut ("Next line is logged as: Observation (F3", "Type what is happening and
press Enter —"), and a plan step wrapped leaving its ☐ alone on a line. Every line is whole
now: the bar holds every function key, the hint wraps, the steps hang under their words."""

from __future__ import annotations

import pytest
from textual.geometry import Region

from fieldkit.i18n import set_language, t
from fieldkit.services import incident_places
from fieldkit.services import incidents as inc
from fieldkit.ui.app import FieldkitApp
from tests.incidents.helpers import screen_lines, show_incident

MARKS = ("☐", "✔", "✘", "–", "·", "☑")


@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_the_incident_screen_fits_80_columns(ws, lang):
    set_language(lang)
    places = incident_places.parse("1-1-602", inc.compound_of(ws))
    incident = inc.open_incident(ws, "flooding", places=places)
    inc.plan_run(ws, incident.id)
    app = FieldkitApp(ws, lang=lang)
    async with app.run_test(size=(80, 24)) as pilot:
        await show_incident(app, pilot, incident.id)
        lines = screen_lines(app)
        bar = lines[-1]
        assert "…" not in bar, bar
        for key, word in (("F7", "notice"), ("F10", "close_bar"), ("F6", "people")):
            assert f"{key}  {t(f'incidents.ui.keys.{word}', lang)}" in bar, bar
        hint = app.screen.query_one("#entry-kind")
        rows = [s.text.strip() for s in hint.render_lines(Region(0, 0, *hint.size))]
        kind = t("incidents.ui.kind_now", lang, kind=t("incidents.kind.observation", lang))
        assert "".join(rows).replace(" ", "") == kind.replace(" ", ""), rows  # all of it
        assert t("incidents.ui.placeholder.observation", lang) in "\n".join(lines)
        panel = [line[48:].strip() for line in lines[3:-1]]
        assert not [row for row in panel if row in MARKS], panel  # no mark alone on a line


@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_at_120_columns_the_bar_has_escalate_and_hand_over_too(ws, lang):
    """nc34 found F8 (escalate) and F9 (hand over) only in help: where the bar has room they
    are on it, in order; at 80 they give way to F10 (above), with no "…"."""
    set_language(lang)
    places = incident_places.parse("2号楼", inc.compound_of(ws))
    incident = inc.open_incident(ws, "power_cut", places=places)
    inc.plan_run(ws, incident.id)  # started as the screen that opens it starts it
    app = FieldkitApp(ws, lang=lang)
    async with app.run_test(size=(120, 40)) as pilot:
        await show_incident(app, pilot, incident.id)
        bar = screen_lines(app)[-1]
        said = [
            f"{key}  {t(f'incidents.ui.keys.{word}', lang)}"
            for key, word in (
                ("F7", "notice"),
                ("F8", "escalate"),
                ("F9", "handover"),
                ("F10", "close_bar"),
            )
        ]
        assert all(s in bar for s in said), bar
        assert [bar.index(s) for s in said] == sorted(bar.index(s) for s in said)
        assert "…" not in bar
        # a step's answer beside its tick (nc36 read "✔ 备用发电机" for 本小区没有)
        plan = app.screen.query_one("#plan")
        steps = [str(plan.get_option_at_index(i).prompt) for i in range(plan.option_count)]
        scope = {"zh": "停电范围：一栋或几栋楼", "en": "How far it reaches: One or more buildings"}
        assert any(scope[lang] in " ".join(s.split()) for s in steps), steps
