"""Pulled pages stored on the device, in one process: no server, no requests (issue 17).

The same pages ``bench/sync.py`` sends a new laptop (``case_op(history=True)``: a compound's
cases over three years, nine in ten closed), made once in memory as the protocol's
``Change`` objects, then stored page by page into a fresh device store through
``StoreAdapter.apply_remote`` (what ``sync_round`` calls: checked, merged, finished records
written to their months, the rest with the cursor in one durable write). Printed: records
stored a second of wall clock, and a CPU-second of this process (``time.process_time``),
the figure least moved by other work on a shared machine; with ``--runs`` N, also the sum
of each page's least CPU time over the N runs (a page slowed by a neighbour's burst in one
run counts as its quickest).

    .venv/bin/python bench/pull_store.py --size 100000           # pages of 10,000
    .venv/bin/python bench/pull_store.py --size 100000 --profile /tmp/pull.prof
    .venv/bin/python bench/pull_store.py --size 100000 --wire       # pages as a client reads them

With ``--wire`` each page is first written as the server's JSON answer and read back as the
client reads one (``SyncClient._json``: orjson, then the protocol's model, the collector
paused), untimed: the objects a real first sync hands the store, and the collector's state
they leave it in.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from fieldkit.store import Store  # noqa: E402
from fieldkit.sync import protocol as p  # noqa: E402
from fieldkit.sync.client import StoreAdapter  # noqa: E402


def pages(size: int, page: int, wire: bool = False) -> Iterator[list[p.Change]]:
    """The office's pages, each made when it is asked for (untimed), as a client holds one
    page at a time; with ``wire``, sent through JSON and read back as the client does."""
    import orjson

    from sync import case_op  # bench/sync.py: the same history the first-sync row pulls

    for first in range(1, size + 1, page):
        changes = []
        last = min(size, first + page - 1)
        for seq in range(first, last + 1):
            op = case_op(seq, history=True)
            changes.append(
                p.Change(seq=seq, kind=op.kind, record_id=op.record_id, site=op.site,
                         hlc=op.hlc, device="office", body=op.body)
            )  # fmt: skip
        if wire:
            answer = p.PullResponse(changes=changes, next_cursor=last, has_more=last < size)
            text = answer.model_dump_json().encode()
            del answer, changes
            with p.collector_paused():  # SyncClient._json
                changes = p.PullResponse.model_validate(orjson.loads(text)).changes
        yield changes


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--page", type=int, default=p.MAX_PULL_LIMIT)
    parser.add_argument("--profile", help="write a cProfile of the storing to this file")
    parser.add_argument("--runs", type=int, default=1, help="fresh devices, one after another")
    parser.add_argument("--wire", action="store_true", help="pages read as a client reads them")
    args = parser.parse_args()
    least: list[float] = []
    for _ in range(args.runs):
        pages_cpu = run(args)
        least = [min(a, b) for a, b in zip(least, pages_cpu, strict=True)] if least else pages_cpu
    if args.runs > 1:
        cpu = sum(least)
        print(
            f"each page's least CPU over {args.runs} runs: {args.size / cpu:,.0f} a CPU-second "
            f"({cpu / args.size * 1e6:.1f} µs a record)",
            flush=True,
        )
    return 0


def run(args: argparse.Namespace) -> list[float]:
    """One fresh device storing every page; the CPU time each page took."""
    with tempfile.TemporaryDirectory(prefix="fk-pull-store-") as tmp:
        store = Store.open(Path(tmp) / "device", command="bench")
        adapter = StoreAdapter(store, "s1")
        profile = cProfile.Profile() if args.profile else None
        load = os.getloadavg()[0]
        wall = cpu = 0.0
        pages_cpu = []
        for page in pages(args.size, args.page, args.wire):
            started, cpu_started = time.perf_counter(), time.process_time()
            if profile:
                profile.enable()
            adapter.apply_remote(page, page[-1].seq)
            if profile:
                profile.disable()
            wall += time.perf_counter() - started
            pages_cpu.append(time.process_time() - cpu_started)
            cpu += pages_cpu[-1]
        if profile:
            profile.dump_stats(args.profile)
        store.close()
    print(
        f"{args.size:,} records in pages of {args.page:,}: {args.size / wall:,.0f}/s wall "
        f"({wall:.2f} s), {args.size / cpu:,.0f} a CPU-second ({cpu:.2f} s, "
        f"{cpu / args.size * 1e6:.1f} µs a record){' from JSON' if args.wire else ''}; "
        f"load {load:.1f} -> {os.getloadavg()[0]:.1f}",
        flush=True,
    )
    return pages_cpu


if __name__ == "__main__":
    raise SystemExit(main())
