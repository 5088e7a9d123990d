"""The photos of a case: listed with name, size and time, opened with the system viewer (a
real program on PATH standing in for xdg-open, which records what it was given), written
out to a file; a photo whose bytes have not reached the device says so."""

from __future__ import annotations

import io
import os
import stat

import pytest
from rich.console import Console

from fieldkit.i18n import set_language, t
from fieldkit.model import Target
from fieldkit.services import photos
from fieldkit.services.photos import PhotoError
from fieldkit.ui.app import FieldkitApp
from fieldkit.ui.dialogs.ask import AskDialog
from fieldkit.ui.dialogs.photos import PhotosDialog
from fieldkit.ui.screens.case_detail import CaseDetailScreen
from tests.incidents.helpers import make_compound, open_workspace
from tests.waits import shown

PNG = bytes.fromhex("89504e470d0a1a0a") + b"leak on the ceiling" * 50


@pytest.fixture
def ws(tmp_path):
    make_compound(tmp_path / "ws", floors=2)
    workspace = open_workspace(tmp_path / "ws")
    yield workspace
    workspace.close()


@pytest.fixture
def viewer(tmp_path, monkeypatch):
    """An ``xdg-open`` on PATH that copies the file it is asked to open into ``seen``."""
    folder = tmp_path / "bin"
    folder.mkdir()
    seen = tmp_path / "seen"
    script = folder / "xdg-open"
    script.write_text(f'#!/bin/sh\ncp "$1" "{seen}"\n', "utf-8")
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("PATH", f"{folder}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setenv("DISPLAY", ":0")
    return seen


def _case_with_photos(ws, tmp_path):
    first, second = tmp_path / "ceiling.png", tmp_path / "IMG 0042.jpg"
    first.write_bytes(PNG)
    second.write_bytes(b"\xff\xd8\xff" + b"x" * 3000)
    case = ws.store.create_case("repair", Target("unit", ws.places.by_code["1-1-202"].id))
    ws.add_case_note(case.id, str(first), "photo")
    ws.add_case_note(case.id, "plumber on the way")
    ws.add_case_note(case.id, str(second), "photo")
    ws.add_case_note(case.id, str(first), "photo")  # the same photo again: listed once
    return case


def test_list_open_and_write_out(ws, tmp_path, viewer):
    case = _case_with_photos(ws, tmp_path)
    found = photos.case_photos(ws.store, case.id)
    assert [(p.name, p.size, p.here) for p in found] == [
        ("ceiling.png", len(PNG), True),
        ("IMG 0042.jpg", 3003, True),
    ]
    assert (
        found[0].size_text == "958 B"
        and found[1].size_text == "3 KB"
        and found[1].media_type == "image/jpeg"
    )
    assert photos.open_photo(ws.store, found[0]) == "xdg-open"
    assert viewer.read_bytes() == PNG
    copy = next(photos.view_folder().glob(f"{found[0].sha256[:12]}-*"))
    assert copy.name.endswith("-ceiling.png")
    if os.name != "nt":
        assert stat.S_IMODE(photos.view_folder().stat().st_mode) == 0o700
    out = tmp_path / "out"
    out.mkdir()
    written = photos.save_photo(ws.store, found[1], str(out))
    assert written == out / "IMG_0042.jpg" and written.read_bytes()[:3] == b"\xff\xd8\xff"
    with pytest.raises(PhotoError) as refused:
        photos.save_photo(ws.store, found[1], str(written))
    assert refused.value.key == "cases.photos.exists"
    with pytest.raises(PhotoError) as refused:
        photos.save_photo(ws.store, found[0], str(tmp_path / "no" / "such" / "x.png"))
    assert refused.value.key == "cases.photos.cannot_write"


def test_no_viewer_without_a_graphical_session(ws, tmp_path, viewer, monkeypatch):
    case = _case_with_photos(ws, tmp_path)
    monkeypatch.delenv("DISPLAY")
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    assert photos.viewer() is None
    with pytest.raises(PhotoError) as refused:
        photos.open_photo(ws.store, photos.case_photos(ws.store, case.id)[0])
    assert refused.value.key == "cases.photos.no_viewer"
    assert not viewer.exists()


def test_a_photo_not_yet_on_this_device(ws, tmp_path):
    case = _case_with_photos(ws, tmp_path)
    doc = ws.store.get_case(case.id).to_dict()
    doc["events"][0]["attachments"][0]["sha256"] = "ab" * 32  # bytes the device never had
    ws.store.apply_remote([{"entity": "case", "record": doc}], None)
    missing = next(p for p in photos.case_photos(ws.store, case.id) if p.sha256 == "ab" * 32)
    assert not missing.here
    with pytest.raises(PhotoError) as refused:
        photos.save_photo(ws.store, missing, str(tmp_path / "x.png"))
    assert refused.value.key == "cases.photos.not_here"


def _shown(widget) -> str:
    console = Console(width=200, file=io.StringIO(), record=True)
    for option in widget.options:
        console.print(option.prompt)
    return console.export_text()


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_photo_viewer_in_case_detail(ws, tmp_path, viewer, lang):
    set_language(lang)
    case = _case_with_photos(ws, tmp_path)
    app = FieldkitApp(ws, lang=lang)
    async with app.run_test(size=(120, 40)) as pilot:
        app.push_screen(CaseDetailScreen(case.id))
        await pilot.pause()
        detail = app.screen
        await shown(pilot, lambda: detail.photo_count is not None)
        assert str(detail.query_one("#case-photos").content) == t("cases.detail.photos", count=2)
        await pilot.press("f")
        dialog = app.screen
        assert isinstance(dialog, PhotosDialog)
        await shown(pilot, lambda: dialog.photos is not None)
        listed = _shown(dialog.query_one("#photos-list"))
        assert "ceiling.png" in listed and "IMG 0042.jpg" in listed and "3 KB" in listed
        await pilot.press("enter")  # open the first with the system viewer, in a thread
        await shown(pilot, lambda: viewer.exists())
        assert viewer.read_bytes() == PNG
        await pilot.press("down", "w")
        assert isinstance(app.screen, AskDialog)
        app.screen.query_one("#answer").value = str(tmp_path / "copy.jpg")
        await pilot.press("enter")
        await shown(pilot, lambda: (tmp_path / "copy.jpg").exists())
        assert (tmp_path / "copy.jpg").read_bytes()[:3] == b"\xff\xd8\xff"
        assert app.screen is dialog
        await pilot.press("escape")
        assert app.screen is detail
