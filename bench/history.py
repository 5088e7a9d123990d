"""Years of cases on the device: the case list, the app's memory and an archived read.

For demo compounds of 10k, 100k and 300k cases (``fieldkit.services.demo.generate``, the
same history ``bench/app.py`` uses: every case past its first weeks closed and archived by
month), in one run on this machine, each figure beside its baseline:

- **case list, "all statuses", first page, cold**: a fresh process opens the workspace and
  asks for the first page with no status filter (``Workspace.cases_page``), p50 / p95 over
  ``--samples`` processes. Baseline: TinyDB as shipped (``JSONStorage``, one ``db.json``
  holding the same cases) opening its file and taking the 50 newest, the same way.
  Target (issue 17): <= 300 ms at 300k.
- **app peak memory after that page**: a fresh process runs the app headless (Textual's
  own test driver, 120x40), opens the case list, switches it to every status and waits for
  the page; then its peak resident size (``VmHWM``). Baseline: a trivial Textual app
  (one Static) measured the same way. Target: <= 2.5x the trivial app at 300k.
- **first archived read after open**: a fresh process opens the store and reads one
  archived case by id (``Store.get_case``), p50 / p95 over ``--samples`` processes, each a
  different case. Baselines: TinyDB as shipped opening ``db.json`` and reading the case by
  its document id; a plain ``dict`` lookup (the floor). Target: <= 20 ms at 300k.

Compounds are kept in ``--keep DIR`` (``DIR/10000`` ...), made once and reused; making the
300k one takes 4-8 minutes here (printed when it is made). The TinyDB copy is written
beside each compound once (``DIR/10000.tinydb.json``). ``--code DIR`` measures another
checkout's fieldkit in the same way (``git worktree add /tmp/main main``: the before figures;
give it compounds that checkout made). Run:
``.venv/bin/python bench/history.py --keep /tmp/fk-history`` (``--sizes 10000`` for a quick
run).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

TARGET_PAGE_MS, TARGET_MEMORY, TARGET_READ_MS = 300.0, 2.5, 20.0

CHILD_PAGE = """
import sys, time
from pathlib import Path
from fieldkit.services.types import CaseFilter
from fieldkit.services.workspace import Workspace
ws = Workspace.open(Path(sys.argv[1]))
t = time.perf_counter()
page = ws.cases_page(CaseFilter(status=""))
print(f"{time.perf_counter() - t:.6f} {page.total} {len(page.rows)}")
ws.close()
"""

CHILD_TINYDB_PAGE = """
import sys, time
from tinydb import TinyDB
from tinydb.storages import JSONStorage
t = time.perf_counter()
db = TinyDB(sys.argv[1], storage=JSONStorage, access_mode="r")
cases = db.table("case").all()
newest = sorted(cases, key=lambda d: d["id"], reverse=True)[:50]
print(f"{time.perf_counter() - t:.6f} {len(cases)} {len(newest)}")
"""

CHILD_READ = """
import sys, time
from fieldkit.store import Store
t = time.perf_counter()
store = Store.open(sys.argv[1], command="bench")
opened = time.perf_counter()
case = store.get_case(sys.argv[2])
read = time.perf_counter()
assert case is not None and case.id == sys.argv[2]
print(f"{read - opened:.6f} {opened - t:.6f}")
store.close()
"""

CHILD_TINYDB_READ = """
import sys, time
from tinydb import TinyDB
from tinydb.storages import JSONStorage
t = time.perf_counter()
db = TinyDB(sys.argv[1], storage=JSONStorage, access_mode="r")
doc = db.table("case").get(doc_id=int(sys.argv[2]))
assert doc is not None
print(f"{time.perf_counter() - t:.6f}")
"""

#: The peak resident size of this process (``VmHWM``: ``ru_maxrss`` would carry over the
#: peak of the bench process that started it, kept by Linux across fork and exec).
PEAK = """
def peak():
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
"""

CHILD_TRIVIAL_MEMORY = (
    PEAK
    + """
from textual.app import App
from textual.widgets import Static

class Trivial(App):
    def compose(self):
        yield Static("hello")
    def on_mount(self):
        self.call_after_refresh(self.exit)

Trivial().run(headless=True)
print(peak())
"""
)

CHILD_APP_MEMORY = (
    PEAK
    + """
import asyncio, sys
from pathlib import Path
from fieldkit.services.workspace import Workspace
from fieldkit.ui.app import FieldkitApp
from fieldkit.ui.screens.cases import CasesScreen

async def main():
    ws = Workspace.open(Path(sys.argv[1]))
    app = FieldkitApp(ws)
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            while getattr(app.screen, "due", None) is None:
                await asyncio.sleep(0.01)
            await pilot.press("c")
            while not (isinstance(app.screen, CasesScreen) and app.screen.page is not None):
                await asyncio.sleep(0.01)
            await pilot.press("o")  # unfinished -> every status
            while app.screen.filter.status != "" or app.screen.page is None or app.screen.waiting:
                await asyncio.sleep(0.01)
            await pilot.pause()
            total = app.screen.page.total
    finally:
        ws.close()
    print(peak(), total)

asyncio.run(main())
"""
)


#: Another checkout whose fieldkit the measuring processes import (``--code``).
CODE: list[str] = []


def child(code: str, *args: str) -> list[str]:
    env = {**os.environ, "PYTHONPATH": CODE[0]} if CODE else None
    done = subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, check=False,
        env=env, cwd=CODE[0] if CODE else None,
    )  # fmt: skip
    if done.returncode:
        raise SystemExit(f"a measuring process failed:\n{done.stderr}")
    return done.stdout.split()


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p * (len(ordered) - 1)))]


def compound(keep: Path, cases: int) -> Path:
    from fieldkit.services.demo import generate

    folder = keep / str(cases)
    if not (folder / "reference.json").exists():
        t = time.perf_counter()
        generate(folder, cases=cases)
        print(f"setup: {cases} cases made in {time.perf_counter() - t:.0f} s ({folder})")
    return folder


def tinydb_copy(folder: Path) -> tuple[Path, dict[str, int]]:
    """The same cases in one TinyDB ``db.json`` (TinyDB's numbering), made once."""
    import orjson

    from fieldkit.store import Store

    path = folder.with_name(folder.name + ".tinydb.json")
    numbers = path.with_name(path.name + ".ids")
    if not path.exists() or not numbers.exists():
        with Store.open(folder, readonly=True) as store:
            docs = {str(n): doc for n, (_, doc) in
                    enumerate(store.iter_records(["case"]), start=1)}  # fmt: skip
        numbers.write_bytes(orjson.dumps({d["id"]: int(n) for n, d in docs.items()}))
        path.write_bytes(orjson.dumps({"case": docs}))
    return path, orjson.loads(numbers.read_bytes())


def archived_ids(folder: Path, count: int, rng: random.Random) -> list[str]:
    from fieldkit.store import Store

    with Store.open(folder, readonly=True) as store:
        history = store.case_history()
        ids = []
        for month in history.months:
            with history.month(month) as held:
                ids += [i for chunk in held.chunks() for i in chunk["ids"]]
    return sorted(rng.sample(ids, min(count, len(ids))))


def line(label: str, ours: str, base: str, ratio: str = "") -> None:
    print(f"{label:<46} {ours:<30} {base:<34} {ratio}")


def bench_size(keep: Path, cases: int, samples: int, tinydb: bool) -> dict[str, float]:
    rng = random.Random(cases)
    folder = compound(keep, cases)
    db, numbers = tinydb_copy(folder) if tinydb else (None, {})
    print(f"-- {cases:,} cases ({folder})")
    pages = [float(child(CHILD_PAGE, str(folder))[0]) * 1000 for _ in range(samples)]
    base = ""
    if db is not None:
        runs = [float(child(CHILD_TINYDB_PAGE, str(db))[0]) * 1000 for _ in range(3)]
        base = f"TinyDB p50 {statistics.median(runs):8.1f} ms (3)"
    line("case list, all statuses, first page, cold",
         f"p50 {pct(pages, .5):6.1f} p95 {pct(pages, .95):6.1f} ms ({samples})", base)  # fmt: skip
    trivial = [int(child(CHILD_TRIVIAL_MEMORY)[0]) for _ in range(3)]
    ours = [int(child(CHILD_APP_MEMORY, str(folder))[0]) for _ in range(3)]
    mib = 1024 * 1024
    ratio = statistics.median(ours) / statistics.median(trivial)
    line("app peak memory after that page", f"{statistics.median(ours) / mib:6.1f} MiB (3)",
         f"trivial app {statistics.median(trivial) / mib:6.1f} MiB (3)",
         f"{ratio:.2f}x trivial")  # fmt: skip
    reads = []
    for case_id in archived_ids(folder, samples, rng):
        reads.append(float(child(CHILD_READ, str(folder), case_id)[0]) * 1000)
    base = ""
    if db is not None:
        picks = rng.sample(sorted(numbers), 3)
        runs = [float(child(CHILD_TINYDB_READ, str(db), str(numbers[i]))[0]) * 1000
                for i in picks]  # fmt: skip
        base = f"TinyDB p50 {statistics.median(runs):8.1f} ms (3)"
    floor = {i: n for i, n in numbers.items()} or {str(n): n for n in range(cases)}
    keys = rng.sample(sorted(floor), min(1000, len(floor)))
    t = time.perf_counter()
    for k in keys:
        floor[k]
    floor_us = (time.perf_counter() - t) / len(keys) * 1e6
    line("first archived read after open",
         f"p50 {pct(reads, .5):6.2f} p95 {pct(reads, .95):6.2f} ms ({len(reads)})", base,
         f"dict lookup {floor_us:.2f} µs")  # fmt: skip
    return {"page_p95": pct(pages, 0.95), "memory": ratio, "read_p95": pct(reads, 0.95)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--keep", type=Path, required=True, metavar="DIR")
    parser.add_argument("--sizes", default="10000,100000,300000")
    parser.add_argument("--samples", type=int, default=20)
    parser.add_argument("--no-tinydb", action="store_true", help="skip the TinyDB baselines")
    parser.add_argument(
        "--tinydb-up-to", type=int, default=100_000, metavar="N",
        help="TinyDB baselines only up to N cases (as shipped it needs ~2 GB of memory at "
        "100k and would need ~6 GB at 300k)",
    )  # fmt: skip
    parser.add_argument(
        "--code", type=Path, metavar="DIR",
        help="measure the fieldkit of another checkout (e.g. main, for before figures)",
    )  # fmt: skip
    args = parser.parse_args()
    if args.code:
        CODE.append(str(args.code.resolve()))
    args.keep.mkdir(parents=True, exist_ok=True)
    sizes = [int(s) for s in args.sizes.split(",")]
    print(f"{'':<46} {'fieldkit':<30} {'baseline':<34}")
    found = {
        n: bench_size(args.keep, n, args.samples, not args.no_tinydb and n <= args.tinydb_up_to)
        for n in sizes
    }
    top = found[max(sizes)]
    met = (top["page_p95"] <= TARGET_PAGE_MS and top["memory"] <= TARGET_MEMORY
           and top["read_p95"] <= TARGET_READ_MS)  # fmt: skip
    print(f"targets at {max(sizes):,}: page p95 <= {TARGET_PAGE_MS:.0f} ms, memory <= "
          f"{TARGET_MEMORY}x trivial, read p95 <= {TARGET_READ_MS:.0f} ms: "
          f"{'met' if met else 'NOT met'}")  # fmt: skip
    return 0 if met else 1


if __name__ == "__main__":
    raise SystemExit(main())
