"""Sign-in: on a device where nobody is signed in the app asks for a name first; a name that
cannot be used says why in place; the title names the person and the role; ctrl+u lets the
next person sign in at a shift handover. In zh and en."""

from __future__ import annotations

import pytest
from textual.widgets import Static

from fieldkit.cli.app import demo_roles
from fieldkit.i18n import get_language, set_language
from fieldkit.services import signin
from fieldkit.services.demo import generate
from fieldkit.services.demo_office import Layout
from fieldkit.services.workspace import Workspace
from fieldkit.store import Store
from fieldkit.ui.app import DemoRoles, FieldkitApp
from fieldkit.ui.dialogs.role_picker import RolePicker
from fieldkit.ui.dialogs.signin import SignInDialog
from fieldkit.ui.widgets.titlebar import TitleBar
from tests.waits import shown

WORDS = {
    "zh": {"ask": "请输入你的姓名签到", "empty": "请填写姓名", "role": "巡逻岗", "next": "交接班",
           "nobody": "未签到", "name": "张伟", "then": "李娜"},
    "en": {"ask": "Enter your name to sign in", "empty": "Enter your name", "role": "Patrol",
           "next": "Shift handover", "nobody": "nobody signed in", "name": "Zhang Wei",
           "then": "Li Na"},
}  # fmt: skip


@pytest.fixture(autouse=True)
def _english_after():
    yield
    set_language("en")


@pytest.fixture(scope="module")
def nobody_dir(tmp_path_factory):
    folder = tmp_path_factory.mktemp("signin") / "compound"
    generate(folder, cases=10, now=1_800_000_000.0, person="")
    return folder


def text(app, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


def title(app) -> str:
    return str(app.screen.query_one(TitleBar).render())


async def type_in(pilot, value: str) -> None:
    for ch in value:
        await pilot.press(ch)


@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_nobody_signed_in_is_asked_for_a_name(nobody_dir, tmp_path, lang):
    import shutil

    folder = tmp_path / "device"
    shutil.copytree(nobody_dir, folder)
    words = WORDS[lang]
    app = FieldkitApp(folder, lang=lang, scan_gap=0, ask_sign_in=True)
    async with app.run_test(size=(110, 30)) as pilot:
        await shown(pilot, lambda: isinstance(app.screen, SignInDialog))
        assert words["ask"] in text(app, "#signin-question")
        assert words["nobody"] in str(app.screen_stack[1].query_one(TitleBar).render())
        await pilot.press("escape")  # at the start the name is not optional
        assert isinstance(app.screen, SignInDialog)
        await pilot.press("enter")
        await shown(pilot, lambda: words["empty"] in text(app, "#signin-error"))
        assert isinstance(app.screen, SignInDialog)
        await type_in(pilot, words["name"])
        await pilot.press("enter")
        await shown(pilot, lambda: not isinstance(app.screen, SignInDialog))
        assert words["name"] in title(app) and words["role"] in title(app)
        assert "patrol" not in title(app)

        await pilot.press("ctrl+u")  # shift handover: the next person
        await shown(pilot, lambda: isinstance(app.screen, SignInDialog))
        assert words["next"] in text(app, "#signin-question")
        assert words["name"] in text(app, "#signin-question")
        await type_in(pilot, words["then"])
        await pilot.press("enter")
        await shown(pilot, lambda: words["then"] in title(app))
    store = Store.open(folder, readonly=True)
    try:
        assert signin.signed_in(store).name == words["then"]  # durable: the next start has it
    finally:
        store.close()


async def test_signed_in_device_opens_straight_on_home(tmp_path):
    folder = tmp_path / "device"
    generate(folder, cases=5, now=1_800_000_000.0)  # the demo's patroller, 张伟
    app = FieldkitApp(folder, lang="zh", scan_gap=0, ask_sign_in=True)
    async with app.run_test(size=(110, 30)) as pilot:
        await shown(pilot, lambda: "张伟" in title(app))
        assert "巡逻岗" in title(app)
        assert not isinstance(app.screen, SignInDialog)
        await pilot.press("escape")
        await pilot.press("ctrl+u")
        await shown(pilot, lambda: isinstance(app.screen, SignInDialog))
        await pilot.press("escape")  # at a handover the one signed in may stay
        await shown(pilot, lambda: not isinstance(app.screen, SignInDialog))
        assert "张伟" in title(app)


async def test_demo_role_picker_switches_to_another_device(tmp_path):
    folder = tmp_path / "device"
    generate(folder, cases=5, now=1_800_000_000.0)
    people = {"patrol": "张伟", "renovation": "李强", "emergency": "王敏", "desk": "刘洋",
              "office": "陈静"}  # fmt: skip
    ws = Workspace.open(folder)
    app = FieldkitApp(ws, lang="zh", scan_gap=0, demo=DemoRoles("patrol", people, ask=True))
    async with app.run_test(size=(110, 30)) as pilot:
        await shown(pilot, lambda: isinstance(app.screen, RolePicker))
        listed = [str(o.prompt) for o in app.screen.query_one("#picker-roles").options]
        assert listed[0].startswith("1  巡逻岗 — 张伟") and "（当前）" in listed[0]
        assert listed[3] == "4  客服岗 — 刘洋" and listed[4] == "5  办公室主管 — 陈静"
        await pilot.press("escape")  # stay: the app goes on as the patroller
        await shown(pilot, lambda: not isinstance(app.screen, RolePicker))
        assert "fieldkit 演示 — 巡逻岗 · 张伟" in title(app)
        await pilot.press("f12")
        await shown(pilot, lambda: isinstance(app.screen, RolePicker))
        await pilot.press("4")
        await shown(pilot, lambda: app.switch_to == "desk")


@pytest.mark.parametrize(("made", "other", "person", "after"), [
    ("zh", "en", "张伟", "fieldkit demo — Patrol · 张伟"),
    ("en", "zh", "Zhang Wei", "fieldkit 演示 — 巡逻岗 · Zhang Wei"),
])  # fmt: skip
async def test_title_keeps_the_stored_name_when_the_language_changes(
    tmp_path, made, other, person, after
):
    """The role's name follows ctrl+l; the person keeps the name every record of theirs
    carries (a zh demo's 张伟 is not 'Zhang Wei' in the title and '张伟' on the case)."""
    layout = Layout(tmp_path, cases=5, seed=7, site="", lang=made)
    generate(layout.device("patrol"), cases=5, now=1_800_000_000.0, person=person, lang=made)
    app = FieldkitApp(Workspace.open(layout.device("patrol")), lang=made, scan_gap=0,
                      demo=demo_roles(layout, "patrol", ask=False))  # fmt: skip
    async with app.run_test(size=(110, 30)) as pilot:
        await shown(pilot, lambda: person in title(app))
        await pilot.press("ctrl+l")
        await shown(pilot, lambda: after in title(app))
        assert get_language() == other
