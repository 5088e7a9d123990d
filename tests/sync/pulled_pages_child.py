"""Run by ``test_pull_kill`` as a separate process, then SIGKILLed at a random moment.

``python -m tests.sync.pulled_pages_child DATA``: stores pulled pages of :data:`PAGE`
cases each through the device's real path (``StoreAdapter.apply_remote``: checked, merged,
the closed ones written to their archive months, then the rest with the cursor in one
write), page after page from the stored cursor on, for ever. Before each page it prints
``page <n>`` and flushes, so the parent kills it while a page is being taken in. Page
``n`` (cursor ``n`` once stored) holds the cases :func:`page_ids` names, half of them
closed, half open.

``DATA --die-after-month K``: the process kills itself (SIGKILL) once the next page's
``K``-th archive month is written, before the page's write of the active file: the
moment between the two writes of a page, which a random kill seldom meets.
"""

from __future__ import annotations

import os
import signal
import sys
from pathlib import Path

from fieldkit.model import Case, Target
from fieldkit.model.ids import agreed_id
from fieldkit.store import Store
from fieldkit.sync import protocol as p
from fieldkit.sync.client import StoreAdapter

PAGE = 2000
START_MS = 1_767_225_600_000  # 2026-01-01: a page's cases spread over the months after


def page_ids(n: int) -> list[str]:
    return [agreed_id(START_MS + (n * PAGE + i) * 3_600_000, f"case {n}/{i}") for i in range(PAGE)]


def page(n: int) -> list[p.Change]:
    changes = []
    for i, record_id in enumerate(page_ids(n)):
        hlc = f"{START_MS + n * PAGE + i:012x}-000000-office"
        case = Case.new(
            record_id,
            "repair",
            Target("unit", f"u{i % 50}"),
            hlc,
            site_id="s1",
            title=f"Leak {n}/{i}",
            category="plumbing",
            department="engineering",
        )
        if i % 2:
            case.set_status("closed", f"{START_MS + n * PAGE + i:012x}-000001-office")
        changes.append(
            p.Change(
                seq=n * PAGE + i + 1,
                kind="case",
                record_id=record_id,
                site="s1",
                hlc=hlc,
                device="office",
                body=case.to_dict(),
            )
        )
    return changes


def closed_ids(n: int) -> set[str]:
    """The cases of page ``n`` that are closed (their months are written before the page's
    active write)."""
    return {record_id for i, record_id in enumerate(page_ids(n)) if i % 2}


def die_after_month(k: int) -> None:
    """SIGKILL this process once ``k`` archive months have been written."""
    written = 0
    write_month = Store._write_month

    def write_then_die(self: Store, month: str, tables: dict) -> None:
        nonlocal written
        write_month(self, month, tables)
        written += 1
        if written == k:
            os.kill(os.getpid(), signal.SIGKILL)

    Store._write_month = write_then_die  # type: ignore[method-assign]


def main(folder: Path) -> None:
    store = Store.open(folder, command="pulled pages")
    adapter = StoreAdapter(store, "s1")
    n = adapter.pull_cursor() + 1
    while True:
        changes = page(n)
        print(f"page {n}", flush=True)
        adapter.apply_remote(changes, n)
        n += 1


if __name__ == "__main__":
    if sys.argv[2:3] == ["--die-after-month"]:
        die_after_month(int(sys.argv[3]))
    main(Path(sys.argv[1]))
