"""People first: the flats in an incident's buildings whose residents need help.

Special-care flags come from the registry the office sends: the unit's own
``Unit.special_care`` and its current residents' ``Resident.special_care``
(:data:`fieldkit.model.registry.SPECIAL_CARE`: elderly living alone, disabled, needs help to
evacuate), read through :func:`fieldkit.services.registry.index_for`. Names and phones are
shown masked (:func:`fieldkit.model.personal.mask`); the coordinator reveals one, for a
reason, with :func:`fieldkit.services.reveals.reveal`.

A flat is "checked" once the incident's timeline holds a ``people_checked`` entry for it, so
the ticks sync with the timeline and nobody can untick a check that was made.

Which flats are listed: every flagged flat in the incident's places (its buildings and
entrances, the building of a flat; the whole compound when it has no place), chosen by the
caller (:func:`fieldkit.services.incidents.people`). When it is water (a burst
pipe or flooding, a rainstorm, a typhoon) the flats below a flat of the incident, in the same stack
(same building, entrance and flat number), come first, nearest floor first (the water comes
down to them); the others follow lowest floor first, since a flood reaches the ground floor
and the basement first. A power cut stops the lifts: the highest floors first, whose
residents cannot get down or have water and oxygen carried up (nc34). For any other
incident: by building, entrance and floor.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from fieldkit.model import localtime
from fieldkit.model.personal import mask

WATER_DOWN = frozenset({"flooding", "rainstorm", "typhoon"})
LIFTS_DOWN = frozenset({"power_cut"})
_STACK = re.compile(r"^(\d+)-(\d+)-(\d+?)(\d{2})$")


@dataclass(frozen=True)
class CareUnit:
    unit_id: str
    code: str
    name: dict[str, str]
    building_id: str
    floor: int | None
    flags: tuple[str, ...]
    contact: str  # the flagged resident's name, masked
    phone: str  # masked
    below: bool  # in the same stack as the incident's flat, on a lower floor
    checked: bool = False
    checked_at: str = ""
    checked_note: str = ""
    resident_id: str = ""  # whose contact and phone these are (to reveal one)
    confirm: bool = True  # each checked on, or decided at close (``incidents.to_confirm``)


def _stack(unit: Any) -> tuple[str, str, str] | None:
    """(building, entrance, flat-in-floor) for codes like ``3-2-1502``; None otherwise."""
    match = _STACK.match(unit.number or unit.label or "")
    if not match:
        return None
    return match.group(1), match.group(2), match.group(4)


def care_units(
    units: Iterable[Any],
    residents: Mapping[str, list[Any]],
    place_units: Sequence[Any],
    incident_type: str,
    checked: dict[str, tuple[str, str]],
    today: date | None = None,
) -> list[CareUnit]:
    """The flagged flats among ``units``, ``below`` one of ``place_units`` first when
    water comes down; ``residents`` maps unit id to its residents; ``checked`` maps unit id
    to (when, note) from the timeline."""
    today = today or localtime.today()
    above = [(s, u.floor) for u in place_units if (s := _stack(u)) and u.floor is not None]
    out = []
    for unit in units:
        living = [r for r in residents.get(unit.id, ()) if r.current(today)]
        flagged = [r for r in living if r.special_care]
        flags = dict.fromkeys([*unit.special_care, *(f for r in flagged for f in r.special_care)])
        if not flags:
            continue
        contact = (flagged or living or [None])[0]
        below = (
            incident_type in WATER_DOWN
            and unit.floor is not None
            and any(unit.floor < top and _stack(unit) == stack for stack, top in above)
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
                flags=tuple(str(f) for f in flags),
                contact=mask("name", contact.name) if contact else "",
                phone=mask("phone", contact.phone) if contact else "",
                below=below,
                checked=unit.id in checked,
                checked_at=when,
                checked_note=note,
                resident_id=contact.id if contact else "",
            )
        )
    water, lifts = incident_type in WATER_DOWN, incident_type in LIFTS_DOWN
    out.sort(key=lambda c: _order(c, water, lifts))
    return out


def _order(c: CareUnit, water: bool, lifts: bool = False) -> tuple:
    """Below first, nearest floor first; then, for water, lowest floor first; with the
    lifts down, by building and entrance, highest floor first; else by building, entrance,
    floor and flat."""
    stack = _STACK.match(c.code)
    where = (int(stack.group(1)), int(stack.group(2))) if stack else (0, 0)
    if c.below:
        return (0, -(c.floor or 0), where, c.code)
    if water:
        return (1, c.floor if c.floor is not None else 1_000, where, c.code)
    if lifts:  # one stairwell at a time, from the top
        return (1, where, -(c.floor or 0), c.code)
    return (1, 0, where, c.floor or 0, c.code)
