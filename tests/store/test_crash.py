"""SIGKILL a process that is saving, at random moments; nothing acknowledged may be lost.

The child (crash_child.py) prints a line after each save returns. Whatever reached the pipe
before the kill was acknowledged, and must be there when the store is opened again. Also:
the store always opens (no unreadable file, no damaged notice), and opening removes the
temp files a killed write left behind. The default suite runs a short version; ``make
soak`` runs 200 kills of each kind.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import orjson
import pytest

from fieldkit.model import ChecklistRef, Target
from fieldkit.store import Store
from fieldkit.store.atomic import is_temp

CHILD = Path(__file__).with_name("crash_child.py")
CHECKLIST = ChecklistRef("fire.extinguisher.monthly", 3, "ab" * 32)


def _temps(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if is_temp(p)]


def _run_and_kill(
    args: list[str], rng: random.Random, longest: float, at: str | None = None
) -> list[str]:
    """Start the child, kill it after a random moment (or as soon as it prints ``at``),
    and return what it acknowledged."""
    child = subprocess.Popen(
        [sys.executable, str(CHILD), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])},
    )
    assert child.stdout is not None
    first = child.stdout.readline()
    if first != b"ready\n":
        child.kill()
        raise AssertionError(f"child failed to start: {first!r} {child.stderr.read()!r}")
    before: list[bytes] = []
    if at is None:
        time.sleep(rng.uniform(0.001, longest))
    else:
        for line in child.stdout:
            if line.strip() == at.encode():
                break
            before.append(line)
    child.kill()
    out = b"".join(before) + child.stdout.read()
    child.wait()
    child.stderr.close()
    child.stdout.close()
    assert child.returncode == -signal.SIGKILL, "the child ended before it was killed"
    return out.decode().splitlines()


def _open_after_crash(data: Path, stats: dict) -> Store:
    stats["temps_left"] += bool(_temps(data))
    store = Store.open(data)
    keys = [n.key for n in store.notices]
    # a kill never damages a file nor leaves one missing (the previous generation is a hard
    # link made before the replace), so nothing falls back and nothing needs attention
    assert "store.notice.damaged" not in keys, store.notices
    assert "store.notice.used_previous" not in keys, store.notices
    assert store.needs_attention() == [], store.needs_attention()
    assert _temps(data) == [], "stale temp files survived a restart"
    return store


def crash_answers(tmp_path: Path, kills: int, seed: int) -> dict:
    rng = random.Random(seed)
    stats = {"kills": 0, "acked": 0, "temps_left": 0}
    data = tmp_path / "answers"
    acked_answer: dict[str, int] = {}
    acked_cases: set[str] = set()
    with Store.open(data) as store:
        draft = store.create_inspection(CHECKLIST, Target("unit", "u1")).id
    start = 0
    for _ in range(kills):
        lines = _run_and_kill(["answers", str(data), draft, str(start)], rng, 0.25)
        stats["kills"] += 1
        for line in lines:
            kind, n = line.split()
            if kind == "a":
                acked_answer[f"q{int(n) % 40}"] = int(n)
                start = int(n) + 1
                stats["acked"] += 1
            else:
                acked_cases.add(n)
        store = _open_after_crash(data, stats)
        try:
            answers = store.get_inspection(draft).answers
            for key, n in acked_answer.items():
                # the newest acknowledged value, or one saved after it (its ack was in flight)
                assert answers[key].value >= n, (key, n, answers[key].value)
            start = max([start, *(a.value + 1 for a in answers.values())])
            cases = {c.title: c.id for c in store.open_cases()}
            assert acked_cases <= set(cases)
            outbox = store.outbox_pending()
            # a case and its outbox entry are written together: never one without the other
            assert sorted(e.id for e in outbox) == sorted(cases.values())
            assert [e.seq for e in outbox] == list(range(1, len(outbox) + 1))
        finally:
            store.close()
    return stats


def crash_archive(tmp_path: Path, kills: int, seed: int) -> dict:
    """Every other kill lands between the month files and active.json (the child says when
    it is there); the others at random moments."""
    rng = random.Random(seed)
    stats = {"kills": 0, "acked": 0, "temps_left": 0, "both": 0, "aimed": 0}
    data = tmp_path / "archive"
    with Store.open(data) as store, store.transaction():
        # history in this month's file, so an archive write takes long enough to be hit
        for _ in range(1500):
            run = store.create_inspection(CHECKLIST, Target("asset", "old"))
            store.save_answer(run.id, "pressure", 1.0)
            store.submit_inspection(run.id)
    acked: set[str] = set()
    for k in range(kills):
        aimed = k % 2 == 0
        lines = _run_and_kill(["archive", str(data)], rng, 0.3, at="between" if aimed else None)
        stats["kills"] += 1
        stats["aimed"] += aimed
        acked |= {line.split()[1] for line in lines if line.startswith("s ")}
        placed = _placement(data)
        doubled = sum(len(places) > 1 for places in placed.values())
        if aimed:  # killed between the two writes: the run is in its month and still live
            assert doubled, "a kill aimed between the writes did not land there"
        stats["both"] += bool(doubled)
        store = _open_after_crash(data, stats)
        try:
            placed = _placement(data)
            for run_id in acked:
                assert placed.get(run_id) == ["archive"], (run_id, placed.get(run_id))
                assert store.get_inspection(run_id).status == "submitted"
            outbox = store.outbox_pending()
            submitted = [e.id for e in outbox if e.entity == "inspection"]
            assert len(submitted) == len(set(submitted)), "an outbox entry was doubled"
            assert acked <= set(submitted)
        finally:
            store.close()
    stats["acked"] = len(acked)
    return stats


def _placement(data: Path) -> dict[str, list[str]]:
    """Where each inspection id is stored, reading the files directly."""
    places: dict[str, list[str]] = {}
    for run_id in _newest(data / "active.json").get("inspection", {}):
        places.setdefault(run_id, []).append("active")
    months = {
        p.name.removesuffix(".prev")
        for p in (data / "archive").glob("*.json*")
        if not is_temp(p) and ".damaged" not in p.name
    }
    for month in sorted(months):
        for run_id in _newest(data / "archive" / month).get("inspection", {}):
            places.setdefault(run_id, []).append("archive")
    return places


def _newest(path: Path) -> dict:
    """A file's current generation (never missing after a kill: see ``atomic_write``)."""
    return orjson.loads(path.read_bytes())


def test_kill_while_saving_answers(tmp_path):
    stats = crash_answers(tmp_path, kills=50, seed=1)
    assert stats["acked"] > 200, stats
    assert stats["temps_left"] > 0, "no kill landed inside a write: the test proves nothing"


def test_kill_while_archiving(tmp_path):
    stats = crash_archive(tmp_path, kills=30, seed=2)
    assert stats["acked"] >= 10, stats
    assert stats["both"] >= stats["aimed"] == 15, stats


@pytest.mark.soak
def test_soak_kill_while_saving_answers(tmp_path):
    stats = crash_answers(tmp_path, kills=200, seed=int(time.time()))
    print(stats)


@pytest.mark.soak
def test_soak_kill_while_archiving(tmp_path):
    stats = crash_archive(tmp_path, kills=200, seed=int(time.time()))
    print(stats)
