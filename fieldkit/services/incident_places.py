"""The places an incident covers: buildings, entrances (单元), flats, the whole compound.

A coordinator names them as people on site say them, and :func:`parse` understands each
form against the compound's own buildings and entrances:

=======================================  ==================================================
typed                                    places
=======================================  ==================================================
``1,2`` · ``1 2`` · ``1、2`` · ``1和2``    buildings 1 and 2
``1号楼 2号楼`` · ``1栋2栋`` · ``building 1, building 2``   the same
``1号楼2单元`` · ``1-2`` · ``building 1 entrance 2``   entrance 2 of building 1
``1-1-602``                              the flat (its label)
``全小区`` · ``whole compound`` · ``all``   the whole compound
``1号楼地下室`` · ``building 1 basement``  building 1, the spot "basement"
``1号楼和2号楼地下室``                     buildings 1 and 2, each "basement"
``1号楼地下室和2号楼车库``                 building 1 "basement", building 2 "garage"
=======================================  ==================================================

``1楼`` is not a building: in Chinese it is the first floor, so it is refused with the rest
of what is not understood (:class:`PlaceError` names the part and what is understood).

A spot (地下室, 车库, basement) is where in a place it is: the residents list follows the
place (the building), and the spot is kept on the place and shown with it (1号楼地下室 /
Building 1 basement). Words after a run of places belong to every place of the run that has
no spot yet ("1号楼和2号楼地下室": both basements); words before any place, to every place
("basement of buildings 1 and 2"). A spot the catalogue names (``incidents.spot``) reads in
the reader's language; any other is kept as typed.

A place is a plain dict on the record (``Place.to_dict``): the places given at opening are
in ``Incident.extra["places"]``, each one added later is a ``place`` entry on the timeline.
The incident's places are the union of both, so two devices adding places offline merge
without losing one (the timeline is a union by entry id).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Any

from fieldkit.i18n import UserError, catalogue, get_language, t

COMPOUND = "compound"
KINDS = ("compound", "building", "entrance", "unit", "target")
COMPOUND_WORDS = frozenset(
    {"全小区", "整个小区", "全部", "小区", "全部楼栋", "所有楼栋", "all", "compound",
     "whole compound", "the whole compound", "all buildings", "everywhere"}
)  # fmt: skip
MAX_TEXT = 200  # what a person types for places; anything longer is refused, not parsed
_FLAT = re.compile(r"^(\d+)-(\d+)-(\d+?)(\d{2})$")
_BUILDING = re.compile(r"^(\d{1,3})(?:号楼)?$")
_ENTRANCE = re.compile(r"^(\d{1,3})(?:号楼|-)(\d{1,2})(?:单元)?$")
_ENTRANCE_ONLY = re.compile(r"^(\d{1,2})单元$")
_BUILDING_SPOT = re.compile(r"^(\d{1,3})号楼(.+)$")
_ENTRANCE_SPOT = re.compile(r"^(\d{1,3})(?:号楼|-)(\d{1,2})单元(.+)$")
_FLAT_SPOT = re.compile(r"^(\d+-\d+-\d+)(\D.*)$")
FILLER = frozenset({"of", "the", "in", "at", "on", "a", "an", "的", "'s"})


class PlaceError(UserError, ValueError):
    """Typed places that are not understood or not in this compound; ``key`` says which.
    ``known`` (the compound's buildings) is a tuple, listed as the reader's language lists."""

    def message(self, lang: str | None = None) -> str:
        known = self.params.get("known")
        if not isinstance(known, tuple):
            return super().message(lang)
        sep = "、" if (lang or get_language()) == "zh" else ", "
        return t(self.key, lang, **{**self.params, "known": sep.join(known)})


@dataclass(frozen=True)
class Place:
    kind: str  # compound | building | entrance | unit | target (an asset or checkpoint)
    building: str = ""  # the building's id (every kind but compound)
    entrance: str = ""  # the entrance number, for an entrance or a flat whose code says it
    unit: str = ""  # the flat's id, or the target's id for kind "target"
    code: str = ""  # as painted on site: "1", "1-2", "1-1-602"
    names: dict[str, str] = field(default_factory=dict, compare=False, hash=False)
    spot: dict[str, str] = field(default_factory=dict, compare=False, hash=False)  # 地下室

    @property
    def key(self) -> tuple[str, str, str, str]:
        return (self.kind, self.building, self.entrance, self.unit)

    def name(self, lang: str) -> str:
        return self.names.get(lang) or next(iter(self.names.values()), self.code)

    def said(self, lang: str) -> str:
        """The place with its spot, as a person says it: 1号楼地下室 / Building 1 basement."""
        spot = self.spot.get(lang) or next(iter(self.spot.values()), "")
        if not spot:
            return self.name(lang)
        floor = floor_of(self)
        if floor is not None:  # typed 6层 reads "floor 6" in English, 6层 in Chinese
            return t("incidents.places.floor", lang, place=self.name(lang), floor=floor)
        return f"{self.name(lang)}{spot}" if lang == "zh" else f"{self.name(lang)} {spot}"

    def with_spot(self, spot: dict[str, str]) -> Place:
        return replace(self, spot=dict(spot))

    def spot_parts(self) -> set[str]:
        """The spot's parts as typed or named (地下室、车库 → two), to compare spots."""
        return {p for p in re.split(r"[、,，]\s*", self.spot.get("zh", "")) if p}

    def takes_in(self, other: Place) -> bool:
        """Whether ``other`` adds nothing to this place: covered, and no spot of its own
        this place does not hold already (the whole building holds every spot)."""
        if not self.covers(other):
            return False
        return not self.spot or (bool(other.spot) and other.spot_parts() <= self.spot_parts())

    def to_dict(self) -> dict[str, Any]:
        out = {"kind": self.kind, "building": self.building, "entrance": self.entrance,
               "unit": self.unit, "code": self.code, "names": dict(self.names)}  # fmt: skip
        if self.spot:
            out["spot"] = dict(self.spot)
        return out

    @classmethod
    def from_dict(cls, doc: Any) -> Place | None:
        """A place from a record; None for anything that is not one (a newer release's
        kind, a damaged entry): it is left out rather than failing the whole incident."""
        if not isinstance(doc, dict) or doc.get("kind") not in KINDS:
            return None
        names, spot = doc.get("names"), doc.get("spot")
        return cls(
            kind=str(doc["kind"]),
            building=str(doc.get("building") or ""),
            entrance=str(doc.get("entrance") or ""),
            unit=str(doc.get("unit") or ""),
            code=str(doc.get("code") or ""),
            names={str(k): str(v) for k, v in names.items()} if isinstance(names, dict) else {},
            spot={str(k): str(v)[:MAX_TEXT] for k, v in spot.items()}
            if isinstance(spot, dict)
            else {},
        )

    def covers(self, other: Place) -> bool:
        """Whether this place takes in ``other`` (the compound takes in everything)."""
        if self.kind == COMPOUND or self.key == other.key:
            return True
        if other.kind == COMPOUND or self.building != other.building:
            return False
        if self.kind == "building":
            return True
        return self.kind == "entrance" and other.kind == "unit" and self.entrance == other.entrance


def whole_compound() -> Place:
    return Place(COMPOUND, names={"zh": t("incidents.places.compound", "zh"),
                                  "en": t("incidents.places.compound", "en")})  # fmt: skip


def _names(record: Any) -> dict[str, str]:
    names = record.extra.get("names") if isinstance(record.extra, dict) else None
    if isinstance(names, dict) and names:
        return {str(k): str(v) for k, v in names.items()}
    text = getattr(record, "name", "") or getattr(record, "number", "") or record.id
    return {"zh": text, "en": text}


def entrance_of(unit: Any) -> str:
    """The entrance number a flat's code names (``3-2-1502`` → ``2``), else ''."""
    match = _FLAT.match(unit.number or unit.label or "")
    return match.group(2) if match else ""


class Compound:
    """The buildings, entrances and flats places are checked against (reference data)."""

    def __init__(self, buildings: Iterable[Any], units: Iterable[Any]) -> None:
        self.buildings = {b.id: b for b in buildings}
        self.by_code = {(b.code or b.name).lower(): b for b in self.buildings.values()}
        self.units = {u.id: u for u in units}
        self.by_label = {(u.label or u.number).lower(): u for u in self.units.values()}
        self.entrances: set[tuple[str, str]] = set()
        for unit in self.units.values():
            entrance = entrance_of(unit)
            if entrance and unit.building_id:
                self.entrances.add((unit.building_id, str(int(entrance))))

    @classmethod
    def load(cls, store: Any) -> Compound:
        return cls(store.reference("building"), store.reference("unit"))

    def building(self, code: str) -> Place:
        record = self.by_code.get(code.lstrip("0").lower() or "0") or self.by_code.get(code)
        if record is None:
            raise PlaceError("incidents.places.error.no_building", value=code,
                             known=self.known())  # fmt: skip
        return Place("building", record.id, code=record.code or record.name, names=_names(record))

    def entrance(self, code: str, entrance: str) -> Place:
        building = self.building(code)
        number = str(int(entrance))
        if (building.building, number) not in self.entrances:
            raise PlaceError("incidents.places.error.no_entrance", building=building.code,
                             value=number)  # fmt: skip
        names = {
            "zh": f"{building.name('zh')}{number}单元",
            "en": f"{building.name('en')} entrance {number}",
        }
        return Place("entrance", building.building, number, code=f"{building.code}-{number}",
                     names=names)  # fmt: skip

    def unit(self, record: Any) -> Place:
        entrance = entrance_of(record)
        return Place("unit", record.building_id or "", str(int(entrance)) if entrance else "",
                     record.id, record.label or record.number, _names(record))  # fmt: skip

    def known(self) -> tuple[str, ...]:
        return tuple(sorted((b.code or b.name for b in self.buildings.values()), key=_natural))


def _natural(text: str) -> tuple:
    return tuple(int(p) if p.isdigit() else p for p in re.split(r"(\d+)", text))


_CN_DIGITS = {c: n for n, c in enumerate("零一二三四五六七八九")}
_CN_NUMBER = re.compile(r"([零一二三四五六七八九十两]{1,3})(?=\s*(?:号楼|号|栋|幢|座|单元))")


def _arabic(match: re.Match[str]) -> str:
    """一 → 1, 十二 → 12, 二十三 → 23 (a building or entrance number is never past 99)."""
    text = match.group(1).replace("两", "二")
    if "十" not in text:
        return "".join(str(_CN_DIGITS[c]) for c in text)
    tens, _, ones = text.partition("十")
    return str((_CN_DIGITS.get(tens, 1) if tens else 1) * 10 + (_CN_DIGITS.get(ones, 0)))


def _normal(text: str) -> str:
    """The place words as the parser reads them: 三号楼 as 3号楼 (the desk's filter and the
    coordinator read the same words), Building 3, 3栋 …"""
    text = unicodedata.normalize("NFKC", text).strip().lower()
    text = _CN_NUMBER.sub(_arabic, text)
    text = re.sub(r"\b(?:buildings?|bldgs?|blocks?|blk)\.?\s*(\d+)", r"\1号楼", text)
    text = re.sub(r"\b(?:entrance|ent)\.?\s*(\d+)", r"\1单元", text)
    text = re.sub(r"(\d+)\s*(?:号楼|栋|幢|座|号(?!楼))", r"\1号楼", text)
    text = re.sub(r"号楼\s*[,，、]?\s*(\d+)\s*单元", r"号楼\1单元", text)
    # a floor said in English is one word, the spot of the place before it: "building 1
    # floor 6" read 6 as building 6 (nc28), "6th floor" as a sixth building
    text = re.sub(r"\b(?:floor|level)\s+(\d{1,3})\b", r"\1层", text)
    text = re.sub(r"\b(\d{1,3})(?:st|nd|rd|th)?\s+floor\b", r"\1层", text)
    return re.sub(r"\s*(?:以及|和|及|与|\band\b|&|\+)\s*", ",", text)


def parse(text: str, compound: Compound) -> list[Place]:
    """The places ``text`` names, in the order given, without repeats or places another
    one already takes in, each with the spot said with it (地下室). Empty text is the whole
    compound. PlaceError otherwise."""
    if len(text) > MAX_TEXT:
        raise PlaceError("incidents.places.error.too_long", limit=MAX_TEXT)
    normal = _normal(text)
    if not normal or normal in COMPOUND_WORDS:
        return [whole_compound()]
    out: list[Place] = []
    unspotted = 0  # out[unspotted:] have no spot yet: words that follow name theirs
    words: list[str] = []  # a run of spot words, not given to a place yet
    leading: list[str] = []  # spot words before any place: every place's

    def give(run: list[str]) -> None:
        nonlocal unspotted
        if not run:
            return
        if len(out) > unspotted:
            for n in range(unspotted, len(out)):
                out[n] = out[n].with_spot(spot_words(run))
        elif out:  # "1号楼地下室、车库": one more spot for the last places named
            for n in range(len(out)):
                if out[n].spot and out[n].spot == out[-1].spot:
                    out[n] = out[n].with_spot(join_spots(out[n].spot, spot_words(run)))
        else:
            leading.extend(run)
        unspotted = len(out)
        run.clear()

    last_building = ""
    for token in (p for p in re.split(r"[,，、;；/\s]+", normal) if p):
        if token in COMPOUND_WORDS:
            return [whole_compound()]
        if token in FILLER:
            continue
        if not re.search(r"\d", token) or (out and _FLOOR.match(token)):
            words.append(token)  # a spot word, or a floor of the place before it (6层)
            continue
        place, spot = _place(token, compound, last_building)
        if place is None:
            raise PlaceError("incidents.places.error.not_understood", value=token)
        give(words)
        if place.kind == "entrance" and _ENTRANCE_ONLY.match(token):
            out = [p for p in out if p.key != compound.building(last_building).key]
            unspotted = min(unspotted, len(out))
        last_building = place.code.split("-")[0] if place.kind != "unit" else last_building
        out.append(place)
        if spot:
            give([spot])
    give(words)
    if not out:
        raise PlaceError("incidents.places.error.no_place", value=text.strip())
    if leading:
        out = [p if p.spot else p.with_spot(spot_words(leading)) for p in out]
    return merge(out)


def _place(token: str, compound: Compound, last_building: str) -> tuple[Place | None, str]:
    """One token as a place and the spot said with it (``2号楼地下室``), or (None, '')."""
    if match := _BUILDING.match(token):
        return compound.building(match.group(1)), ""
    if match := _ENTRANCE.match(token):
        return compound.entrance(match.group(1), match.group(2)), ""
    if (match := _ENTRANCE_ONLY.match(token)) and last_building:
        return compound.entrance(last_building, match.group(1)), ""
    if token in compound.by_label:
        return compound.unit(compound.by_label[token]), ""
    if match := _ENTRANCE_SPOT.match(token):
        return compound.entrance(match.group(1), match.group(2)), _spot_text(match.group(3))
    if (match := _FLAT_SPOT.match(token)) and match.group(1) in compound.by_label:
        return compound.unit(compound.by_label[match.group(1)]), _spot_text(match.group(2))
    if match := _BUILDING_SPOT.match(token):
        return compound.building(match.group(1)), _spot_text(match.group(2))
    return None, ""


def _spot_text(text: str) -> str:
    return text.removeprefix("的").strip()


def _spot_key(word: str) -> str | None:
    """The catalogue's key for a spot typed in either language (basements → basement)."""
    word = word.strip().lower()
    for lang in ("zh", "en"):
        for key, text in catalogue(lang).items():
            if key.startswith("incidents.spot.") and word in (text.lower(), text.lower() + "s"):
                return key
    return None


def spot_words(run: list[str]) -> dict[str, str]:
    """A run of typed words as a spot in every language: the catalogue's words for a spot
    it names (地下室 / basement), else the words as typed."""
    joined = " ".join(w for w in run if w)
    if not re.search(r"[a-z]", joined):
        joined = "".join(run)
    key = _spot_key(joined)
    if key is not None:
        return {"zh": t(key, "zh"), "en": t(key, "en")}
    return {"zh": joined[:MAX_TEXT], "en": joined[:MAX_TEXT]}


def join_spots(a: dict[str, str], b: dict[str, str]) -> dict[str, str]:
    """Two spots of one place as one (地下室、车库); a spot already held is not repeated."""
    out = {}
    for lang in set(a) | set(b):
        parts = [p for p in (a.get(lang, ""), b.get(lang, "")) if p]
        sep = "、" if lang == "zh" else ", "
        out[lang] = sep.join(dict.fromkeys(parts))
    return out


def understood(text: str, compound: Compound, lang: str) -> str:
    """What ``text`` is read as, in a sentence: the places (with their spots), or why it
    names none. Shown while a place is typed, before anything is saved."""
    try:
        return t("incidents.places.understood", lang, places=label(parse(text, compound), lang))
    except PlaceError as exc:
        return exc.message(lang)


def looks_like_places(text: str) -> bool:
    """Whether typed text is meant as buildings / entrances (it has a number, or names the
    whole compound) rather than a free description of a spot (地下车库, bike shed)."""
    normal = _normal(text)
    return normal in COMPOUND_WORDS or bool(re.search(r"\d", normal))


def merge(places: Iterable[Place]) -> list[Place]:
    """The places in order, without repeats or any another one takes in; one place named
    twice keeps both spots (the whole place when one of them has none)."""
    given = list(places)
    out: list[Place] = []
    for n, place in enumerate(given):
        same = next((i for i, p in enumerate(out) if p.key == place.key), None)
        if same is not None:
            kept = out[same]
            spot = join_spots(kept.spot, place.spot) if kept.spot and place.spot else {}
            out[same] = kept.with_spot(spot)
            continue
        others = given[:n] + given[n + 1 :]
        if any(o.key != place.key and o.covers(place) for o in others):
            continue
        out.append(place)
    return out


def from_target(target: Any, compound: Compound) -> Place:
    """The place a scanned or searched target stands for: a flat, a building, a stairwell
    (its entrance), or another spot (an asset, a checkpoint) in its building."""
    if target.kind == "unit" and target.id in compound.units:
        return compound.unit(compound.units[target.id])
    if target.kind == "building" and target.id in compound.buildings:
        return compound.building(compound.buildings[target.id].code or target.code)
    route = re.match(r"^R-(\d+)-(\d+)$", target.code or "")
    if target.kind == "route" and route:
        try:
            return compound.entrance(route.group(1), route.group(2))
        except PlaceError:
            pass
    building = compound.by_code.get((target.building or "").lower())
    if building is None:
        return Place("target", unit=target.id, code=target.code, names=dict(target.name))
    return Place("target", building.id, unit=target.id, code=target.code,
                 names=dict(target.name))  # fmt: skip


def label(places: Iterable[Place], lang: str, spots: bool = True) -> str:
    """The places as a reader says them: 1号楼地下室、2号楼 / Building 1 basement and
    Building 2; ``spots=False`` names the places only (a notice's audience)."""
    names = list(dict.fromkeys(p.said(lang) if spots else p.name(lang) for p in places))
    if lang == "zh" or len(names) < 2:
        return "、".join(names)
    return f"{', '.join(names[:-1])} and {names[-1]}"


_FLOOR = re.compile(
    r"^(?:第)?(\d{1,3})\s*(?:层|楼|f)$|^(?:floor|level)\s*(\d{1,3})$"
    r"|^(\d{1,3})(?:st|nd|rd|th)?\s*floor$",
    re.IGNORECASE,
)


def floor_of(place: Place) -> int | None:
    """The floor a place's spot names (1号楼6层, 6楼, 6F, floor 6), else None."""
    for said in place.spot.values():
        match = _FLOOR.match(" ".join(str(said).split()))
        if match:
            return int(next(g for g in match.groups() if g))
    return None


def in_scope(places: list[Place], unit: Any, *, down: bool = False) -> bool:
    """Whether a flat is in the incident's area for the residents list: a flat place takes
    in its whole building (water and smoke do not stop at the door); a spot with no
    building, like the compound, takes in everything. A floor (1号楼6层) takes in that
    floor and the ones beside it, above and below — every floor below when water comes
    ``down`` (nc24: a problem on one floor listed the whole building)."""
    if not places:
        return True
    entrance = entrance_of(unit)
    here = Place("unit", unit.building_id or "", str(int(entrance)) if entrance else "", unit.id)
    for place in places:
        if place.kind in ("unit", "target"):
            if not place.building or place.building == here.building:
                return True
        elif place.covers(here) and _on_floor(floor_of(place), unit, down):
            return True
    return False


def _on_floor(floor: int | None, unit: Any, down: bool) -> bool:
    if floor is None or getattr(unit, "floor", None) is None:
        return True
    return (unit.floor <= floor + 1) if down else abs(unit.floor - floor) <= 1
