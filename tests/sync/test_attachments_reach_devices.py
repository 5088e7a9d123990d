"""Photos reach the people who need them: a photo one device took is fetched by another
when a screen shows it (with progress; offline, a clear message and nothing changed),
prefetched for open cases within a budget by ``fieldkit sync``, and ``fieldkit doctor``
tells "not downloaded yet" from "lost". Real server processes on SQLite and PostgreSQL."""

from __future__ import annotations

import os

import pytest

from fieldkit.cli import main
from fieldkit.i18n import t
from fieldkit.model import Target
from fieldkit.services import attachments
from fieldkit.services.attachments import AttachmentError
from fieldkit.store import Store
from fieldkit.store.doctor import diagnose
from fieldkit.sync.client import Credentials
from tests.sync.live import LiveDevice

pytest.importorskip("fastapi")


def photo_bytes(size: int, seed: bytes) -> bytes:
    return b"\xff\xd8\xff" + (seed * (size // len(seed) + 1))[: size - 3]


def case_with_photo(device: LiveDevice, title: str, data: bytes, name: str) -> tuple[str, str]:
    ref = device.store.put_blob(data, media_type="image/jpeg", name=name)
    case = device.store.create_case("repair", Target("unit", "u1"), title=title, site_id="s1")
    device.store.add_case_event(case.id, "photo", name, attachments=[ref])
    return case.id, ref.sha256


def save_credentials(device: LiveDevice, folder) -> None:
    Credentials(device.url, device.device_id, device.token, "s1", device.role, "dev").save(folder)


def keys(report) -> dict[str, str]:
    return {f.key: f.level for f in report.findings}


def test_a_photo_is_fetched_when_shown_and_doctor_tells_not_yet_from_lost(server, tmp_path):
    taker = LiveDevice(server, tmp_path / "taker", "patrol")
    viewer = LiveDevice(server, tmp_path / "viewer", "emergency")
    data = photo_bytes(300_000, b"ceiling ")
    case_id, sha = case_with_photo(taker, "Leak", data, "ceiling.jpg")
    taker.sync()
    taker.close()
    viewer.sync()
    assert viewer.store.get_case(case_id) is not None and not viewer.store.has_blob(sha)
    viewer.close()

    report = diagnose(viewer.folder / "data")
    assert report.problems == []
    assert keys(report)["attachments.doctor.not_downloaded_count"] == "ok"

    store = Store.open(viewer.folder / "data")
    save_credentials(viewer, store.data_dir)
    seen: list[tuple[int, int]] = []
    path = attachments.fetch(store, sha, progress=lambda done, total: seen.append((done, total)))
    assert path.read_bytes() == data and store.read_blob(sha) == data
    assert seen[-1] == (len(data), len(data)) and len(seen) > 1
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)

    # A photo of this device's own, not sent yet, whose file is gone: that one is lost.
    own = store.put_blob(b"\xff\xd8\xff my own photo", name="own.jpg")
    mine = store.create_case("repair", Target("unit", "u1"), title="Crack", site_id="s1")
    store.add_case_event(mine.id, "photo", "own.jpg", attachments=[own])
    store.close()
    os.unlink(store.blob_path(own.sha256))
    report = diagnose(viewer.folder / "data")
    assert [f.key for f in report.problems] == ["attachments.doctor.lost"]
    assert "attachments.doctor.not_downloaded_count" not in keys(report)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_offline_a_photo_says_so_in_the_users_language_and_nothing_changes(server, tmp_path, lang):
    taker = LiveDevice(server, tmp_path / "taker", "patrol")
    viewer = LiveDevice(server, tmp_path / "viewer", "patrol")
    _, sha = case_with_photo(taker, "Leak", photo_bytes(5_000, b"x"), "a.jpg")
    taker.sync()
    viewer.sync()
    save_credentials(viewer, viewer.store.data_dir)
    server.kill()
    with pytest.raises(AttachmentError) as offline:
        attachments.fetch(viewer.store, sha)
    assert offline.value.key == "attachments.offline"
    text = offline.value.message(lang)
    assert text == t("attachments.offline", lang)
    assert ("连不上服务器" in text) if lang == "zh" else ("cannot be reached" in text)
    assert not viewer.store.has_blob(sha)
    taker.close()
    viewer.close()


def test_fieldkit_sync_prefetches_open_cases_photos_within_the_budget(
    server, tmp_path, _isolated_home, capsys
):
    taker = LiveDevice(server, tmp_path / "taker", "patrol")
    _, older_sha = case_with_photo(taker, "Old leak", photo_bytes(300_000, b"o"), "o.jpg")
    _, newer_sha = case_with_photo(taker, "New leak", photo_bytes(900_000, b"n"), "n.jpg")
    closed, closed_sha = case_with_photo(taker, "Done", photo_bytes(1_000, b"c"), "c.jpg")
    taker.store.set_case_status(closed, "closed")
    taker.sync()
    taker.close()
    viewer = server.enroll(role="patrol", name="viewer")
    Credentials(server.url, viewer.device_id, viewer.token, "s1", "patrol", "v").save(
        _isolated_home
    )
    Store.open(_isolated_home).close()

    assert main(["sync", "--prefetch-mb", "0"]) == 0
    with Store.open(_isolated_home, readonly=True) as store:
        assert not any(store.has_blob(s) for s in (older_sha, newer_sha, closed_sha))
    capsys.readouterr()

    assert main(["sync", "--prefetch-mb", "1"]) == 0  # 1 MB: the newest case's photo fits
    out = capsys.readouterr().out
    assert t("attachments.sync.prefetched", count=1, size="0.9 MB", left=1) in out
    with Store.open(_isolated_home, readonly=True) as store:
        assert store.has_blob(newer_sha) and not store.has_blob(older_sha)

    (tmp_path / "config.toml").write_text("prefetch_mb = 5\n", "utf-8")
    assert main(["sync"]) == 0
    with Store.open(_isolated_home, readonly=True) as store:
        assert store.has_blob(older_sha)
        assert not store.has_blob(closed_sha)  # a closed case's photo waits until shown
    assert main(["doctor"]) == 0


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_the_case_photo_viewer_fetches_a_photo_from_the_office(server, tmp_path, lang):
    from fieldkit.i18n import set_language
    from fieldkit.services.workspace import Workspace
    from fieldkit.ui.app import FieldkitApp
    from fieldkit.ui.dialogs.ask import AskDialog
    from fieldkit.ui.dialogs.photos import PhotosDialog
    from fieldkit.ui.screens.case_detail import CaseDetailScreen

    set_language(lang)
    taker = LiveDevice(server, tmp_path / "taker", "patrol")
    viewer = LiveDevice(server, tmp_path / "viewer", "patrol")
    data = photo_bytes(200_000, b"wall ")
    case_id, sha = case_with_photo(taker, "Crack", data, "wall.jpg")
    taker.sync()
    taker.close()
    viewer.sync()
    save_credentials(viewer, viewer.store.data_dir)
    viewer.close()

    ws = Workspace.open(viewer.folder / "data", command="tests")
    app = FieldkitApp(ws, lang=lang)
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            app.push_screen(CaseDetailScreen(case_id))
            await pilot.pause()
            detail = app.screen
            for _ in range(200):
                if detail.photo_count is not None:
                    break
                await pilot.pause(0.02)
            await pilot.press("f")
            for _ in range(200):
                if isinstance(app.screen, PhotosDialog):
                    break
                await pilot.pause(0.02)
            dialog = app.screen
            assert isinstance(dialog, PhotosDialog)
            for _ in range(200):
                if dialog.photos is not None:
                    break
                await pilot.pause(0.02)
            assert not dialog.photos[0].here
            await pilot.press("w")
            for _ in range(200):  # the key reaches the screen after the scanner hold-back
                if isinstance(app.screen, AskDialog) and app.screen.query("#answer"):
                    break
                await pilot.pause(0.02)
            assert isinstance(app.screen, AskDialog)
            app.screen.query_one("#answer").value = str(tmp_path / "copy.jpg")
            await pilot.press("enter")
            for _ in range(300):
                if dialog.photos and dialog.photos[0].here:
                    break
                await pilot.pause(0.02)
            assert (tmp_path / "copy.jpg").read_bytes() == data
            assert ws.store.read_blob(sha) == data
            assert dialog.photos[0].here  # listed again: no "on the office server" mark
    finally:
        ws.close()
