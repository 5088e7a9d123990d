"""The office supervisor reads a calendar week in the weekly report: on a Monday morning
it showed Tuesday to today ("最近 7 天"); it opens on last week, Monday to Sunday, and [ ] or
← → step to an earlier or a later week, this week so far the latest, named as such."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest

from fieldkit.i18n import set_language, t
from fieldkit.reports.dates import full_date
from fieldkit.services import equipment
from fieldkit.services.weekly import EQUIPMENT_DAYS
from fieldkit.ui.app import FieldkitApp
from fieldkit.ui.screens.trends import TrendsScreen
from fieldkit.ui.widgets.keybar import KeyBar
from tests.ui.helpers import open_trends, palette_prompts
from tests.waits import shown


def _span(start, end, lang):
    return t("week.span", lang, start=full_date(start, lang), end=full_date(end, lang))


@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_the_week_is_monday_to_sunday_and_moves(workspace, lang):
    set_language(lang)
    today = equipment.today(workspace, time.time())
    monday = today - timedelta(days=today.weekday())
    app = FieldkitApp(workspace, lang=lang)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_trends(app, pilot)
        last = _span(monday - timedelta(days=7), monday - timedelta(days=1), lang)
        assert t("week.last_week", lang) in screen.text and last in screen.text, screen.text
        bar = str(screen.query_one(KeyBar).render())
        assert t("week.bar.move", lang) in bar and "[ ]" in bar
        assert any(t("week.keys.move", lang) in line for _, line in
                   ((k, t(h, lang)) for k, h in screen.HELP_KEYS))  # fmt: skip
        await pilot.press("right_square_bracket")
        this = _span(monday, today, lang)
        await shown(pilot, lambda: this in screen.text, "this week")
        assert t("week.this_week", lang) in screen.text
        await pilot.press("right")  # no week after this one
        await shown(pilot, lambda: this in screen.text)
        await pilot.press("left")
        await pilot.press("left_square_bracket")
        before = _span(monday - timedelta(days=14), monday - timedelta(days=8), lang)
        await shown(pilot, lambda: before in screen.text, "the week before last")
        assert t("week.last_week", lang) not in screen.text


@pytest.mark.parametrize(("lang", "typed"), [("zh", "周报"), ("en", "weekly")])
async def test_the_office_opens_the_weekly_report_directly(workspace, lang, typed):
    """It hid under 高发问题趋势统计与交接班: w on the office's home and its own palette entry."""
    from fieldkit.ui.dialogs.palette import Palette
    from fieldkit.ui.screens.home import HomeScreen

    set_language(lang)
    workspace.store.set_device_state(role="office")
    app = FieldkitApp(workspace, lang=lang)
    async with app.run_test(size=(80, 24)) as pilot:
        await shown(pilot, lambda: isinstance(app.screen, HomeScreen) and app.screen.summary)
        home = app.screen
        bar = str(home.query_one(KeyBar).render())
        assert f"w  {t('week.bar.open', lang)}" in bar, bar
        assert ("w", "week.keys.open") in home.HELP_KEYS
        await pilot.press("w")
        await shown(pilot, lambda: isinstance(app.screen, TrendsScreen) and app.screen.text)
        bar = str(app.screen.query_one(KeyBar).render())
        assert f"[ ]  {t('week.bar.move', lang)}" in bar, bar  # at 80 columns too
        text = ("" if lang == "zh" else " ").join(app.screen.text.split("\n"))
        assert t("week.last_week", lang) in text
        # the office submits no rounds: the missed rounds are counted from the compound's
        assert {"zh": "全小区巡查记录", "en": "the compound's rounds"}[lang] in text
        assert {"zh": "本机第一次提交", "en": "first submitted"}[lang] not in text
        await pilot.press("escape")
        await shown(pilot, lambda: app.screen is home)
        await pilot.press("ctrl+p")
        await shown(pilot, lambda: isinstance(app.screen, Palette))
        await pilot.press(*typed)
        title = t("week.cmd", lang)
        await shown(pilot, lambda: any(title in p for p in palette_prompts(app)), typed)
        assert palette_prompts(app)[0].splitlines()[0] == title
        await pilot.press("enter")
        await shown(pilot, lambda: isinstance(app.screen, TrendsScreen) and app.screen.text)
        assert t("week.title", lang) in app.screen.text


CLOSING = tuple("。，、；：？！）」』》”’")


@pytest.fixture(scope="module")
def this_week(tmp_path_factory):
    """A compound whose records run to today, missed rounds in the last week."""
    from fieldkit.services.demo import generate

    folder = tmp_path_factory.mktemp("week") / "office"
    generate(folder, cases=80, floors=4)
    return folder


@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_the_report_fits_80_columns_with_headings(this_week, lang):
    """At 80 columns the numbers of 'Missed rounds, day by day' fell onto the next line,
    the rules wrapped, a zh line began with 、 and the headings were underlined with
    ===== and -----: headings are headings, tables narrow their words, not their numbers."""
    from fieldkit.services.workspace import Workspace

    set_language(lang)
    ws = Workspace.open(this_week)
    app = FieldkitApp(ws, lang=lang)
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            screen = await open_trends(app, pilot)
            lines = screen.text.split("\n")
            body = screen.query_one("#trends-body").content_region.width
            assert body <= 76
            from rich.cells import cell_len

            assert all(cell_len(line) <= body for line in lines), max(lines, key=cell_len)
            assert not [line for line in lines if line.startswith(CLOSING)]
            assert not [line for line in lines if set(line.strip()) in ({"="}, {"-"})]
            assert t("week.missed", lang) in lines and t("week.title", lang) in lines
            head = lines.index(t("week.missed", lang))
            end = lines.index(t("week.equipment", lang, days=EQUIPMENT_DAYS))
            days = [line for line in lines[head:end] if line[:1].isdigit()]
            assert days, "\n".join(lines[head : head + 12])
            # each missed day's row holds its count on its own first line
            assert all(any(w.isdigit() for w in line.split()[2:]) for line in days), [
                line for line in days if not any(w.isdigit() for w in line.split()[2:])
            ]
    finally:
        ws.close()


@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_another_week_reads_from_its_top_and_none_after_this_week_says_so(workspace, lang):
    """nc26: ``[`` kept the scroll of the week before (its header off screen), and ``]`` on
    this week did nothing and said nothing."""
    from textual.containers import VerticalScroll

    set_language(lang)
    app = FieldkitApp(workspace, lang=lang)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_trends(app, pilot)
        scroll = screen.query_one(VerticalScroll)
        await pilot.press("end")
        await shown(pilot, lambda: scroll.scroll_y > 0, "scrolled down")
        shown_text = screen.text
        await pilot.press("left_square_bracket")
        await shown(pilot, lambda: screen.text != shown_text, "the week before")
        await shown(pilot, lambda: scroll.scroll_y == 0, "read from its top")
        await pilot.press("right_square_bracket", "right_square_bracket")
        await shown(pilot, lambda: t("week.this_week", lang) in screen.text, "this week")
        await pilot.press("right_square_bracket")
        await shown(pilot, lambda: any(t("week.latest", lang) in n.message
                                       for n in app._notifications), "said")  # fmt: skip
    set_language("en")
