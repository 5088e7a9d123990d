"""Time left and time past, one rule in zh and en (services.cases.due_words): minutes under
an hour, hours under 48, days beyond; left rounded up, past rounded down."""

from __future__ import annotations

import pytest

from fieldkit.services.cases import due_words

HOUR = 3600.0


@pytest.mark.parametrize(
    ("hours", "zh", "en"),
    [(62, "3 天内", "in 3 days"), (38, "38 小时内", "in 38 h"), (47.2, "48 小时内", "in 48 h"),
     (0.25, "15 分钟内", "in 15 min"), (-35, "超期 35 小时", "overdue 35 h"),
     (-47.9, "超期 47 小时", "overdue 47 h"), (-50, "超期 2 天", "overdue 2 days"),
     (-71, "超期 2 天", "overdue 2 days"), (-0.1, "超期 1 小时", "overdue 1 h")],
)  # fmt: skip
def test_one_rule_for_time_left_and_past(hours, zh, en):
    due = 1_800_000_000.0
    now = due - hours * HOUR
    assert due_words(due, now, "zh") == zh
    assert due_words(due, now, "en") == en
