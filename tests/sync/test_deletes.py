"""Office deletes: a tombstone every device applies, and an edit from a device that had not
heard goes to the conflict log instead of bringing the record back. Two patrol devices and
an office token, through a real server on SQLite and PostgreSQL."""

from __future__ import annotations

import time

import pytest
from sqlalchemy import select

from fieldkit.cli import main
from fieldkit.model import new_id
from fieldkit.store import Store
from fieldkit.sync.client import Credentials, SyncClient
from fieldkit.sync.protocol import Operation
from fieldkit_server.db import Database
from fieldkit_server.tables import Record
from tests.sync.feed import conflict_log
from tests.sync.live import LiveDevice
from tests.sync.records import stamp

pytest.importorskip("fastapi")


def office_delete(server, kind: str, record_id: str) -> str:
    office = server.enroll(role="office", name="office desk")
    client = SyncClient(server.url, office.token)
    hlc = stamp(int(time.time() * 1000) + 1000, office.device_id)
    op = Operation(op_id=new_id(), seq=1, hlc=hlc, kind=kind, record_id=record_id,
                   site="s1", op="delete", body={})  # fmt: skip
    [result] = client.push([op]).results
    client.close()
    return result.status


def server_row(server, kind: str, record_id: str):
    db = Database(server.db_url)
    try:
        with db.engine.connect() as conn:
            return conn.execute(
                select(Record.deleted, Record.body).where(
                    Record.kind == kind, Record.record_id == record_id
                )
            ).one()
    finally:
        db.dispose()


def test_an_office_delete_reaches_every_device_and_a_late_edit_never_brings_it_back(
    server, tmp_path
):
    first = LiveDevice(server, tmp_path / "first", "patrol")
    second = LiveDevice(server, tmp_path / "second", "patrol")
    try:
        case_id = first.new_case("Leak under the sink")
        first.sync()
        second.sync()
        assert second.case_ids() == [case_id]

        assert office_delete(server, "case", case_id) == "applied"
        report = first.sync()
        assert first.case_ids() == [] and first.store.get_case(case_id) is None
        assert first.store.needs_attention() == [] and report.pulled == 1
        assert first.store.deleted("case", case_id)

        # The second device had not heard: it adds a note, then syncs.
        note = second.add_note(case_id, "plumber booked for Friday")
        report = second.sync()
        assert report.rejected == 0 and second.store.outbox_count() == 0
        assert second.store.needs_attention() == []
        assert second.case_ids() == [] and second.store.get_case(case_id) is None

        deleted, _ = server_row(server, "case", case_id)
        assert deleted
        [logged] = [c for c in conflict_log(server.db_url) if c.get("deleted")]
        assert [e["id"] for e in logged["edit"]["events"]] == [note]

        first.sync()  # nothing came back
        assert first.case_ids() == []
        assert [d for e, d in first.store.iter_records(["case"])] == []
    finally:
        first.close()
        second.close()


def test_fieldkit_sync_applies_an_office_delete_and_exits_0(server, tmp_path, _isolated_home):
    device = LiveDevice(server, tmp_path, "patrol")  # its store is the CLI's data folder
    case_id = device.new_case("Broken lamp")
    device.store.set_case_status(case_id, "closed")
    device.sync()
    device.store.archive()  # a closed case lives in its month's archive file
    Credentials(server.url, device.device_id, device.token, "s1", "patrol", "p").save(
        _isolated_home
    )
    device.close()
    assert office_delete(server, "case", case_id) == "applied"

    assert main(["sync"]) == 0
    with Store.open(_isolated_home, readonly=True) as store:
        assert store.needs_attention() == []
        assert store.get_case(case_id) is None
        assert [d["id"] for _, d in store.iter_records(["case"])] == []


def test_the_office_view_lists_the_edit_a_deleted_record_received(server, tmp_path):
    device = LiveDevice(server, tmp_path / "d", "patrol")
    try:
        case_id = device.new_case("Graffiti")
        device.sync()
        office_delete(server, "case", case_id)
        device.store.update_case(case_id, title="Graffiti on the east wall")
        device.sync()
        office = server.enroll(role="office", name="office view")
        client = SyncClient(server.url, office.token)
        auth = {"Authorization": f"Bearer {office.token}"}
        log = client.session.get(f"{server.url}/v1/conflicts", headers=auth).json()
        client.close()
        [entry] = [e for e in log if e["detail"].get("deleted")]
        assert entry["record_id"] == case_id
        assert entry["detail"]["edit"]["title"] == "Graffiti on the east wall"
    finally:
        device.close()


def test_an_edit_waiting_when_the_delete_arrives_still_reaches_the_office(server, tmp_path):
    from fieldkit.store.doctor import diagnose

    device = LiveDevice(server, tmp_path / "d", "patrol")
    try:
        case_id = device.new_case("Lift noise")
        device.sync()
        office_delete(server, "case", case_id)
        note = device.add_note(case_id, "engineer says bearings")
        client = device.client()  # a pull alone: the tombstone arrives before the push
        page = client.pull(device.adapter.pull_cursor())
        device.adapter.apply_remote(page.changes, page.next_cursor)
        client.close()
        assert device.store.get_case(case_id) is None and device.store.outbox_count() == 1
        assert diagnose(device.folder / "data").problems == []

        device.sync()
        assert device.store.outbox_count() == 0 and device.store.needs_attention() == []
        [logged] = [c for c in conflict_log(server.db_url) if c.get("deleted")]
        assert note in [e["id"] for e in logged["edit"]["events"]]
        assert server_row(server, "case", case_id)[0]  # still deleted
    finally:
        device.close()
