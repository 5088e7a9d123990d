"""Every record kind by its name (DESIGN §3), and reading one from its dict.

Each kind is a dataclass in a module of its own, built on :mod:`fieldkit.model.base`:

- :mod:`~fieldkit.model.inspection` — Inspection (a run of a checklist against a target);
- :mod:`~fieldkit.model.case` — Case (finding, repair, complaint, violation, dispute);
- :mod:`~fieldkit.model.incident` — Incident (an emergency, its timeline and plan);
- :mod:`~fieldkit.model.reference` — Site, Building, Unit, Asset, Checkpoint (pulled);
- :mod:`~fieldkit.model.registry` — Resident, RenovationPermit, RentalRegistration (pulled);
- :mod:`~fieldkit.model.reveal` — Reveal (someone saw a personal value in full);
- :mod:`~fieldkit.model.patrol` — PatrolRoute (pulled) and PatrolRound (walked here).

``RECORD_TYPES`` maps each ``ENTITY`` to its class; :func:`record_from_dict` uses it, and
:func:`checked_dict` (the dict a record is stored as, checked without building it).
``REFERENCE_ENTITIES`` are the kinds the office owns and devices only pull.
"""

from __future__ import annotations

from fieldkit.model.base import ModelError, Plain
from fieldkit.model.case import Case
from fieldkit.model.incident import Incident
from fieldkit.model.inspection import Inspection
from fieldkit.model.patrol import PatrolRound, PatrolRoute
from fieldkit.model.reference import Asset, Building, Checkpoint, Site, Unit
from fieldkit.model.registry import RenovationPermit, RentalRegistration, Resident
from fieldkit.model.reveal import Reveal

RECORD_TYPES: dict[str, type[Plain]] = {
    cls.ENTITY: cls  # type: ignore[attr-defined]
    for cls in (
        Inspection,
        Case,
        Incident,
        Site,
        Building,
        Unit,
        Asset,
        Checkpoint,
        Resident,
        RenovationPermit,
        RentalRegistration,
        Reveal,
        PatrolRoute,
        PatrolRound,
    )
}
REFERENCE_ENTITIES = (
    "site",
    "building",
    "unit",
    "asset",
    "checkpoint",
    "resident",
    "renovation_permit",
    "rental",
    "patrol_route",
)


def record_from_dict(entity: str, data: object) -> Plain:
    """Read a record of kind ``entity`` ("case", "unit" ...) from its dict."""
    try:
        cls = RECORD_TYPES[entity]
    except KeyError:
        raise ModelError(f"unknown record kind {entity!r}") from None
    return cls.from_dict(data)


def checked_dict(entity: str, data: object) -> dict:
    """``record_from_dict(entity, data).to_dict()``, or its ModelError, without building
    the record (:meth:`~fieldkit.model.base.Plain.checked_dict`): a pulled page's records."""
    try:
        cls = RECORD_TYPES[entity]
    except KeyError:
        raise ModelError(f"unknown record kind {entity!r}") from None
    return cls.checked_dict(data)
