"""Desk intake to closed: a complaint logged, dispatched, handled, replied, followed up."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from fieldkit.model import Target
from fieldkit.services import intake
from fieldkit.services import lifecycle as lc
from fieldkit.services.intake import IntakeError, Request
from fieldkit.store import Store

NOW = datetime(2026, 3, 1, 8, 0, tzinfo=UTC)


@pytest.fixture
def store(tmp_path):
    with Store.open(tmp_path / "data") as s:
        yield s


def test_complaint_from_the_desk_to_closed(store):
    request = Request(
        "complaint", Target("unit", "u-3-1201"), "water_leak", "楼上卫生间渗水到客厅",
        urgency="high", contact="wechat", building="3", where="3-1201",
    )  # fmt: skip
    case = intake.take(store, request, by="desk", now=NOW)
    assert (case.status, case.category, case.severity) == ("received", "water_leak", "major")
    assert case.due == "2026-03-01T16:00:00Z"  # high: today, 24:00 in the compound (UTC+8)
    # read as the day's end everywhere, as a violation's deadline is (nc15: 23:59 beside 24:00)
    from fieldkit.model import localtime
    from fieldkit.reports import dates

    assert localtime.fmt(case.due, "due") == "2026-03-01 24:00"
    assert localtime.fmt(case.due, "short_due") == "03-01 24:00"  # the handover's text
    assert dates.full_time(case.due, "zh", deadline=True) == "2026年3月1日 24:00"
    assert dates.full_time(case.due, "en", short=True, deadline=True).endswith("midnight")
    said = "楼上卫生间渗水到客厅"
    assert case.extra["titles"] == {"zh": said, "en": said}  # the owner's words, as typed
    assert case.extra["contact"] == "wechat"
    case = intake.dispatch(store, case, "engineering", "office", assignee="老李", by="desk")
    assert (case.status, case.department, case.assignee) == ("investigating", "engineering", "老李")
    case = intake.dispatch(store, case, "engineering", "office", assignee="小王", by="desk")
    assert case.status == "investigating"
    reassigned = [e.data["changes"] for e in case.events if e.type == "field"]
    assert reassigned[-1] == {"assignee": "小王"}
    case = lc.move(store, case, "resolving", "patrol", by="小王")
    case = lc.move(store, case, "replied", "office", note="已修复防水层并告知业主", by="desk")
    case = lc.follow_up(store, case, lc.FollowUp(4, "满意"), "office", by="desk")
    case = lc.move(store, case, "closed", "office", by="desk")
    assert case.status == "closed"


def test_repair_with_a_photo_is_dispatched_straight_away(store, tmp_path):
    photo = tmp_path / "leak.jpg"
    photo.write_bytes(b"\xff\xd8 not really a jpeg")
    request = Request(
        "repair", Target("unit", "u1"), "drain_blocked", "厨房下水堵了", urgency="urgent",
        photos=[photo],
    )  # fmt: skip
    case = intake.take(store, request, now=NOW)
    assert case.status == "accepted" and case.due == "2026-03-01T10:00:00Z"
    assert [e.type for e in case.events] == ["photo"]
    assert store.has_blob(case.events[0].attachments[0].sha256)
    case = intake.dispatch(store, case.id, "engineering", "office")
    assert case.status == "dispatched"


@pytest.mark.parametrize(
    ("change", "key"),
    [
        ({"kind": "finding"}, "lifecycle.intake.kind"),
        ({"category": "lift"}, "lifecycle.intake.category"),  # a repair category
        ({"description": "  "}, "lifecycle.intake.description"),
        ({"urgency": "asap"}, "lifecycle.intake.urgency"),
        ({"contact": "fax"}, "lifecycle.intake.contact"),
    ],
)
def test_bad_requests_are_refused_and_nothing_is_saved(store, change, key):
    fields = dict(
        kind="complaint", target=Target("unit", "u1"), category="noise", description="楼上装修"
    )
    fields.update(change)
    with pytest.raises(IntakeError) as refused:
        intake.take(store, Request(**fields))
    assert refused.value.key == key
    assert store.open_cases() == []


def test_categories_come_from_the_lifecycle_file():
    names = [c for c, _ in intake.categories("complaint")]
    assert {"noise", "water_leak", "parking", "cleanliness", "greenery", "fees"} <= set(names)
    assert "staff_attitude" in names
    assert intake.categories("repair")[0][0] == "water_leak"


@pytest.mark.parametrize(
    ("urgency", "severity", "due"),
    [("urgent", "critical", "2026-03-01T15:00:00Z"),  # 2h
     ("high", "major", "2026-03-02T04:00:00Z"),  # taken in the evening: noon tomorrow
     ("normal", "minor", "2026-03-04T13:00:00Z"),  # 3d
     ("low", "minor", "2026-03-08T13:00:00Z")],  # 7d
)  # fmt: skip
def test_urgency_sets_a_severity_that_agrees_and_a_due_time(store, urgency, severity, due):
    """How soon the owner needs it sets how bad it is read (never a routine request marked
    major) and when it is due: one wanted today but taken at 21:00, after the office's day,
    is due by noon the next day, and the words the clerk reads out say so."""
    evening = datetime(2026, 3, 1, 13, 0, tzinfo=UTC)  # 21:00 in the compound
    request = Request("repair", Target("unit", "u-3-1201"), "water_leak", "水管漏水",
                      urgency=urgency, building="3", where="3-1201")  # fmt: skip
    case = intake.take(store, request, now=evening)
    assert (case.severity, case.due) == (severity, due)
    words = {"urgent": "2 小时内", "high": "今天来不及，明天 12:00 前", "normal": "3 天内",
             "low": "7 天内"}  # fmt: skip
    assert intake.due_words("repair", urgency, "zh", taken=evening) == words[urgency]


@pytest.mark.parametrize(
    ("taken", "due", "zh", "en"),
    [(datetime(2026, 3, 1, 9, 59, tzinfo=UTC), "2026-03-01T16:00:00Z",  # 17:59: tonight
      "今天之内", "by the end of today"),
     (datetime(2026, 3, 1, 10, 0, tzinfo=UTC), "2026-03-02T04:00:00Z",  # 18:00: noon tomorrow
      "今天来不及，明天 12:00 前", "too late today: by 12:00 tomorrow"),
     (datetime(2026, 3, 1, 13, 58, tzinfo=UTC), "2026-03-02T04:00:00Z",  # 21:58
      "今天来不及，明天 12:00 前", "too late today: by 12:00 tomorrow"),
     (datetime(2026, 3, 1, 16, 30, tzinfo=UTC), "2026-03-02T16:00:00Z",  # 00:30: that day
      "今天之内", "by the end of today")],
)  # fmt: skip
def test_a_same_day_case_taken_in_the_evening_is_due_by_noon_tomorrow(store, taken, due, zh, en):
    """当天处理 taken at 21:58 is not due at 23:59 that night: from 18:00 the office's day is
    over, so it is due by 12:00 the next day; the words offered at intake say the same."""
    request = Request("repair", Target("unit", "u1"), "water_leak", "水管漏水", urgency="high")
    case = intake.take(store, request, now=taken)
    assert case.due == due
    assert intake.due_words("repair", "high", "zh", taken=taken) == zh
    assert intake.due_words("repair", "high", "en", taken=taken) == en
