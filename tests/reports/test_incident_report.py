"""The incident report a manager hands to the boss, the committee or the insurer: rendered
in zh and en as PDF (read back with pdftotext, its fonts listed, its first page drawn),
self-contained HTML and Markdown, each holding the cover block, the timeline with full
dates, the plan's answers, the residents, the notices, the decisions and the sign-off."""

from __future__ import annotations

import subprocess
import sys
from datetime import date

import pytest

from fieldkit.i18n import set_language
from fieldkit.reports import fonts
from fieldkit.reports.document import Document, Grid, Para, Section
from fieldkit.reports.pdf import to_pdf
from fieldkit.services import incident_report
from tests.reports import pdfcheck
from tests.reports.storm import ENTRIES, NOTE, REPAIR, SUMMARY, storm

YEAR = str(date.today().year)
WANTED = {
    "zh": ["事件报告：暴雨", "翠湖苑", "暴雨（橙色预警）", "1号楼、2号楼、3号楼", "已结案",
           f"{YEAR}年", "历时", "协调人", "赵刚", "王敏", "总结", SUMMARY["zh"], "时间线",
           *ENTRIES["zh"], "供电所刘工", "处置预案：台风暴雨防御", "预警类型", "暴雨", "橙色",
           "未完成", NOTE["zh"], "未确认（结案时：转客服上门回访）",
           "关于暴雨影响的紧急通知", "Urgent: the rainstorm is affecting the compound",
           "结案时的决定", "转为整改工单（编号", "后续事项", REPAIR["zh"], "工程部", "制表",
           "审核", "日期",
           "第 1 页，共", "附录：通知全文", "尊敬的1号楼、2号楼各位业主、住户："],
    "en": ["Incident report: Rainstorm", "Cuihu Garden", "Rainstorm (orange warning)",
           "Building 1, Building 2 and Building 3", "Closed", YEAR, "Duration", "Coordinator",
           "赵刚", "王敏", "Summary", SUMMARY["en"], "Timeline", *ENTRIES["en"],
           "Plan: Typhoon and rainstorm", "Warning", "Rainstorm", "Orange", "Not done",
           NOTE["en"], "passed to the service desk for a visit",
           "Urgent: the rainstorm is affecting the compound", "关于暴雨影响的紧急通知",
           "Decided at close",
           "raised as a case", "Follow-ups", REPAIR["en"], "Engineering", "Prepared by",
           "Reviewed by", "Date", "Page 1 of", "Appendix: the notices in full",
           "Dear residents of Building 1 and Building 2,"],
}  # fmt: skip


def _env(tmp_path):
    import os

    return {**os.environ, "FIELDKIT_DATA_DIR": str(tmp_path / "ws"), "FIELDKIT_CONFIG": "/nope"}


@pdfcheck.needs_poppler
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_pdf_reads_whole_with_its_fonts_embedded(ws, tmp_path, lang):
    set_language(lang)
    incident = storm(ws, lang)
    ws.close()
    pdf = tmp_path / f"incident-{lang}.pdf"
    done = subprocess.run(
        [sys.executable, "-m", "fieldkit", "--lang", lang, "report", "incident",
         incident.id[-6:], "--format", "pdf", "-o", str(pdf)],
        capture_output=True, text=True, env=_env(tmp_path), timeout=180,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    words = pdfcheck.assert_readable(pdf, WANTED[lang])
    names = {f["name"].split("+")[-1] for f in pdfcheck.fonts(pdf)}
    assert any(n.startswith("UMingCN") for n in names), names  # the Chinese font
    assert "DejaVuSans" in names, names  # the Latin font, for every Latin run
    if lang == "en":
        for word in ("Summary", "Timeline", "Closed", "Residents who need help"):
            assert word in words, word  # whole words, never "Sum m ary"
    # the plan shows its answers: the warning's kind and colour, and its steps as steps of
    # work (已完成 / 未完成), never an inspection's pass / fail
    cells = {line.strip() for line in words.splitlines()}
    assert not cells & {"合格", "不合格", "Pass", "Fail"}, cells & {"合格", "Pass"}
    assert cells & {"已完成", "Done"}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_html_is_one_self_contained_page_and_markdown_reads_as_text(ws, lang):
    set_language(lang)
    incident = storm(ws, lang)
    page = incident_report.render(ws, incident.id, "html", lang).decode()
    md = incident_report.render(ws, incident.id, "md", lang).decode()
    for text in WANTED[lang]:
        if text.startswith(("第 1 页", "Page 1 of")):
            continue  # the browser numbers printed pages
        assert text in page.replace("&#x27;", "'"), text
        assert text in md, text
    assert page.startswith("<!doctype html>")
    for fetched in ("<script", "<link", " src=", "@import", "url("):
        assert fetched not in page, fetched
    assert "@page" in page and "break-after: avoid" in page  # prints as A4, headings kept
    assert md.startswith("# ") and "\n| " in md and "\n> " in md


@pdfcheck.needs_poppler
def test_a_heading_is_never_left_at_the_foot_of_a_page(tmp_path):
    """Whatever pushes a section down the page, its heading lands with its first rows."""
    rows = tuple((f"2026-05-{n:02d}", f"row {n} of the table") for n in range(1, 30))
    for filler in range(40, 60):
        doc = Document(
            "Filler", "en", "header", "footer",
            (*(Para(f"Line {n} of the filler text.") for n in range(filler)),
             Section("Kept heading", (Grid(("When", "What"), rows),))),
        )  # fmt: skip
        pdf = tmp_path / f"keep-{filler}.pdf"
        pdf.write_bytes(to_pdf(doc))
        for page in pdfcheck.pages(pdf):
            body = [line.strip() for line in page.splitlines() if line.strip()]
            body = [line for line in body if not line.startswith(("footer", "Page "))]
            assert body[-1] != "Kept heading", (filler, body[-3:])
            if "Kept heading" in body:
                assert body[body.index("Kept heading") + 1].startswith("When"), body


def test_a_missing_font_is_a_sentence_not_a_pdf_of_boxes(tmp_path, monkeypatch):
    monkeypatch.setattr(fonts, "CJK_CANDIDATES", (("/no/such/font.ttc", 0),))
    fonts.fonts.cache_clear()
    try:
        with pytest.raises(fonts.FontsMissing) as found:
            to_pdf(Document("T", "zh", "h", "f", (Para("中文"),)))
        for lang in ("zh", "en"):
            assert "fonts-arphic-uming" in found.value.message(lang)
    finally:
        fonts.fonts.cache_clear()
