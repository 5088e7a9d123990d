"""The office's reveal log narrows to a period (nc19: a supervisor's weekly check read the
compound's whole history): ``d`` offers all, today, the last 7 and 30 days by one key each,
the title says which, and the app keeps the choice when the log is opened again; Enter on a
reveal opens the flat's card, to check the reason against it (nc26); zh and en."""

from __future__ import annotations

import os
import random
import time

import pytest

from fieldkit.i18n import set_language, t
from fieldkit.model.reveal import Reveal
from fieldkit.services import reveals as reveals_service
from fieldkit.services.demo import DAY, iso_utc, past_id
from fieldkit.services.reveals import reveal
from fieldkit.ui.app import FieldkitApp, Who
from fieldkit.ui.dialogs.picker import Picker
from fieldkit.ui.screens.reveals import RevealsScreen
from fieldkit.ui.screens.unit_card import UnitCardScreen
from tests.registry.test_reveal_ui import cared_for
from tests.waits import shown


def _title(screen) -> str:
    return str(screen.query_one("#reveals-title").render())


@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_the_reveal_log_shows_one_period_at_a_time(workspace, lang):
    resident, unit = cared_for(workspace)
    workspace.store.set_device_state(role="office")
    reveal(workspace, resident.id, "phone", reason_code="follow_up")
    ten_days_ago = time.time() - 10 * DAY
    old = Reveal(
        id=past_id(ten_days_ago, random.Random(1)), resident_id=resident.id, item="phone",
        role="desk", unit_id=unit.id, by="desk one", reason_code="follow_up",
        at=iso_utc(ten_days_ago),
    )  # fmt: skip
    workspace.store.log_reveal(old)
    app = FieldkitApp(workspace, lang=lang)
    async with app.run_test(size=(120, 40)) as pilot:
        await shown(pilot, lambda: app.who is not None)
        app.set_who(Who(workspace.actor, "office"))
        await pilot.press("ctrl+e")
        await shown(pilot, lambda: isinstance(app.screen, RevealsScreen))
        screen = app.screen
        await shown(pilot, lambda: screen.rows is not None)
        assert len(screen.rows) == 2
        assert t("reveals.period.all", lang) in _title(screen)
        assert t("reveals.list.period_bar", lang) in str(screen.query_one("KeyBar").render())
        for key, period, count in (("3", "7", 1), ("4", "30", 2), ("2", "today", 1)):
            await pilot.press("d")
            await shown(pilot, lambda: isinstance(app.screen, Picker))
            await pilot.press(key)
            await shown(pilot, lambda p=period: screen.period == p and screen.rows is not None)
            assert t(f"reveals.period.{period}", lang) in _title(screen)
            assert len(screen.rows) == count, period
            assert t("reveals.list.title", lang, count=count,
                     period=t(f"reveals.period.{period}", lang)) == _title(screen)  # fmt: skip
        await pilot.press("escape")
        await shown(pilot, lambda: not isinstance(app.screen, RevealsScreen))
        await pilot.press("ctrl+e")
        await shown(pilot, lambda: isinstance(app.screen, RevealsScreen))
        again = app.screen
        await shown(pilot, lambda: again.rows is not None)
        assert again.period == "today" and len(again.rows) == 1
        assert again.query_one("#reveals-list").highlighted == 0
        assert t("reveals.period.today", lang) in _title(again)
        await pilot.press("enter")
        await shown(pilot, lambda: isinstance(app.screen, UnitCardScreen))
        assert app.screen.target.id == unit.id
    set_language("en")


async def test_a_long_line_wraps_under_its_words_not_under_the_time(workspace):
    """nc26, en at 80x24: the flat's code wrapped back to the left edge, under the time."""
    from rich.console import Console

    from fieldkit.reports.reveals import RevealRow
    from fieldkit.ui.screens.reveals import row_text

    row = RevealRow(id="r", at="2026-12-06T10:09:00Z", by="Liu Yang", role="desk",
                    item="phone", resident="C***", unit="1-1-1402", reason_code="follow_up",
                    reason="", incident_ref="", device="d")  # fmt: skip
    console = Console(width=60, record=True)
    console.print(row_text(row, "en"))
    lines = console.export_text().splitlines()
    when = row.when()
    assert lines[0].startswith(when) and len(lines) >= 3, lines
    indent = len(when) + 2
    assert all(line.startswith(" " * indent) for line in lines[1:] if line.strip()), lines


def test_today_is_the_compounds_day_whatever_the_machines_zone(workspace):
    """At 00:20 in the compound (16:20 UTC the day before) a reveal made a minute ago is
    today's: the period starts at the compound's midnight, not the machine's (CI on a UTC
    machine found the log empty just after midnight)."""
    zone = os.environ.get("TZ")
    os.environ["TZ"] = "UTC"
    time.tzset()
    try:
        resident, unit = cared_for(workspace)
        workspace.store.set_device_state(role="office")
        now = 1796660400.0  # 2026-12-08 00:20 UTC+8
        made = Reveal(
            id=past_id(now - 60, random.Random(2)), resident_id=resident.id, item="phone",
            role="desk", unit_id=unit.id, by="desk one", reason_code="follow_up",
            at=iso_utc(now - 60),
        )  # fmt: skip
        workspace.store.log_reveal(made)
        since = reveals_service.period_since(workspace, "today", now)
        assert since == "2026-12-08"
        assert [r.id for r in reveals_service.listing(workspace, since)] == [made.id]
    finally:
        if zone is None:
            del os.environ["TZ"]
        else:
            os.environ["TZ"] = zone
        time.tzset()
