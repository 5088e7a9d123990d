"""Run by ``test_pull_kill`` as a separate process, then SIGKILLed at a random moment.

``python -m tests.sync.pulled_pages_child DATA``: stores pulled pages of :data:`PAGE`
cases each through the device's real path (``StoreAdapter.apply_remote``: checked, merged,
stored with the cursor in one write, then archived), page after page from the stored
cursor on, for ever. Before each page it prints ``page <n>`` and flushes, so the parent
kills it while a page is being taken in. Page ``n`` (cursor ``n`` once stored) holds the
cases :func:`page_ids` names, half of them closed (archived after the page), half open.
"""

from __future__ import annotations

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
    main(Path(sys.argv[1]))
