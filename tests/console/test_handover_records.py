"""The office's handover is the device's: the same builder over the same records gives the
same report whether it reads a device's store or the server's ``records`` (which it reads
in part: the open cases due first, the cases changed since the shift began, counts for the
rest). A long list of overdue cases lists those due first and counts the others, on the
device and on the server alike. On SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from sqlalchemy import update

from fieldkit.model import Target
from fieldkit.services import handover, intake
from fieldkit.services import lifecycle as lc
from fieldkit.store import Store
from fieldkit.sync import protocol as p

SITE, OTHER = "garden-court", "lake-view"
OVERDUE = handover.DUE_MOST + 3


def _take(store, where: str, said: str, urgency: str = "high"):
    request = intake.Request(
        kind="repair", target=Target("unit", f"unit-{where}"), category="water_leak",
        description=said, urgency=urgency, contact="phone", building=where.split("-")[0],
        where=where,
    )  # fmt: skip
    return intake.take(store, request, by="刘洋")


def _iso(at: datetime) -> str:
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")


def _device(folder, now: datetime) -> None:
    """A desk store: more repairs overdue than the handover lists, one due next week and
    one in 14 hours, all taken days ago; one taken and cancelled this shift."""
    with Store.open(folder, command="test") as store:
        for n in range(OVERDUE + 2):
            taken = now - timedelta(days=4, minutes=n)
            due = taken + timedelta(days=1)
            if n == OVERDUE:
                due = now + timedelta(days=7)
            elif n == OVERDUE + 1:  # just after the next shift (12 h): counted, not listed
                due = now + timedelta(hours=14)
            store.create_case(
                "repair", Target("unit", f"unit-3-2-{1500 + n}"), by="刘洋", status="accepted",
                category="water_leak", severity="major", title=f"漏水 {n}",
                description=f"漏水 {n}", due=_iso(due), created_at=_iso(taken),
                extra={"where": f"3-2-{1500 + n}", "building": "3"},
            )  # fmt: skip
        gone = _take(store, "6-1-101", "误报")
        lc.move(store, gone.id, "cancelled", "desk", note="业主说已自行修好", by="刘洋")


def _push_all(db, folder, site: str) -> None:
    from fieldkit_server.devices import add_device
    from fieldkit_server.push import Caller, push
    from fieldkit_server.tables import Record

    new = add_device(db, site=site, role="desk", name=f"desk {site}")
    with Store.open(folder, command="test", readonly=True) as store:
        docs = [doc for kind, doc in store.iter_records(["case"]) if kind == "case"]
    ops = [
        p.Operation(op_id=f"op-{site}-{n}", seq=n + 1, hlc=max(doc["stamps"].values()),
                    kind="case", record_id=doc["id"], site=site, body={**doc, "site_id": site})
        for n, doc in enumerate(docs)
    ]  # fmt: skip
    answer = push(db.sessions, Caller(new.device_id, site, "desk"), ops, "en")
    assert {r.status for r in answer.results} == {"applied"}, answer.results[:3]
    # each case reached the office when it was taken (the push stamps this minute)
    with db.sessions() as session, session.begin():
        for doc in docs:
            session.execute(
                update(Record)
                .where(Record.record_id == doc["id"])
                .values(updated_at=datetime.fromisoformat(doc["created_at"].replace("Z", "+00:00")))
            )


def test_the_servers_handover_is_the_devices_and_lists_the_first_due(db_url, tmp_path):
    from fieldkit_server.db import Database, migrate
    from fieldkit_server.handover import compute_handover

    desk = tmp_path / "desk"
    _device(desk, datetime.now(UTC))
    now = datetime.now(UTC)  # the end of the shift: after all of it
    with Store.open(desk, command="test", readonly=True) as store:
        on_device = handover.handover(store, now=now, lang="zh")
    assert len(on_device.due) == handover.DUE_MOST and on_device.more == 3
    assert on_device.later == 2
    text = handover.render(on_device, "text", "zh")
    assert f"已超期及即将到期（{OVERDUE}）" in text
    assert f"另有 3 单已超期或即将到期，这里只列到期最早的 {handover.DUE_MOST} 单" in text
    assert "已受理 → 已撤销 — 业主说已自行修好" in text
    assert {d.title for d in on_device.done} == {"6-1-101 误报"}  # the others were taken days ago

    db = Database(db_url)
    try:
        migrate(db.engine)
        _push_all(db, desk, SITE)
        # the console's "now" is on the compound's clock (UTC+8), the device's in UTC
        office = compute_handover(db, SITE, now.astimezone(timezone(timedelta(hours=8))), 12,
                                  12, "zh", "desk")  # fmt: skip
        elsewhere = compute_handover(db, OTHER, now, 12, 12, "zh", "office")
    finally:
        db.dispose()
    assert [d.ref for d in office.due] == [d.ref for d in on_device.due]
    assert [(d.ref, d.text) for d in office.done] == [(d.ref, d.text) for d in on_device.done]
    assert (office.more, office.later) == (on_device.more, on_device.later)
    footless = [handover.render(h, "md", "en").rsplit("\n---\n", 1)[0]  # "generated at"
                for h in (office, on_device)]  # fmt: skip
    assert footless[0] == footless[1]
    assert not (elsewhere.done or elsewhere.due or elsewhere.more or elsewhere.later)


def test_a_shift_start_that_cannot_be_taken_says_why_and_downloads_nothing(db_url):
    from fieldkit_server.app import create_app
    from fieldkit_server.console import people
    from tests.console.test_security import signed_in

    app = create_app(db_url, run_migrations=True)
    try:
        people.add_user(app.state.db, name="王敏", role="supervisor", site=SITE,
                        password="garden-court-2026")  # fmt: skip
        c, _ = signed_in(app, "王敏")
        later = (datetime.now(UTC) + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
        for since, said in (("2020-01-01T08:00", "一个班次最长 7 天；已按最近 12 小时生成"),
                            ("昨天晚上", "本班开始时间的格式不对"),
                            (later, "本班开始时间晚于现在")):  # fmt: skip
            page = c.get("/console/reports/handover", params={"since": since})
            assert page.status_code == 422 and said in page.text, page.text[-600:]
            assert "本班已办事项（0）" in page.text  # the last 12 hours instead
            download = c.get("/console/reports/handover", params={"since": since, "format": "pdf"})
            assert download.status_code == 422 and "没有生成下载文件" in download.text
            assert not download.content.startswith(b"%PDF")
        assert c.get("/console/reports/handover", params={"format": "exe"}).status_code == 404
        c.cookies.set("fk_lang", "en", path="/console")
        page = c.get("/console/reports/handover", params={"since": "last night"})
        assert "start is not a date and time (year-month-day hour:minute)" in page.text
    finally:
        app.state.db.dispose()
