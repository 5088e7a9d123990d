"""A problem too long for its three lines in the case list ends in "…": the English list
cut "Dry powder extinguisher due for" mid-phrase, with nothing to say it was cut (round26)."""

from __future__ import annotations

import time

import pytest

from fieldkit.i18n import set_language
from fieldkit.model import Target
from fieldkit.services.cases import iso
from fieldkit.services.demo import generate
from fieldkit.services.types import CaseFilter
from fieldkit.services.workspace import Workspace
from fieldkit.ui.app import FieldkitApp
from fieldkit.ui.screens.cases import CasesScreen
from fieldkit.ui.widgets.case_table import CaseTable
from tests.waits import shown

LONG = {
    "en": "Dry powder extinguisher due for service and its cabinet door sticks; the owner "
    "upstairs has reported it twice and asks that engineering come before the weekend, "
    "as the stairwell is used by the nursery next door and the children pass it twice a "
    "day; the hose and the gauge of the hydrant beside it want a look as well",
    "zh": "干粉灭火器到期需要维修，灭火器箱门也打不开；楼上业主已经反映过两次，希望工程部周末前"
    "来处理，因为这个楼梯间隔壁幼儿园的孩子每天都要走，水带和压力表也请一起检查；"
    "另外三楼的应急照明不亮，疏散指示标志掉了一块，防火门闭门器漏油，也请工程部一并安排人员上门查看",
}
SHORT = "Hydrant hose missing"


@pytest.fixture
def compound(tmp_path):
    generate(tmp_path / "c", cases=0, floors=2)
    ws = Workspace.open(tmp_path / "c")
    unit = ws.store.reference("unit")[0]
    for title in (*LONG.values(), SHORT):
        ws.store.create_case("repair", Target("unit", unit.id), title=title,
                             department="engineering", due=iso(time.time() + 86400))  # fmt: skip
    yield ws
    ws.close()
    set_language("en")


def problems(table: CaseTable) -> dict[str, str]:
    """Each case's Problem cell as the screen shows it, its lines joined, by case id."""
    x = 0
    for column in table.columns.values():
        if column.key.value == "title":
            break
        x += column.get_render_width(table)
    width = next(c for c in table.columns.values() if c.key.value == "title")
    end = x + width.get_render_width(table)
    out, y = {}, 1  # under the headings
    for index, row in enumerate(table.rows_shown):
        height = table.ordered_rows[index].height
        lines = [table.render_line(y + n).crop(x, end).text.strip() for n in range(height)]
        out[row.id] = "".join(  # words wrapped at a space read with it again
            f" {line}" if n and lines[n - 1][-1:].isascii() and line[:1].isascii() else line
            for n, line in enumerate(lines)
        )
        y += height
    return out


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_a_problem_cut_in_the_case_list_ends_in_an_ellipsis(compound, lang, size):
    app = FieldkitApp(compound, lang=lang)
    async with app.run_test(size=size) as pilot:
        app.push_screen(CasesScreen(CaseFilter(status="")))
        await shown(pilot, lambda: isinstance(app.screen, CasesScreen) and app.screen.page)
        table = app.screen.query_one(CaseTable)
        await shown(pilot, lambda: table.row_count == len(table.rows_shown) > 0)
        await pilot.pause()
        seen = problems(table)
        titles = {r.id: r.title for r in table.rows_shown}
        cut = 0
        for case_id, text in seen.items():
            whole = str(titles[case_id].get(lang) if isinstance(titles[case_id], dict)
                        else titles[case_id]).replace(" ", "")  # fmt: skip
            if text.replace(" ", "") != whole:
                cut += 1
                assert text.endswith("…"), text
                assert whole.startswith(text[:-1].replace(" ", "")), (text, whole)
        assert cut >= 2  # both long problems are cut, and say so
        assert SHORT in seen.values()
