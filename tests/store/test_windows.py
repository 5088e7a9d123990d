"""The store's Windows branches, run on Linux.

Every POSIX-only step asks :func:`fieldkit.store.platform.is_windows` when it runs; here it
answers True, so what a Windows laptop does runs for real: atomic writes without a folder
fsync, no mode set or changed (the profile's ACLs keep a Windows data folder its user's),
the replace retried while a reader holds its target, and the ``msvcrt`` lock. ``msvcrt``
exists only on Windows; ``tests/store/windows/msvcrt.py`` stands in for it with this OS's
per-handle byte-range locks, so two processes (and two handles) really exclude each other.
The same tests run as POSIX too, so each guarded step is seen on both sides.
"""

from __future__ import annotations

import fcntl
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from fieldkit.model import Target
from fieldkit.store import Store, StoreLocked, platform
from fieldkit.store.atomic import atomic_write
from fieldkit.sync.client import Credentials

STANDIN = Path(__file__).resolve().parent / "windows"


def _record(monkeypatch, module, name: str, calls: list) -> None:
    """Note each call of ``module.name`` (its first argument), then make it."""
    real = getattr(module, name)

    def spy(first, *args, **kwargs):
        calls.append(first)
        return real(first, *args, **kwargs)

    monkeypatch.setattr(module, name, spy)


def _pretend(monkeypatch, windows: bool) -> None:
    monkeypatch.setattr(platform, "is_windows", lambda: windows)
    if windows:
        monkeypatch.syspath_prepend(str(STANDIN))
        monkeypatch.delitem(sys.modules, "msvcrt", raising=False)


@pytest.fixture
def windows(monkeypatch):
    _pretend(monkeypatch, True)


@pytest.fixture(params=["windows", "posix"])
def system(request, monkeypatch):
    """The OS the store believes it runs on, with a record of the calls that differ."""
    _pretend(monkeypatch, request.param == "windows")
    seen: dict[str, list] = {"chmod": [], "folder_open": [], "lock": []}
    real_open = os.open

    def spy_open(path, flags, *args, **kwargs):
        if os.path.isdir(path):
            seen["folder_open"].append(str(path))  # only a folder fsync opens a folder
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", spy_open)
    _record(monkeypatch, os, "chmod", seen["chmod"])
    _record(monkeypatch, os, "fchmod", seen["chmod"])
    _record(monkeypatch, fcntl, "flock", seen["lock"])
    return request.param, seen


def test_a_store_saves_and_reads_back_on_either_branch(tmp_path, system):
    name, seen = system
    data = tmp_path / "d"
    data.mkdir(mode=0o755)
    (data / "notes.txt").write_text("left by an older version")
    os.chmod(data / "notes.txt", 0o644)
    seen["chmod"].clear()
    with Store.open(data) as store:
        case = store.create_case("repair", Target("unit", "u1"), title="漏水")
        store.add_case_event(case.id, "note", "楼下天花板渗水")
        photo = store.put_blob(b"\xff\xd8 a photo")
        store.set_case_status(case.id, "dispatched")
    with Store.open(data) as store:
        back = store.get_case(case.id)
        assert back.status == "dispatched" and back.events[0].text == "楼下天花板渗水"
        assert store.read_blob(photo.sha256) == b"\xff\xd8 a photo"
    notes = stat.S_IMODE((data / "notes.txt").stat().st_mode)
    if name == "windows":
        assert seen["folder_open"] == [], "a folder fsync ran on Windows"
        assert seen["chmod"] == [], "a mode was set on Windows"
        assert notes == 0o644 and seen["lock"] == []
        assert "msvcrt" in sys.modules and sys.modules["msvcrt"].__file__.startswith(str(STANDIN))
    else:
        assert str(data) in seen["folder_open"]
        assert seen["chmod"] and notes == 0o600 and seen["lock"]


def _held_up(monkeypatch, times: int, name: str = "") -> list[str]:
    """os.replace refuses its first ``times`` calls (onto a file ``name``, if given) as
    Windows does while a reader (an export, a virus scanner) holds the target open; then it
    replaces."""
    refused: list[str] = []
    real = os.replace

    def replace(src, dst, **kwargs):
        if len(refused) < times and (not name or Path(src).name == name):
            refused.append(str(dst))
            raise PermissionError(13, "The process cannot access the file", str(dst))
        return real(src, dst, **kwargs)

    monkeypatch.setattr(os, "replace", replace)
    return refused


def test_a_replace_waits_out_a_reader_on_windows_and_not_elsewhere(tmp_path, system, monkeypatch):
    name, _ = system
    target = tmp_path / "f.json"
    refused = _held_up(monkeypatch, 3)
    if name == "windows":
        atomic_write(target, b"new")
        assert target.read_bytes() == b"new" and len(refused) == 3
    else:
        with pytest.raises(PermissionError):
            atomic_write(target, b"new")
        assert not target.exists() and not list(tmp_path.iterdir())  # no temp file left


def test_credentials_and_a_damaged_file_go_through_the_retried_replace(
    tmp_path, windows, monkeypatch
):
    data = tmp_path / "d"
    creds = Credentials("http://office", "dev1", "t0ken", "s1", "desk", "Laptop 3")
    refused = _held_up(monkeypatch, 2)
    path = creds.save(data)
    assert Credentials.load(data) == creds and refused == [str(path)] * 2
    with Store.open(data) as store:
        store.create_case("repair", Target("unit", "u1"), title="first")
    with Store.open(data) as store:
        store.create_case("repair", Target("unit", "u1"), title="second")
    (data / "active.json").write_bytes(b'{"_meta": {"1": {"sche')  # torn
    refused = _held_up(monkeypatch, 2, "active.json")  # moving the torn file aside
    with Store.open(data) as store:
        assert [n.key for n in store.notices] == ["store.notice.damaged"]
        kept = Path(store.notices[0].params["kept"])
    assert kept.read_bytes() == b'{"_meta": {"1": {"sche'
    assert refused == [str(kept)] * 2


PROBE = """
import sys
sys.path.insert(0, {standin!r})
from fieldkit.store import Store, StoreLocked, platform
from fieldkit.store.lock import is_locked
from pathlib import Path
platform.is_windows = lambda: True
print("locked" if is_locked(Path({data!r})) else "free")
try:
    Store.open({data!r}).close()
except StoreLocked as exc:
    print(exc.message())
    sys.exit(3)
print("opened")
"""


def test_the_windows_lock_keeps_a_second_process_and_handle_out(tmp_path, windows):
    """(The POSIX lock: tests/store/test_storage.py.)"""
    data = tmp_path / "d"
    probe = PROBE.format(standin=str(STANDIN), data=str(data))
    with Store.open(data, command="fieldkit app"):
        out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
        assert out.returncode == 3, out.stderr
        assert out.stdout.startswith("locked") and "fieldkit app" in out.stdout
        with pytest.raises(StoreLocked):
            Store.open(data)  # another handle in this very process
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert out.returncode == 0 and out.stdout.split() == ["free", "opened"], out.stderr
