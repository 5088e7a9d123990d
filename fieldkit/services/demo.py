"""A demo compound to try the app on: buildings, flats, fire equipment, cases and history.

Codes follow what is painted on site: flat ``3-2-1502`` is building 3, entrance (单元) 2,
floor 15, flat 02; ``EXT-3-2-15`` is the extinguisher on that landing, ``HYD-3-2-15`` the
hydrant cabinet, ``R-3-2`` the stairwell route a floor round walks. Deterministic for a seed.
"""

from __future__ import annotations

import random
import time
from pathlib import Path
from typing import Any

from fieldkit.model.ids import new_id
from fieldkit.services.cases import DEPARTMENTS, DONE, NEXT, SEVERITIES
from fieldkit.services.journal import Journal

DAY = 86400.0

_PROBLEMS = [
    ({"zh": "灭火器压力不足", "en": "Extinguisher pressure low"}, "engineering", "EXT"),
    ({"zh": "灭火器前堆放杂物", "en": "Extinguisher blocked by clutter"}, "security", "EXT"),
    ({"zh": "消防栓箱门打不开", "en": "Hydrant cabinet door sticks"}, "engineering", "HYD"),
    ({"zh": "消防栓水带缺失", "en": "Hydrant hose missing"}, "engineering", "HYD"),
    ({"zh": "楼道堆放装修垃圾", "en": "Renovation debris in the corridor"}, "cleaning", "UNIT"),
    ({"zh": "非许可时间施工噪音", "en": "Noisy work outside permitted hours"}, "security", "UNIT"),
    ({"zh": "楼下绿化带被踩踏", "en": "Flower bed trampled below"}, "landscaping", "UNIT"),
    ({"zh": "业主投诉电梯异响", "en": "Owner reports lift noise"}, "customer_service", "UNIT"),
]


def compound(
    buildings: int = 3, entrances: int = 2, floors: int = 18, flats: int = 4
) -> list[tuple[str, str, dict[str, Any]]]:
    """Reference records: buildings, routes, flats, extinguishers, hydrant cabinets."""
    out: list[tuple[str, str, dict[str, Any]]] = []
    for b in range(1, buildings + 1):
        code = str(b)
        out.append(
            ("building", code, {"code": code, "name": {"zh": f"{b}号楼", "en": f"Building {b}"}})
        )
        for e in range(1, entrances + 1):
            route = f"R-{b}-{e}"
            out.append(
                (
                    "route",
                    route,
                    {
                        "code": route,
                        "building": code,
                        "name": {
                            "zh": f"{b}号楼{e}单元楼梯间",
                            "en": f"Building {b} entrance {e} stairwell",
                        },
                    },
                )
            )
            for f in range(1, floors + 1):
                for kind, prefix, zh, en in (
                    ("extinguisher", "EXT", "灭火器", "Extinguisher"),
                    ("hydrant_cabinet", "HYD", "消防栓", "Hydrant cabinet"),
                ):
                    asset = f"{prefix}-{b}-{e}-{f}"
                    out.append(
                        (
                            "asset",
                            asset,
                            {
                                "code": asset,
                                "building": code,
                                "route": route,
                                "floor": f,
                                "asset_kind": kind,
                                "name": {
                                    "zh": f"{zh} {b}号楼{e}单元{f}层",
                                    "en": f"{en}, building {b} entrance {e} floor {f}",
                                },
                            },
                        )
                    )
                for n in range(1, flats + 1):
                    flat = f"{b}-{e}-{f}{n:02d}"
                    out.append(
                        (
                            "unit",
                            flat,
                            {
                                "code": flat,
                                "building": code,
                                "floor": f,
                                "name": {
                                    "zh": f"{b}号楼{e}单元{f}{n:02d}室",
                                    "en": f"Building {b} entrance {e} flat {f}{n:02d}",
                                },
                            },
                        )
                    )
    return out


def demo_cases(
    refs: list[tuple[str, str, dict[str, Any]]], count: int, rng: random.Random, now: float
) -> list[dict[str, Any]]:
    """``count`` cases over the last months: most closed, some open, a few overdue."""
    by_prefix: dict[str, list[dict[str, Any]]] = {"EXT": [], "HYD": [], "UNIT": []}
    for kind, code, rec in refs:
        if kind == "unit":
            by_prefix["UNIT"].append(rec)
        elif kind == "asset":
            by_prefix[code.split("-")[0]].append(rec)
    out = []
    for number in range(1, count + 1):
        title, department, prefix = rng.choice(_PROBLEMS)
        target = rng.choice(by_prefix[prefix])
        created = now - rng.random() * 90 * DAY * (1 if number > count - 60 else 4)
        if number > count - 60:
            created = now - rng.random() * 6 * DAY
        due = created + rng.choice((4 * 3600, DAY, 3 * DAY))
        events = [{"at": created, "kind": "raised", "status": "open", "text": ""}]
        status = "open"
        steps = rng.randint(0, 4) if number > count - 60 else 4
        at = created
        for _ in range(steps):
            options = [s for s in NEXT[status] if s != "rejected"] or list(NEXT[status])
            if not options:
                break
            status = options[0]
            at += rng.random() * DAY / 2
            events.append({"at": min(at, now), "kind": "status", "status": status, "text": ""})
        if status not in DONE and number <= count - 60:
            status = "closed"
        out.append(
            {
                "id": new_id(),
                "number": number,
                "kind": "finding",
                "title": title,
                "target_id": target["id"],
                "target_label": target["code"],
                "building": target["building"],
                "department": department if department in DEPARTMENTS else "engineering",
                "severity": rng.choice(SEVERITIES),
                "status": status,
                "created": created,
                "updated": events[-1]["at"],
                "due": due,
                "inspection_id": None,
                "item": "",
                "events": events,
            }
        )
    out.sort(key=lambda c: c["created"])
    for number, case in enumerate(out, 1):
        case["number"] = number
    return out


def generate(
    data_dir: Path,
    *,
    cases: int = 120,
    seed: int = 7,
    now: float | None = None,
    floors: int = 18,
) -> dict[str, int]:
    """Write a demo compound into ``data_dir`` (which must not hold one already)."""
    now = time.time() if now is None else now
    rng = random.Random(seed)
    data_dir.mkdir(parents=True, exist_ok=True)
    journal = Journal.open(data_dir)
    try:
        if journal.count("building"):
            raise FileExistsError(str(data_dir))
        refs = compound(floors=floors)
        records = []
        for kind, _code, rec in refs:
            rec["id"] = new_id()
            records.append((kind, rec["id"], rec))
        batch = 5000
        for start in range(0, len(records), batch):
            journal.put(records[start : start + batch])
        made = demo_cases(refs, cases, rng, now)
        for start in range(0, len(made), batch):
            journal.put([("case", c["id"], c) for c in made[start : start + batch]])
        counts: dict[str, int] = {}
        for kind, _, _ in records:
            counts[kind] = counts.get(kind, 0) + 1
        counts["case"] = len(made)
        return counts
    finally:
        journal.close()
