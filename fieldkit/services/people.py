"""People first: the flats in an incident's buildings whose residents need help.

Special-care flags live on the unit in the office's registry (``Unit.special_care``, a list
of the codes in :data:`CARE_FLAGS`); the device shows the flags, never the reasons behind
them, and the owner's name and phone only as the office masked them. A flat is "checked"
once the incident's timeline holds a ``people_checked`` entry for it, so the ticks sync
with the timeline and nobody can untick a check that was made.

Which flats are listed: every flagged flat in the affected buildings (the building of the
incident's place; the whole compound when the incident has no place). For water coming
down (burst pipe, flooding) the flats below the place, in the same stack, come first.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

CARE_FLAGS = (
    "elderly_alone",  # 独居老人
    "mobility",  # 行动不便 / 轮椅
    "bedridden",  # 卧床
    "medical_device",  # 依赖用电的医疗设备（制氧机等）
    "visual",  # 视障
    "hearing",  # 听障
    "infant",  # 婴幼儿
    "pregnant",  # 孕妇
)
WATER_DOWN = frozenset({"flooding", "burst_pipe", "rainstorm", "typhoon"})
_STACK = re.compile(r"^(\d+)-(\d+)-(\d+?)(\d{2})$")


@dataclass(frozen=True)
class CareUnit:
    unit_id: str
    code: str
    name: dict[str, str]
    building_id: str
    floor: int | None
    flags: tuple[str, ...]
    owner: str  # as masked by the office
    phone: str  # as masked by the office
    below: bool  # in the same stack as the incident's flat, on a lower floor
    checked: bool = False
    checked_at: str = ""
    checked_note: str = ""


def _stack(unit: Any) -> tuple[str, str, str] | None:
    """(building, entrance, flat-in-floor) for codes like ``3-2-1502``; None otherwise."""
    match = _STACK.match(unit.number or unit.label or "")
    if not match:
        return None
    return match.group(1), match.group(2), match.group(4)


def care_units(
    units: Iterable[Any],
    buildings: set[str] | None,
    place_unit: Any | None,
    incident_type: str,
    checked: dict[str, tuple[str, str]],
) -> list[CareUnit]:
    """Flagged flats in ``buildings`` (None: all), ``below`` ones first for water coming
    down; ``checked`` maps unit id to (when, note) from the timeline."""
    stack = _stack(place_unit) if place_unit is not None else None
    top = place_unit.floor if place_unit is not None else None
    out = []
    for unit in units:
        if not unit.special_care:
            continue
        if buildings is not None and unit.building_id not in buildings:
            continue
        below = (
            incident_type in WATER_DOWN
            and stack is not None
            and top is not None
            and unit.floor is not None
            and unit.floor < top
            and _stack(unit) == stack
        )
        names = unit.extra.get("names") if isinstance(unit.extra, dict) else None
        when, note = checked.get(unit.id, ("", ""))
        out.append(
            CareUnit(
                unit_id=unit.id,
                code=unit.label or unit.number,
                name=dict(names) if isinstance(names, dict) else {"zh": unit.number},
                building_id=unit.building_id or "",
                floor=unit.floor,
                flags=tuple(f for f in unit.special_care if isinstance(f, str)),
                owner=unit.owner_name,
                phone=unit.owner_phone,
                below=below,
                checked=unit.id in checked,
                checked_at=when,
                checked_note=note,
            )
        )
    out.sort(key=lambda c: (not c.below, -(c.floor or 0) if c.below else (c.floor or 0), c.code))
    return out


_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高"


def mark_demo_residents(units: list[Any], rng: random.Random, share: float = 0.06) -> int:
    """Give about ``share`` of the demo flats special-care residents (masked names and
    phones, as the office would send them); changes the records in place."""
    marked = 0
    for unit in units:
        if rng.random() >= share:
            continue
        count = 1 + (rng.random() < 0.3)
        unit.special_care = sorted(rng.sample(CARE_FLAGS, count))
        unit.owner_name = rng.choice(_SURNAMES) + "**"
        unit.owner_phone = f"1{rng.randint(30, 89)}****{rng.randint(0, 9999):04d}"
        marked += 1
    return marked
