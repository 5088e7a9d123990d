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
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from fieldkit.model import (
    Asset,
    Building,
    Case,
    ChecklistRef,
    Checkpoint,
    Clock,
    Event,
    Inspection,
    Site,
    Unit,
    new_id,
)
from fieldkit.model import Target as ModelTarget
from fieldkit.services import lifecycle
from fieldkit.services.cases import SEVERITIES, iso
from fieldkit.store import Store

DAY = 86400.0
PAGE = 2000
STREAM = "demo"
ROUND = "fire.extinguisher.floor_round"
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
    forward = [s.id for s in lifecycle.for_kind("finding").states if s.id != "cancelled"]
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
        path = list(forward[1 : steps + 1])
        kind = "unit" if pool == "unit" else "asset"
        yield {
            "target": ModelTarget(kind, place.id),
            "title": title,
            "department": department,
            "severity": rng.choice(SEVERITIES),
            "due": iso(due),
            "created": created,
            "building": code_of.get(place.building_id, ""),
            "where": place.label,
            "path": path,
        }


def past_id(when: float, rng: random.Random) -> str:
    """A UUIDv7 made at ``when`` (the layout of :func:`fieldkit.model.new_id`): history was
    created in the past, and the store files finished records by their id's month, so a
    year of history lands in twelve archive files as it would on a real device."""
    ms = int(when * 1000) & ((1 << 48) - 1)
    value = ms << 80 | 0x7 << 76 | rng.getrandbits(12) << 64 | 0b10 << 62 | rng.getrandbits(62)
    return str(uuid.UUID(int=value))


def iso_utc(when: float) -> str:
    return (
        datetime.fromtimestamp(when, UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
    )


def _history_records(refs, specs, rng: random.Random, now: float, checklists) -> list[dict]:
    """The compound's past as the office would send it: cases with their status events, and
    submitted floor rounds (some recent, some overdue), as ``apply_remote`` changes."""
    office = Clock("office0demo0")
    changes = []
    for spec in specs:
        case = Case.new(
            past_id(spec["created"], rng), "finding", spec["target"], office.now(),
            device="office0demo0", created_at=iso_utc(spec["created"]),
            title=spec["title"]["zh"], department=spec["department"], severity=spec["severity"],
            due=spec["due"], extra={"titles": spec["title"], "where": spec["where"],
                                    "building": spec["building"]},
        )  # fmt: skip
        before = "open"
        for status in spec["path"]:
            case.set_status(status, office.now())
            case.add_event(
                Event(new_id(), "status", str(office.now()), data={"from": before, "to": status})
            )
            before = status
        changes.append({"entity": "case", "record": case.to_dict()})
    round_ = checklists.get(ROUND)
    if round_ is not None:
        for n, route in enumerate(refs["checkpoint"]):
            days = 12 if n % 2 == 0 else 41
            inspection = Inspection(
                id=new_id(),
                checklist=ChecklistRef(round_.id, round_.version, round_.content_hash),
                target=ModelTarget("route", route.id),
                hlc=str(office.now()),
                device="office0demo0",
                status="submitted",
                submitted_at=iso(now - days * DAY - rng.random() * 3600),
            )
            changes.append({"entity": "inspection", "record": inspection.to_dict()})
    return changes


def generate(
    data_dir: Path,
    *,
    cases: int = 120,
    seed: int = 7,
    now: float | None = None,
    floors: int = 18,
) -> dict[str, int]:
    """Write a demo compound into ``data_dir``; FileExistsError if it holds one already.

    Reference data goes in as a local import; the history (cases, past rounds) goes in
    through ``apply_remote``, as if pulled from the office, so none of it waits in the
    outbox and 100k cases take seconds, not minutes."""
    from fieldkit.services.catalog import load_checklists

    now = time.time() if now is None else now
    rng = random.Random(seed)
    store = Store.open(data_dir, command="fieldkit demo")
    try:
        if store.reference("building"):
            raise FileExistsError(str(data_dir))
        refs = compound(floors=floors)
        for entity, records in refs.items():
            store.put_reference(entity, records)
        specs = list(_history(refs, cases, rng, now))
        changes = _history_records(refs, specs, rng, now, load_checklists(data_dir))
        changes.sort(key=lambda c: c["record"]["id"])  # each page fills one month's archive
        for start in range(0, len(changes), PAGE):
            store.apply_remote(changes[start : start + PAGE], None, stream=STREAM)
            store.archive()
        from fieldkit.services import demo_registry

        counts = {entity: len(records) for entity, records in refs.items()}
        counts["case"] = len(specs)
        counts.update(demo_registry.add_to(store, refs, seed, now))
        return counts
    finally:
        store.close()
