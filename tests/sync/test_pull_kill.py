"""A device SIGKILLed while it takes in a big pulled page: the page and its cursor are one
durable write, so after any kill the store holds every case of the pages up to its cursor
and none of the next (``tests/sync/pulled_pages_child.py``; issue 17: pages are checked and
merged in a batch, and a batch must never be half stored)."""

from __future__ import annotations

import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from fieldkit.store import Store
from tests.sync.pulled_pages_child import page_ids

ROOT = Path(__file__).resolve().parents[2]
KILLS = 8


def held_cases(folder: Path) -> tuple[int, set[str]]:
    store = Store.open(folder, command="check", readonly=True)
    try:
        cursor = int(store.cursor("office") or 0)
        ids = {doc["id"] for _, doc in store.iter_records(["case"])}
    finally:
        store.close()
    return cursor, ids


def test_a_kill_while_a_page_is_taken_in_leaves_it_whole_or_absent(tmp_path):
    folder = tmp_path / "device"
    rng = random.Random(17)
    hit_mid_page = 0
    for _ in range(KILLS):
        child = subprocess.Popen(
            [sys.executable, "-m", "tests.sync.pulled_pages_child", str(folder)],
            cwd=ROOT, stdout=subprocess.PIPE, text=True,
        )  # fmt: skip
        said = child.stdout.readline().strip()
        assert said.startswith("page "), said
        time.sleep(rng.uniform(0.0, 0.6))  # somewhere in checking, merging or the write
        child.send_signal(signal.SIGKILL)
        child.wait(30)
        cursor, ids = held_cases(folder)
        expected = {i for n in range(1, cursor + 1) for i in page_ids(n)}
        assert ids == expected, (cursor, len(ids), len(expected))
        if cursor < int(said.split()[1]):
            hit_mid_page += 1  # killed before this page's write landed: none of it is here
    assert hit_mid_page, "no kill landed while a page was being taken in"
