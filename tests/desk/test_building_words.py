"""The building filter names the building as people say it (3号楼 / Building 3), never by
its bare code ("楼栋：3"): on the filter line, in the empty list's reason and in help."""

from __future__ import annotations

import time

import pytest

from fieldkit.i18n import set_language
from fieldkit.model import Target
from fieldkit.services.cases import iso
from fieldkit.ui.app import FieldkitApp
from fieldkit.ui.dialogs.ask import AskDialog
from fieldkit.ui.screens.help import HelpScreen
from tests.desk.helpers import open_cases, text_of
from tests.waits import shown

WORDS = {
    "zh": {"typed": "3栋", "line": "楼栋：全部", "named": "3号楼", "code": "楼栋：3",
           "hidden": "没有符合筛选条件的工单（状态：未完结；3号楼；只看超期）。按 c 清除全部筛选。",
           "help": "按楼栋筛选：输入楼号，如 3 或 3号楼"},
    "en": {"typed": "bldg 3", "line": "Building: any", "named": "Building 3",
           "code": "Building: 3",
           "hidden": "No case matches these filters (Status: unfinished; Building 3; only "
                     "overdue). Press c to clear them all.",
           "help": "building filter: type its number, e.g. 3 or Building 3"},
}  # fmt: skip


@pytest.fixture
def ws(tmp_path):
    from fieldkit.services.demo import generate
    from fieldkit.services.workspace import Workspace

    generate(tmp_path / "c", cases=0, floors=2)
    workspace = Workspace.open(tmp_path / "c")
    three = next(b.id for b in workspace.store.reference("building") if b.code == "3")
    unit = next(u for u in workspace.store.reference("unit") if u.building_id == three)
    due = iso(time.time() + 30 * 3600)
    workspace.store.create_case("repair", Target("unit", unit.id), title="漏水 leak",
                                department="engineering", due=due)  # fmt: skip
    yield workspace
    workspace.close()
    set_language("en")


@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_the_building_filtered_on_reads_as_people_say_it(ws, lang):
    words = WORDS[lang]
    set_language(lang)
    app = FieldkitApp(ws, lang=lang)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_cases(app, pilot)
        assert words["line"] in text_of(screen, "#case-filters")
        await pilot.press("b")
        await shown(pilot, lambda: isinstance(app.screen, AskDialog))
        app.screen.query_one("Input").value = words["typed"]
        await pilot.press("enter")
        await shown(pilot, lambda: screen.filter.building == "3" and screen.page.total == 1)
        line = text_of(screen, "#case-filters")
        assert words["named"] in line and words["code"] not in line, line
        await pilot.press("x")  # only overdue: the one case is not, so nothing is shown
        await shown(pilot, lambda: screen.query_one("#case-empty").display)
        assert " ".join(text_of(screen, "#case-empty").split()) == words["hidden"]
        await pilot.press("question_mark")
        await shown(pilot, lambda: isinstance(app.screen, HelpScreen))
        assert ("b", words["help"]) in app.screen.rows
