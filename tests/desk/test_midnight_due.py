"""A deadline at midnight is the end of the day it names: 24:00 in Chinese, as an owner or a
worker says it, and "midnight" in English (nc25 read "Due 2026-12-09 24:00", which no
English reader writes) — the same day in both, in the case, its toasts and the handover."""

from __future__ import annotations

from datetime import timedelta

import pytest

from fieldkit.i18n import set_language
from fieldkit.model import localtime
from fieldkit.reports import dates
from fieldkit.services.cases import iso
from fieldkit.ui.app import FieldkitApp
from tests.desk.helpers import desk_workspace, open_case, take, text_of


def test_a_midnight_deadline_reads_as_its_days_end_in_each_language():
    midnight = localtime.epoch(localtime.today() + timedelta(days=3))
    day = (localtime.today() + timedelta(days=2)).isoformat()
    assert dates.deadline(midnight, "zh") == f"{day} 24:00"
    assert dates.deadline(midnight, "en") == f"{day} midnight"
    assert dates.deadline(midnight, "en", short=True) == f"{day[5:]} midnight"
    evening = midnight - 5400
    assert dates.deadline(evening, "en") == dates.deadline(evening, "zh") == f"{day} 22:30"
    assert dates.full_time(iso(midnight), "en", deadline=True).endswith(", midnight")


@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_the_case_says_its_midnight_deadline_as_the_reader_writes_it(tmp_path, lang):
    set_language(lang)
    ws, _ = desk_workspace(tmp_path / "ws")
    try:
        case = take(ws, "repair", "1-1-602", "water_leak", "厨房漏水")
        midnight = localtime.epoch(localtime.today() + timedelta(days=3))
        ws.store.update_case(case.id, due=iso(midnight))
        day = (localtime.today() + timedelta(days=2)).isoformat()
        app = FieldkitApp(ws, lang=lang)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            screen = await open_case(app, pilot, case.id)
            due = next(ln for ln in text_of(screen, "#case-head").splitlines()
                       if ln.split() and ln.split()[0] in ("处理期限", "Due"))  # fmt: skip
            assert f"{day} {'24:00' if lang == 'zh' else 'midnight'}" in due, due
            assert "24:00" not in due if lang == "en" else "midnight" not in due
    finally:
        ws.close()
        set_language("en")
