"""The enrolment rate limit is shared by every server process on one database (SQLite and
PostgreSQL): two ``fieldkit-server serve`` processes allow an address ten failed attempts
in all, not ten each; the table of attempts stays bounded."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import requests
from sqlalchemy import func, select

from fieldkit_server import enrol_failures
from fieldkit_server.db import Database, migrate
from fieldkit_server.devices import add_device
from fieldkit_server.tables import EnrolFailure
from tests.sync.conftest import ServerProcess


def _enrol(server: ServerProcess, code: str, lang: str = "en") -> requests.Response:
    return requests.post(
        server.url + "/v1/enroll",
        json={"code": code},
        headers={"Accept-Language": lang},
        timeout=30,
    )


def test_two_server_processes_share_one_limit(db_url, tmp_path):
    servers = []
    for name in ("one", "two"):
        folder = tmp_path / name
        folder.mkdir()
        servers.append(ServerProcess(db_url, folder))
    try:
        for server in servers:
            server.start()
        for attempt in range(enrol_failures.ENROLL_FAILURES):
            answer = _enrol(servers[attempt % 2], "AAAA-BBBB-CC")
            assert answer.status_code == 400 and answer.json()["code"] == "code_invalid"
        for server in servers:
            refused = _enrol(server, "AAAA-BBBB-CC", "zh-CN")
            assert refused.status_code == 429, refused.text
            assert refused.json()["code"] == "enroll_rate_limited"
            assert "分钟" in refused.json()["message"]
            assert 0 < int(refused.headers["Retry-After"]) <= enrol_failures.ENROLL_WINDOW_S
        db = Database(db_url)
        try:
            good = add_device(db, site="s1", role="patrol", name="Laptop 9").code
            assert _enrol(servers[1], good).status_code == 429  # a good code waits too
            with db.engine.connect() as conn:  # a refused attempt is not counted again
                rows = conn.execute(select(func.count()).select_from(EnrolFailure)).scalar_one()
            assert rows == enrol_failures.ENROLL_FAILURES
        finally:
            db.dispose()
    finally:
        for server in servers:
            server.kill()


def test_the_table_keeps_only_what_counts(db_url, monkeypatch):
    db = Database(db_url)
    migrate(db.engine)
    try:
        at = datetime.now(UTC)
        long_ago = at - timedelta(seconds=enrol_failures.ENROLL_WINDOW_S + 1)
        for _ in range(3):
            enrol_failures.failed(db, "10.0.0.1", at=long_ago)
        enrol_failures.failed(db, "10.0.0.2", at=at)

        def rows() -> list[str]:
            with db.engine.connect() as conn:
                return list(conn.execute(select(EnrolFailure.address)).scalars())

        assert rows() == ["10.0.0.2"]  # the old ones went with the next failure
        assert enrol_failures.wait_for(db, "10.0.0.1", at=at) == 0

        monkeypatch.setattr(enrol_failures, "MAX_ROWS", 5)
        for n in range(8):
            enrol_failures.failed(db, f"10.0.1.{n}", at=at)
        assert len(rows()) == 5
        assert sorted(rows()) == [f"10.0.1.{n}" for n in range(3, 8)]

        monkeypatch.undo()
        for _ in range(enrol_failures.ENROLL_FAILURES):
            enrol_failures.failed(db, "2001:db8::1", at=at)
        wait = enrol_failures.wait_for(db, "2001:db8::1", at=at + timedelta(seconds=100))
        assert wait == enrol_failures.ENROLL_WINDOW_S - 100
        later = at + timedelta(seconds=enrol_failures.ENROLL_WINDOW_S)
        assert enrol_failures.wait_for(db, "2001:db8::1", at=later) == 0
    finally:
        db.dispose()
