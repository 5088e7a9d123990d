"""Scan to unit card with 20,000 units and 50,000 residents on the device.

One run on this machine: a compound of 20,000 flats (10 buildings × 4 entrances × 25
floors × 20 flats) with the demo registry (owners, tenants, households, permits, rentals)
topped up to 50,000 residents, and 300 open cases in the small active file (the card lists
a flat's open cases from it), written into a fresh data folder. Then, through the same
services the app calls:

- **first scan**: ``Workspace.lookup_scan`` of a QR payload plus ``registry.unit_card`` on a
  workspace just opened — this builds the places, label and registry indexes once;
- **scan → card**: the same for 500 random flats afterwards, p50 / p95 / max;
- **floor**: a plain ``dict`` lookup of the payload in a prebuilt {payload: unit} dict,
  the least any lookup can cost, printed beside it as a ratio.

Run: ``.venv/bin/python bench/unit_card.py`` (``--units 2000`` for a quicker run).
Target (issue 5): scan → card p95 <= 50 ms.
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from fieldkit.model import Case, Clock, Target, new_id
from fieldkit.model.registry import Resident
from fieldkit.services import demo, demo_registry, registry
from fieldkit.services.labels import LabelIndex
from fieldkit.services.workspace import Workspace
from fieldkit.store import Store

TARGET_MS = 50.0


def build(folder: Path, units: int, residents: int, open_cases: int) -> None:
    floors, flats, entrances = 25, 20, 4
    buildings = max(1, units // (floors * flats * entrances))
    refs = demo.compound(buildings=buildings, entrances=entrances, floors=floors, flats=flats)
    records = demo_registry.registry(refs)
    rng = random.Random(5)
    extra = residents - len(records["resident"])
    for _ in range(max(0, extra)):
        unit = rng.choice(refs["unit"])
        phone = f"139{rng.randint(0, 10**8 - 1):08d}"
        name = "王" + rng.choice("伟芳娜敏静")
        records["resident"].append(
            Resident(new_id(), unit.site_id, unit.id, role="household", name=name, phone=phone)
        )
    office = Clock("office0bench")
    cases = [
        Case.new(new_id(), "complaint", Target("unit", rng.choice(refs["unit"]).id), office.now(),
                 title="噪音投诉", department="customer_service").to_dict()
        for _ in range(open_cases)
    ]  # fmt: skip
    with Store.open(folder) as store:
        for entity, items in refs.items():
            store.put_reference(entity, items)
        for entity, items in records.items():
            store.put_reference(entity, items)
        store.apply_remote([{"entity": "case", "record": c} for c in cases], None, "bench")
    print(
        f"compound: {len(refs['unit'])} units, {len(records['resident'])} residents, "
        f"{len(records['renovation_permit'])} permits, {len(refs['asset'])} assets, "
        f"{open_cases} open cases in the active file"
    )


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--units", type=int, default=20_000)
    parser.add_argument("--residents", type=int, default=50_000)
    parser.add_argument("--scans", type=int, default=500)
    parser.add_argument("--cases", type=int, default=300, help="open cases on the device")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="fieldkit-bench-card-"))
    try:
        started = time.perf_counter()
        build(folder, args.units, args.residents, args.cases)
        print(f"written in {time.perf_counter() - started:.1f} s")
        with Store.open(folder, readonly=True) as store:
            payloads = [lb.payload for lb in LabelIndex.load(store).labels if lb.kind == "unit"]
        return run(folder, payloads, args.scans)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def run(folder: Path, payloads: list[str], scans: int) -> int:
    rng = random.Random(11)
    ws = Workspace.open(folder)
    try:
        t0 = time.perf_counter()
        first = ws.lookup_scan(payloads[0])
        registry.unit_card(ws, first.target)
        first_ms = (time.perf_counter() - t0) * 1000
        times = []
        for code in rng.sample(payloads, min(scans, len(payloads))):
            t0 = time.perf_counter()
            found = ws.lookup_scan(code)
            card = registry.unit_card(ws, found.target)
            times.append((time.perf_counter() - t0) * 1000)
            assert card.target.id == found.target.id
    finally:
        ws.close()
    floor_map = {p: i for i, p in enumerate(payloads)}
    floor = []
    for code in rng.sample(payloads, min(scans, len(payloads))):
        t0 = time.perf_counter()
        floor_map[code]
        floor.append((time.perf_counter() - t0) * 1000)
    times.sort()
    p50, p95 = statistics.median(times), times[max(0, int(len(times) * 0.95) - 1)]
    floor_p50 = statistics.median(floor)
    print(f"first scan (builds the indexes): {first_ms:.0f} ms")
    print(
        f"scan -> card over {len(times)} flats: p50 {p50:.2f} ms, p95 {p95:.2f} ms, "
        f"max {times[-1]:.2f} ms (target p95 <= {TARGET_MS:.0f} ms)"
    )
    print(f"floor (dict lookup): p50 {floor_p50 * 1000:.2f} µs; scan -> card / floor = "
          f"{p50 / floor_p50:,.0f}x")  # fmt: skip
    return 0 if p95 <= TARGET_MS else 1


if __name__ == "__main__":
    sys.exit(main())
