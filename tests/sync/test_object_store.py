"""Attachments in an S3-compatible object store (``serve --blobs s3://bucket/prefix``),
against a real S3-API server (``rclone serve s3``, tests/sync/s3server.py), on SQLite and
PostgreSQL: the database keeps only hash, size and type; devices upload, push, pull and
fetch as before; while the store is down the text still goes and the photos wait in the
outbox; ``blobs migrate`` moves files both ways and carries on after a kill."""

from __future__ import annotations

import hashlib
import os
import random
import signal
import subprocess
import sys
import time

import orjson
import pytest
from sqlalchemy import func, select

from fieldkit.model import Target
from fieldkit_server.db import Database
from fieldkit_server.s3 import S3Client, S3Config, S3Error
from fieldkit_server.tables import Attachment, Op, Record, SeqGap
from tests.sync.conftest import ServerProcess
from tests.sync.live import LiveDevice
from tests.sync.s3server import s3_server  # noqa: F401 - a fixture

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF"


class _Seen(list):
    def append_pair(self, done: int, total: int) -> None:
        self.append((done, total))


def photo(n: int, size: int = 20_000) -> bytes:
    return JPEG + random.Random(n).randbytes(size)


@pytest.fixture
def s3_office(db_url, tmp_path, s3_server):  # noqa: F811
    folder = tmp_path / "server"
    folder.mkdir()
    server = ServerProcess(db_url, folder, ("--blobs", s3_server.url()))
    server.start()
    yield server
    server.kill()


def _rows(db_url: str) -> dict[str, tuple]:
    db = Database(db_url)
    try:
        with db.read() as conn:
            return {
                r.sha256: (r.location, r.data, r.media_type, r.size)
                for r in conn.execute(select(Attachment))
            }
    finally:
        db.dispose()


def test_the_s3_client_signs_what_a_real_store_accepts(s3_server):  # noqa: F811
    client = S3Client(S3Config.from_url(s3_server.url("p")))
    data = photo(1)
    sha = hashlib.sha256(data).hexdigest()
    client.put(sha, data, sha, "image/jpeg")
    assert client.exists(sha) and not client.exists("0" * 64)
    assert client.read(sha) == data
    assert s3_server.object_path(sha, "p").read_bytes() == data
    client.delete(sha)
    assert not client.exists(sha)
    wrong = dict(s3_server.env(), AWS_SECRET_ACCESS_KEY="not-the-secret")
    with pytest.raises(S3Error) as refused:
        S3Client(S3Config.from_url(s3_server.url("p"), wrong)).exists(sha)
    assert refused.value.status == 403


def test_photos_live_in_the_store_and_reach_other_devices(s3_office, s3_server, tmp_path):  # noqa: F811
    from fieldkit.services.attachments import fetch

    taker = LiveDevice(s3_office, tmp_path / "taker", "patrol")
    viewer = LiveDevice(s3_office, tmp_path / "viewer", "desk")
    try:
        data = photo(2)
        ref = taker.store.put_blob(data, media_type="image/jpeg", name="lamp.jpg")
        case_id = taker.new_case("Lamp out in the bike shed")
        taker.store.add_case_event(case_id, "photo", "", attachments=[ref])
        report = taker.sync()
        assert (report.uploaded, report.held, taker.store.outbox_count()) == (1, 0, 0)

        assert _rows(s3_office.db_url) == {ref.sha256: ("s3", None, "image/jpeg", len(data))}
        assert s3_server.object_path(ref.sha256).read_bytes() == data

        viewer.sync()
        assert viewer.store.get_case(case_id) is not None and not viewer.store.has_blob(ref.sha256)
        client = viewer.client()
        seen = _Seen()
        try:
            path = fetch(
                viewer.store, ref.sha256, client=client, progress=lambda *p: seen.append(p)
            )
        finally:
            client.close()
        assert path.read_bytes() == data
        assert seen[-1] == (len(data), len(data))

        # Bytes that do not hash to their name never reach the store.
        bad = hashlib.sha256(b"something else").hexdigest()
        answer = taker.client().session.put(
            f"{s3_office.url}/v1/attachments/{bad}",
            data=data,
            headers={"Authorization": f"Bearer {taker.token}"},
        )
        assert answer.status_code == 422 and answer.json()["code"] == "hash_mismatch"
        assert bad not in s3_server.objects()
    finally:
        taker.close()
        viewer.close()


def _server_state(db_url: str):
    db = Database(db_url)
    try:
        with db.read() as conn:
            ops = conn.execute(select(Op.device_id, Op.seq, Op.op_id, Op.status)).all()
            cases = {
                r.record_id: r.body
                for r in conn.execute(select(Record).where(Record.kind == "case"))
            }
            gaps = conn.execute(select(func.count()).select_from(SeqGap)).scalar_one()
        return ops, cases, gaps
    finally:
        db.dispose()


def test_the_text_goes_on_while_the_store_is_down_and_nothing_is_lost_or_doubled(
    s3_office,
    s3_server,  # noqa: F811
    tmp_path,
):
    """Three devices work and sync for 12 rounds; the store is stopped in round 4 and
    started in round 9. Every sync ends well; in the rounds without the store, changes
    without photos reach the office in the same round and the others stay in the outbox,
    counted in ``held``; once it is back every change is there once."""
    rng = random.Random(20)
    devices = [
        LiveDevice(s3_office, tmp_path / f"d{n}", role)
        for n, role in enumerate(("patrol", "patrol", "emergency"))
    ]
    texts: dict[str, str] = {}  # case id -> device folder, for cases without a photo
    photos: dict[str, bytes] = {}
    n_photo = 0
    try:
        for round_no in range(12):
            if round_no == 4:
                s3_server.stop()
            if round_no == 9:
                s3_server.start()
            down = 4 <= round_no < 9
            made_text: list[str] = []
            made_photo: list[str] = []
            for device in devices:
                took_photo = False
                for _ in range(rng.randint(1, 3)):
                    choice = rng.random()
                    cases = device.case_ids()
                    if choice < 0.35:
                        n_photo += 1
                        data = photo(1000 + n_photo)
                        ref = device.store.put_blob(data, media_type="image/jpeg", name="p.jpg")
                        photos[ref.sha256] = data
                        case = device.store.create_case(
                            "repair", Target("unit", "u1"), title=f"photo {n_photo}", site_id="s1"
                        )
                        device.store.add_case_event(case.id, "photo", "", attachments=[ref])
                        made_photo.append(case.id)
                        took_photo = True
                    elif choice < 0.7 or not cases:
                        case_id = device.new_case(f"text {round_no}")
                        texts[case_id] = device.folder.name
                        made_text.append(case_id)
                    else:
                        device.add_note(rng.choice(cases), f"note in round {round_no}")
                report = device.sync()
                assert report.rejected == 0
                if round_no < 4:
                    assert report.held == 0
                elif down and took_photo:
                    assert report.held >= 2  # the new case and its photo
            _ops, cases, _gaps = _server_state(s3_office.db_url)
            assert set(made_text) <= set(cases), f"round {round_no}: text cases did not go"
            if down:
                assert not set(made_photo) & set(cases), f"round {round_no}: a photo went"

        # The store is back; the server tries it again a few seconds after its last
        # failure (blobs.DOWN_FOR_S), so what waited goes with the next rounds.
        deadline = time.monotonic() + 120
        while any(device.store.outbox_count() for device in devices):
            assert time.monotonic() < deadline, "the outboxes did not empty"
            for device in devices:
                assert device.sync().rejected == 0
            time.sleep(0.5)
        for device in devices:
            assert device.sync().held == 0 and device.store.needs_attention() == []

        ops, cases, gaps = _server_state(s3_office.db_url)
        assert gaps == 0  # what a device kept back was never taken for lost
        for device in devices:
            seqs = sorted(seq for dev, seq, _op, _st in ops if dev == device.device_id)
            assert seqs == list(range(1, device.made + 1))
            assert all(st != "rejected" for dev, _s, _o, st in ops if dev == device.device_id)
        assert len({(dev, op) for dev, _s, op, _st in ops}) == len(ops)
        events = [e["id"] for body in cases.values() for e in orjson.loads(body).get("events", [])]
        assert len(events) == len(set(events))
        for device in devices:
            assert set(device.events) <= set(events)
        assert set(texts) <= set(cases)
        assert set(photos) <= s3_server.objects()
        for sha, data in photos.items():
            assert s3_server.object_path(sha).read_bytes() == data
        rows = _rows(s3_office.db_url)
        assert {sha: rows[sha][0] for sha in photos} == dict.fromkeys(photos, "s3")
    finally:
        for device in devices:
            device.close()


def _migrate(db_url: str, folder, *args: str, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "fieldkit_server.cli", "--db", db_url, "blobs", "migrate", *args],
        capture_output=True,
        text=True,
        env=dict(os.environ, FIELDKIT_SERVER_DIR=str(folder), LANG="en_US.UTF-8"),
        **kwargs,
    )


def test_blobs_migrate_moves_every_file_both_ways_and_carries_on_after_a_kill(
    db_url,
    tmp_path,
    s3_server,  # noqa: F811
):
    folder = tmp_path / "server"
    folder.mkdir()
    server = ServerProcess(db_url, folder)  # attachments in the database, as before
    server.start()
    device = LiveDevice(server, tmp_path / "d", "patrol")
    try:
        files = {}
        for n in range(40):
            data = photo(n, 4_000)
            ref = device.store.put_blob(data, media_type="image/jpeg", name=f"{n}.jpg")
            device.store.add_case_event(device.new_case(f"c{n}"), "photo", "", attachments=[ref])
            files[ref.sha256] = data
        device.sync()
        assert {row[0] for row in _rows(db_url).values()} == {"db"}
        server.kill()

        first = _migrate(db_url, folder, "--to", "s3", "--blobs", s3_server.url(), "--limit", "5")
        assert first.returncode == 0, first.stderr
        assert "Moved 5 file(s) to s3://fieldkit/photos" in first.stdout
        assert "35 file(s) are still kept elsewhere" in first.stdout
        assert len(s3_server.objects()) == 5

        # Killed while it works, then run again: it carries on.
        proc = subprocess.Popen(
            [sys.executable, "-m", "fieldkit_server.cli", "--db", db_url, "blobs", "migrate",
             "--to", "s3", "--blobs", s3_server.url()],
            stdout=subprocess.PIPE,
            env=dict(os.environ, FIELDKIT_SERVER_DIR=str(folder)),
        )  # fmt: skip
        proc.stdout.readline()
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        proc.stdout.close()
        rest = _migrate(db_url, folder, "--to", "s3", "--blobs", s3_server.url())
        assert rest.returncode == 0, rest.stderr
        assert "0 file(s) are still kept elsewhere" in rest.stdout
        rows = _rows(db_url)
        assert {sha: (r[0], r[1]) for sha, r in rows.items()} == dict.fromkeys(files, ("s3", None))
        assert {sha: s3_server.object_path(sha).read_bytes() for sha in files} == files

        # A server on the store serves them; one without it says the store is unavailable.
        server.args = ("--blobs", s3_server.url())
        server.start()
        viewer = LiveDevice(server, tmp_path / "v", "patrol")
        try:
            viewer.sync()
            from fieldkit.sync.attachments import download

            sha = next(iter(files))
            client = viewer.client()
            try:
                assert download(client, sha) == files[sha]
            finally:
                client.close()
        finally:
            viewer.close()
        server.kill()

        back = _migrate(db_url, folder, "--to", "db", "--blobs", s3_server.url())
        assert back.returncode == 0, back.stderr
        assert "Moved 40 file(s) to the database" in back.stdout
        rows = _rows(db_url)
        assert {sha: (r[0], bytes(r[1])) for sha, r in rows.items()} == {
            sha: ("db", data) for sha, data in files.items()
        }
        assert s3_server.objects() == set()

        nothing = _migrate(db_url, folder, "--to", "s3")
        assert nothing.returncode == 2 and "--blobs s3://" in nothing.stderr
    finally:
        device.close()
        server.kill()


def test_a_device_is_told_in_its_language_what_waits_for_the_store(
    s3_office,
    s3_server,  # noqa: F811
    tmp_path,
    _isolated_home,
    monkeypatch,
    capsys,
):
    from fieldkit.cli import main
    from fieldkit.i18n import set_language
    from fieldkit.store import Store
    from fieldkit.sync.client import Credentials

    device = LiveDevice(s3_office, tmp_path / "d", "patrol")
    device.close()
    Credentials(s3_office.url, device.device_id, device.token, "s1", "patrol", "p").save(
        _isolated_home
    )
    with Store.open(_isolated_home, command="test") as store:
        ref = store.put_blob(photo(7), media_type="image/jpeg", name="leak.jpg")
        case = store.create_case("repair", Target("unit", "u1"), title="Leak", site_id="s1")
        store.add_case_event(case.id, "photo", "", attachments=[ref])
        store.create_case("repair", Target("unit", "u2"), title="Door", site_id="s1")
    s3_server.stop()
    outputs = {}
    for lang, env in (("en", "en_US.UTF-8"), ("zh", "zh_CN.UTF-8")):
        monkeypatch.setenv("LANG", env)
        set_language(lang)
        code = main(["sync"])
        outputs[lang] = (code, capsys.readouterr().out)
    assert outputs["en"][0] == outputs["zh"][0] == 1
    assert "Synced: 1 change sent, 0 files uploaded" in outputs["en"][1]
    assert (
        "2 changes are kept on this device for their photos: the office server's photo "
        "storage cannot be reached now. Everything else was sent" in outputs["en"][1]
    )
    assert (
        "有 2 条待上传内容因带有照片暂存在本机：办公室服务器的照片存储现在连不上"
        in outputs["zh"][1]
    )
    with Store.open(_isolated_home, readonly=True) as store:
        waiting = store.outbox_pending()
        assert [e.id for e in waiting] == [case.id, case.id]  # created, then its photo
        assert store.needs_attention() == []


@pytest.fixture
def s3_api(db_url, s3_server):  # noqa: F811
    from fastapi.testclient import TestClient

    from fieldkit_server.app import create_app

    app = create_app(db_url, run_migrations=True, blobs=s3_server.url())
    with TestClient(app, raise_server_exceptions=False) as client:
        yield app, client
    app.state.db.dispose()


def _device(app, api, role: str = "patrol"):
    from fieldkit_server.devices import add_device

    code = add_device(app.state.db, site="s1", role=role, name=role).code
    token = api.post("/v1/enroll", json={"code": code}).json()["token"]
    return {"Authorization": f"Bearer {token}"}


def test_the_sweep_deletes_old_unused_objects_and_keeps_named_ones(
    s3_api,
    s3_server,  # noqa: F811
    db_url,
    capsys,
):
    from fieldkit_server import cli
    from tests.sync.records import op, sha
    from tests.sync.test_upload_quota import case_naming

    _app, api = s3_api
    headers = _device(*s3_api)
    kept, orphan = photo(30, 1000), photo(31, 2000)
    for data in (kept, orphan):
        answer = api.put(f"/v1/attachments/{sha(data)}", content=data, headers=headers)
        assert answer.status_code == 201
    body = case_naming(kept)
    api.post("/v1/push", json={"ops": [op(1, "case", body["id"], body)]}, headers=headers)
    assert s3_server.objects() == {sha(kept), sha(orphan)}

    sweep = ["--db", db_url, "attachments", "sweep", "--hours", "0"]
    assert cli.main(sweep) == 0  # without --blobs it leaves files in the store alone
    assert "Deleted 0 unreferenced file(s)" in capsys.readouterr().out
    assert cli.main([*sweep, "--blobs", s3_server.url()]) == 0
    assert f"Deleted 1 unreferenced file(s) ({len(orphan)} bytes)" in capsys.readouterr().out
    assert s3_server.objects() == {sha(kept)}
    assert api.get(f"/v1/attachments/{sha(kept)}", headers=headers).content == kept


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_without_the_store_uploads_and_downloads_say_so_and_push_goes_on(
    s3_api,
    s3_server,  # noqa: F811
    lang,
):
    from tests.sync.records import op, sha
    from tests.sync.test_upload_quota import case_naming

    _app, api = s3_api
    headers = {**_device(*s3_api), "Accept-Language": lang}
    stored, late = photo(40), photo(41)
    answer = api.put(f"/v1/attachments/{sha(stored)}", content=stored, headers=headers)
    assert answer.status_code == 201
    s3_server.stop()
    for answer in (
        api.put(f"/v1/attachments/{sha(late)}", content=late, headers=headers),
        api.get(f"/v1/attachments/{sha(stored)}", headers=headers),
    ):
        assert answer.status_code == 503
        assert answer.json()["code"] == "attachment_store_unavailable"
        assert answer.json()["message"].startswith(
            "办公室服务器的照片存储暂时连不上"
            if lang == "zh"
            else "The office server's photo storage cannot be reached right now"
        )
    # A record whose file is already up is taken: push never calls the store.
    body = case_naming(stored)
    pushed = api.post("/v1/push", json={"ops": [op(1, "case", body["id"], body)]}, headers=headers)
    assert pushed.json()["results"][0]["status"] == "applied"
    assert api.head(f"/v1/attachments/{sha(late)}", headers=headers).status_code == 404


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("en", "Online · last sync never · 3 to send · 0 need attention · 2 of them wait for "
               "the office's photo storage"),
        ("zh", "在线 · 上次同步 从未同步 · 待上传 3 条 · 0 条需处理 · "
               "其中 2 条在等办公室的照片存储恢复"),
    ],
)  # fmt: skip
def test_the_home_sync_line_says_what_waits_for_the_photo_storage(lang, words):
    from fieldkit.i18n import set_language
    from fieldkit.services.types import SyncState
    from fieldkit.ui.screens.home import sync_line

    set_language(lang)
    try:
        assert sync_line(SyncState(True, online=True, pending=3, held=2)) == words
        assert "photo" not in sync_line(SyncState(True, online=True, pending=3))
    finally:
        set_language("en")
