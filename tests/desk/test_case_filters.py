"""The case list's filters as a newcomer at the desk reads them, zh and en: a search looks at
every status and the filter line says so (the status chosen before comes back when the
search is emptied); when the filters hide every case, the list says which ones do and `c`
clears them all — a key in the bar (while a filter is on) and in help."""

from __future__ import annotations

import pytest

from fieldkit.i18n import set_language, t
from fieldkit.ui.app import FieldkitApp
from fieldkit.ui.dialogs.ask import AskDialog
from fieldkit.ui.widgets.keybar import KeyBar
from tests.desk.helpers import case_in, notes, open_cases, text_of
from tests.waits import shown

WORDS = {
    "zh": {"widened": "状态：全部（查找时不限状态）", "finding": "查找：漏水",
           "unfinished": "状态：未完结",
           "hidden": "没有符合筛选条件的工单（状态：未完结；部门：工程部；只看超期）。"
                     "按 c 清除全部筛选。",
           "bar": " c  清除筛选 ", "help": "清除全部筛选", "cleared": "已清除全部筛选",
           "none_left": "没有可清除的筛选"},
    "en": {"widened": "Status: any (a search looks at every status)", "finding": "Search: leak",
           "unfinished": "Status: unfinished",
           "hidden": "No case matches these filters (Status: unfinished; Department: "
                     "Engineering; only overdue). Press c to clear them all.",
           "bar": " c  clear filters ", "help": "clear every filter",
           "cleared": "Filters cleared", "none_left": "No filter to clear"},
}  # fmt: skip


@pytest.fixture
def ws(tmp_path):
    from fieldkit.services.demo import generate
    from fieldkit.services.workspace import Workspace

    generate(tmp_path / "c", cases=0, floors=2)
    workspace = Workspace.open(tmp_path / "c")
    for status, title in (("dispatched", "厨房水管漏水 leak"), ("closed", "卫生间漏水 leak")):
        case_in(workspace, "repair", status, title, department="engineering")
    yield workspace
    workspace.close()
    set_language("en")


def bar(screen) -> str:
    return str(screen.query_one(KeyBar).render())


@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_a_search_says_it_widened_the_status_and_gives_it_back(ws, lang):
    set_language(lang)
    app = FieldkitApp(ws, lang=lang)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_cases(app, pilot)
        assert screen.page.total == 1 and WORDS[lang]["unfinished"] in text_of(
            screen, "#case-filters"
        )
        await pilot.press("slash")
        await shown(pilot, lambda: isinstance(app.screen, AskDialog))
        await pilot.press(*("漏水" if lang == "zh" else "leak"), "enter")
        await shown(pilot, lambda: screen.filter.text and screen.page.total == 2)
        line = text_of(screen, "#case-filters")
        assert WORDS[lang]["widened"] in line and WORDS[lang]["finding"] in line, line
        await pilot.press("slash")
        await shown(pilot, lambda: isinstance(app.screen, AskDialog))
        app.screen.query_one("Input").value = ""
        await pilot.press("enter")
        await shown(pilot, lambda: not screen.filter.text and screen.page.total == 1)
        assert WORDS[lang]["unfinished"] in text_of(screen, "#case-filters")


@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_an_empty_list_names_the_filters_that_hide_it_and_c_clears_them(ws, lang):
    set_language(lang)
    app = FieldkitApp(ws, lang=lang)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_cases(app, pilot)
        assert WORDS[lang]["bar"] not in bar(screen)  # no filter of the person's own yet
        assert any(t(label).startswith(WORDS[lang]["help"]) for _, label in screen.HELP_KEYS)
        await pilot.press("c")
        await shown(pilot, lambda: any(WORDS[lang]["none_left"] in n for n in notes(app)))
        await pilot.press("d")  # engineering: the case is still there
        await shown(pilot, lambda: screen.filter.department and screen.page.total == 1)
        assert not screen.query_one("#case-empty").display
        await pilot.press("x")  # only overdue: nothing is
        await shown(pilot, lambda: screen.filter.overdue and screen.page.total == 0)
        await shown(pilot, lambda: screen.query_one("#case-empty").display)
        said = " ".join(text_of(screen, "#case-empty").split())
        assert said == WORDS[lang]["hidden"], said
        assert WORDS[lang]["bar"] in bar(screen)
        await pilot.press("c")
        await shown(pilot, lambda: screen.page.total == 1 and not screen.filter.department)
        assert not screen.filter.overdue and not screen.query_one("#case-empty").display
        assert any(WORDS[lang]["cleared"] in n for n in notes(app))
        assert WORDS[lang]["bar"] not in bar(screen)


async def test_the_bar_with_a_filter_on_fits_80_columns_in_english(ws):
    set_language("en")
    app = FieldkitApp(ws, lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_cases(app, pilot)
        await pilot.press("x")
        await shown(pilot, lambda: WORDS["en"]["bar"] in bar(app.screen))
        assert len(bar(app.screen).rstrip()) <= 80, bar(app.screen)
