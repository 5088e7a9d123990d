"""Doctor (or export) reading a folder the app holds and writes: an answer being appended to
the journal is not a torn line, and nothing is repaired.

Each test runs a real process that holds the folder (``crash_child.py``): one caught in the
middle of appending a journal line (its first half written, the rest when the test says:
what doctor used to report as torn), one appending answers and submitting runs as fast as
it can (the everyday case: its lines are short, so a read rarely lands inside one).
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

from fieldkit.model import ChecklistRef, Target
from fieldkit.store import Store, journal
from fieldkit.store.doctor import diagnose

CHECKLIST = ChecklistRef("fire.extinguisher.monthly", 3, "ab" * 32)
CHILD = Path(__file__).with_name("crash_child.py")
ROOT = Path(__file__).resolve().parents[2]


def _start(*args: str) -> subprocess.Popen:
    child = subprocess.Popen(
        [sys.executable, str(CHILD), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert child.stdout is not None
    first = child.stdout.readline()
    if first != b"ready\n":
        child.kill()
        raise AssertionError(f"child failed to start: {first!r} {child.stderr.read()!r}")
    return child


def _until(child: subprocess.Popen, word: str) -> None:
    assert child.stdout is not None
    for line in child.stdout:
        if line.strip() == word.encode():
            return
    raise AssertionError(f"the child ended before {word!r}: {child.stderr.read()!r}")


def _stop(child: subprocess.Popen) -> None:
    child.kill()
    child.wait()
    for stream in (child.stdout, child.stderr):
        if stream is not None:
            stream.close()


def _draft(data: Path) -> str:
    with Store.open(data) as store:
        return store.create_inspection(CHECKLIST, Target("unit", "u1")).id


def _files(data: Path) -> dict[str, bytes]:
    return {str(p.relative_to(data)): p.read_bytes() for p in data.rglob("*.json*")}


def test_a_line_still_being_appended_is_read_once_written_not_called_torn(tmp_path, monkeypatch):
    data = tmp_path / "d"
    run = _draft(data)
    go = tmp_path / "go"
    child = _start("half", str(data), run, str(go))
    seen_half = threading.Event()
    real_read = journal.read

    def watched_read(at: Path, generation: str | None) -> journal.Read:
        found = real_read(at, generation)
        if found.torn:
            seen_half.set()  # doctor has read the line half written: let the child finish
            go.touch()
        return found

    monkeypatch.setattr(journal, "read", watched_read)
    try:
        _until(child, "half")
        report = diagnose(data)
        assert seen_half.is_set(), "doctor never read the line in the middle of its append"
        keys = [f.key for f in report.findings]
        assert "store.notice.journal_torn" not in keys
        assert "store.notice.journal_writing" not in keys  # it was finished within the wait
        assert report.problems == []
        assert [f for f in report.findings if f.level == "fixed"] == []
        assert "crash-child" in report.snapshot["command"]
        _until(child, "a q1")
        with Store.open(data, readonly=True) as store:
            assert set(store.get_inspection(run).answers) == {"q0", "q1"}
    finally:
        _stop(child)


def test_a_line_never_finished_while_the_app_holds_the_folder_is_left_alone(tmp_path):
    data = tmp_path / "d"
    run = _draft(data)
    child = _start("half", str(data), run, str(tmp_path / "never"))
    path = journal.path_of(data / "active.json")
    try:
        _until(child, "half")
        before = _files(data)
        report = diagnose(data)
        writing = [f for f in report.findings if f.key == "store.notice.journal_writing"]
        assert [f.level for f in writing] == ["ok"]
        assert "store.notice.journal_torn" not in [f.key for f in report.findings]
        assert report.problems == []
        assert [f for f in report.findings if f.level == "fixed"] == []
        # nothing repaired: the half line is still there for the app to finish
        assert _files(data) == before
        assert not path.read_bytes().endswith(b"\n")
        message = writing[0].message()
        assert "saving an answer" in message
    finally:
        _stop(child)
    # Killed in the middle of the append, the line is torn now, and nobody holds the folder:
    # doctor says so, folds it, and the answer acknowledged before it is there.
    report = diagnose(data)
    torn = [f for f in report.findings if f.key == "store.notice.journal_torn"]
    assert [(f.level, f.params) for f in torn] == [("fixed", {"count": 1})]
    assert report.snapshot is None
    assert path.read_bytes() == b""
    with Store.open(data) as store:
        assert set(store.get_inspection(run).answers) == {"q0"}


def test_doctor_beside_a_process_answering_and_submitting_finds_nothing_wrong(tmp_path):
    data = tmp_path / "d"
    Store.open(data).close()
    child = _start("journal", str(data), "none")
    submits = threading.Semaphore(0)

    def read() -> None:
        for line in child.stdout:
            if line.startswith(b"s "):
                submits.release()

    reader = threading.Thread(target=read)
    reader.start()
    try:
        assert submits.acquire(timeout=120), "the child submitted no run"
        reports = [diagnose(data) for _ in range(12)]
        assert submits.acquire(timeout=120), "the child stopped while doctor read the folder"
    finally:
        child.kill()
        reader.join()
        _stop(child)
    for report in reports:
        assert report.snapshot is not None
        assert "store.notice.journal_torn" not in [f.key for f in report.findings]
        assert report.problems == [], report.problems
        assert [f for f in report.findings if f.level == "fixed"] == []
