"""One answer saved durably: the whole active file (before) beside the answer journal (after).

``Store.save_answer`` now appends one fsynced line to ``active.json.journal``
(:mod:`fieldkit.store.journal`); inside an outer ``Store.transaction()`` the same call is
the whole atomic write it always was (a temporary file fsynced, ``.prev`` kept by a hard
link, the rename, the folder fsynced). Both are timed in one process, on one draft,
alternating answer by answer, so the two meet the same disk and the same load; the journal
is folded back into ``active.json`` by the whole writes in between, as it is by any other
change in the app. The active file is a copy of a kept compound's (``--from``), so each
whole write carries what a device's does.

    .venv/bin/python bench/answer_save.py --from /tmp/start22-fk100k --answers 200
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from fieldkit.model import ChecklistRef, Target  # noqa: E402
from fieldkit.store import Store  # noqa: E402

CHECKLIST = ChecklistRef("bench.answers", 1, "ab" * 32)


def p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=20)[18]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--from", dest="source", type=Path, help="a data folder to copy")
    parser.add_argument("--answers", type=int, default=200, help="answers each way")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="fk-answer-save-") as tmp:
        data = Path(tmp) / "data"
        data.mkdir()
        if args.source:
            shutil.copy(args.source / "active.json", data / "active.json")
        with Store.open(data) as store:
            draft = store.create_inspection(CHECKLIST, Target("route", "R-2-1")).id
            whole: list[float] = []
            journaled: list[float] = []
            for n in range(args.answers * 2):
                key, value = f"q{n % 60}", ("pass", "fail", "na")[n % 3]
                start = time.perf_counter()
                if n % 2:
                    store.save_answer(draft, key, value)
                    journaled.append((time.perf_counter() - start) * 1000)
                else:
                    with store.transaction():
                        store.save_answer(draft, key, value)
                    whole.append((time.perf_counter() - start) * 1000)
            size = store.active_size()
    print(f"active.json {size / 1e6:.1f} MB, {args.answers} answers each way, alternating")
    for name, samples in (("whole write (before)", whole), ("journal (after)", journaled)):
        print(f"{name:22} p50 {statistics.median(samples):6.2f} ms  p95 {p95(samples):6.2f} ms")


if __name__ == "__main__":
    main()
