"""A service error reaches the person once, in words, whichever screen asked for the work."""

from __future__ import annotations

from fieldkit.i18n import UserError, t
from fieldkit.ui.app import FieldkitApp


def _refuse(_ws):
    raise UserError("signin.error.empty")


def _crash(_ws):
    raise StopIteration


async def _notices_after(app, pilot, fn, count):
    app.screen.service("probe", fn)
    for _ in range(200):
        if len(app._notifications) >= count:
            break
        await pilot.pause(0.02)
    await pilot.pause(0.2)  # a second copy would arrive right behind the first
    return [n.message for n in app._notifications]


async def test_a_service_error_is_shown_once(workspace):
    app = FieldkitApp(workspace, lang="zh")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        app.clear_notifications()
        shown = await _notices_after(app, pilot, _refuse, 1)
        assert shown == [t("signin.error.empty", "zh")]


async def test_an_unexpected_error_names_what_happened(workspace):
    app = FieldkitApp(workspace, lang="en")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        app.clear_notifications()
        shown = await _notices_after(app, pilot, _crash, 1)
        assert len(shown) == 1
        assert "StopIteration" in shown[0]
        assert not shown[0].rstrip().endswith(": .")
