"""A demo compound to try the app on: buildings, flats, fire equipment, cases and history,
written through the store like data pulled from the office.

Codes follow what is painted on site: flat ``3-2-1502`` is building 3, entrance (单元) 2,
floor 15, flat 02; ``EXT-3-2-15`` is the extinguisher on that landing, ``HYD-3-2-15`` the
hydrant cabinet, ``R-3-2`` the stairwell route a floor round walks. Deterministic for a seed
(except the record ids, which are UUIDv7s made now).
"""

from __future__ import annotations

import random
import time
from pathlib import Path
from typing import Any

from fieldkit.model import Asset, Building, Checkpoint, Site, Unit, new_id
from fieldkit.model import Target as ModelTarget
from fieldkit.services.cases import NEXT, REOPENS, SEVERITIES, iso
from fieldkit.store import Store

DAY = 86400.0
BATCH = 500
SITE = {"zh": "翠湖苑", "en": "Cuihu Garden"}

_PROBLEMS = [
    ({"zh": "灭火器压力不足", "en": "Extinguisher pressure low"}, "engineering", "extinguisher"),
    ({"zh": "灭火器前堆放杂物", "en": "Extinguisher blocked"}, "security", "extinguisher"),
    ({"zh": "消防栓箱门打不开", "en": "Hydrant cabinet door sticks"}, "engineering", "hydrant"),
    ({"zh": "消防栓水带缺失", "en": "Hydrant hose missing"}, "engineering", "hydrant"),
    ({"zh": "楼道堆放装修垃圾", "en": "Renovation debris in the corridor"}, "cleaning", "unit"),
    ({"zh": "非许可时间施工噪音", "en": "Noisy work outside permitted hours"}, "security", "unit"),
    ({"zh": "楼下绿化带被踩踏", "en": "Flower bed trampled below"}, "landscaping", "unit"),
    ({"zh": "业主投诉电梯异响", "en": "Owner reports lift noise"}, "customer_service", "unit"),
]  # fmt: skip


def compound(
    buildings: int = 3, entrances: int = 2, floors: int = 18, flats: int = 4
) -> dict[str, list[Any]]:
    """Reference records: the site, buildings, stairwell routes, flats, extinguishers and
    hydrant cabinets (one of each per landing)."""
    site = Site(id=new_id(), name=SITE["zh"], code="CH", extra={"names": SITE})
    out: dict[str, list[Any]] = {
        "site": [site],
        "building": [],
        "checkpoint": [],
        "unit": [],
        "asset": [],
    }
    for b in range(1, buildings + 1):
        names = {"zh": f"{b}号楼", "en": f"Building {b}"}
        building = Building(id=new_id(), site_id=site.id, name=names["zh"], code=str(b),
                            floors=floors, extra={"names": names})  # fmt: skip
        out["building"].append(building)
        for e in range(1, entrances + 1):
            route = f"R-{b}-{e}"
            names = {"zh": f"{b}号楼{e}单元楼梯间", "en": f"Building {b} entrance {e} stairwell"}
            out["checkpoint"].append(
                Checkpoint(id=new_id(), site_id=site.id, building_id=building.id,
                           name=names["zh"], label=route, extra={"kind": "route", "names": names})
            )  # fmt: skip
            for f in range(1, floors + 1):
                for kind, prefix, zh, en in (
                    ("extinguisher", "EXT", "灭火器", "Extinguisher"),
                    ("hydrant_cabinet", "HYD", "消防栓", "Hydrant cabinet"),
                ):
                    names = {"zh": f"{zh} {b}号楼{e}单元{f}层",
                             "en": f"{en}, building {b} entrance {e} floor {f}"}  # fmt: skip
                    out["asset"].append(
                        Asset(id=new_id(), site_id=site.id, kind=kind, building_id=building.id,
                              name=names["zh"], location=f"{b}-{e} {f}F",
                              label=f"{prefix}-{b}-{e}-{f}",
                              extra={"names": names, "route": route, "floor": f})
                    )  # fmt: skip
                for n in range(1, flats + 1):
                    number = f"{b}-{e}-{f}{n:02d}"
                    names = {"zh": f"{b}号楼{e}单元{f}{n:02d}室",
                             "en": f"Building {b} entrance {e} flat {f}{n:02d}"}  # fmt: skip
                    out["unit"].append(
                        Unit(id=new_id(), site_id=site.id, building_id=building.id,
                             number=number, floor=f, label=number, extra={"names": names})
                    )  # fmt: skip
    return out


def _history(refs: dict[str, list[Any]], count: int, rng: random.Random, now: float):
    """``count`` cases: the last 60 recent and at various steps, the rest closed history."""
    code_of = {b.id: b.code for b in refs["building"]}
    pools: dict[str, list[Any]] = {"unit": refs["unit"]}
    for asset in refs["asset"]:
        pools.setdefault(asset.kind.removesuffix("_cabinet"), []).append(asset)
    for number in range(count):
        recent = number >= count - 60
        title, department, pool = rng.choice(_PROBLEMS)
        place = rng.choice(pools[pool])
        created = now - rng.random() * (6 if recent else 360) * DAY
        due = created + rng.choice((4 * 3600, DAY, 3 * DAY))
        steps = rng.randint(0, 4) if recent else 5
        status, path = "open", []
        for _ in range(steps):
            forward = [s for s in NEXT[status] if s != "cancelled" and (status, s) not in REOPENS]
            if not forward:
                break
            status = forward[0]
            path.append(status)
        kind = "unit" if pool == "unit" else "asset"
        yield {
            "target": ModelTarget(kind, place.id),
            "title": title,
            "department": department,
            "severity": rng.choice(SEVERITIES),
            "due": iso(due),
            "building": code_of.get(place.building_id, ""),
            "where": place.label,
            "path": path,
        }


def generate(
    data_dir: Path,
    *,
    cases: int = 120,
    seed: int = 7,
    now: float | None = None,
    floors: int = 18,
) -> dict[str, int]:
    """Write a demo compound into ``data_dir``; FileExistsError if it holds one already."""
    now = time.time() if now is None else now
    rng = random.Random(seed)
    store = Store.open(data_dir, command="fieldkit demo")
    try:
        if store.reference("building"):
            raise FileExistsError(str(data_dir))
        refs = compound(floors=floors)
        for entity, records in refs.items():
            store.put_reference(entity, records)
        made = list(_history(refs, cases, rng, now))
        for start in range(0, len(made), BATCH):
            with store.transaction():
                for spec in made[start : start + BATCH]:
                    case = store.create_case(
                        "finding",
                        spec["target"],
                        title=spec["title"]["zh"],
                        department=spec["department"],
                        severity=spec["severity"],
                        due=spec["due"],
                        extra={"titles": spec["title"], "where": spec["where"],
                               "building": spec["building"]},
                    )  # fmt: skip
                    for status in spec["path"]:
                        store.set_case_status(case.id, status)
            store.archive()
        counts = {entity: len(records) for entity, records in refs.items()}
        counts["case"] = len(made)
        return counts
    finally:
        store.close()
