"""Recurring problems on the device: the shared trends report with the device's category labels.

The numbers and their printable forms are :mod:`fieldkit.reports.trends` and
:mod:`fieldkit.reports.trends_text`, shared with the office server so both give the same
figures; this module adds what only the device knows, the category labels from the office's
lifecycle file, and keeps the names the CLI and the trends screen import.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from fieldkit.config import LANGUAGES
from fieldkit.i18n import get_language
from fieldkit.reports import trends_text
from fieldkit.reports.trends import (
    GROUPS,
    TOP,
    UNKNOWN,
    Group,
    Trends,
    building_from_extra,
    building_index,
    building_lookup,
    building_names,
    closed_at,
    spark,
    to_dict,
    trends,
)
from fieldkit.reports.trends_text import to_csv, to_html, to_pdf, to_text
from fieldkit.services.notices import compound_name
from fieldkit.services.signin import signed_in

if TYPE_CHECKING:
    from fieldkit.services.workspace import Workspace

__all__ = [
    "GROUPS",
    "TOP",
    "UNKNOWN",
    "Group",
    "Trends",
    "building_from_extra",
    "building_index",
    "building_lookup",
    "building_names",
    "category_names",
    "closed_at",
    "device_trends",
    "spark",
    "to_csv",
    "to_dict",
    "to_html",
    "to_pdf",
    "to_text",
    "trends",
]


def category_names(lang: str | None = None, ws: Workspace | None = None) -> dict[str, str]:
    """Category id → its label in ``lang``, from the lifecycle file in use (every kind that lists
    categories), else the title of the checklist of that id (on ``ws``, or the shipped ones);
    the CSV keeps the ids so spreadsheets can match them across languages."""
    from fieldkit.services import lifecycle

    if ws is not None:
        titles = {cid: c.title.to_dict() for cid, c in ws.checklists().items()}
    else:
        from fieldkit.checklists.locate import shipped_titles

        titles = shipped_titles()
    return trends_text.category_names(lifecycle.current(), lang or get_language(), titles)


def device_trends(ws: Workspace, by: str = "category", since: date | None = None) -> Trends:
    """Every case the device holds (live and archived), grouped ``by``; a case counts under
    its own building field, else the building of the place it is on."""
    places = ws.places

    def building_of(doc: dict) -> str:
        found = building_from_extra(doc)
        if found:
            return found
        place = places.by_id.get((doc.get("target") or {}).get("id", ""))
        return place.building if place else ""

    names = building_names(("building", d) for d in ws.store.reference_docs("building"))
    docs = (doc for _, doc in ws.store.iter_records(["case"]))
    incidents = [doc for _, doc in ws.store.iter_records(["incident"])]
    found = trends(docs, by, since, building_of, names, incidents=incidents)
    found.compound = {lang: compound_name(ws.store, lang) for lang in LANGUAGES}
    found.prepared_by = signed_in(ws.store).name
    return found
