"""Time left and time past, one rule in zh and en (services.cases.due_words): minutes under
an hour, hours and minutes under a few hours, whole hours under 48 and days beyond, saying
"多" / "+" when part of one is left — never less time than there is, nor more (1 h 59
min left read "1 小时内", nc21)."""

from __future__ import annotations

import pytest

from fieldkit.services.cases import due_words

HOUR = 3600.0


@pytest.mark.parametrize(
    ("hours", "zh", "en"),
    [(84, "还剩 3 天多", "in 3+ days"), (48, "还剩 2 天", "in 2 days"),
     (38, "还剩 38 小时", "in 38 h"), (47.9, "还剩 47 小时多", "in 47+ h"),
     (14 + 2 / 60, "还剩 14 小时多", "in 14+ h"),
     (1 + 59 / 60, "还剩 1 小时 59 分", "in 1 h 59 min"),
     (5.5, "还剩 5 小时 30 分", "in 5 h 30 min"), (2, "还剩 2 小时", "in 2 h"),
     (0.25, "还剩 15 分钟", "in 15 min"), (0.999, "还剩 59 分钟", "in 59 min"),
     (0.001, "还剩 1 分钟", "in 1 min"), (-35, "超期 35 小时", "overdue 35 h"),
     (-47.9, "超期 47 小时", "overdue 47 h"), (-50, "超期 2 天", "overdue 2 days"),
     (-71, "超期 2 天", "overdue 2 days"), (-0.1, "超期 1 小时", "overdue 1 h")],
)  # fmt: skip
def test_one_rule_for_time_left_and_past(hours, zh, en):
    due = 1_800_000_000.0
    now = due - hours * HOUR
    assert due_words(due, now, "zh") == zh
    assert due_words(due, now, "en") == en


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_time_left_is_never_less_nor_more_than_there_is(lang):
    """Every seven minutes over a week: what is said, read back as a span of time, holds the
    time actually left (the last minute reads one)."""
    import re

    due = 1_800_000_000.0
    unit = {"分钟": 60, "分": 60, "min": 60, "小时": 3600, "h": 3600, "天": 86400, "days": 86400}
    for minutes in range(1, 7 * 24 * 60, 7):
        left = max(minutes * 60 - 1, 60)
        said = due_words(due, due - left, lang)
        parts = re.findall(r"(\d+)\+? (分钟|分|小时|天|min|h|days)", said)
        least = sum(int(n) * unit[w] for n, w in parts)
        over = "多" in said or "+" in said
        biggest = max(unit[w] for _, w in parts)
        most = least + (biggest if over else 60)
        assert least <= left < most, (said, left)
