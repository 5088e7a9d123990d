"""A corrected entry reads once in the report (nc20): the timeline listed the entry with
"(corrected: …)" and then the correction as a row of its own saying the same again. The
entry now reads as corrected, marked with who corrected it, when, and what it first said."""

from __future__ import annotations

import pytest

from fieldkit.i18n import t
from fieldkit.services import incident_report
from fieldkit.services import incidents as inc
from tests.incidents.helpers import open_lift_entrapment

WAS = {"zh": "轿厢内3人", "en": "three people inside"}
NOW = {"zh": "轿厢内2人，对讲回话正常", "en": "two people inside, answering on the intercom"}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_corrected_entry_reads_once_marked(ws, lang):
    incident = open_lift_entrapment(ws)
    entry = inc.add_entry(ws, incident.id, WAS[lang], by="王敏")
    inc.correct(ws, incident.id, entry.id, NOW[lang], by="李强")
    md = incident_report.render(ws, incident.id, "md", lang).decode()
    timeline = md.split(t("incidents.report.timeline", lang), 1)[1]
    assert timeline.count(NOW[lang]) == 1, timeline
    assert timeline.count(WAS[lang]) == 1, timeline  # the original, in the mark only
    row = next(line for line in timeline.splitlines() if NOW[lang] in line)
    assert "李强" in row and WAS[lang] in row and "王敏" in row
    heading = t("incidents.kind.correction", lang)
    assert f"| {heading} " not in timeline  # no row of its own
