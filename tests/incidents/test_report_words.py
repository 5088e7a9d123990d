"""The incident report in English reads as one style: the PDF's notices table keeps its
"Language" header whole (it broke as "Langua / ge"), and the lift plan's last section is
named for what it is — the lift out of service and back — not "Stand down", the words for
the danger being over. A note typed on a plan step is beside its answer."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from fieldkit.services import incident_report, notices
from fieldkit.services import incidents as inc
from tests.incidents.helpers import open_lift_entrapment


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler is not installed")
def test_the_english_pdf_keeps_its_headers_whole(ws, tmp_path):
    incident = open_lift_entrapment(ws)
    notices.send(ws, incident.id, notices.draft(ws, incident.id, "en", "18:00").text, "en")
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(incident_report.render(ws, incident.id, "pdf", "en"))
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                          text=True, check=True, timeout=60).stdout  # fmt: skip
    header = next(line for line in text.splitlines() if "Written by" in line)
    assert "Language" in header, header


def test_the_lift_plan_section_is_not_stand_down(ws):
    incident = open_lift_entrapment(ws)
    sections = {step.key: step.section["en"] for step in inc.view(ws, incident.id).plan}
    assert sections["lift_out_of_service"] == "Lift out of service and back"
    md = incident_report.render(ws, incident.id, "md", "en").decode()
    assert "Lift out of service and back" in md
    assert "Stand down" not in md
    condition = next(s for s in inc.view(ws, incident.id).plan if s.key == "condition")
    words = [o.label.get("en") for o in condition.item.options]
    assert "Someone unwell, old, pregnant or a child" in words, words


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_plan_steps_note_is_beside_its_answer_in_the_report(ws, lang):
    incident = open_lift_entrapment(ws)
    run = inc.plan_run(ws, incident.id)
    run.answer("condition", "unwell")
    run.note("condition", "一位七十多岁老人感到胸闷")
    answer = "有人不舒服" if lang == "zh" else "Someone unwell"
    note = "备注：一位七十多岁老人感到胸闷" if lang == "zh" else "note: 一位七十多岁老人感到胸闷"
    md = incident_report.render(ws, incident.id, "md", lang).decode()
    row = next(line for line in md.splitlines() if answer in line and line.startswith("|"))
    assert note in row, row
