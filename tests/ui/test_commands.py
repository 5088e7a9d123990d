"""The command palette offers real commands in the current language; the sunlight theme."""

from __future__ import annotations

from fieldkit.ui.app import HIGH_CONTRAST, FieldkitApp
from fieldkit.ui.screens.start import StartRunScreen
from tests.ui.helpers import palette_prompts
from tests.waits import shown


async def test_palette_commands_follow_the_language_and_work(workspace):
    app = FieldkitApp(workspace, lang="zh")
    async with app.run_test() as pilot:
        await pilot.pause()
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert (
            "开始一项检查" in titles
            and "立即同步" in titles
            and "切换语言：中文 / English" in titles
        )
        start = next(c for c in app.get_system_commands(app.screen) if c.title == "开始一项检查")
        start.callback()
        await pilot.pause()
        assert isinstance(app.screen, StartRunScreen)
        await pilot.press("ctrl+l")
        await pilot.pause()
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert "Start a checklist" in titles and "Find a flat or asset" in titles


async def test_sunlight_theme_toggles(workspace):
    app = FieldkitApp(workspace, theme="high-contrast")
    async with app.run_test() as pilot:
        assert app.theme == HIGH_CONTRAST.name
        await pilot.press("ctrl+t")
        await pilot.pause()
        assert app.theme == "textual-dark"


async def test_palette_speaks_the_current_language(workspace):
    from textual.command import CommandInput

    from fieldkit.ui.dialogs.palette import Palette

    app = FieldkitApp(workspace, lang="zh")
    async with app.run_test() as pilot:
        await pilot.pause()
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert isinstance(app.screen, Palette)
        assert app.screen.query_one(CommandInput).placeholder == "输入文字查找命令"
        await pilot.press(*"zzqx")
        await shown(
            pilot,
            lambda: any("没有匹配的命令" in p for p in palette_prompts(app)),
            "no matches, in zh",
        )
