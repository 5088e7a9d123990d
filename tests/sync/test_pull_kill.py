"""A device SIGKILLed while it takes in a big pulled page (``tests/sync/pulled_pages_child.py``;
issue 17). A page's closed cases are written to their archive months first, then its open
cases with the cursor in one write of the active file. So after any kill the store holds
every case of the pages up to its cursor; of the next page at most some of its closed cases
(the office's own records, already in their months) and none of its open ones; and when
the device runs again, it takes that page in again, whole, with each case in one place."""

from __future__ import annotations

import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from fieldkit.store import Store
from fieldkit.store.doctor import diagnose
from tests.sync.pulled_pages_child import closed_ids, page_ids

ROOT = Path(__file__).resolve().parents[2]
KILLS = 8


def held_cases(folder: Path) -> tuple[int, set[str]]:
    """The stored cursor and every case id, after checking that no case is both in the
    active file and in an archive month."""
    store = Store.open(folder, command="check", readonly=True)
    try:
        cursor = int(store.cursor("office") or 0)
        live = set(store._table("case").docs())
        archived: set[str] = set()
        for month in store.archive_months():
            archived.update(store._archive(month).table("case").docs())
    finally:
        store.close()
    assert not live & archived, sorted(live & archived)[:5]
    return cursor, live | archived


def check_held(folder: Path) -> tuple[int, set[str]]:
    cursor, ids = held_cases(folder)
    expected = {i for n in range(1, cursor + 1) for i in page_ids(n)}
    assert expected <= ids, (cursor, len(expected - ids))
    assert ids - expected <= closed_ids(cursor + 1), (cursor, len(ids - expected))
    return cursor, ids - expected


def child(folder: Path, *args: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "tests.sync.pulled_pages_child", str(folder), *args],
        cwd=ROOT, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip


def run_a_page(folder: Path) -> None:
    """Start the device again and let it store one page whole (it says the next page)."""
    proc = child(folder)
    first = proc.stdout.readline().strip()
    second = proc.stdout.readline().strip()
    proc.send_signal(signal.SIGKILL)
    proc.wait(30)
    assert first.startswith("page ") and second.startswith("page "), (first, second)


def test_a_kill_while_a_page_is_taken_in_leaves_it_whole_or_absent(tmp_path):
    folder = tmp_path / "device"
    rng = random.Random(17)
    hit_mid_page = 0
    for _ in range(KILLS):
        proc = child(folder)
        said = proc.stdout.readline().strip()
        assert said.startswith("page "), said
        time.sleep(rng.uniform(0.0, 0.6))  # somewhere in checking, merging or the writes
        proc.send_signal(signal.SIGKILL)
        proc.wait(30)
        cursor, _ = check_held(folder)
        if cursor < int(said.split()[1]):
            hit_mid_page += 1  # killed before this page's active write landed
    assert hit_mid_page, "no kill landed while a page was being taken in"
    run_a_page(folder)
    check_held(folder)


def test_a_kill_between_a_pages_month_writes_and_its_active_write(tmp_path):
    """Killed right after each archive month of a page is written (the new write points):
    the cursor stays, the page's closed cases written so far are in their months, and
    the next run takes the page in whole, each case once."""
    folder = tmp_path / "device"
    run_a_page(folder)  # page 1 stored: page 2 is the one killed
    before, ahead = check_held(folder)
    assert before == 1 and not ahead
    for k in (1, 2, 3):
        proc = child(folder, "--die-after-month", str(k))
        assert proc.stdout.readline().strip() == "page 2"
        assert proc.wait(60) == -signal.SIGKILL
        cursor, ahead = check_held(folder)
        assert cursor == 1
        assert ahead, "the killed page's first months hold its closed cases"
    run_a_page(folder)
    cursor, _ = check_held(folder)
    assert cursor >= 2  # page 2 whole, each case once (check_held)
    report = diagnose(folder)  # every month file agrees with its contents and indexes
    assert report.problems == []
    assert not [f.key for f in report.findings if "month_index" in f.key]
