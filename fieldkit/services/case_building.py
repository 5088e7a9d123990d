"""The building a desk clerk types to filter the case list, in the forms people type it:
the painted code (``3``), the name as shown in either language (``3号楼``, ``Building 3``),
``3栋`` · ``3幢`` · ``Bldg 3`` · ``三号楼`` · full-width ``３``. The reading of the forms is
the incident places' (:func:`fieldkit.services.incident_places.parse`), so the desk and the
coordinator understand the same words; a building the compound does not have is refused
naming the ones it has."""

from __future__ import annotations

import unicodedata
from typing import Any

from fieldkit.i18n import get_language
from fieldkit.services.incident_places import COMPOUND, PlaceError, parse

MAX_TEXT = 40


def building_typed(ws: Any, text: str) -> str:
    """The code of the building ``text`` names ("" for an empty line: every building);
    PlaceError (in the reader's language) for anything else."""
    from fieldkit.services.incidents import compound_of

    said = unicodedata.normalize("NFKC", text).strip()
    if not said:
        return ""
    if len(said) > MAX_TEXT:
        raise PlaceError("incidents.places.error.too_long", limit=MAX_TEXT)
    compound = compound_of(ws)
    wanted = said.lower().replace(" ", "")
    for record in compound.buildings.values():
        names = record.extra.get("names") if isinstance(record.extra, dict) else None
        shown = [record.code or "", record.name or ""]
        shown += [str(n) for n in names.values()] if isinstance(names, dict) else []
        if wanted in {s.lower().replace(" ", "") for s in shown if s}:
            return record.code or record.name
    try:
        places = parse(said, compound)
    except PlaceError as refused:
        if refused.key == "incidents.places.error.no_building":
            raise
        raise PlaceError("desk.cases.no_such_building", value=said,
                         known=compound.known()) from None  # fmt: skip
    if len(places) != 1 or places[0].kind == COMPOUND or places[0].spot:
        raise PlaceError("desk.cases.no_such_building", value=said, known=compound.known())
    return places[0].code.split("-")[0]


def building_said(ws: Any, code: str, lang: str | None = None) -> str:
    """The building the filter keeps by its code (``3``) as people say it: its own name in
    the reader's language (3号楼 / Building 3), else "N号楼" / "Building N" for a numbered
    one (a building registered with one name only), else its code."""
    from fieldkit.reports.trends_text import numbered_building
    from fieldkit.services.incidents import compound_of

    lang = lang or get_language()
    for record in compound_of(ws).buildings.values():
        if (record.code or record.name) == code:
            names = record.extra.get("names") if isinstance(record.extra, dict) else None
            if isinstance(names, dict) and names.get(lang):
                return str(names[lang])
            break
    return numbered_building(code, lang)
