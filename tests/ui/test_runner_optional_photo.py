"""A problem's photo with no problem found is optional: a key that does not answer it says
Enter skips it (it said only "this item takes a photo", and the guard, who had nothing to
photograph, pressed on), and the same words said again replace their toast instead of
piling up (a walk in tmux: six equal toasts over the round)."""

from __future__ import annotations

import pytest

from fieldkit.i18n import t
from fieldkit.services.workspace import Workspace
from fieldkit.ui.app import FieldkitApp
from tests.ui.helpers import open_runner, step_of
from tests.waits import notices, shown


@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_keys_on_an_optional_photo_say_enter_skips_it_once(compound, lang):
    ws = Workspace.open(compound)
    try:
        app = FieldkitApp(ws, lang=lang)
        async with app.run_test(size=(120, 40)) as pilot:
            runner = await open_runner(app, pilot, ws)
            # the first extinguisher, nothing wrong: on to the problem's photo
            await pilot.press("1", "1", "p", "1", "p", "1", "enter", "p", "1", "p")
            photo = step_of(runner, "photo", 1)
            await shown(pilot, lambda: runner.current == photo.key)
            assert not runner.run.required(photo)
            app.clear_notifications()
            await pilot.press("1")  # meant for the next extinguisher
            optional = t("ui.runner.how.photo_optional", lang)
            await shown(pilot, lambda: optional in notices(app))
            await pilot.press("1", "p")
            await shown(pilot, lambda: t("ui.runner.how.photo_optional", lang) in notices(app))
            assert notices(app) == [optional], notices(app)
            assert runner.run.value(photo) is None
            await pilot.press("enter")  # as the words say
            await shown(pilot, lambda: runner.current == step_of(runner, "in_place", 2).key)
    finally:
        ws.close()


@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_a_required_photo_still_says_how_to_add_one(compound, lang):
    ws = Workspace.open(compound)
    try:
        app = FieldkitApp(ws, lang=lang)
        async with app.run_test(size=(120, 40)) as pilot:
            runner = await open_runner(app, pilot, ws)
            # the nameplate fails: the photo is now required
            await pilot.press("1", "1", "p", "1", "p", "1", "enter", "f", "1", "p")
            photo = step_of(runner, "photo", 1)
            await shown(pilot, lambda: runner.current == photo.key)
            assert runner.run.required(photo)
            app.clear_notifications()
            await pilot.press("p")
            await shown(pilot, lambda: t("ui.runner.how.photo", lang) in notices(app))
    finally:
        ws.close()
