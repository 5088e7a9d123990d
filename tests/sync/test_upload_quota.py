"""Attachments on the server: each device may hold only so much that no record names, and
such uploads expire (``fieldkit-server attachments sweep``). SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

from fieldkit.model import AttachmentRef, Case, Event, new_id
from fieldkit_server import cli
from fieldkit_server.uploads import QUOTA_ENV
from tests.sync.records import case_body, op, sha, stamp

pytest.importorskip("fastapi")


def upload(api, device, data: bytes, lang: str = "en"):
    return api.put(f"/v1/attachments/{sha(data)}", content=data,
                   headers={**device.headers, "Accept-Language": lang})  # fmt: skip


def case_naming(*blobs: bytes) -> dict:
    case = Case.from_dict(case_body(new_id()))
    for n, data in enumerate(blobs):
        ref = AttachmentRef(sha(data), len(data), "image/jpeg", f"p{n}.jpg")
        case.add_event(Event(new_id(), "photo", stamp(2000 + n), attachments=[ref]))
    return case.to_dict()


def blob(n: int, size: int = 400 * 1024) -> bytes:
    return bytes([n]) * size


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_device_holds_only_its_quota_of_files_no_record_names(api, enroll, monkeypatch, lang):
    monkeypatch.setenv(QUOTA_ENV, "1")  # 1 MB
    patrol, other = enroll(role="patrol", name="p"), enroll(role="patrol", name="q")
    assert upload(api, patrol, blob(1)).status_code == 201
    assert upload(api, patrol, blob(2)).status_code == 201
    refused = upload(api, patrol, blob(3), lang)
    assert refused.status_code == 413, refused.text
    assert refused.json()["code"] == "attachment_quota"
    assert ("上限 1 MB" if lang == "zh" else "limit is 1 MB") in refused.json()["message"]
    assert api.head(f"/v1/attachments/{sha(blob(3))}", headers=patrol.headers).status_code == 404
    assert upload(api, patrol, blob(1)).status_code == 200  # the same file again is free
    assert upload(api, other, blob(4)).status_code == 201  # each device has its own

    body = case_naming(blob(1), blob(2))
    pushed = api.post("/v1/push", json={"ops": [op(1, "case", body["id"], body)]},
                      headers=patrol.headers).json()  # fmt: skip
    assert pushed["results"][0]["status"] == "applied"
    assert upload(api, patrol, blob(3)).status_code == 201  # named files count no more


def test_sweep_deletes_old_unreferenced_uploads_and_keeps_the_rest(api, enroll, db_url, capsys):
    patrol = enroll(role="patrol")
    kept, orphan = blob(5, 1000), blob(6, 2000)
    assert upload(api, patrol, kept).status_code == 201
    assert upload(api, patrol, orphan).status_code == 201
    body = case_naming(kept)
    api.post("/v1/push", json={"ops": [op(1, "case", body["id"], body)]}, headers=patrol.headers)

    assert cli.main(["--db", db_url, "attachments", "sweep"]) == 0  # default: 72 h
    assert "0" in capsys.readouterr().out
    assert api.head(f"/v1/attachments/{sha(orphan)}", headers=patrol.headers).status_code == 200

    assert cli.main(["--db", db_url, "attachments", "sweep", "--hours", "0"]) == 0
    assert "Deleted 1 unreferenced file(s) (2000 bytes)" in capsys.readouterr().out
    assert api.head(f"/v1/attachments/{sha(orphan)}", headers=patrol.headers).status_code == 404
    assert api.get(f"/v1/attachments/{sha(kept)}", headers=patrol.headers).content == kept
    # Swept means gone for good: the device may upload it again, and it counts again.
    assert upload(api, patrol, orphan).status_code == 201


def test_a_device_with_more_photos_than_its_quota_still_sends_them_all(
    db_url, tmp_path, monkeypatch
):
    """The round pushes the records whose files are up, which frees the quota, and goes on."""
    from fieldkit.model import Target
    from tests.sync.conftest import ServerProcess
    from tests.sync.live import LiveDevice

    monkeypatch.setenv(QUOTA_ENV, "1")
    folder = tmp_path / "server"
    folder.mkdir()
    server = ServerProcess(db_url, folder)
    server.start()
    device = LiveDevice(server, tmp_path / "d", "patrol")
    try:
        shas = []
        for n in range(4):
            ref = device.store.put_blob(blob(10 + n), media_type="image/jpeg", name=f"{n}.jpg")
            case = device.store.create_case("repair", Target("unit", "u1"), site_id="s1")
            device.store.add_case_event(case.id, "photo", "", attachments=[ref])
            shas.append(ref.sha256)
        report = device.sync()
        assert report.uploaded == 4 and report.rejected == 0
        assert device.store.outbox_count() == 0 and device.store.needs_attention() == []
        client = device.client()
        assert client.missing_attachments(shas) == []
        client.close()
    finally:
        device.close()
        server.kill()
