"""The office's reference data (sites, buildings, flats, equipment, checkpoints) as the
device code reads it: the two store calls :class:`fieldkit.services.labels.LabelIndex` and
:class:`fieldkit.services.places.Places` make, answered from the server's ``records`` for
one site (or every site), so label sheets and spreadsheets come from the device's own code.

A building that flats name but the server holds no record of (the units import takes a
``building_id`` without asking for the building) stands in with its id as its code, so its
flats can still be chosen by building.
"""

from __future__ import annotations

from typing import Any

import orjson
from sqlalchemy import select

from fieldkit.model.records import record_from_dict
from fieldkit.sync.protocol import ALL_SITES
from fieldkit_server.db import Database
from fieldkit_server.tables import Record

KINDS = ("site", "building", "unit", "asset", "checkpoint")


class Reference:
    """The reference records of ``site`` (``*``: every site), read once: those of
    ``kinds`` (default :data:`KINDS`; a report naming patrol routes asks for
    ``patrol_route`` too)."""

    def __init__(self, db: Database, site: str = ALL_SITES, kinds: tuple[str, ...] = KINDS) -> None:
        query = select(Record.kind, Record.site, Record.body).where(
            Record.kind.in_(kinds), Record.deleted.is_(False)
        )
        if site != ALL_SITES:
            query = query.where(Record.site.in_([site, ALL_SITES]))
        self.docs: dict[str, list[dict[str, Any]]] = {kind: [] for kind in {*KINDS, *kinds}}
        with db.read() as conn:
            for kind, _site, body in conn.execution_options(yield_per=1000).execute(query):
                self.docs[kind].append(orjson.loads(body))
        if site != ALL_SITES:  # a site record is stored under its own id
            self.docs["site"] = [d for d in self.docs["site"] if d.get("id") in (site, None)]
        known = {d.get("id") for d in self.docs["building"]}
        for doc in self.docs["unit"]:
            building = doc.get("building_id")
            if building and building not in known:
                known.add(building)
                self.docs["building"].append(
                    {"id": building, "site_id": doc.get("site_id", ""), "code": building}
                )

    def reference_docs(self, kind: str) -> list[dict[str, Any]]:
        return list(self.docs.get(kind, ()))

    def reference(self, kind: str) -> list[Any]:
        return [record_from_dict(kind, doc) for doc in self.docs.get(kind, ())]
