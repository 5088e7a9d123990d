"""The demo's last week is a compound's week (nc19, nc20): its fire rounds on fixed slots
were kept but for a few, so the office's weekly report reads the duty log filled in 81
times of 84 with 3 missed, not 84 missed — and says which slots were missed, day by day."""

from __future__ import annotations

import re

import pytest

from fieldkit.i18n import catalogue
from fieldkit.services import demo_rules
from fieldkit.services.demo import generate
from tests.reports.test_exports import fieldkit

ROWS = {  # (done, missed) last week: 7 days x 12 two-hour slots, 14 shifts, 3 buildings x 7
    ("消防控制室值班记录", "Fire control room duty log"): (81, 3),
    ("防火门与疏散通道日巡", "Fire doors and escape routes — daily"): (20, 1),
}


@pytest.fixture(scope="module")
def device(tmp_path_factory):
    folder = tmp_path_factory.mktemp("kept") / "office"
    generate(folder, cases=0, floors=2, person="陈静")
    demo_rules.add_to(folder, lang="en")
    return folder


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_last_week_reads_mostly_kept(device, lang):
    out = fieldkit(device, "report", "week", lang=lang)
    assert out.returncode == 0, out.stderr
    text = out.stdout
    for titles, (done, missed) in ROWS.items():
        title = titles[0 if lang == "zh" else 1]
        row = re.search(rf"^{re.escape(title)}\s+(\d+)\s+(\d+)\s", text, re.M)
        assert row and (int(row.group(1)), int(row.group(2))) == (done, missed), text
    shift = {"zh": "消防控制室每班检查", "en": "Fire control room — every shift"}[lang]
    row = re.search(rf"^{re.escape(shift)}\s+(\d+)\s+(\d+)\s", text, re.M)
    assert row and int(row.group(2)) == 1 and int(row.group(1)) >= 13
    missed = text.split(catalogue(lang)["week.missed"])[1]
    log_title = next(iter(ROWS))[0 if lang == "zh" else 1]
    assert len(re.findall(rf"{re.escape(log_title)}\s+\S.*\s1\s+\d\d:\d\d–", missed)) == 3
