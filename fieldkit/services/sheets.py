"""Records as spreadsheet tables a person reads: one sheet per kind, with the columns a desk
clerk or a manager filters and sums — the flat's number and its building (1号楼), the
category, status, department and severity in the reader's language, dates as dates — and
the record's full id last, so a sheet can be matched back to the JSON lines export.

Values come from the record as it is exported, so personal data is masked exactly as the
caller's ``shown`` masks it (:func:`fieldkit.model.personal.as_shown`, the device role's
screens). A kind this module has no columns for is written with its plain fields.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any

from fieldkit.i18n import known, t
from fieldkit.model import localtime
from fieldkit.reports import dates
from fieldkit.reports.spreadsheet import Sheet
from fieldkit.services.types import pick

if TYPE_CHECKING:
    from fieldkit.checklists.definition import Checklist
    from fieldkit.services.places import Places
    from fieldkit.services.workspace import Workspace

Row = tuple[Any, ...]


def _when(text: object) -> datetime | None:
    """A stored time as the reader's local date and time (a spreadsheet date)."""
    found = dates.parse(text)
    return localtime.local(found)


def _names(doc: dict, lang: str) -> str:
    names = doc.get("names") or (doc.get("extra") or {}).get("names")
    if isinstance(names, dict):
        return pick(names, lang)
    return str(doc.get("name") or doc.get("number") or "")


class _Words:
    """What the sheets need to name things: buildings, places, categories, states; and the
    device's workspace (``ws``) for the kinds read further from its store (incidents,
    patrol rounds), None on the office server."""

    def __init__(
        self,
        places: Places,
        checklists: Iterable[Checklist],
        lang: str,
        ws: Workspace | None,
        owners: Mapping[str, dict] | None = None,
    ) -> None:
        from fieldkit.services import lifecycle

        self.ws = ws
        self.owners = owners or {}
        self.lang = lang
        self.places = places
        self.buildings = {t.code: t for t in self.places.targets if t.kind == "building"}
        self.building_ids = {t.id: t for t in self.places.targets if t.kind == "building"}
        self.lifecycles = lifecycle.current()
        self.categories: dict[str, str] = {}
        for life in self.lifecycles.kinds.values():
            for c in life.categories:
                self.categories.setdefault(c.id, c.label.get(lang) or c.id)
        self.checklists = {c.id: c for c in checklists}

    def building(self, code: object) -> str:
        """A building's code ("1") as people say it (1号楼)."""
        target = self.buildings.get(str(code or ""))
        return pick(target.name, self.lang) if target else str(code or "")

    def building_of_id(self, building_id: object) -> str:
        target = self.building_ids.get(str(building_id or ""))
        return pick(target.name, self.lang) if target else ""

    def place(self, target: object) -> tuple[str, str]:
        """(the place's code or name, its building) for a record's target."""
        if not isinstance(target, dict):
            return "", ""
        found = self.places.by_id.get(str(target.get("id", "")))
        if found is None:
            return "", ""
        named = found.kind in ("building", "site")  # 1号楼, 翠湖苑: people never say "CH"
        code = pick(found.name, self.lang) if named else found.code
        return code, self.building(found.building)

    def word(self, key: str, value: object) -> str:
        """A stored id as the reader's word, alone in its cell: in English the catalogue's
        word as written inside a sentence ("minor") starts with a capital, as on the
        screens ("Minor")."""
        return self.cell(known(f"{key}.{value}", str(value or ""), self.lang))

    def cell(self, text: str) -> str:
        return text[:1].upper() + text[1:] if self.lang == "en" else text

    def status(self, kind: str, status: object) -> str:
        from fieldkit.services.lifecycle import status_label

        return status_label(kind, str(status or ""), self.lang, self.lifecycles)

    def flags(self, flags: object) -> str:
        sep = t("checklists.words.list_sep", self.lang)
        return sep.join(self.word("registry.care", f) for f in flags or [])


def _col(words: _Words, *keys: str) -> tuple[str, ...]:
    return tuple(t(f"sheets.col.{k}", words.lang) for k in keys)


def _case(w: _Words, docs: Iterable[dict]) -> Sheet:
    from fieldkit.reports.trends import closed_at

    columns = _col(w, "ref", "kind", "category", "title", "building", "where", "severity",
                   "department", "assignee", "status", "raised", "raised_by", "due", "closed",
                   "id")  # fmt: skip
    rows = []
    for doc in docs:
        extra = doc.get("extra") or {}
        titles = doc.get("titles") or extra.get("titles")
        title = pick(titles, w.lang) if isinstance(titles, dict) else str(doc.get("title") or "")
        where, building = w.place(doc.get("target"))
        building = w.building(doc.get("building") or extra.get("building")) or building
        where = str(doc.get("where") or extra.get("where") or "") or where
        kind = str(doc.get("kind") or "")
        category = str(doc.get("category") or "")
        done = closed_at(doc)
        rows.append((
            str(doc["id"])[-6:], w.word("sheets.kind", kind), w.categories.get(category, category),
            title, building, where, w.word("words.severity", doc.get("severity")),
            w.word("words.department", doc.get("department")), doc.get("assignee") or "",
            w.status(kind, doc.get("status")), _when(doc.get("created_at")),
            doc.get("created_by") or "", _when(doc.get("due")),
            localtime.local(done), doc["id"],
        ))  # fmt: skip
    return Sheet("case", t("sheets.sheet.case", w.lang), columns, rows)


def _incident(w: _Words, docs: Iterable[dict]) -> Sheet:
    from fieldkit.services import incidents as inc

    columns = _col(w, "ref", "type", "place", "severity", "status", "started", "ended",
                   "coordinator", "entries", "notices", "id")  # fmt: skip
    rows = []
    for doc in docs:
        incident = w.ws.store.get_incident(doc["id"])
        if incident is None:
            continue
        row = inc.rows(w.ws, [incident])[0]
        timeline = doc.get("timeline") or []
        ended = next((e.get("at") for e in reversed(timeline) if e.get("type") == "status"
                      and (e.get("data") or {}).get("to") == "closed"), None)  # fmt: skip
        rows.append((
            row.ref, pick(row.type, w.lang), pick(row.where, w.lang),
            w.word("incidents.severity", doc.get("severity")),
            w.word("incidents.status", doc.get("status")), _when(doc.get("started_at")),
            _when(ended), inc.coordinator_of(incident),
            len(timeline), sum(1 for e in timeline if e.get("type") == "notice"), doc["id"],
        ))  # fmt: skip
    return Sheet("incident", t("sheets.sheet.incident", w.lang), columns, rows)


def _inspection(w: _Words, docs: Iterable[dict]) -> Sheet:
    columns = _col(w, "checklist", "target", "building", "status", "started", "submitted",
                   "inspector", "answers", "failed", "cases", "id")  # fmt: skip
    rows = []
    for doc in docs:
        ref = doc.get("checklist") or {}
        checklist = w.checklists.get(str(ref.get("id", "")))
        title = checklist.title.get(w.lang) if checklist else str(ref.get("id", ""))
        where, building = w.place(doc.get("target"))
        answers = doc.get("answers") or {}
        values = [a.get("value") for a in answers.values() if isinstance(a, dict)]
        failed = values.count("fail")
        rows.append((
            title, where, building, t(f"sheets.inspection.{doc.get('status', 'draft')}", w.lang)
            if doc.get("status") in ("draft", "submitted") else str(doc.get("status", "")),
            _when(doc.get("started_at")), _when(doc.get("submitted_at")),
            doc.get("inspector") or "", len(answers), failed, len(doc.get("cases") or []),
            doc["id"],
        ))  # fmt: skip
    return Sheet("inspection", t("sheets.sheet.inspection", w.lang), columns, rows)


def _patrol_round(w: _Words, docs: Iterable[dict]) -> Sheet:
    from fieldkit.services.patrol import route_name

    routes = {r.id: r for r in w.ws.store.reference("patrol_route")}
    columns = _col(w, "started", "route", "patroller", "status", "scanned", "missed", "late",
                   "id")  # fmt: skip
    rows = []
    sep = t("checklists.words.list_sep", w.lang)
    for doc in docs:
        route = routes.get(str(doc.get("route_id")))
        found = doc.get("findings") or {}
        status = "finished" if doc.get("status") == "finished" else "walking"
        rows.append((
            _when(doc.get("started_at")), pick(route_name(route), w.lang) if route else "",
            doc.get("by") or "", t(f"sheets.round.{status}", w.lang),
            len(doc.get("visits") or []), sep.join(found.get("missed") or []),
            sep.join(found.get("late") or []), doc["id"],
        ))  # fmt: skip
    return Sheet("patrol_round", t("sheets.sheet.patrol_round", w.lang), columns, rows)


def _unit(w: _Words, docs: Iterable[dict]) -> Sheet:
    columns = _col(w, "flat", "building", "floor", "owner", "phone", "care", "id")
    rows = []
    for doc in docs:
        owner = w.owners.get(str(doc["id"])) or {}
        rows.append((
            doc.get("label") or doc.get("number") or "", w.building_of_id(doc.get("building_id")),
            doc.get("floor"), doc.get("owner_name") or owner.get("name") or "",
            doc.get("owner_phone") or owner.get("phone") or "",
            w.flags(doc.get("special_care")), doc["id"],
        ))  # fmt: skip
    return Sheet("unit", t("sheets.sheet.unit", w.lang), columns, rows)


def _flat_of(w: _Words, unit_id: object) -> tuple[str, str]:
    found = w.places.by_id.get(str(unit_id or ""))
    return (found.code, w.building(found.building)) if found else ("", "")


def _resident(w: _Words, docs: Iterable[dict]) -> Sheet:
    columns = _col(w, "flat", "building", "role", "person", "phone", "id_number", "care",
                   "moved_in", "moved_out", "id")  # fmt: skip
    rows = []
    for doc in docs:
        flat, building = _flat_of(w, doc.get("unit_id"))
        rows.append((
            flat, building, w.word("registry.role", doc.get("role")), doc.get("name") or "",
            doc.get("phone") or "", doc.get("id_number") or "", w.flags(doc.get("special_care")),
            doc.get("moved_in") or "", doc.get("moved_out") or "",
            doc["id"],
        ))  # fmt: skip
    return Sheet("resident", t("sheets.sheet.resident", w.lang), columns, rows)


def _permit(w: _Words, docs: Iterable[dict]) -> Sheet:
    columns = _col(w, "permit", "flat", "building", "start", "end", "applicant", "phone",
                   "contractor", "deposit", "deposit_state", "status", "id")  # fmt: skip
    rows = []
    for doc in docs:
        flat, building = _flat_of(w, doc.get("unit_id"))
        rows.append((
            doc.get("number") or "", flat, building, doc.get("start") or "", doc.get("end") or "",
            doc.get("applicant") or "", doc.get("applicant_phone") or "",
            doc.get("contractor") or "", doc.get("deposit") or 0,
            w.word("registry.deposit", doc.get("deposit_state")),
            w.word("sheets.permit", doc.get("status")), doc["id"],
        ))  # fmt: skip
    return Sheet("renovation_permit", t("sheets.sheet.renovation_permit", w.lang), columns, rows)


def _rental(w: _Words, docs: Iterable[dict]) -> Sheet:
    columns = _col(w, "flat", "building", "start", "end", "fee_payer", "checked_by",
                   "checked_at", "id")  # fmt: skip
    rows = []
    for doc in docs:
        flat, building = _flat_of(w, doc.get("unit_id"))
        rows.append((
            flat, building, doc.get("start") or "", doc.get("end") or "",
            w.word("registry.fee", doc.get("fee_payer")), doc.get("identity_checked_by") or "",
            _when(doc.get("identity_checked_at")), doc["id"],
        ))  # fmt: skip
    return Sheet("rental", t("sheets.sheet.rental", w.lang), columns, rows)


def _building(w: _Words, docs: Iterable[dict]) -> Sheet:
    columns = _col(w, "building", "code", "floors", "id")
    rows = [(_names(d, w.lang), d.get("code") or "", d.get("floors"), d["id"]) for d in docs]
    return Sheet("building", t("sheets.sheet.building", w.lang), columns, rows)


def _asset(w: _Words, docs: Iterable[dict]) -> Sheet:
    columns = _col(w, "code", "name", "asset_kind", "building", "location", "id")
    rows = [
        (d.get("label") or "", _names(d, w.lang), w.word("checklists.words.asset_kind",
         d.get("kind")), w.building_of_id(d.get("building_id")), d.get("location") or "", d["id"])
        for d in docs
    ]  # fmt: skip
    return Sheet("asset", t("sheets.sheet.asset", w.lang), columns, rows)


def _checkpoint(w: _Words, docs: Iterable[dict]) -> Sheet:
    columns = _col(w, "code", "name", "building", "location", "id")
    rows = [
        (d.get("label") or "", _names(d, w.lang), w.building_of_id(d.get("building_id")),
         d.get("location") or "", d["id"])
        for d in docs
    ]  # fmt: skip
    return Sheet("checkpoint", t("sheets.sheet.checkpoint", w.lang), columns, rows)


def _site(w: _Words, docs: Iterable[dict]) -> Sheet:
    columns = _col(w, "name", "code", "id")
    rows = [(_names(d, w.lang), d.get("code") or "", d["id"]) for d in docs]
    return Sheet("site", t("sheets.sheet.site", w.lang), columns, rows)


def _patrol_route(w: _Words, docs: Iterable[dict]) -> Sheet:
    columns = _col(w, "name", "stops", "id")
    rows = [(_names(d, w.lang), len(d.get("stops") or []), d["id"]) for d in docs]
    return Sheet("patrol_route", t("sheets.sheet.patrol_route", w.lang), columns, rows)


def _reveal(w: _Words, docs: Iterable[dict]) -> Sheet:
    from fieldkit.i18n.roles import role_name
    from fieldkit.reports.reveals import item_label, reason_label

    columns = _col(w, "at", "revealed_by", "post", "flat", "item", "reason", "id")
    rows = [
        (_when(d.get("at")), d.get("by") or "", role_name(str(d.get("role") or ""), w.lang),
         d.get("unit_code") or "", item_label(str(d.get("item") or ""), w.lang),
         " ".join(x for x in (reason_label(str(d.get("reason_code") or ""), w.lang)
                              if d.get("reason_code") else "", d.get("reason") or "") if x),
         d["id"])
        for d in docs
    ]  # fmt: skip
    return Sheet("reveal", t("sheets.sheet.reveal", w.lang), columns, rows)


def _checklist(w: _Words, docs: Iterable[dict]) -> Sheet:
    """The checklists in use on the device (files, not records: ``docs`` is empty), so a
    run's checklist and version can be looked up."""
    from fieldkit.checklists.describe import applies_to_words, every_words

    columns = _col(w, "checklist", "version", "applies_to", "every", "code", "hash")
    rows = [
        (c.title.get(w.lang), c.version, w.cell(applies_to_words(c.applies_to, w.lang)),
         w.cell(every_words(c.schedule, w.lang)), c.id, c.content_hash)
        for c in sorted(w.checklists.values(), key=lambda c: c.id)
    ]  # fmt: skip
    return Sheet("checklist", t("sheets.sheet.checklist", w.lang), columns, rows)


def owners_of(residents: Iterable[dict]) -> dict[str, dict]:
    """Each flat's owner (unit id → the resident record, as exported: masked as the reader
    sees it), for the flats sheet: a flat's record does not hold its owner, the registry
    does. A current owner (not moved out) before a past one."""
    out: dict[str, dict] = {}
    for doc in residents:
        if doc.get("role") != "owner" or not doc.get("unit_id"):
            continue
        unit = str(doc["unit_id"])
        if unit not in out or (out[unit].get("moved_out") and not doc.get("moved_out")):
            out[unit] = doc
    return out


def _plain(kind: str, w: _Words, docs: Iterable[dict]) -> Sheet:
    """A kind without columns of its own: its plain (text, number) fields, as stored."""
    docs = list(docs)
    names: list[str] = []
    for doc in docs:
        names += [k for k, v in doc.items() if isinstance(v, str | int | float) and k not in names]
    names = names or ["id"]
    rows = [tuple(doc.get(k, "") for k in names) for doc in docs]
    title = known(f"sheets.sheet.{kind}", kind, w.lang)
    return Sheet(kind, title, tuple(known(f"sheets.col.{k}", k, w.lang) for k in names), rows)


BUILDERS: dict[str, Callable[[_Words, Iterable[dict]], Sheet]] = {
    "case": _case,
    "incident": _incident,
    "inspection": _inspection,
    "patrol_round": _patrol_round,
    "unit": _unit,
    "resident": _resident,
    "renovation_permit": _permit,
    "rental": _rental,
    "building": _building,
    "asset": _asset,
    "checkpoint": _checkpoint,
    "site": _site,
    "patrol_route": _patrol_route,
    "reveal": _reveal,
    "checklist": _checklist,
}
#: The sheets in the order a manager looks for them: the work first, the registry after.
ORDER = ("case", "incident", "inspection", "patrol_round", "renovation_permit", "rental", "unit",
         "resident", "building", "asset", "checkpoint", "patrol_route", "site", "reveal",
         "checklist")  # fmt: skip


def sheets(
    records: Iterable[tuple[str, dict]],
    kinds: Iterable[str],
    lang: str,
    *,
    places: Places,
    checklists: Iterable[Checklist],
    ws: Workspace | None = None,
    owners: Mapping[str, dict] | None = None,
) -> list[Sheet]:
    """One sheet per kind in ``kinds`` (in :data:`ORDER`, empty ones too) from
    ``records``, (kind, record) pairs as exported — already masked for the reader — with
    buildings and places named from ``places`` and checklists from ``checklists``. The
    incident and patrol round sheets read more of a device's store: they need ``ws``;
    the flats sheet names each flat's owner from ``owners`` (:func:`owners_of`)."""
    words = _Words(places, checklists, lang, ws, owners)
    wanted = set(kinds)
    ordered = [k for k in ORDER if k in wanted] + sorted(wanted - set(ORDER))
    grouped: dict[str, list[dict]] = {k: [] for k in ordered}
    for kind, doc in records:
        grouped.setdefault(kind, []).append(doc)
    out = []
    for kind, docs in grouped.items():
        docs.sort(key=lambda d: str(d.get("id", "")))  # ids are made in time order
        build = BUILDERS.get(kind)
        out.append(build(words, docs) if build else _plain(kind, words, docs))
    return out
