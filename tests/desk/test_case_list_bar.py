"""The case list a desk opens with ``c`` (nc21): its key bar shows the filters a desk uses
(b building, o status, k kind, d department, x overdue) as far as the terminal allows, the
building first, "…" for what it leaves to help; help lists them all."""

from __future__ import annotations

import pytest

from fieldkit.i18n import set_language, t
from fieldkit.ui.app import FieldkitApp
from fieldkit.ui.screens.help import HelpScreen
from fieldkit.ui.widgets.keybar import KeyBar
from tests.desk.helpers import open_cases
from tests.waits import shown

FILTERS = (("b", "rounds.bar.building"), ("o", "rounds.bar.status"),
           ("k", "ui.case_list.kind_bar"), ("d", "rounds.bar.department"),
           ("x", "rounds.bar.overdue"))  # fmt: skip


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    from fieldkit.services.demo import generate

    made = tmp_path_factory.mktemp("bar") / "c"
    generate(made, cases=30, floors=2)
    return made


def bar_text(app) -> str:
    return str(app.screen.query_one(KeyBar).render())


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("size", [(120, 40), (80, 24)])
async def test_the_case_list_bar_shows_the_desks_filters(folder, lang, size):
    from fieldkit.services.workspace import Workspace

    set_language(lang)
    ws = Workspace.open(folder)
    try:
        app = FieldkitApp(ws, lang=lang)
        async with app.run_test(size=size) as pilot:
            await open_cases(app, pilot)
            bar = bar_text(app)
            said = [f" {k}  {t(label)} " in bar for k, label in FILTERS]
            if size == (80, 24) and lang == "en":  # the building first; the rest in help
                assert said == [True, True, True, True, False], bar
                assert f"…   ?  {t('rounds.bar.help')}" in bar, bar
            else:
                assert all(said), bar
            assert bar.index(" b ") < bar.index(" o ") < bar.index(" k ") < bar.index(" d ")
            await pilot.press("x")  # a filter on: the way back to every case comes first
            await shown(
                pilot, lambda: bar_text(app).startswith(f" c  {t('desk.cases.clear_bar')} ")
            )
            bar = bar_text(app)
            assert f" b  {t('rounds.bar.building')} " in bar and " esc " in bar, bar
            await pilot.press("question_mark")
            await shown(pilot, lambda: isinstance(app.screen, HelpScreen))
            listed = dict(app.screen.rows)
            for key, label in (("b", "ui.keys.filter_building"), ("o", "ui.keys.filter_status"),
                               ("k", "ui.case_list.kind_key"), ("d", "ui.keys.filter_department"),
                               ("x", "ui.keys.filter_overdue")):  # fmt: skip
                assert listed[key] == t(label), (key, listed)
    finally:
        ws.close()
        set_language("en")
