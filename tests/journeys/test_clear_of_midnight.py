"""Journeys begun just before the compound's midnight wait for the new day (conftest)."""

from datetime import datetime, timedelta, timezone

from tests.journeys.conftest import CLEAR_OF_MIDNIGHT, clear_of_midnight

CHINA = timezone(timedelta(hours=8))


def test_a_journey_begun_just_before_midnight_waits_for_the_new_day():
    assert clear_of_midnight(datetime(2026, 12, 7, 23, 59, 40, tzinfo=CHINA)) == 22.0
    late = datetime(2026, 12, 7, 23, 54, 1, tzinfo=CHINA)
    assert 0 < clear_of_midnight(late) <= CLEAR_OF_MIDNIGHT + 2


def test_one_begun_at_any_other_time_starts_at_once():
    for hour, minute, second in ((0, 0, 1), (12, 0, 0), (23, 50, 0)):
        at = datetime(2026, 12, 7, hour, minute, second, tzinfo=CHINA)
        assert clear_of_midnight(at) == 0.0
