"""A complaint taken at the desk by keys, in both languages: palette command, kind, a scanned
flat, category, description, a photo, urgency, contact — then dispatched, handled, followed up and
closed through the services, checked in the store."""

from __future__ import annotations

import asyncio

import pytest

from fieldkit.i18n import set_language, t
from fieldkit.services import intake
from fieldkit.services import lifecycle as lc
from fieldkit.ui.app import FieldkitApp
from fieldkit.ui.screens.intake import IntakeScreen
from tests.incidents.helpers import make_compound, open_workspace
from tests.keys import one_read
from tests.waits import shown


@pytest.fixture
def ws(tmp_path):
    make_compound(tmp_path / "ws")
    workspace = open_workspace(tmp_path / "ws")
    yield workspace
    workspace.close()


async def _flow(ws, lang, photo):
    set_language(lang)
    app = FieldkitApp(ws, lang=lang)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        command = next(
            c for c in app.get_system_commands(app.screen) if c.title == t("lifecycle.ui.cmd")
        )
        command.callback()
        await shown(pilot, lambda: isinstance(app.screen, IntakeScreen))
        screen = app.screen
        await pilot.press("2")  # complaint
        await shown(pilot, lambda: screen.step == "unit")
        one_read(app, "1-1-602\r")  # the scanner
        await shown(pilot, lambda: screen.step == "caller")
        assert "1-1-602" in screen.unit.code
        # the tenant is calling, not the owner: a number that is no phone is said, and kept
        line = screen.query_one("#intake-line")
        line.value = "陈丽 1381234" if lang == "zh" else "Chen Li 1381234"
        await pilot.press("enter")
        refused = "电话号码“1381234”不对" if lang == "zh" else "'1381234' is not a phone number"
        await shown(pilot, lambda: any(refused in n.message for n in app._notifications))
        assert screen.step == "caller" and "1381234" in line.value
        line.value = ("陈丽 138 1234 5678" if lang == "zh"
                      else "Chen Li 138 1234 5678")  # fmt: skip
        await pilot.press("enter")
        await shown(pilot, lambda: screen.step == "category")
        so_far = str(screen.query_one("#intake-so-far").render())
        assert ("来电人：陈*  138****5678" if lang == "zh"
                else "Caller: Chen L***  138****5678") in so_far  # fmt: skip
        help_text = str(screen.query_one("#intake-help").render())
        assert ("噪音扰民" if lang == "zh" else "Noise") in help_text
        await pilot.press("1")  # noise
        await shown(pilot, lambda: screen.step == "description")
        await pilot.press(*"night drilling upstairs")
        await pilot.pause(0.05)
        await pilot.press("enter")
        await shown(pilot, lambda: screen.step == "photo")
        line = screen.query_one("#intake-line")
        line.value = str(photo.parent / "missing.jpg")
        await pilot.press("enter")  # no such file: said, and nothing added
        await shown(pilot, lambda: any("missing.jpg" in n.message for n in app._notifications))
        line.value = str(photo)
        await pilot.press("enter")
        await shown(pilot, lambda: screen.photos == [str(photo)])
        await pilot.press("enter")  # an empty line: go on
        await shown(pilot, lambda: screen.step == "urgency")
        await pilot.press("2")  # high
        await shown(pilot, lambda: screen.step == "contact")
        await pilot.press("3")  # wechat
        await shown(pilot, lambda: not isinstance(app.screen, IntakeScreen))
        (case,) = ws.store.open_cases()
        assert (case.kind, case.status, case.category) == ("complaint", "received", "noise")
        (attached,) = [ref for e in case.events for ref in e.attachments]
        assert attached.name == "drill.jpg" and ws.store.has_blob(attached.sha256)
        assert case.description == "night drilling upstairs"
        caller = "陈丽" if lang == "zh" else "Chen Li"
        assert case.extra["caller"] == {"name": caller, "phone": "13812345678"}
        assert (case.extra["urgency"], case.extra["contact"], case.extra["where"]) == (
            "high",
            "wechat",
            "1-1-602",
        )
        case = intake.dispatch(ws.store, case, "security", "office")
        case = lc.move(ws.store, case, "resolving", "patrol")
        case = lc.move(ws.store, case, "replied", "office", note="已上门劝导，约定夜间不施工")
        case = lc.follow_up(ws.store, case, lc.FollowUp(5), "office")
        assert lc.move(ws.store, case, "closed", "office").status == "closed"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_desk_intake_by_keys(ws, lang, tmp_path):
    photo = tmp_path / "drill.jpg"
    photo.write_bytes(b"\xff\xd8\xff night drilling")
    asyncio.run(_flow(ws, lang, photo))
