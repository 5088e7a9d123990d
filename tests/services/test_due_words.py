"""Time left and time past, one rule in zh and en (services.cases.due_words): minutes under
an hour, hours under 48, days beyond; both rounded down, so time left never reads more than
there is (3½ days is "3 天内", never "4 天内")."""

from __future__ import annotations

import pytest

from fieldkit.services.cases import due_words

HOUR = 3600.0


@pytest.mark.parametrize(
    ("hours", "zh", "en"),
    [(84, "3 天内", "in 3 days"), (62, "2 天内", "in 2 days"), (38, "38 小时内", "in 38 h"),
     (47.9, "47 小时内", "in 47 h"), (23.99, "23 小时内", "in 23 h"),
     (0.25, "15 分钟内", "in 15 min"), (0.999, "59 分钟内", "in 59 min"),
     (0.001, "1 分钟内", "in 1 min"), (-35, "超期 35 小时", "overdue 35 h"),
     (-47.9, "超期 47 小时", "overdue 47 h"), (-50, "超期 2 天", "overdue 2 days"),
     (-71, "超期 2 天", "overdue 2 days"), (-0.1, "超期 1 小时", "overdue 1 h")],
)  # fmt: skip
def test_one_rule_for_time_left_and_past(hours, zh, en):
    due = 1_800_000_000.0
    now = due - hours * HOUR
    assert due_words(due, now, "zh") == zh
    assert due_words(due, now, "en") == en


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_time_left_never_reads_more_than_there_is(lang):
    """Every seven minutes over a week: the number said, in its unit, is never above the time
    actually left (but for the last minute, which reads "1 分钟内")."""
    import re

    due = 1_800_000_000.0
    unit = {"分钟": 60, "min": 60, "小时": 3600, "h": 3600, "天": 86400, "days": 86400}
    for minutes in range(1, 7 * 24 * 60, 7):
        left = minutes * 60 - 1
        said = due_words(due, due - left, lang)
        number, word = re.search(r"(\d+) (\S+)", said).groups()
        assert int(number) * unit[word.rstrip("内")] <= max(left, 60), said
