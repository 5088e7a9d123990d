"""What a reference write and a month write cost: the time the store holds its lock.

A device takes the office's reference changes in at every sync, and archiving (and a
pulled page) writes archive months; while either file is written, a save waits. This
times, through the storage the store uses (``StoreFile``, ``RecordTable.put_many``: one
atomic write of the file, as ``Store.put_reference`` and ``Store._write_month`` do it):

- **one resident**: one existing resident changed (a new phone), put into the
  ``reference.json`` of a 20,000-flat, 50,000-resident compound (``unit_card.build``);
- **page of 500**: 500 residents changed, put in one write (a pulled page);
- **one closed case**: a new closed case put into a month of ``--cases`` closed cases;
- **floor**: ``orjson.dumps`` of the same tables as one dict plus the same atomic write,
  the least a write of the whole file can cost.

p50 / p95 / max over ``--runs`` writes each. ``--code DIR`` runs it on another checkout's
fieldkit (an export of main before the persisted index:
``git archive 1db3b23 | tar -x -C /tmp/before``).
Run: ``.venv/bin/python bench/ref_write.py`` (``--units 2000`` for a quicker run).
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, os.environ.get("FIELDKIT_BENCH_CODE") or str(Path(__file__).parents[1]))

import orjson

from fieldkit.model import Case, Clock, Target, new_id
from fieldkit.store.atomic import atomic_write
from fieldkit.store.files import StoreFile

sys.path.insert(1, str(Path(__file__).parent))
from unit_card import CODE, build


def timed(runs: int, write) -> list[float]:
    out = []
    for n in range(runs):
        started = time.perf_counter()
        write(n)
        out.append((time.perf_counter() - started) * 1000)
    return out


def line(what: str, ms: list[float], size: int) -> None:
    ms = sorted(ms)
    p95 = ms[min(len(ms) - 1, int(len(ms) * 0.95))]
    print(
        f"{what:<28} p50 {statistics.median(ms):8.1f} ms  p95 {p95:8.1f} ms  "
        f"max {ms[-1]:8.1f} ms  ({size / 1e6:.1f} MB)"
    )


def floor(path: Path, kind: str, runs: int) -> list[float]:
    """The same tables dumped whole by orjson and written atomically."""
    tables = StoreFile(path, kind).storage.read()
    data = {name: dict(table.items()) for name, table in tables.items()}
    target = path.with_name(path.name + ".floor")
    try:
        return timed(runs, lambda n: atomic_write(target, orjson.dumps(data), keep_previous=True))
    finally:
        for p in target.parent.glob(target.name + "*"):
            p.unlink()


def reference(folder: Path, runs: int) -> None:
    path = folder / "reference.json"
    file = StoreFile(path, "reference")
    residents = file.table("resident")
    ids = list(residents.docs())
    rng = random.Random(7)

    def changed(doc_id: str) -> dict:
        doc = dict(residents.doc(doc_id))
        doc["phone"] = f"138{rng.randint(0, 10**8 - 1):08d}"
        return doc

    one = timed(runs, lambda n: residents.put_many({(i := rng.choice(ids)): changed(i)}))
    line("reference: one resident", one, path.stat().st_size)
    page = timed(
        max(5, runs // 4),
        lambda n: residents.put_many({i: changed(i) for i in rng.sample(ids, 500)}),
    )
    line("reference: page of 500", page, path.stat().st_size)
    line("reference: floor", floor(path, "reference", max(5, runs // 4)), path.stat().st_size)


def month(folder: Path, cases: int, runs: int) -> None:
    path = folder / "archive" / "2026-11.json"
    path.parent.mkdir(exist_ok=True)
    clock = Clock("office0bench")

    def closed() -> dict:
        case = Case.new(new_id(), "complaint", Target("unit", new_id()), clock.now(),
                        title="楼上漏水，卫生间顶棚渗水", department="customer_service",
                        status="closed", description="住户反映卫生间顶棚渗水。" * 8)  # fmt: skip
        return case.to_dict()

    file = StoreFile(path, "archive")
    with file.transaction():
        file.table("case").put_many({(d := closed())["id"]: d for _ in range(cases)})
    del file
    file = StoreFile(path, "archive")
    table = file.table("case")
    one = timed(runs, lambda n: table.put_many({(d := closed())["id"]: d}))
    line(f"month of {cases:,}: one case", one, path.stat().st_size)
    line("month: floor", floor(path, "archive", max(5, runs // 4)), path.stat().st_size)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--units", type=int, default=20_000)
    parser.add_argument("--residents", type=int, default=50_000)
    parser.add_argument("--cases", type=int, default=25_000, help="closed cases in the month")
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--code", type=Path, help="another checkout's fieldkit")
    args = parser.parse_args()
    if args.code and not os.environ.get("FIELDKIT_BENCH_CODE"):
        rest = [a for a in sys.argv[1:] if a not in ("--code", str(args.code))]
        env = {**os.environ, "FIELDKIT_BENCH_CODE": str(args.code.resolve())}
        os.execve(sys.executable, [sys.executable, __file__, *rest], env)
    print(f"fieldkit from {CODE}")
    folder = Path(tempfile.mkdtemp(prefix="fieldkit-bench-refwrite-"))
    try:
        build(folder, args.units, args.residents, 0)
        reference(folder, args.runs)
        month(folder, args.cases, args.runs)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
