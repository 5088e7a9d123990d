"""The places and equipment of a compound as the app shows them, read from the store's
reference data: buildings, stairwell routes (checkpoints with ``extra.kind == "route"``),
flats and assets, each with its painted code and a name in both languages.

Reference records carry one ``name`` (as the office typed it); a name in both languages,
when the office has one, is in ``extra["names"] = {"zh": ..., "en": ...}`` (``name`` itself
is a model field, so an extra under that key would not survive a round trip).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from fieldkit.services import tags
from fieldkit.services.pinyin import initials
from fieldkit.services.scan_shape import code_starts
from fieldkit.services.types import Target


def _names(record: Any) -> dict[str, str]:
    names = record.extra.get("names") if isinstance(record.extra, dict) else None
    if isinstance(names, dict) and names:
        return {k: str(v) for k, v in names.items()}
    text = getattr(record, "name", "") or getattr(record, "number", "") or record.id
    return {"zh": text, "en": text}


@dataclass
class Places:
    """Every target by id and by code, with a search haystack per target."""

    targets: list[Target] = field(default_factory=list)
    by_id: dict[str, Target] = field(default_factory=dict)
    by_code: dict[str, Target] = field(default_factory=dict)
    assets: dict[str, dict[str, Any]] = field(default_factory=dict)
    haystack: dict[str, str] = field(default_factory=dict)
    by_tag: dict[str, Target] = field(default_factory=dict)  # NFC tag id -> checkpoint
    #: the keys a code of this compound can begin with (``scan_shape.code_starts``)
    starts: frozenset[str] = frozenset()

    @classmethod
    def load(cls, store: Any) -> Places:
        places = cls()
        for site in store.reference("site"):  # the compound: its control room, its gates
            code = site.code or site.name or site.id
            places.add(Target(site.id, "site", code, _names(site)))
        buildings = {b.id: b for b in store.reference("building")}
        code_of = {b.id: (b.code or b.name) for b in buildings.values()}
        for b in buildings.values():
            places.add(Target(b.id, "building", b.code or b.name, _names(b), b.code or b.name))
        for cp in store.reference("checkpoint"):
            kind = "route" if cp.extra.get("kind") == "route" else "checkpoint"
            building = code_of.get(cp.building_id or "", "")
            target = Target(cp.id, kind, cp.label or cp.name, _names(cp), building)
            places.add(target)
            tag = cp.extra.get("tag")
            if isinstance(tag, str) and tag.strip():
                places.by_tag[tags.normal(tag)] = target
        for unit in store.reference("unit"):
            building = code_of.get(unit.building_id or "", "")
            code = unit.label or unit.number
            places.add(Target(unit.id, "unit", code, _names(unit), building))
        for asset in store.reference("asset"):
            building = code_of.get(asset.building_id or "", "")
            route = str(asset.extra.get("route", ""))
            code = asset.label or asset.name
            places.add(Target(asset.id, "asset", code, _names(asset), building, asset.kind, route))
            places.assets[asset.id] = {
                **asset.extra,
                "id": asset.id,
                "kind": asset.kind,
                "building": building,
                "route": route,
                "code": code,
            }
        places.starts = code_starts(places.by_code)
        return places

    def add(self, target: Target) -> None:
        self.targets.append(target)
        self.by_id[target.id] = target
        self.by_code.setdefault(target.code.lower(), target)
        names = " ".join(target.name.values())
        self.haystack[target.id] = f"{target.code} {names} {initials(names)}".lower().replace(
            " ", ""
        )

    def search(self, query: str, kinds: tuple[str, ...] = (), limit: int = 50) -> list[Target]:
        """Targets whose code, name (either language) or pinyin initials contain ``query``."""
        needle = query.strip().lower().replace(" ", "")
        out: list[Target] = []
        for target in self.targets:
            if kinds and target.kind not in kinds:
                continue
            if needle and needle not in self.haystack[target.id]:
                continue
            out.append(target)
            if len(out) >= limit:
                break
        return out

    def assets_on(self, target: Target) -> list[tuple[Target, dict[str, Any]]]:
        """Assets a repeated section walks: on the target route, in the building, or itself."""
        out = []
        for asset_id, attrs in self.assets.items():
            on = (
                (target.kind == "route" and attrs["route"] == target.code)
                or (target.kind == "building" and attrs["building"] == target.code)
                or (target.kind == "asset" and asset_id == target.id)
            )
            if on:
                out.append((self.by_id[asset_id], attrs))
        out.sort(key=lambda pair: (pair[1]["route"], pair[1].get("floor", 0), pair[0].code))
        return out
