"""``fieldkit report incident``: Markdown, HTML and a PDF that opens (rendered to PNG)."""

from __future__ import annotations

import logging
import shutil
import subprocess
import sys

import pytest

from fieldkit.i18n import set_language
from fieldkit.services import incident_close, incident_report, notices
from fieldkit.services import incidents as inc
from tests.incidents.helpers import open_lift_entrapment


def _full_incident(ws):
    place = ws.lookup_scan("1-1-602").target
    incident = inc.open_incident(ws, "flooding", place, "major", by="李明")
    inc.add_entry(ws, incident.id, "602 厨房水管爆裂，水漫到走廊")
    inc.log_call(ws, incident.id, "water", "王师傅", "约 30 分钟到")
    run = inc.plan_run(ws, incident.id)
    run.answer(run.steps()[0].key, "pass")
    person = inc.people(ws, incident.id)[0]
    inc.check_person(ws, incident.id, person.unit_id, "老人在家，情况良好")
    notices.send(ws, incident.id, notices.draft(ws, incident.id, "zh", "18:00").text, "zh")
    inc.raise_followup(ws, incident.id, "repair", "更换 602 进水管")
    inc.escalate(ws, incident.id, "critical", "水进了电井")
    points = incident_close.open_points(ws, incident.id)
    decided = {p.key: p.choices[0] for p in points}
    incident_close.close(ws, incident.id, "爆管已修复，电井已烘干，无人受伤。", decided)
    return incident, person


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_markdown_and_html_hold_every_part(ws, lang, caplog):
    set_language(lang)
    incident, person = _full_incident(ws)
    with caplog.at_level(logging.ERROR, logger="fieldkit.i18n"):
        md = incident_report.render(ws, incident.id, "md").decode()
        page = incident_report.render(ws, incident.id, "html").decode()
    assert not [r for r in caplog.records if "missing message" in r.getMessage()]
    for text in ("602 厨房水管爆裂", "王师傅", person.code, "老人在家", "更换 602 进水管",
                 "爆管已修复", "18:00"):  # fmt: skip
        assert text in md, text
        assert text in page, text
    assert ("处置预案" if lang == "zh" else "Plan:") in md
    assert "<script" not in page and page.startswith("<!doctype html>")


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="pdftoppm (poppler-utils) missing")
def test_pdf_opens_and_renders_to_an_image(ws, tmp_path):
    set_language("zh")
    incident, _ = _full_incident(ws)
    ws.close()
    pdf = tmp_path / "report.pdf"
    cmd = [sys.executable, "-m", "fieldkit", "--lang", "zh", "report", "incident", incident.id[-6:],
           "--format", "pdf", "--output", str(pdf)]  # fmt: skip
    done = subprocess.run(cmd, capture_output=True, text=True, env=_env(tmp_path), timeout=120)
    assert done.returncode == 0, done.stderr
    assert pdf.read_bytes().startswith(b"%PDF")
    subprocess.run(["pdftoppm", "-png", "-r", "40", "-f", "1", "-l", "1", str(pdf),
                    str(tmp_path / "page")], check=True, timeout=60)  # fmt: skip
    png = next(tmp_path.glob("page*.png"))
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert png.stat().st_size > 5000  # glyphs drawn: a blank A4 page is ~1.4 kB
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True)
    if fonts.returncode == 0:  # the fonts travel in the file (tests/reports reads it closer)
        rows = fonts.stdout.splitlines()[2:]
        assert rows and all(row.split()[-5] == "yes" for row in rows), fonts.stdout


def _env(tmp_path):
    import os

    return {**os.environ, "FIELDKIT_DATA_DIR": str(tmp_path / "ws")}


def test_cli_errors_are_sentences(ws, tmp_path):
    ws.close()
    base = [sys.executable, "-m", "fieldkit", "--lang", "en", "report", "incident"]
    missing = subprocess.run([*base, "abcdef"], capture_output=True, text=True,
                             env=_env(tmp_path), timeout=60)  # fmt: skip
    assert missing.returncode == 2 and "no incident" in missing.stderr
    assert "Traceback" not in missing.stderr
    listing = subprocess.run([*base, "--list"], capture_output=True, text=True,
                             env=_env(tmp_path), timeout=60)  # fmt: skip
    assert listing.returncode == 0 and "no incidents" in listing.stdout


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_report_to_a_folder_that_does_not_exist_says_so(ws, tmp_path, lang):
    """nc34: ``-o`` into a folder not made yet said "The data folder cannot be read" and named
    the temporary file. It names the folder that is missing; nothing is written."""
    incident = open_lift_entrapment(ws)
    ws.close()
    out = tmp_path / "not-yet" / "report.md"
    done = subprocess.run([sys.executable, "-m", "fieldkit", "--lang", lang, "report", "incident",
                           incident.id[-6:], "-o", str(out)], capture_output=True, text=True,
                          env=_env(tmp_path), timeout=60)  # fmt: skip
    assert done.returncode == 1 and "Traceback" not in done.stderr
    said = {"zh": f"文件夹 {out.parent} 不存在", "en": f"the folder {out.parent} does not exist"}
    assert said[lang] in done.stderr, done.stderr
    assert ".tmp" not in done.stderr and not out.parent.exists()
