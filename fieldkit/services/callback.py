"""Whom the desk phones back about a case: the owners on record of its flat — both flats of
a neighbour dispute — masked as every screen shows residents. The case detail lists them,
and reveals one's phone number for the call (with a reason, recorded first: the rules of
:mod:`fieldkit.services.reveals`) without a detour through the unit card."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fieldkit.model import localtime
from fieldkit.model.personal import mask
from fieldkit.services.disputes import sides_of

#: What a call back reveals of an owner: the number to ring, nothing more (the least data
#: for the purpose — never the ID number).
NEEDS = ("phone",)


@dataclass(frozen=True)
class Contact:
    resident_id: str
    where: str  # the flat's number (3-2-502)
    side: str  # a | b on a dispute, "" on any other case
    name: str  # masked
    phone: str  # masked


def contacts(workspace: Any, case_id: str) -> tuple[Contact, ...]:
    """The owners living in the case's flat(s) now, the reporting side first; () when the
    case is not on a flat or no owner is on record."""
    from fieldkit.services.registry import index_for

    case = workspace.store.get_case(case_id)
    if case is None:
        return ()
    flats = [(key, side.get("unit", ""), side.get("where", ""))
             for key, side in sorted(sides_of(case).items())]  # fmt: skip
    if not flats:
        if case.target.kind != "unit":
            return ()
        flats = [("", case.target.id, str((case.extra or {}).get("where") or ""))]
    index = index_for(workspace)
    today = localtime.today()
    found = []
    for side, unit_id, where in flats:
        place = workspace.places.by_id.get(unit_id)
        where = where or (place.code if place else "")
        for resident in index.residents_of(unit_id):
            if resident.role == "owner" and resident.current(today):
                found.append(Contact(resident.id, where, side, mask("name", resident.name),
                                     mask("phone", resident.phone)))  # fmt: skip
    return tuple(found)
