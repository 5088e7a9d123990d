"""The weekly report's incidents, as the office supervisor reads them in zh and en, in
text, Markdown and PDF: each incident of the week with its type, place, when it began and
closed, how long it ran, its status, and its follow-up cases with those still open."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest

from fieldkit.i18n import t
from fieldkit.services import incident_close, weekly
from fieldkit.services import incident_places as places_
from fieldkit.services import incidents as inc
from fieldkit.services.equipment import today
from tests.incidents.helpers import make_compound, open_workspace
from tests.reports import pdfcheck


@pytest.fixture(scope="module")
def ws(tmp_path_factory):
    folder = tmp_path_factory.mktemp("week-incidents") / "office"
    make_compound(folder, floors=4)
    workspace = open_workspace(folder)
    compound = inc.compound_of(workspace)
    lift = inc.open_incident(workspace, "lift_entrapment", places=places_.parse("1", compound))
    for title in ("更换轿门门锁", "检修对讲", "轿厢照明"):
        inc.raise_followup(workspace, lift.id, "repair", title)
    points = incident_close.open_points(workspace, lift.id)
    decisions = {p.key: "not_needed" if "not_needed" in p.choices else p.choices[0]
                 for p in points}  # fmt: skip
    incident_close.close(workspace, lift.id, "已放出，电梯停用待修", decisions)
    inc.open_incident(workspace, "flooding", places=places_.parse("2-1-302", compound))
    yield workspace
    workspace.close()


def _week(ws, lang):
    now = time.time()
    end = today(ws, now)
    return weekly.week(ws, end - timedelta(days=6), end, now, lang)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_each_incident_of_the_week_is_listed(ws, lang):
    w = _week(ws, lang)
    text, md = weekly.render(w, "text"), weekly.render(w, "md")
    for out in (text, md):
        section = out[out.index(t("week.incidents", lang)) :]
        lift = next(line for line in section.splitlines()
                    if t("incidents.type.lift_entrapment", lang) in line)  # fmt: skip
        assert t("incidents.status.closed", lang) in lift
        assert t("week.followups", lang, count=3, open=3) in lift, lift
        assert ("1号楼" if lang == "zh" else "Building 1") in lift, lift
        pipe = next(line for line in section.splitlines()
                    if t("incidents.type.flooding", lang) in line)  # fmt: skip
        assert t("week.not_closed", lang) in pipe and t("incidents.status.active", lang) in pipe
        assert "302" in pipe
        assert t("week.incidents_note", lang)[:12] in section.replace("\n", " ")
    headings = [t(k, lang) for k in ("week.cases", "week.rounds", "week.incidents")]
    assert text.index(headings[0]) < text.index(headings[1]) < text.index(headings[2])


@pdfcheck.needs_poppler
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_printed_incidents(ws, tmp_path, lang):
    pdf = tmp_path / "week.pdf"
    pdf.write_bytes(weekly.render(_week(ws, lang), "pdf"))
    words = " ".join(pdfcheck.text(pdf).split())
    for key in (
        "week.incidents",
        "week.col.began",
        "week.col.lasted",
        "week.col.followups",
        "incidents.type.lift_entrapment",
        "incidents.type.flooding",
        "week.not_closed",
    ):
        assert t(key, lang) in words, key
    assert t("week.followups", lang, count=3, open=3) in words
    assert not pdfcheck.SPACED.search(words)
