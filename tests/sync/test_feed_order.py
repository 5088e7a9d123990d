"""The pull feed without one counter row (``feed.py``): on PostgreSQL writers on two server
processes push at once, new records and edits of the same shared records, while a reader
pulls pages of three through one of them; the reader must end with every record at its
last version, which it can only do if no change ever committed below a place it had read.
And a database from before (numbered by the counter) goes on from where it was."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

import orjson
import pytest
import requests
from sqlalchemy import insert, select, update

from fieldkit.model import new_id
from fieldkit_server.db import Database, migrate
from fieldkit_server.tables import Counter, Record
from tests.sync.conftest import ServerProcess
from tests.sync.records import add_event, case_body, op, stamp

WRITERS_PER_SERVER = 3
BATCHES = 12


@pytest.fixture
def pg_url(pg_cluster, request):
    return pg_cluster.create_database(f"feed_{request.node.name[:20].lower()}")


def test_writers_on_two_servers_never_let_a_small_page_reader_skip_a_change(pg_url, tmp_path):
    servers = []
    for n in range(2):
        folder = tmp_path / f"server{n}"
        folder.mkdir()
        servers.append(ServerProcess(pg_url, folder))
        servers[-1].start()
    try:
        shared = [new_id() for _ in range(4)]
        first = servers[0].enroll(name="first")
        seed = [op(i + 1, "case", rid, case_body(rid)) for i, rid in enumerate(shared)]
        _push(servers[0].url, first.token, seed)
        writers = [
            (server, server.enroll(name=f"w{n}{i}"))
            for n, server in enumerate(servers)
            for i in range(WRITERS_PER_SERVER)
        ]
        reader = servers[1].enroll(name="reader")
        errors: list[str] = []
        done = threading.Event()
        latest: dict[str, dict] = {}

        def write(server: ServerProcess, device, n: int) -> None:
            session = requests.Session()
            bodies = {rid: case_body(rid) for rid in shared}
            for batch in range(BATCHES):
                ops = []
                for k in range(3):
                    seq = batch * 3 + k + 1
                    if k == 0:  # a note on a shared case: merges meet on one record
                        rid = shared[(n + batch) % len(shared)]
                        wall = 10_000 + batch * 10 + k
                        bodies[rid] = add_event(bodies[rid], f"w{n} b{batch}", wall, f"w{n}")
                        ops.append(op(seq, "case", rid, bodies[rid], hlc=stamp(wall, f"w{n}")))
                    else:
                        rid = new_id()
                        ops.append(op(seq, "case", rid, case_body(rid)))
                try:
                    _push(server.url, device.token, ops, session)
                except AssertionError as exc:
                    errors.append(str(exc))

        def read() -> None:
            session = requests.Session()
            cursor = 0
            while True:
                finished = done.is_set()
                page = session.post(
                    f"{servers[1].url}/v1/pull",
                    json={"cursor": cursor, "limit": 3},
                    headers={"Authorization": f"Bearer {reader.token}"},
                    timeout=60,
                ).json()
                for change in page["changes"]:
                    assert change["seq"] > cursor, (change["seq"], cursor)
                    latest[change["record_id"]] = change["body"]
                cursor = page["next_cursor"]
                if finished and not page["has_more"]:
                    return

        threads = [
            threading.Thread(target=write, args=(server, device, n))
            for n, (server, device) in enumerate(writers)
        ]
        pulling = threading.Thread(target=read)
        pulling.start()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        done.set()
        pulling.join()
        assert errors == []

        db = Database(pg_url)
        try:
            with db.read() as conn:
                rows = conn.execute(select(Record.record_id, Record.body, Record.change_seq)).all()
        finally:
            db.dispose()
        assert all(seq > 0 for _rid, _body, seq in rows)  # nothing left pending
        assert {rid: orjson.loads(body) for rid, body, _seq in rows} == latest
        notes = [e for rid in shared for e in latest[rid]["events"]]
        assert len(notes) == len(writers) * BATCHES  # every note, once, on its case
        assert len(latest) == len(shared) + len(writers) * BATCHES * 2
    finally:
        for server in servers:
            server.kill()


def test_a_database_numbered_by_the_counter_goes_on_from_where_it_was(pg_url, tmp_path):
    db = Database(pg_url)
    migrate(db.engine, "0004_attachment_blobs")
    with db.sessions() as session, session.begin():  # the feed as the counter left it
        for n in range(1, 6):
            rid = new_id()
            session.execute(
                insert(Record).values(
                    kind="case", record_id=rid, site="s1", hlc=stamp(1000 + n), device="d",
                    deleted=False, body=orjson.dumps(case_body(rid)).decode(), change_seq=n,
                    updated_at=datetime.now(UTC),
                )
            )  # fmt: skip
        session.execute(update(Counter).where(Counter.name == "changes").values(value=5))
    db.dispose()

    folder = tmp_path / "server"
    folder.mkdir()
    server = ServerProcess(pg_url, folder)
    server.start()  # brings the schema to 0005
    try:
        device = server.enroll()
        rid = new_id()
        _push(server.url, device.token, [op(1, "case", rid, case_body(rid))])
        page = requests.post(
            f"{server.url}/v1/pull",
            json={"cursor": 5},
            headers={"Authorization": f"Bearer {device.token}"},
            timeout=30,
        ).json()
        assert [c["record_id"] for c in page["changes"]] == [rid]
        assert page["changes"][0]["seq"] == 6
    finally:
        server.kill()


def _push(url: str, token: str, ops: list[dict], session=None) -> None:
    answer = (session or requests).post(
        f"{url}/v1/push",
        json={"ops": ops},
        headers={"Authorization": f"Bearer {token}"},
        timeout=60,
    )
    assert answer.status_code == 200, answer.text
    statuses = {r["status"] for r in answer.json()["results"]}
    assert statuses <= {"applied", "merged"}, answer.text
