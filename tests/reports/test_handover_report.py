"""The shift handover as it is printed and left on the desk: in zh nothing but zh (states,
departments, incident types and entries in words), people by name, incidents by their type
and places, notices by their title; a PDF with its fonts embedded, read back."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from fieldkit.i18n import catalogue, set_language
from fieldkit.services import handover
from fieldkit.services import incidents as inc
from tests.reports import pdfcheck
from tests.reports.storm import storm

#: Ids stored on records that a reader must never see in zh: statuses, departments,
#: incident types and entry kinds.
ID_PREFIXES = ("words.department.", "incidents.type.", "incidents.status.", "incidents.kind.",
               "incidents.severity.", "incidents.service.")  # fmt: skip


def _ids() -> set[str]:
    keys = catalogue("en")
    return {k.rsplit(".", 1)[1] for k in keys if k.startswith(ID_PREFIXES)}


def _open_fire(ws):
    places = inc.places_.parse("2号楼", inc.compound_of(ws))
    fire = inc.open_incident(ws, "fire", places=places, severity="critical")
    inc.log_call(ws, fire.id, "119", "消防指挥中心")
    return fire


def _english_ids(text: str) -> list[str]:
    """Stored ids in the text, leaving out notice titles (《…》: what was sent, as sent)."""
    words = set(re.findall(r"[A-Za-z_]{3,}", re.sub(r"《[^》]*》", "", text)))
    return sorted(words & _ids())


@pytest.mark.parametrize("fmt", ["text", "md", "html"])
def test_in_zh_only_zh_and_things_by_their_names(ws, fmt):
    set_language("zh")
    storm(ws, "zh")
    _open_fire(ws)
    h = handover.handover(ws.store, shift_hours=2, lang="zh")
    out = handover.render(h, fmt, "zh")
    assert _english_ids(out) == []
    for wanted in ("暴雨 · 1号楼、2号楼、3号楼", "火情 · 2号楼", "已联系消防（119）", "王敏",
                   "赵刚", "《关于暴雨影响的紧急通知》", "结案时对"):  # fmt: skip
        assert wanted in out, wanted
    assert "尊敬的" not in out  # a notice by its title, never its whole text
    assert "root" not in out and "emergency" not in out  # people, not logins or roles


@pdfcheck.needs_poppler
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_printed_handover_reads_whole(ws, tmp_path, lang):
    set_language(lang)
    storm(ws, lang)
    _open_fire(ws)
    ws.close()
    pdf = tmp_path / f"handover-{lang}.pdf"
    env = {"FIELDKIT_DATA_DIR": str(tmp_path / "ws"), "FIELDKIT_CONFIG": "/nope"}
    done = subprocess.run(
        [sys.executable, "-m", "fieldkit", "--lang", lang, "report", "handover", "--hours", "2",
         "--format", "pdf", "-o", str(pdf)],
        capture_output=True, text=True, env={**__import__("os").environ, **env}, timeout=180,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    wanted = {
        "zh": ["交接班记录", "翠湖苑", "交班人", "王敏", "本班已办", "暴雨 · 1号楼、2号楼、3号楼",
               "已超期及即将到期", "正在处置的突发事件（1）", "火情", "接班人", "第 1 页，共"],
        "en": ["Shift handover", "Cuihu Garden", "Handed over by", "王敏", "What this shift did",
               "Rainstorm · Building 1, Building 2 and Building 3", "Overdue and due next",
               "Incidents in progress (1)", "Fire", "Taken over by", "Page 1 of"],
    }[lang]  # fmt: skip
    words = pdfcheck.assert_readable(pdf, wanted)
    if lang == "zh":
        assert _english_ids(words) == []


def test_a_pdf_needs_a_file(ws, tmp_path):
    ws.close()
    env = {"FIELDKIT_DATA_DIR": str(tmp_path / "ws"), "FIELDKIT_CONFIG": "/nope"}
    done = subprocess.run(
        [sys.executable, "-m", "fieldkit", "--lang", "en", "report", "handover", "--format",
         "pdf"], capture_output=True, text=True,
        env={**__import__("os").environ, **env}, timeout=120,
    )  # fmt: skip
    assert done.returncode == 2 and "--output" in done.stderr and "Traceback" not in done.stderr


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_overdue_in_the_handover_is_the_case_lists_overdue(ws, lang):
    """A case done or waiting on the owner (已完工, 已答复业主, 已回访) is never overdue: the
    handover marks as overdue exactly the cases the case list's overdue filter finds."""
    from datetime import UTC, datetime, timedelta

    from fieldkit.services import cases, lifecycle
    from fieldkit.services.types import CaseFilter

    set_language(lang)
    now = datetime.now(UTC) + timedelta(days=60)  # every demo case is due by then
    h = handover.handover(ws.store, now=now, next_hours=0, lang=lang)
    late = ws.cases_page(CaseFilter(overdue=True), 0, 500, now=now.timestamp())
    assert late.total > 0
    assert {d.ref for d in h.due if d.overdue} == {r.id[-6:] for r in late.rows}
    assert h.waiting > 0  # done or waiting: counted, not listed as work due
    said = catalogue(lang)["trends.handover.waiting"].format(count=h.waiting)
    text = handover.render(h, "text", lang)
    marked = catalogue(lang)["trends.handover.overdue"]
    lifecycles = lifecycle.current()
    waiting = {lifecycle.status_label(kind, status, lang, lifecycles)
               for kind in lifecycles.kinds for status in cases.WAITING}  # fmt: skip
    lines = [line for line in text.splitlines() if line.endswith(marked)]
    assert len(lines) == min(late.total, handover.DUE_MOST)
    due = text.split(catalogue(lang)["trends.handover.due"].split("{count}")[0])[1]
    assert not [line for line in due.splitlines() for w in waiting if f"[{w}," in line]
    owed = {o.ref for o in h.call_backs}  # the call-backs owed: listed above, never overdue
    assert owed and not owed & {d.ref for d in h.due}
    assert said in text


@pdfcheck.needs_poppler
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_case_split_across_pages_says_which_case_it_is(tmp_path, lang):
    """A case's steps running onto the next page start it with the case's number and title
    again, marked continued; a due time keeps its overdue mark on its line, and a name or
    a label is never broken in two."""
    from datetime import UTC, datetime, timedelta

    end = datetime(2026, 12, 7, 10, tzinfo=UTC)
    h = handover.Handover(end - timedelta(hours=12), end, by="Zhou Fang", lang=lang)
    for n, ref in enumerate(("aaa111", "bbb222", "ccc333")):
        for step in range(30):
            at = end - timedelta(hours=11 - n * 3, minutes=-step)
            h.done.append(handover.Done(at, ref, f"漏水 {ref}", "case", f"step {step}",
                                        "Zhou Fang"))  # fmt: skip
    h.due.append(handover.Due("ddd444", "Leak", "Open", "engineering", end - timedelta(days=2),
                              True))  # fmt: skip
    pdf = tmp_path / "handover.pdf"
    pdf.write_bytes(handover.render_pdf(h, lang))
    pages = pdfcheck.pages(pdf)
    assert len(pages) >= 3
    continued = catalogue(lang)["trends.handover.continued"]
    head = catalogue(lang)["trends.handover.col.ref"]
    carried_over = 0
    for page in pages[1:]:
        lines = [line for line in page.splitlines() if line.strip()]
        at = next((i for i, line in enumerate(lines) if head in line), None)
        if at is None or "step" not in lines[at + 1]:
            continue
        carried_over += 1
        first = lines[at + 1]
        assert re.search(r"(aaa111|bbb222|ccc333)", first) and "漏水" in first, first
        assert continued.strip() in " ".join(lines[at + 1 : at + 3]), lines[at + 1 : at + 3]
    assert carried_over >= 2
    text = pdfcheck.text(pdf, layout=True)
    assert "Zhou Fang" in text and "Zhou\n" not in text
    overdue = catalogue(lang)["trends.handover.overdue_at"].format(when="")
    assert overdue.strip() in text  # "（已超期）" on one line, never "（已超" / "期）"
    assert catalogue(lang)["trends.handover.handed_over_by"] in text
