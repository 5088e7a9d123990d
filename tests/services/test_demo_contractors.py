"""A demo made in English names its renovation firms in English, as it names its people
(ren26: a card read in English said "contractor 安居装饰" whatever the demo's language);
one made in Chinese keeps them Chinese, the word around them in the reader's language."""

from __future__ import annotations

import re

from fieldkit.i18n import plural
from fieldkit.services.demo import generate
from fieldkit.services.registry import index_for
from fieldkit.services.renovation import contractor_name
from fieldkit.services.workspace import Workspace

HAN = re.compile(r"[\u4e00-\u9fff]")


def _lines(folder, lang):
    generate(folder, cases=0, floors=3, lang=lang)
    ws = Workspace.open(folder)
    try:
        permits = [p for ps in index_for(ws).permits.values() for p in ps]
        return [
            plural("registry.card.permit_line", p.workers, "en", number=p.number, start=p.start,
                   end=p.end, contractor=contractor_name(p.contractor, "en"), workers=p.workers)
            for p in permits
        ]  # fmt: skip
    finally:
        ws.close()


def test_an_english_demo_s_permits_read_in_english(tmp_path):
    lines = _lines(tmp_path / "en", "en")
    assert lines and not [line for line in lines if HAN.search(line)], lines
    assert any("Decoration" in line or "Crew" in line or "Plumbing" in line for line in lines)


def test_a_chinese_demo_keeps_its_firms_names_in_an_english_line(tmp_path):
    lines = _lines(tmp_path / "zh", "zh")
    assert any(re.search(r"contractor [\u4e00-\u9fff]+,", line) for line in lines), lines
