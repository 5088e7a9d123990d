"""Device files are their owner's only: after a demo-like session (a demo device folder,
enrolment with a real server, a case with a photo, sync, logs, exports and a report) every
file is 0600 and every folder 0700, even under a umask that would allow everything; a
folder an older version left open is tightened when it is opened, with a line in the log."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from fieldkit.cli import main
from fieldkit.model import Target
from fieldkit.services import demo_office
from fieldkit.store import Store
from fieldkit.store.modes import DIR_MODE, FILE_MODE
from fieldkit_server.db import Database
from fieldkit_server.devices import add_device

pytestmark = pytest.mark.skipif(os.name != "posix", reason="modes exist only on POSIX")


def modes_under(root: Path) -> dict[str, str]:
    """Every path under ``root`` (and itself) whose mode is not owner-only, with its mode."""
    wrong = {}
    for folder, _dirs, files in os.walk(root):
        for path, want in [(Path(folder), DIR_MODE), *((Path(folder) / f, FILE_MODE)
                                                       for f in files)]:  # fmt: skip
            mode = stat.S_IMODE(os.lstat(path).st_mode)
            if mode != want:
                wrong[str(path.relative_to(root.parent))] = oct(mode)
    return wrong


@pytest.fixture
def open_umask():
    old = os.umask(0)  # the widest: whatever is owner-only now, fieldkit made it so
    yield
    os.umask(old)


def test_a_session_leaves_only_owner_only_files(
    server_process, tmp_path, monkeypatch, open_umask, capsys
):
    demo = tmp_path / "demo"
    demo_office.make(demo, cases=10, lang="en")
    device = demo / "patrol"
    site = demo_office.read_layout(demo).site
    monkeypatch.setenv("FIELDKIT_DATA_DIR", str(device))
    db = Database(server_process.db_url)
    try:
        code = add_device(db, site=site, role="patrol", name="Laptop 3").code
    finally:
        db.dispose()
    assert main(["enroll", server_process.url, code]) == 0

    store = Store.open(device)
    try:
        photo = store.put_blob(b"\xff\xd8 a leak", media_type="image/jpeg", name="leak.jpg")
        case = store.create_case("repair", Target("unit", "u1"), title="Leak", site_id=site)
        store.add_case_event(case.id, "photo", attachments=[photo])
    finally:
        store.close()
    assert main(["sync"]) == 0

    out = tmp_path / "exports"
    out.mkdir(mode=0o700)
    assert main(["export", "--out", str(out / "all.jsonl")]) == 0
    assert main(["report", "handover", "--format", "md", "-o", str(out / "handover.md")]) == 0
    assert main(["report", "trends", "--format", "csv", "-o", str(out / "trends.csv")]) == 0
    capsys.readouterr()

    names = {p.name for p in device.rglob("*")}
    assert {"sync-credentials.json", "active.json", "fieldkit.log", "archive", "blobs"} <= names
    assert any(p.parent.parent.name == "blobs" for p in device.rglob("*"))  # a photo is in
    assert modes_under(device) == {}
    assert modes_under(out) == {}


def test_an_open_folder_is_tightened_when_opened_and_the_log_says_so(tmp_path, open_umask):
    data = tmp_path / "old"
    store = Store.open(data)
    store.put_blob(b"photo", media_type="image/jpeg", name="p.jpg")
    store.close()
    for path in [data, *data.rglob("*")]:  # as an older version left it
        path.chmod(0o755 if path.is_dir() else 0o644)
    from fieldkit.logs import setup_logging

    log = setup_logging(data)
    store = Store.open(data)
    store.close()
    assert modes_under(data) == {}
    lines = [line for line in log.read_text().splitlines() if "owner's only" in line]
    assert len(lines) == 1 and str(data) in lines[0]


def test_the_office_servers_new_data_folder_is_its_users_only(tmp_path, open_umask, capsys):
    from fieldkit_server.cli import main as server_main

    folder = tmp_path / "office-server"
    assert server_main(["--data", str(folder), "migrate"]) == 0
    assert stat.S_IMODE(folder.stat().st_mode) == DIR_MODE  # the database holds it all


def test_a_folder_serve_makes_is_its_users_only(tmp_path, open_umask):
    """``serve`` on a new folder (``--data`` after the command, as an IT person types it):
    the folder, its database with -wal and -shm, the logs folder and its files, owner-only."""
    import subprocess
    import sys

    import requests

    from tests.sync.pg import free_port
    from tests.sync.served import wait_until_up

    folder = tmp_path / "office-server"
    port = free_port()
    with open(tmp_path / "output.log", "wb") as output:
        proc = subprocess.Popen(
            [sys.executable, "-m", "fieldkit_server.cli", "serve", "--data", str(folder),
             "--port", str(port)],
            stdout=output, stderr=subprocess.STDOUT,
        )  # fmt: skip
    try:
        url = f"http://127.0.0.1:{port}"
        wait_until_up(proc, url, tmp_path / "output.log")
        refused = requests.post(url + "/v1/enroll", json={"code": "AAAA-BBBB-CC"}, timeout=10)
        assert refused.json()["code"] == "code_invalid"  # a failure counted: a write
    finally:
        proc.terminate()
        proc.wait(10)
    names = {p.name for p in folder.rglob("*")}
    assert {"fieldkit-server.sqlite3", "logs", "fieldkit-server.log"} <= names, names
    assert modes_under(folder) == {}


def test_a_database_left_readable_is_made_owner_only(tmp_path, open_umask):
    from fieldkit_server.cli import main as server_main

    folder = tmp_path / "office-server"
    assert server_main(["migrate", "--data", str(folder)]) == 0
    database = folder / "fieldkit-server.sqlite3"
    database.chmod(0o644)  # as an older version left it
    assert server_main(["migrate", "--data", str(folder)]) == 0
    assert stat.S_IMODE(database.stat().st_mode) == FILE_MODE
