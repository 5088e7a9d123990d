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
        "en": ["Shift handover", "Cuihu Garden", "Handed over by", "王敏", "Done this shift",
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
