"""A service error reaches the person once, in words, whichever screen asked for the work:
from a thread worker of the screen, or from the saver."""

from __future__ import annotations

import pytest

from fieldkit.i18n import UserError, t
from fieldkit.ui.app import FieldkitApp
from tests.waits import notices, settled


def _refuse(_ws):
    raise UserError("signin.error.empty")


def _crash(_ws):
    raise StopIteration


def _ask(app, how: str, fn) -> None:
    """The work ``fn(workspace)``, asked the way a screen asks: home's refresh in a thread
    worker (the workspace's ``home`` made to fail), or a change on the saver."""
    if how == "worker":
        app.workspace.home = lambda **_: fn(app.workspace)
        app.screen.action_refresh()
    else:
        app.saves.put(app.screen, fn)


async def _notices_after(app, pilot, how, fn):
    _ask(app, how, fn)
    await settled(pilot)  # a second copy would have arrived by now
    return notices(app)


@pytest.mark.parametrize("how", ["worker", "saver"])
async def test_a_service_error_is_shown_once(workspace, how):
    app = FieldkitApp(workspace, lang="zh")
    async with app.run_test(size=(120, 40)) as pilot:
        await settled(pilot)
        app.clear_notifications()
        shown = await _notices_after(app, pilot, how, _refuse)
        assert shown == [t("signin.error.empty", "zh")]


@pytest.mark.parametrize("how", ["worker", "saver"])
async def test_an_unexpected_error_names_what_happened(workspace, how):
    app = FieldkitApp(workspace, lang="en")
    async with app.run_test(size=(120, 40)) as pilot:
        await settled(pilot)
        app.clear_notifications()
        shown = await _notices_after(app, pilot, how, _crash)
        assert len(shown) == 1
        assert "StopIteration" in shown[0]
        assert not shown[0].rstrip().endswith(": .")
