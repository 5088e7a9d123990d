"""The trends count an incident as one incident and the cases it raised apart: a lift
entrapment closed with its plan's steps left to do is "电梯困人 1 起（后续工单 N 单）", and
those cases are labelled as its follow-ups — never "电梯困人处置 N 单", which read as N
entrapments — in zh and en, in the text, the HTML and the PDF."""

from __future__ import annotations

import pytest

from fieldkit.i18n import t
from fieldkit.reports.trends_text import to_html
from fieldkit.services import incident_close
from fieldkit.services import incident_places as places_
from fieldkit.services import incidents as inc
from fieldkit.services import trends as tr
from tests.incidents.helpers import make_compound, open_workspace
from tests.reports import pdfcheck


@pytest.fixture(scope="module")
def ws(tmp_path_factory):
    folder = tmp_path_factory.mktemp("trends-incidents") / "office"
    make_compound(folder, floors=4)
    workspace = open_workspace(folder)
    lift = inc.open_incident(
        workspace, "lift_entrapment", places=places_.parse("1", inc.compound_of(workspace))
    )
    decisions = {}
    for point in incident_close.open_points(workspace, lift.id):
        wanted = {"step": "not_done", "failed": "case"}.get(point.point, point.choices[0])
        decisions[point.key] = wanted
    incident_close.close(workspace, lift.id, "已放出", decisions)
    yield workspace
    workspace.close()


def _left(ws) -> int:
    return sum(
        1 for _, doc in ws.store.iter_records(["case"])
        if doc.get("category") == "emergency.lift_entrapment"
    )  # fmt: skip


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_one_entrapment_and_its_follow_ups_apart(ws, lang, tmp_path):
    left = _left(ws)
    assert left >= 2  # the plan's steps left to do: each a case
    found = tr.device_trends(ws)
    names = tr.category_names(lang, ws)
    title = ws.checklists()["emergency.lift_entrapment"].title.get(lang)
    label = t("trends.category.plan", lang, what=title)
    assert names["emergency.lift_entrapment"] == label
    count = t("trends.incidents.count", lang, what=t("incidents.type.lift_entrapment", lang),
              count=1)  # fmt: skip
    said = t("trends.incidents.with_followups", lang, incidents=count, count=left)
    text = tr.to_text(found, names, lang)
    assert t("trends.incidents.line", lang, words=said) in text
    assert t("trends.incidents.note", lang) in text
    row = next(line for line in text.splitlines() if line.startswith(label))
    assert f"  {left:>5}  " in row, row  # counted as cases, named as follow-ups
    html = to_html(found, lang, names)
    assert said in html and label in html
    if pdfcheck.needs_poppler.args[0]:
        return
    pdf = tmp_path / "trends.pdf"
    pdf.write_bytes(tr.to_pdf(found, lang, names))
    assert said in " ".join(pdfcheck.text(pdf).split())


@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_the_trends_screen_says_it_too(ws, lang):
    from fieldkit.i18n import set_language
    from fieldkit.ui.app import FieldkitApp
    from fieldkit.ui.screens.trends import TrendsScreen
    from tests.waits import shown

    set_language(lang)
    app = FieldkitApp(ws, lang=lang)
    count = t("trends.incidents.count", lang, what=t("incidents.type.lift_entrapment", lang),
              count=1)  # fmt: skip
    said = t("trends.incidents.with_followups", lang, incidents=count, count=_left(ws))
    async with app.run_test(size=(160, 50)) as pilot:
        await pilot.pause()
        app.action_trends()
        await shown(pilot, lambda: isinstance(app.screen, TrendsScreen) and app.screen.text)
        text = " ".join(app.screen.text.split())
        assert t("trends.incidents.line", lang, words=said) in text, text
