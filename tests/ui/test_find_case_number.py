"""The home's find (``/``) takes a case number too (nc21: b3a175 read "Nothing matches."):
its title says so, the case is listed by its number, and Enter opens it, whatever its
status; a flat's code is found as before."""

from __future__ import annotations

import pytest
from textual.widgets import OptionList, Static

from fieldkit.i18n import set_language, t
from fieldkit.services.types import CaseFilter
from fieldkit.ui.app import FieldkitApp
from fieldkit.ui.screens.case_detail import CaseDetailScreen
from fieldkit.ui.screens.start import StartRunScreen
from tests.waits import shown


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    from fieldkit.services.demo import generate

    made = tmp_path_factory.mktemp("find") / "c"
    generate(made, cases=20, floors=2)
    return made


def options(app) -> list[str]:
    found = app.screen.query_one(OptionList)
    return [str(found.get_option_at_index(n).prompt) for n in range(found.option_count)]


@pytest.mark.parametrize(("lang", "title"), [
    ("zh", "查找房屋、楼梯间、设施或工单：扫描标签，或输入编号、名称或工单号"),
    ("en", "Find a flat, stairwell, asset or case: scan the label, or type a code, name or "
           "case number"),
])  # fmt: skip
async def test_find_on_home_opens_a_case_by_its_number(folder, lang, title):
    from fieldkit.services.workspace import Workspace

    set_language(lang)
    ws = Workspace.open(folder)
    try:
        closed = ws.cases_page(CaseFilter(status=""), limit=1).rows[0]
        ws.store.set_case_status(closed.id, "closed")  # found though the case list hides it
        app = FieldkitApp(ws, lang=lang)
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.press("slash")
            await shown(pilot, lambda: isinstance(app.screen, StartRunScreen))
            said = str(app.screen.query_one("#start-title", Static).render())
            assert said == title
            for key in f"#{closed.ref}":
                await pilot.press(key)
            line = t("ui.start.case_line", ref=closed.ref, title="", where="").split()[0]
            await shown(pilot, lambda: any(closed.ref in o for o in options(app)))
            (listed,) = options(app)
            assert listed.startswith(f"{line}  {closed.ref}  "), listed
            assert t("ui.start.no_match") not in listed
            await pilot.press("enter")
            await shown(pilot, lambda: isinstance(app.screen, CaseDetailScreen))
            assert app.screen.case_id == closed.id
            await pilot.press("escape")  # back on the home, not in the search
            await shown(pilot, lambda: not isinstance(app.screen, CaseDetailScreen))
            assert not isinstance(app.screen, StartRunScreen)
    finally:
        ws.close()
        set_language("en")


def test_a_flat_code_or_words_are_no_case_number(folder):
    from fieldkit.services.workspace import Workspace

    ws = Workspace.open(folder)
    try:
        row = ws.cases_page(CaseFilter(status=""), limit=1).rows[0]
        assert [r.id for r in ws.cases_numbered(row.ref.upper())] == [row.id]
        assert row.id in [r.id for r in ws.cases_numbered(row.id[-4:])]
        assert ws.cases_numbered("1-1-101") == [] and ws.cases_numbered("漏水") == []
        assert ws.cases_numbered("abc") == []  # three characters name too many cases
    finally:
        ws.close()
