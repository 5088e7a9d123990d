"""Devices with the real store against a real ``fieldkit-server`` process (SQLite and
PostgreSQL): a poisoned feed is set aside and the pull goes on, another device's poison
never stops a sync, a lost enrolment answer does not burn the code, an outbox entry over
the limits or stamped by a clock that is ahead is refused with a sentence."""

from __future__ import annotations

import orjson
import pytest
import requests
from sqlalchemy import func, select

from fieldkit.cli import main
from fieldkit.model import Target, new_id
from fieldkit.model.hlc import Clock, wall_ms
from fieldkit.store import Store
from fieldkit.sync.client import (
    ENROL_KEY_FILE,
    Credentials,
    SyncClient,
    _enrol_key,
    sync_store,
)
from fieldkit.sync.protocol import Operation
from fieldkit_server.db import Database
from fieldkit_server.devices import add_device
from fieldkit_server.tables import Device, Record
from tests.sync.feed import insert_record
from tests.sync.records import case_body, op, stamp

FORGED = "ffffffffffff-ffffff-x"


def enrolled(server, site="s1", role="patrol") -> Credentials:
    answer = server.enroll(site=site, role=role)
    return Credentials(server.url, answer.device_id, answer.token, site, role, "dev")


def nest(depth: int) -> dict:
    value: dict = {"phone": "13812345678"}
    for _ in range(depth - 1):
        value = {"n": value}
    return value


def poisoned_feed(db_url) -> tuple[str, list[str]]:
    """A good case between two poisoned ones, straight into the database."""
    forged, deep, good = new_id(), new_id(), new_id()
    body = case_body(forged)
    body["stamps"]["status"] = FORGED
    insert_record(db_url, forged, orjson.dumps(body).decode(), hlc=FORGED)
    body = case_body(deep)
    body["extra_field"] = nest(252)
    insert_record(db_url, deep, orjson.dumps(body).decode())
    insert_record(db_url, good, orjson.dumps(case_body(good)).decode())
    return good, [forged, deep]


@pytest.mark.parametrize("role", ["patrol", "office"])
def test_a_poisoned_feed_is_set_aside_and_the_pull_goes_on(server, tmp_path, role):
    good, bad = poisoned_feed(server.db_url)
    creds = enrolled(server, role=role)
    store = Store.open(tmp_path / "device")
    try:
        report = sync_store(store, creds)
        assert report.set_aside == 2 and report.cursor == 3
        assert store.get_case(good) is not None
        assert [store.get_case(rid) for rid in bad] == [None, None]
        aside = store.needs_attention()
        assert sorted(e["change"]["id"] for e in aside) == sorted(bad)
        assert all("fieldkit-server repair" in e["reason"] for e in aside)
        assert store.clock.last.wall < wall_ms() + 3600_000  # the clock was not dragged
        again = sync_store(store, creds)
        assert again.set_aside == 0 and len(store.needs_attention()) == 2
        store.create_case("repair", Target("unit", "u1"), title="after", site_id="s1")
        assert sync_store(store, creds).acknowledged == 1
    finally:
        store.close()


def test_another_devices_poison_never_stops_a_sync(server, tmp_path):
    poisoner = enrolled(server)
    client = SyncClient(server.url, poisoner.token)
    forged, deep = new_id(), new_id()
    body = case_body(forged)
    body["stamps"]["status"] = FORGED
    deep_body = case_body(deep)
    deep_body["extra_field"] = nest(40)
    answer = client.push(
        [
            Operation(**op(1, "case", forged, body, hlc=FORGED)),
            Operation(**op(2, "case", deep, deep_body)),
        ]
    )
    assert [r.code for r in answer.results] == ["clock_ahead", "record_too_deep"]
    client.close()
    stores = [Store.open(tmp_path / f"d{i}") for i in range(2)]
    creds = [enrolled(server), enrolled(server, role="emergency")]
    try:
        made = [s.create_case("repair", Target("unit", "u1"), title=f"c{i}", site_id="s1").id
                for i, s in enumerate(stores)]  # fmt: skip
        for _ in range(2):
            for store, cred in zip(stores, creds, strict=True):
                report = sync_store(store, cred)
                assert report.set_aside == 0 and report.rejected == 0
        for store in stores:
            assert all(store.get_case(rid) is not None for rid in made)
            assert store.needs_attention() == []
    finally:
        for store in stores:
            store.close()


def test_a_lost_enrolment_answer_does_not_burn_the_code(server, _isolated_home, capsys):
    db = Database(server.db_url)
    new = add_device(db, site="s1", role="patrol", name="Laptop 7")
    key = _enrol_key(_isolated_home, new.code)  # what `fieldkit enroll` keeps before it asks
    lost = SyncClient(server.url).enroll(new.code, key)  # the server answered; nobody heard
    assert main(["enroll", server.url, new.code.lower()]) == 0
    creds = Credentials.load(_isolated_home)
    assert creds.token == lost.token and creds.device_id == new.device_id
    assert not (_isolated_home / ENROL_KEY_FILE).exists()
    me = requests.get(
        server.url + "/v1/me", headers={"Authorization": f"Bearer {creds.token}"}, timeout=5
    )
    assert me.json()["device_id"] == new.device_id
    with db.sessions() as s:
        assert s.execute(select(func.count()).select_from(Device)).scalar_one() == 1
    db.dispose()


def test_an_enrolment_that_got_no_answer_says_the_device_is_not_enrolled(
    server, _isolated_home, capsys
):
    db = Database(server.db_url)
    new = add_device(db, site="s1", role="patrol", name="Laptop 8")
    db.dispose()
    server.kill()
    assert main(["enroll", server.url, new.code]) == 1
    err = capsys.readouterr().err
    assert "This device is not enrolled yet." in err and "changes are kept" not in err
    assert "The code was not used" in err
    server.start()
    assert main(["enroll", server.url, new.code]) == 0  # the code was not burnt


def test_outbox_entries_over_the_limits_wait_on_needs_attention(server, tmp_path):
    creds = enrolled(server)
    store = Store.open(tmp_path / "device")
    try:
        big = store.create_case("repair", Target("unit", "u1"), title="x" * 70_000, site_id="s1")
        fine = store.create_case("repair", Target("unit", "u1"), title="fine", site_id="s1")
        report = sync_store(store, creds)
        assert report.rejected == 1 and report.acknowledged == 1
        [entry] = store.needs_attention()
        assert entry["code"] == "record_text_too_long" and entry["entry"]["id"] == big.id
        db = Database(server.db_url)
        with db.engine.connect() as conn:
            ids = conn.execute(select(Record.record_id)).scalars().all()
        db.dispose()
        assert ids == [fine.id]
    finally:
        store.close()


def test_a_device_whose_clock_is_ahead_is_told_so(server, tmp_path):
    creds = enrolled(server)
    store = Store.open(tmp_path / "device")
    try:
        two_days = 2 * 24 * 3600 * 1000
        store.clock = Clock(store.device_id, wall=lambda: wall_ms() + two_days)
        store.create_case("repair", Target("unit", "u1"), title="from the future", site_id="s1")
        report = sync_store(store, creds, lang="zh")
        assert report.rejected == 1
        [entry] = store.needs_attention()
        assert entry["code"] == "clock_ahead"
        assert "快了" in entry["reason"] and "天" in entry["reason"]
    finally:
        store.close()


def test_repair_fixes_a_poisoned_feed_and_says_what_it_did(server, tmp_path, capsys):
    from fieldkit_server.cli import main as server_main
    from fieldkit_server.tables import Conflict

    good, (forged, deep) = poisoned_feed(server.db_url)
    broken = new_id()
    insert_record(server.db_url, broken, orjson.dumps({"id": broken, "kind": 7}).decode())
    other_site = new_id()
    body = case_body(other_site, site="s2")
    body["stamps"]["status"] = FORGED
    insert_record(server.db_url, other_site, orjson.dumps(body).decode(), site="s2")

    assert server_main(["--db", server.db_url, "--lang", "zh", "repair", "--site", "s1",
                        "--dry-run"]) == 1  # fmt: skip
    out = capsys.readouterr().out
    assert "有 3 条需要修复" in out and "时间戳比服务器时钟快" in out and "嵌套过深" in out
    assert server_main(["--db", server.db_url, "--lang", "en", "repair", "--site", "s1"]) == 0
    out = capsys.readouterr().out
    assert f"case {forged} (site s1): time stamps ahead of the server's clock; rewritten" in out
    assert f"case {deep} (site s1): nested too deep; rewritten" in out
    assert f"case {broken} (site s1): not a valid record; cannot be rewritten" in out
    assert "Checked 4 records: 3 repaired." in out
    assert server_main(["--db", server.db_url, "repair", "--site", "s1"]) == 0
    assert "nothing to repair" in capsys.readouterr().out

    db = Database(server.db_url)
    with db.sessions() as s:
        originals = {
            c.record_id: orjson.loads(c.detail) for c in s.execute(select(Conflict)).scalars()
        }
    db.dispose()
    assert sorted(originals) == sorted([forged, deep, broken])
    assert FORGED in originals[forged]["original"] and originals[broken]["action"] == "tombstoned"

    creds = enrolled(server, role="office", site="s1")
    store = Store.open(tmp_path / "device")
    try:
        report = sync_store(store, creds)
        assert report.set_aside == 0
        assert store.get_case(good) is not None
        assert store.get_case(forged).stamps["status"] < stamp(wall_ms() + 3600_000)
        assert store.get_case(deep) is not None
        assert store.clock.last.wall < wall_ms() + 3600_000
    finally:
        store.close()
