"""The intake's key bar names the number keys each list uses (a complaint's eleven
categories take 0 and - too), and a request's severity follows how soon the owner needs it,
with no urgency sharing a word with a severity (routine is minor, not 一般 for both)."""

from __future__ import annotations

import pytest

from fieldkit.i18n import set_language, t
from fieldkit.services import intake
from fieldkit.ui.app import FieldkitApp
from fieldkit.ui.screens.intake import IntakeScreen
from fieldkit.ui.widgets.keybar import KeyBar
from tests.desk.helpers import desk_workspace, take
from tests.keys import one_read


@pytest.fixture
def ws(tmp_path):
    workspace, _refs = desk_workspace(tmp_path / "ws")
    yield workspace
    workspace.close()


async def _wait(pilot, cond, rounds=500):
    for _ in range(rounds):
        if cond():
            return
        await pilot.pause(0.02)
    raise AssertionError(f"not reached on {pilot.app.screen!r}")


@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_the_key_bar_names_the_number_keys_of_each_list(ws, lang):
    set_language(lang)
    app = FieldkitApp(ws, lang=lang)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        command = next(
            c for c in app.get_system_commands(app.screen) if c.title == t("lifecycle.ui.cmd")
        )
        command.callback()
        await _wait(pilot, lambda: isinstance(app.screen, IntakeScreen))
        screen = app.screen

        def bar() -> str:
            """The key bar as a person reads it: each key, then what it does."""
            found = screen.query(KeyBar)
            return " ".join(f"{k} {t(label)}" for k, label in found.first().keys) if found else ""

        choose = t("lifecycle.ui.keys.choose")
        await _wait(pilot, lambda: f"1-3 {choose}" in bar())  # three kinds
        await pilot.press("2")  # complaint
        await _wait(pilot, lambda: screen.step == "unit")
        one_read(app, "1-1-602\r")
        await _wait(pilot, lambda: screen.step == "caller")
        await pilot.press("enter")  # the owner is calling
        await _wait(pilot, lambda: screen.step == "category")
        assert len(intake.categories("complaint")) == 11
        await _wait(pilot, lambda: f"1-9 0 a {choose}" in bar())


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_severity_follows_urgency_and_no_word_is_shared(ws, lang):
    """docs/cases.md, "Urgency and severity": right away is critical, today major, routine
    and no rush minor; the desk's urgency words (立即处理 / 当天处理 / 常规 / 不急) never
    read as a severity, so a case card cannot say 一般 twice for two different things."""
    expected = {"urgent": "critical", "high": "major", "normal": "minor", "low": "minor"}
    for urgency, severity in expected.items():
        case = take(ws, "repair", "1-1-602", "water_leak", "tap drips", urgency=urgency)
        assert case.severity == severity, urgency
    urgencies = {t(f"desk.urgency.{u}", lang) for u in expected}
    severities = {t(f"ui.severity.{s}", lang) for s in ("minor", "major", "critical")}
    assert len(urgencies) == 4 and not urgencies & severities
