"""The demo compound's night patrol (夜间巡更): checkpoints at the gates, the car park, the
fire pump room and each building's roof door, and two night routes over them with timed
checkpoints.

Each checkpoint has a painted code for its QR label (``GATE-N``) and an NFC tag id
(``extra["tag"]``, the 7-byte UID a USB reader types as 14 hex digits and Enter), so a
guard can walk a route with either. Deterministic for a seed (record ids aside).
"""

from __future__ import annotations

import random
from typing import Any

from fieldkit.model import Checkpoint, new_id
from fieldkit.model.patrol import PatrolRoute, PatrolStop

#: code, zh name, en name (a building's roof door is added per building)
POINTS = (
    ("GATE-N", "北大门岗亭", "North gate lodge"),
    ("GATE-S", "南大门岗亭", "South gate lodge"),
    ("PARK-B1", "地下车库入口", "Car park entrance (B1)"),
    ("PARK-B1-E", "地下车库东区", "Car park east bay (B1)"),
    ("PUMP", "消防泵房", "Fire pump room"),
)
#: name, stops as (code, minutes after the start); every stop ± TOLERANCE minutes
ROUTES = (
    ({"zh": "夜间巡更一线：大门与车库", "en": "Night route 1: gates and car park"},
     (("GATE-N", 0), ("PARK-B1", 8), ("PARK-B1-E", 15), ("PUMP", 22), ("GATE-S", 32))),
    ({"zh": "夜间巡更二线：楼顶门", "en": "Night route 2: roof doors"},
     (("PUMP", 0), ("ROOF-1", 10), ("ROOF-2", 20), ("ROOF-3", 30))),
)  # fmt: skip
TOLERANCE = 5


def tag_id(rng: random.Random) -> str:
    """A 7-byte NFC UID as a reader types it: NXP's manufacturer byte 04, then six more."""
    return "04" + "".join(f"{rng.randrange(256):02X}" for _ in range(6))


def night_patrol(refs: dict[str, list[Any]], seed: int = 7) -> dict[str, list[Any]]:
    """Checkpoints and routes for the compound in ``refs`` (as ``demo.compound`` made)."""
    rng = random.Random(seed * 4099)
    site = refs["site"][0]
    points: dict[str, Checkpoint] = {}
    for code, zh, en in POINTS:
        points[code] = Checkpoint(
            id=new_id(), site_id=site.id, name=zh, label=code, location=en,
            extra={"kind": "checkpoint", "names": {"zh": zh, "en": en}, "tag": tag_id(rng)},
        )  # fmt: skip
    for building in refs["building"]:
        code = f"ROOF-{building.code}"
        names = {"zh": f"{building.code}号楼屋顶门", "en": f"Roof door, Building {building.code}"}
        points[code] = Checkpoint(
            id=new_id(), site_id=site.id, building_id=building.id, name=names["zh"],
            label=code, extra={"kind": "checkpoint", "names": names, "tag": tag_id(rng)},
        )  # fmt: skip
    routes = []
    for names, stops in ROUTES:
        walked = [(points[code], after) for code, after in stops if code in points]
        routes.append(
            PatrolRoute(
                id=new_id(), site_id=site.id, name=names["zh"],
                stops=[PatrolStop(p.id, after=after, tolerance=TOLERANCE) for p, after in walked],
                extra={"names": names},  # its rhythm is its checklist's `every`
            )
        )  # fmt: skip
    return {"checkpoint": list(points.values()), "patrol_route": routes}


def add_to(store: Any, refs: dict[str, list[Any]], seed: int = 7) -> dict[str, int]:
    """Write the night patrol's checkpoints and routes into ``store``; returns the counts."""
    records = night_patrol(refs, seed)
    for entity, items in records.items():
        store.put_reference(entity, items)
    return {"patrol_checkpoint": len(records["checkpoint"]),
            "patrol_route": len(records["patrol_route"])}  # fmt: skip
