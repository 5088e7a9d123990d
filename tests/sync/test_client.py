"""The device side against a real server process: `fieldkit enroll`, `fieldkit sync` with the
device store, rejections to the needs-attention list, re-enrolment, offline, attachments."""

from __future__ import annotations

import stat

import orjson
import pytest
from sqlalchemy import select

from fieldkit.cli import main
from fieldkit.model import Target
from fieldkit.store import Store
from fieldkit.sync.client import (
    CREDENTIALS_FILE,
    Credentials,
    SyncClient,
    backoff_delays,
)
from fieldkit.sync.protocol import Operation
from fieldkit_server.db import Database
from fieldkit_server.devices import add_device, revoke_device
from fieldkit_server.tables import Attachment, Record
from tests.sync.records import op


def server_rows(server, kind):
    db = Database(server.db_url)
    try:
        with db.engine.connect() as conn:
            rows = conn.execute(select(Record).where(Record.kind == kind)).all()
            return {r.record_id: orjson.loads(r.body) for r in rows}
    finally:
        db.dispose()


@pytest.fixture
def enrolled(server_process, _isolated_home, capsys):
    db = Database(server_process.db_url)
    new = add_device(db, site="s1", role="patrol", name="Laptop 3")
    db.dispose()
    assert main(["enroll", server_process.url, new.code]) == 0
    assert "Laptop 3" in capsys.readouterr().out
    return new.device_id


def test_enrol_keeps_the_token_private(enrolled, _isolated_home):
    path = _isolated_home / CREDENTIALS_FILE
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert Credentials.load(_isolated_home).site == "s1"


def test_a_used_code_is_refused_with_a_sentence(server_process, enrolled, capsys):
    assert main(["enroll", server_process.url, "AAAA-BBBB-CC"]) == 2
    assert "enrolment code is not valid" in capsys.readouterr().err


def test_sync_sends_changes_and_files_and_receives_office_data(
    server_process, enrolled, _isolated_home, capsys
):
    store = Store.open(_isolated_home)
    photo = store.put_blob(b"\xff\xd8 a photo", media_type="image/jpeg")
    case = store.create_case("repair", Target("unit", "u1"), title="Leak", site_id="s1")
    store.add_case_event(case.id, "photo", "under the sink", attachments=[photo])
    store.close()

    office = server_process.enroll(site="s1", role="office", name="office")
    unit = {"id": "u1", "site_id": "s1", "number": "101", "owner_phone": "13812345678"}
    SyncClient(server_process.url, office.token).push([Operation(**op(1, "unit", "u1", unit))])

    assert main(["sync"]) == 0
    out = capsys.readouterr().out
    assert "2 changes sent" in out and "1 file uploaded" in out
    on_server = server_rows(server_process, "case")[case.id]
    assert on_server["events"][0]["attachments"][0]["sha256"] == photo.sha256
    db = Database(server_process.db_url)
    with db.engine.connect() as conn:
        assert conn.execute(select(Attachment.sha256)).scalars().all() == [photo.sha256]
    db.dispose()

    store = Store.open(_isolated_home)
    try:
        assert store.outbox_count() == 0
        assert store.get_reference("unit", "u1").owner_phone == "138****5678"
    finally:
        store.close()
    assert main(["sync"]) == 0  # a second round is a no-op
    assert "0 changes sent" in capsys.readouterr().out


def test_refused_changes_go_to_needs_attention(enrolled, _isolated_home, capsys):
    store = Store.open(_isolated_home)
    store.create_case("repair", Target("unit", "u9"), title="elsewhere", site_id="s2")
    store.close()
    assert main(["sync"]) == 1
    assert "needs attention" in capsys.readouterr().out
    store = Store.open(_isolated_home)
    try:
        assert store.outbox_count() == 0
        [entry] = store.needs_attention()
        assert entry["code"] == "site_not_allowed" and "s2" in entry["reason"]
    finally:
        store.close()


def test_revoked_device_is_told_to_enrol_again(server_process, enrolled, capsys):
    db = Database(server_process.db_url)
    revoke_device(db, enrolled)
    db.dispose()
    assert main(["sync"]) == 1
    assert "fieldkit enroll" in capsys.readouterr().err


def test_offline_keeps_the_outbox(server_process, enrolled, _isolated_home, capsys):
    store = Store.open(_isolated_home)
    store.create_case("repair", Target("unit", "u1"), title="kept", site_id="s1")
    store.close()
    server_process.kill()
    assert main(["sync"]) == 1
    assert "Cannot reach the office server" in capsys.readouterr().err
    store = Store.open(_isolated_home)
    assert store.outbox_count() == 1
    store.close()
    server_process.start()
    assert main(["sync"]) == 0


def test_not_enrolled_says_what_to_do(capsys):
    assert main(["sync"]) == 2
    assert "not enrolled" in capsys.readouterr().err


def test_backoff_is_jittered_and_capped():
    import random

    delays = backoff_delays(base=1, cap=8, rng=random.Random(1))
    values = [next(delays) for _ in range(12)]
    assert all(0 <= v <= 8 for v in values)
    assert len(set(values)) == len(values)
    assert max(values[6:]) > 2


def test_published_checklists_reach_the_device(server_process, enrolled, _isolated_home, capsys):
    from pathlib import Path

    from fieldkit_server import cli as server_cli

    shipped = Path(__file__).resolve().parents[2] / "checklists" / "fire"
    assert server_cli.main(["--db", server_process.db_url, "publish", str(shipped)]) == 0
    assert main(["sync"]) == 0
    capsys.readouterr()
    store = Store.open(_isolated_home)
    try:
        pulled = store.get_checklist("fire.extinguisher.monthly")
    finally:
        store.close()
    assert pulled is not None


def test_a_photo_lost_on_the_device_sends_its_record_to_needs_attention(
    enrolled, _isolated_home, capsys
):
    store = Store.open(_isolated_home)
    photo = store.put_blob(b"a photo that will vanish")
    case = store.create_case("repair", Target("unit", "u1"), title="Crack", site_id="s1")
    store.add_case_event(case.id, "photo", attachments=[photo])
    store.blob_path(photo.sha256).unlink()
    store.close()
    assert main(["sync"]) == 1
    capsys.readouterr()
    store = Store.open(_isolated_home)
    try:
        codes = [e["code"] for e in store.needs_attention()]
    finally:
        store.close()
    # The store sends a record's current state with each of its entries, so both the
    # "create" and the "event" entry name the photo, and both are refused.
    assert codes and set(codes) == {"attachment_missing"}


def test_reading_a_page_leaves_the_garbage_collector_as_it_was():
    import gc

    import requests

    from fieldkit.sync.client import Offline
    from fieldkit.sync.protocol import PullResponse

    good, bad = requests.Response(), requests.Response()
    good._content = b'{"version":1,"changes":[],"next_cursor":7,"has_more":false}'
    bad._content = b'{"version":1,"changes":[{"seq'
    client = SyncClient("http://127.0.0.1:9")
    assert gc.isenabled()
    assert client._json(good, PullResponse).next_cursor == 7
    assert gc.isenabled()
    with pytest.raises(Offline):
        client._json(bad, PullResponse)
    assert gc.isenabled()
    gc.disable()
    try:
        client._json(good, PullResponse)
        assert not gc.isenabled()
    finally:
        gc.enable()
