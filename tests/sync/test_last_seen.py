"""A device's last-seen time follows every authenticated request (push, pull, attachments,
reports, even refused ones), written at most once a minute; on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import event, select, update

from fieldkit_server.cli import main as server_main
from fieldkit_server.devices import SEEN_EVERY, note_seen
from fieldkit_server.tables import Device
from tests.sync.records import sha

LONG_AGO = datetime(2026, 1, 1, tzinfo=UTC)


def seen(app, device_id: str) -> datetime | None:
    with app.state.db.read() as conn:
        value = conn.execute(select(Device.last_seen_at).where(Device.id == device_id)).scalar()
    return value.replace(tzinfo=UTC) if value and value.tzinfo is None else value


def set_seen(app, device_id: str, when: datetime) -> None:
    with app.state.db.sessions() as session, session.begin():
        session.execute(update(Device).where(Device.id == device_id).values(last_seen_at=when))


def fresh(when: datetime | None) -> bool:
    return when is not None and datetime.now(UTC) - when < timedelta(seconds=30)


@pytest.mark.parametrize(
    ("method", "path", "kwargs"),
    [
        ("get", "/v1/pull", {}),
        ("post", "/v1/pull", {"json": {"cursor": 0}}),
        ("post", "/v1/push", {"json": {"ops": []}}),
        ("post", "/v1/attachments/ask", {"json": {"sha256": [sha(b"x")]}}),
        ("head", f"/v1/attachments/{sha(b'x')}", {}),  # answered 404: still seen
        ("get", "/v1/me", {}),
        ("get", "/v1/reports/trends", {}),  # a patrol device is refused: still seen
        ("post", "/v1/push", {"json": {"ops": [{"op_id": "x"}]}}),  # 422: still seen
    ],
)
def test_every_authenticated_request_updates_last_seen(app, api, enroll, method, path, kwargs):
    dev = enroll()
    set_seen(app, dev.device_id, LONG_AGO)
    getattr(api, method)(path, headers=dev.headers, **kwargs)
    assert fresh(seen(app, dev.device_id))


def test_written_at_most_once_a_minute(app, api, enroll):
    dev = enroll()
    recent = datetime.now(UTC) - SEEN_EVERY / 2
    set_seen(app, dev.device_id, recent)
    writes: list[str] = []

    def count(conn, cursor, statement, *_):
        if statement.lstrip().upper().startswith("UPDATE DEVICES"):
            writes.append(statement)

    event.listen(app.state.db.engine, "before_cursor_execute", count)
    try:
        for _ in range(20):
            assert api.get("/v1/pull", headers=dev.headers).status_code == 200
        assert writes == []
        assert seen(app, dev.device_id) == recent
        set_seen(app, dev.device_id, LONG_AGO)
        writes.clear()
        for _ in range(20):
            assert api.get("/v1/pull", headers=dev.headers).status_code == 200
        assert len(writes) == 1
    finally:
        event.remove(app.state.db.engine, "before_cursor_execute", count)


def test_note_seen_never_moves_back_and_skips_a_recent_write(app, enroll):
    dev = enroll()
    now = datetime.now(UTC)
    set_seen(app, dev.device_id, now)
    assert not note_seen(app.state.db, dev.device_id, now + SEEN_EVERY / 2)
    assert note_seen(app.state.db, dev.device_id, now + SEEN_EVERY)
    assert seen(app, dev.device_id) == now + SEEN_EVERY


def test_devices_lists_the_time_of_the_last_pull(app, api, enroll, db_url, capsys):
    dev = enroll(name="Patrol laptop 7")
    set_seen(app, dev.device_id, LONG_AGO)
    assert server_main(["--db", db_url, "devices", "--format", "json"]) == 0
    (row,) = json.loads(capsys.readouterr().out)
    assert row["last_seen_at"] == "2026-01-01T00:00:00+00:00"
    api.get("/v1/pull", headers=dev.headers)
    assert server_main(["--db", db_url, "devices", "--format", "json"]) == 0
    (row,) = json.loads(capsys.readouterr().out)
    last = datetime.fromisoformat(row["last_seen_at"])
    assert last.utcoffset() == timedelta(0)
    assert fresh(last)
    assert server_main(["--db", db_url, "--lang", "en", "devices"]) == 0
    table = capsys.readouterr().out
    local = last.astimezone().strftime("%Y-%m-%d %H:%M")  # shown in the office's time zone
    assert f"| Patrol laptop 7 | s1 | patrol | active | {local}" in table
