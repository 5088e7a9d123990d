"""The trends as the office supervisor reads them at 80 and 120 columns: at 80 the names
vanished ("工单…  未…  12 1 2 3 …") and the buildings' too; at 120 "Where most" was cut,
"Fire doors and escape routes" wrapped, a count in brackets after a name in brackets read
"Extinguishers (floor round) (10)". Names and numbers stay; months give way."""

from __future__ import annotations

import re

import pytest
from rich.cells import cell_len

from fieldkit.i18n import set_language, t
from fieldkit.services import trends as tr
from fieldkit.ui.app import FieldkitApp
from tests.ui.helpers import open_trends


async def _read(workspace, lang, view, width):
    set_language(lang)
    app = FieldkitApp(workspace, lang=lang)
    async with app.run_test(size=(width, 24 if width == 80 else 40)) as pilot:
        return (await open_trends(app, pilot, view)).text


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("view", ["category", "building"])
async def test_names_and_numbers_stay_at_80_columns(workspace, lang, view):
    text = await _read(workspace, lang, view, 80)
    found = tr.device_trends(workspace, view)
    names = tr.category_names(ws=workspace)
    from fieldkit.reports import trends_text as words

    lines = text.splitlines()
    assert all(cell_len(line.rstrip()) <= 80 for line in lines)
    heat = t("trends.doc.heat", lang)
    lines = lines[: lines.index(heat)] if heat in lines else lines  # the chart, not the map
    for g in found.groups:
        label = words.group_label(found, g, names, lang)
        # the line beginning with the most of the name (a long one wraps under it)
        heads = [(line.split("  ")[0].strip(), line) for line in lines]
        rows = [(len(h), line) for h, line in heads if h and label.startswith(h)]
        assert rows, (label, text)
        row = max(rows)[1]
        assert str(g.cases) in row.split(), row  # the count on the name's line
    assert t(f"trends.col.{'where' if view == 'category' else 'top'}", lang) in text


@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_names_whole_at_120_columns(workspace, lang):
    text = await _read(workspace, lang, "category", 120)
    names = tr.category_names(ws=workspace)
    assert t("trends.col.where", lang) in text
    long_name = {"zh": "防火门与疏散通道", "en": "Fire doors and escape routes"}[lang]
    if long_name in names.values():
        assert any(line.startswith(long_name) for line in text.splitlines()), text
    assert ") (" not in text and "没有哪栋楼" not in text and "more th" not in text


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("view", ["category", "building"])
async def test_the_last_month_keeps_its_cell_at_80_columns(workspace, lang, view):
    """nc29, by building in en at 80 columns: no month cell fitted, every case read "Earlier"
    (the total) under a head naming December — however narrow, the last month keeps its
    cell, and the period line names what the table shows."""
    from fieldkit.ui.widgets.trends_chart import fitted_months, groups_table

    text = await _read(workspace, lang, view, 80)
    found = tr.device_trends(workspace, view)
    names = tr.category_names(ws=workspace)
    last = f"{int(found.months[-1][5:])}"
    head = next(line for line in text.splitlines() if t("trends.col.open", lang) in line)
    months_line = text.splitlines()[text.splitlines().index(head) - 1] + " " + head
    assert re.search(rf"(^|\s){last}\*?(\s|$)", months_line), (months_line, text)
    assert fitted_months(found, names, lang, 40) == 1  # too narrow for more: still one
    table = groups_table(found, names, lang, 40)
    assert any(str(c.header).split("\n")[-1].rstrip("*") == last for c in table.columns)
