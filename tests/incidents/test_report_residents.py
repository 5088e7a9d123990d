"""The incident report's residents: only the flats the incident reached are rows (to check
on, checked, or decided at close); the rest of the building's flagged flats are a count.
The outcome and the time it was checked are columns of their own."""

from __future__ import annotations

import re

import pytest

from fieldkit.i18n import t
from fieldkit.services import incident_report
from fieldkit.services import incidents as inc
from tests.incidents.helpers import open_lift_entrapment


def people_rows(md: str, lang: str) -> list[list[str]]:
    """The residents table's rows, as cells."""
    head = t("incidents.report.people", lang)
    section = md.split(f"## {head}\n", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("|")]
    return [[c.strip() for c in row.strip("|").split("|")] for row in rows[2:]]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_burst_pipe_lists_the_flats_below_not_the_building(ws, lang):
    place = ws.lookup_scan("1-1-602").target
    incident = inc.open_incident(ws, "flooding", place, "major")
    listed = inc.people(ws, incident.id)
    below = [p for p in listed if p.confirm]
    elsewhere = [p for p in listed if not p.confirm]
    assert below and elsewhere, "the compound has flagged flats above and below 602"
    inc.check_person(ws, incident.id, below[0].unit_id, "ok")

    md = incident_report.render(ws, incident.id, "md", lang=lang).decode()
    rows = people_rows(md, lang)
    assert [r[0] for r in rows] == [p.code for p in below]
    assert not any(p.code in (r[0] for r in rows) for p in elsewhere)
    checked = rows[0]
    assert checked[2] == t("incidents.report.checked_on", lang)
    assert re.fullmatch(r"[\w ,年月日]+ \d\d:\d\d", checked[3]), checked  # a time, only
    for row in rows[1:]:
        assert row[2] == t("incidents.report.not_checked", lang) and row[3] == "—", row
    count = t("incidents.people.not_listed_unaffected", lang, count=len(elsewhere))
    if len(elsewhere) == 1:
        count = t("incidents.people.not_listed_unaffected_one", lang)
    assert count in md


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_lift_entrapment_lists_only_the_flats_called_on(ws, lang):
    incident = open_lift_entrapment(ws)
    listed = inc.people(ws, incident.id)
    assert len(listed) >= 2
    inc.check_person(ws, incident.id, listed[0].unit_id, "called, fine")

    md = incident_report.render(ws, incident.id, "md", lang=lang).decode()
    rows = people_rows(md, lang)
    assert [r[0] for r in rows] == [listed[0].code]
    assert rows[0][2] == t("incidents.report.checked_on", lang)
    assert rows[0][4] == "called, fine"
    sentence = "需要时联系" if lang == "zh" else "to contact if needed"
    assert not any(sentence in cell for row in rows for cell in row)


def people_section(md: str, lang: str) -> str:
    head = t("incidents.report.people", lang)
    return md.split(f"## {head}\n", 1)[1].split("\n## ", 1)[0].strip()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_lift_entrapment_nobody_called_on_is_one_sentence(ws, lang):
    """It read 联系过 0 户。/ 这次没有联系的 2 户不逐户列出。/ 无。 — three lines that seem to
    contradict each other."""
    incident = open_lift_entrapment(ws)
    count = len(inc.people(ws, incident.id))
    md = incident_report.render(ws, incident.id, "md", lang=lang).decode()
    section = people_section(md, lang)
    said = t("incidents.people.report_tally_to_call_none", lang, total=count)
    assert section == said, section

    inc.check_person(ws, incident.id, inc.people(ws, incident.id)[0].unit_id, "called, fine")
    md = incident_report.render(ws, incident.id, "md", lang=lang).decode()
    section = people_section(md, lang)
    said = t("incidents.people.report_tally_to_call", lang, total=count, checked=1,
             rest=count - 1)  # fmt: skip
    assert section.startswith(said + "\n"), section
    assert section.count("\n\n") == 1, section  # the sentence, then the table: nothing else
