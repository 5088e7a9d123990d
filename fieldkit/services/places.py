"""The places and equipment of a compound as the app shows them, read from the store's
reference data: buildings, stairwell routes (checkpoints with ``extra.kind == "route"``),
flats and assets, each with its painted code and a name in both languages.

Reference records carry one ``name`` (as the office typed it); a name in both languages,
when the office has one, is in ``extra["names"] = {"zh": ..., "en": ...}`` (``name`` itself
is a model field, so an extra under that key would not survive a round trip).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from fieldkit.services import tags
from fieldkit.services.pinyin import initials
from fieldkit.services.scan_shape import code_starts
from fieldkit.services.types import Target
from fieldkit.store.keyed import CODE_KINDS


def _names(record: Any) -> dict[str, str]:
    names = record.extra.get("names") if isinstance(record.extra, dict) else None
    if isinstance(names, dict) and names:
        return {k: str(v) for k, v in names.items()}
    text = getattr(record, "name", "") or getattr(record, "number", "") or record.id
    return {"zh": text, "en": text}


def target_of(kind: str, record: Any, building: str = "") -> Target:
    """The place a reference record is (site, building, checkpoint or route, unit, asset),
    ``building`` the code of its building: what the places index holds and a scan opens."""
    names = _names(record)
    if kind == "site":
        return Target(record.id, "site", record.code or record.name or record.id, names)
    if kind == "building":
        code = record.code or record.name
        return Target(record.id, "building", code, names, code)
    if kind == "checkpoint":
        if record.extra.get("kind") == "route":  # a route with no kind recorded: a stairwell
            sort = str(record.extra.get("route_kind") or "stairwell")
            return Target(record.id, "route", record.label or record.name, names, building, sort)
        return Target(record.id, "checkpoint", record.label or record.name, names, building)
    if kind == "unit":
        return Target(record.id, "unit", record.label or record.number, names, building)
    route = str(record.extra.get("route", ""))
    return Target(record.id, "asset", record.label or record.name, names, building, record.kind,
                  route)  # fmt: skip


def find(store: Any, key: str) -> list[Target]:
    """The places filed under one key of the store's reference index
    (:mod:`fieldkit.store.keyed`: a label, a printed code, a tag), each built from its own
    record and its building's, first the one :meth:`Places.load` would keep for a code
    two places share: what a scan opens, without the whole places index."""
    from fieldkit.model import record_from_dict

    found = store.reference_keyed(key)
    found.sort(key=lambda pair: CODE_KINDS.index(pair[0]) if pair[0] in CODE_KINDS else 9)
    out = []
    for kind, doc in found:
        record = record_from_dict(kind, doc)
        out.append(target_of(kind, record, building_code(store, record)))
    return out


def building_code(store: Any, record: Any) -> str:
    """The code of a record's building, read from the building's record ("" for none)."""
    building_id = getattr(record, "building_id", None) or ""
    building = store.get_reference("building", building_id) if building_id else None
    return (building.code or building.name) if building else ""


class FewPlaces:
    """Places by id (``by_id`` as :class:`Places` has it), each built from its record when
    first asked for: for what names a few places (a unit card's cases), where building the
    whole index would cost seconds on a big compound."""

    def __init__(self, store: Any) -> None:
        self.by_id = _ById(store)


class _ById(Mapping[str, Target]):
    def __init__(self, store: Any) -> None:
        self._store = store
        self._found: dict[str, Target | None] = {}

    def __getitem__(self, target_id: str) -> Target:
        if target_id not in self._found:
            self._found[target_id] = next(
                (target_of(kind, record, building_code(self._store, record))
                 for kind in CODE_KINDS
                 if (record := self._store.get_reference(kind, target_id)) is not None),
                None,
            )  # fmt: skip
        found = self._found[target_id]
        if found is None:
            raise KeyError(target_id)
        return found

    def __iter__(self) -> Iterator[str]:
        return iter([t for t, found in self._found.items() if found is not None])

    def __len__(self) -> int:
        return sum(1 for found in self._found.values() if found is not None)


def natural(code: str) -> tuple:
    """Sort key of a code as people count: EXT-1-1-2 before EXT-1-1-10, 3-2-902 before
    3-2-1502 (its numbers compared as numbers)."""
    return tuple((0, int(p)) if p.isdigit() else (1, p.lower()) for p in re.split(r"(\d+)", code))


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
            places.add(target_of("site", site))
        buildings = {b.id: b for b in store.reference("building")}
        code_of = {b.id: (b.code or b.name) for b in buildings.values()}
        for b in buildings.values():
            places.add(target_of("building", b))
        for cp in store.reference("checkpoint"):
            target = target_of("checkpoint", cp, code_of.get(cp.building_id or "", ""))
            places.add(target)
            tag = cp.extra.get("tag")
            if isinstance(tag, str) and tag.strip():
                places.by_tag[tags.normal(tag)] = target
        for unit in store.reference("unit"):
            places.add(target_of("unit", unit, code_of.get(unit.building_id or "", "")))
        for asset in store.reference("asset"):
            target = target_of("asset", asset, code_of.get(asset.building_id or "", ""))
            places.add(target)
            places.assets[asset.id] = {
                **asset.extra,
                "id": asset.id,
                "kind": asset.kind,
                "building": target.building,
                "route": target.route,
                "code": target.code,
            }
        places.starts = code_starts(places.by_code)
        # each kind in the order people count: EXT-1-1-2 before EXT-1-1-10
        kinds = {kind: n for n, kind in enumerate(dict.fromkeys(t.kind for t in places.targets))}
        places.targets.sort(key=lambda t: (kinds[t.kind], natural(t.code)))
        return places

    def add(self, target: Target) -> None:
        self.targets.append(target)
        self.by_id[target.id] = target
        self.by_code.setdefault(target.code.lower(), target)

    def _words_of(self, target: Target) -> str:
        """What a search matches in a target: code, names and their pinyin initials, made
        at the first search that reaches it (the home and a scan need none of it)."""
        found = self.haystack.get(target.id)
        if found is None:
            names = " ".join(target.name.values())
            found = f"{target.code} {names} {initials(names)}".lower().replace(" ", "")
            self.haystack[target.id] = found
        return found

    def search(self, query: str, kinds: tuple[str, ...] = (), limit: int = 50) -> list[Target]:
        """Targets whose code, name (either language) or pinyin initials contain ``query``."""
        needle = unicodedata.normalize("NFKC", query).strip().lower().replace(" ", "")
        out: list[Target] = []
        for target in self.targets:
            if kinds and target.kind not in kinds:
                continue
            if needle and needle not in self._words_of(target):
                continue
            out.append(target)
            if len(out) >= limit:
                break
        return out

    def covered(self, target_id: str) -> frozenset[str]:
        """A target and the equipment on it: a floor round's card lists the cases raised on
        the extinguishers it walks, not only those on the route itself."""
        target = self.by_id.get(target_id)
        on = self.assets_on(target) if target is not None else []
        return frozenset([target_id, *(asset.id for asset, _ in on)])

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
