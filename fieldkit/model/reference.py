"""Reference data the office owns and devices pull: the compound (:class:`Site`), its
buildings, units (flats and shops), assets (extinguishers, hydrants, lifts ...) and patrol
checkpoints.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar

from fieldkit.model.base import Plain, personal


@dataclass(slots=True)
class Site(Plain):
    ENTITY: ClassVar[str] = "site"
    id: str
    name: str = ""
    code: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class Building(Plain):
    ENTITY: ClassVar[str] = "building"
    REQUIRED: ClassVar[tuple[str, ...]] = ("id", "site_id")
    id: str
    site_id: str
    name: str = ""
    code: str = ""
    floors: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class Unit(Plain):
    """A flat or shop. ``label`` is the text its QR code carries; personal data is masked
    by the server unless the device's role needs it."""

    ENTITY: ClassVar[str] = "unit"
    REQUIRED: ClassVar[tuple[str, ...]] = ("id", "site_id")
    id: str
    site_id: str
    building_id: str | None = None
    number: str = ""
    floor: int | None = None
    label: str = ""
    owner_name: str = personal("name")
    owner_phone: str = personal("phone")
    special_care: list[str] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class Asset(Plain):
    ENTITY: ClassVar[str] = "asset"
    REQUIRED: ClassVar[tuple[str, ...]] = ("id", "site_id", "kind")
    id: str
    site_id: str
    kind: str
    building_id: str | None = None
    unit_id: str | None = None
    name: str = ""
    location: str = ""
    label: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class Checkpoint(Plain):
    ENTITY: ClassVar[str] = "checkpoint"
    REQUIRED: ClassVar[tuple[str, ...]] = ("id", "site_id")
    id: str
    site_id: str
    building_id: str | None = None
    name: str = ""
    location: str = ""
    label: str = ""
    extra: dict[str, Any] = field(default_factory=dict)
