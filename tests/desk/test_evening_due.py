"""当天处理 taken at 21:58 is due by 12:00 the next day, and the case, the list and the
handover say the same time: the one due rule (``KindLifecycle.due``) sets it once, on a
real store, and every view reads it."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from fieldkit.i18n import set_language, t
from fieldkit.model import Target, localtime
from fieldkit.services import intake
from fieldkit.services.cases import due_words, epoch, overdue
from fieldkit.services.handover import handover, render
from tests.desk.helpers import desk_workspace, flat

TAKEN = datetime(2026, 12, 7, 13, 58, tzinfo=UTC)  # 21:58 in the compound (UTC+8)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_case_taken_at_21_58_reads_due_noon_tomorrow_everywhere(tmp_path, lang):
    set_language(lang)
    ws, _ = desk_workspace(tmp_path / "ws")
    try:
        unit = flat(ws, "1-1-602")
        request = intake.Request("repair", Target("unit", unit.id), "water_leak", "卫生间漏水",
                                 urgency="high", where=unit.code)  # fmt: skip
        case = intake.take(ws.store, request, by=ws.actor, now=TAKEN, lifecycles=ws.lifecycles)
        case = intake.dispatch(ws.store, case, "engineering", "office", assignee="张师傅",
                               now=TAKEN)  # fmt: skip
        due = epoch(case.due)
        assert localtime.fmt(due, "due") == "2026-12-08 12:00"  # the case detail's 处理期限
        at = TAKEN.timestamp()
        # the list: fourteen hours and two minutes left, "in 14+ h", never more nor less than
        # there is (services.cases.due_words), not late
        assert due_words(due, at, lang) == t("ui.cases.due_over_hours", lang, hours=14)
        assert not overdue(case.status, due, at)
        assert overdue(case.status, due, due + 60)  # 12:01 the next day: late
        # the night's handover (16 hours ahead) lists it due at that same time
        text = render(handover(ws.store, now=TAKEN, next_hours=16, lang=lang), lang=lang)
        listed = [row.strip() for row in text.splitlines() if f"#{case.id[-6:]}" in row]
        assert f"12-08 12:00  #{case.id[-6:]}" in listed[-1], listed  # under due next
    finally:
        ws.close()
        set_language("en")
