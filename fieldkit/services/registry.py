"""The unit card and personal data on the device: residents (masked), special-care flags,
the renovation permit in force with today's permitted hours, the rental registration, open
violations and cases, the last inspections (revealing a personal value:
:mod:`fieldkit.services.reveals`).

:class:`RegistryIndex` reads a flat's registry records through the store's reference index
(one bucket and the records, not the 50,000 residents), and a card's last inspections come
from the store's index by target (``Store.target_history``): the first card after start
costs what every later one does, and a save is on the next card at once.

Everything a screen gets is a frozen view with personal values already masked; a full
value leaves only through :func:`fieldkit.services.reveals.reveal`, after the reveal is on
disk.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from fieldkit.i18n import UserError
from fieldkit.model import ModelError, Unit, localtime
from fieldkit.model.personal import mask
from fieldkit.model.registry import RenovationPermit, RentalRegistration, Resident
from fieldkit.services import cases as case_rules
from fieldkit.services.device_role import device_role
from fieldkit.services.types import CaseRow, Target, Text
from fieldkit.store.keyed import UNIT_TABLES, unit_key

ACCEPTANCE = "renovation.acceptance"


class RegistryError(UserError, ValueError):
    """Something the person asked that cannot be done; ``key`` is the i18n message."""


@dataclass(frozen=True)
class ResidentView:
    id: str
    role: str  # owner | tenant | household
    name: str  # masked
    phone: str  # masked
    id_number: str  # masked
    special_care: tuple[str, ...]


@dataclass(frozen=True)
class PermitView:
    id: str
    number: str
    applicant: str  # masked
    contractor: str
    workers: int
    scope: tuple[str, ...]
    start: str
    end: str
    hours_today: tuple[str, ...]
    inside_now: bool
    agreement_signed: str | None
    deposit: int
    deposit_state: str
    status: str
    #: yuan to go back, once this permit's acceptance decided to return the deposit the
    #: office still holds (in full, or less a deduction); None otherwise
    to_return: float | None = None


@dataclass(frozen=True)
class RentalView:
    start: str
    end: str | None
    fee_payer: str
    identity_checked_by: str
    identity_checked_at: str | None
    tenants: int


@dataclass(frozen=True)
class InspectionRow:
    id: str
    checklist_id: str
    title: Text
    submitted: float
    cases: int
    #: a re-inspection of a violation (``y`` / ``x`` on the card): what it found, whole
    said: Text | None = None
    #: the violation a re-inspection was of: Enter on its line opens that case
    case: str = ""


@dataclass(frozen=True)
class AcceptanceView:
    inspection_id: str
    submitted: float
    result: Any  # services.renovation.Acceptance: passed, the deposit decision and why

    @property
    def passed(self) -> bool:
        return bool(self.result.passed)

    @property
    def deposit_returnable(self) -> bool:
        return bool(self.result.deposit_returnable)


@dataclass(frozen=True)
class UnitCard:
    target: Target
    site: Text
    address: Text
    residents: tuple[ResidentView, ...]
    special_care: tuple[str, ...]
    permit: PermitView | None
    rental: RentalView | None
    violations: tuple[CaseRow, ...]
    cases: tuple[CaseRow, ...]
    inspections: tuple[InspectionRow, ...]
    role: str
    at: float
    acceptance: AcceptanceView | None = None
    photographed: frozenset[str] = frozenset()  # violations with a photo added since raised
    stopped: StopWork | None = None  # the violation that stopped the work, while open
    #: security's open case for work that went on against the inspector's word (劝阻无效)
    refused: StopWork | None = None


@dataclass(frozen=True)
class StopWork:
    """Work stopped on a flat (责令停工) by an open violation, since it was raised."""

    ref: str
    title: Text
    since: float


ROLE_ORDER = {"owner": 0, "tenant": 1, "household": 2}


class _Built(Mapping[str, Any]):
    """A read-only mapping over stored dicts whose values are built on first access (a
    malformed dict the office sent is skipped rather than breaking a screen)."""

    def __init__(self, docs: dict[str, Any], build: Callable[[Any], Any]) -> None:
        self._docs = docs
        self._build = build
        self._cache: dict[str, Any] = {}

    def __getitem__(self, key: str) -> Any:
        if key not in self._cache:
            self._cache[key] = self._build(self._docs[key])
        return self._cache[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._docs)

    def __len__(self) -> int:
        return len(self._docs)


def _unit(doc: dict) -> Any:
    return Unit.from_dict(doc)  # the store checked it against the model when it was put


def _residents(docs: list[dict]) -> list[Any]:
    built = []
    for doc in docs:
        try:
            built.append(Resident.from_dict(doc))
        except ModelError:
            continue
    built.sort(key=lambda r: (ROLE_ORDER.get(r.role, 9), r.id))
    return built


class RegistryIndex:
    """The registry by unit. A flat's own records (the unit, its residents owner first,
    permits, rentals) are read through the store's reference index
    (``Store.reference_keyed``: one bucket and the records) and kept; what walks every
    flat (``units``, ``residents``, ``permits``: an incident's flagged flats, the flats
    under renovation) is grouped once, on first use, from the stored dicts: 50,000
    residents group in a tenth of a second, where building them all would take seconds."""

    def __init__(self, store: Any) -> None:
        self._store = store
        self._flats: dict[str, dict[str, list[Any]]] = {}
        self._grouped: dict[str, Any] | None = None

    @classmethod
    def load(cls, store: Any) -> RegistryIndex:
        return cls(store)

    def _flat(self, unit_id: str) -> dict[str, list[Any]]:
        found = self._flats.get(unit_id)
        if found is None:
            docs: dict[str, list[dict]] = {t: [] for t in UNIT_TABLES}
            for table, doc in self._store.reference_keyed(unit_key(unit_id)):
                if table in docs and doc.get("unit_id") == unit_id:
                    docs[table].append(doc)
            found = {
                "resident": _residents(docs["resident"]),
                "renovation_permit": _built(RenovationPermit, docs["renovation_permit"]),
                "rental": _built(RentalRegistration, docs["rental"]),
            }
            self._flats[unit_id] = found
        return found

    def unit(self, unit_id: str) -> Any | None:
        return self._store.get_reference("unit", unit_id) if unit_id else None

    def site(self, site_id: str) -> Any | None:
        return self._store.get_reference("site", site_id) if site_id else None

    def residents_of(self, unit_id: str) -> list[Any]:
        return self._flat(unit_id)["resident"]

    def permits_of(self, unit_id: str) -> list[Any]:
        return self._flat(unit_id)["renovation_permit"]

    def rentals_of(self, unit_id: str) -> list[Any]:
        return self._flat(unit_id)["rental"]

    def resident(self, resident_id: str) -> Any | None:
        found = self._store.get_reference("resident", resident_id) if resident_id else None
        if found is None or not isinstance(found.unit_id, str):
            return None
        return next((r for r in self.residents_of(found.unit_id) if r.id == resident_id), None)

    def _group(self) -> dict[str, Any]:
        if self._grouped is None:
            store = self._store
            by_unit: dict[str, list[dict]] = {}
            for doc in store.reference_docs("resident"):
                unit_id = doc.get("unit_id")
                if isinstance(unit_id, str):
                    by_unit.setdefault(unit_id, []).append(doc)
            permits: dict[str, list[Any]] = {}
            for permit in store.reference("renovation_permit"):
                permits.setdefault(permit.unit_id, []).append(permit)
            self._grouped = {
                "units": _Built({d["id"]: d for d in store.reference_docs("unit")}, _unit),
                "residents": _Built(by_unit, _residents),
                "permits": permits,
            }
        return self._grouped

    @property
    def units(self) -> Mapping[str, Any]:
        """Every flat (id -> Unit), each built when asked for."""
        return self._group()["units"]

    @property
    def residents(self) -> Mapping[str, list[Any]]:
        """Every flat's residents (unit id -> residents, owner first), built when asked."""
        return self._group()["residents"]

    @property
    def permits(self) -> dict[str, list[Any]]:
        """Every flat's permits (unit id -> permits)."""
        return self._group()["permits"]


def _built(cls: type, docs: list[dict]) -> list[Any]:
    out = []
    for doc in docs:
        try:
            out.append(cls.from_dict(doc))
        except ModelError:
            continue
    return out


def target_history(workspace: Any, target_id: str) -> tuple[list[InspectionRow], Any]:
    """A target's inspections, newest first — all of them: the card lists them line by
    line — with the re-inspections of its violations, and its last acceptance: from
    the store's index by target (``Store.target_history``), so the same at the first card
    after start as after a save."""
    titles: dict[str, Text] | None = None
    rows: list[InspectionRow] = []
    for entry in workspace.store.target_history(target_id):
        if entry[0] == "case":
            rows += _reinspections(entry)
            continue
        if titles is None:
            titles = workspace.checklist_titles()
        _, doc_id, checklist_id, submitted_at, cases = entry[:5]
        rows.append(
            InspectionRow(id=doc_id, checklist_id=checklist_id,
                          title=titles.get(checklist_id, {"zh": "", "en": ""}),
                          submitted=case_rules.epoch(submitted_at), cases=int(cases or 0))
        )  # fmt: skip
    rows.sort(key=lambda r: (r.submitted, r.id), reverse=True)
    accepted = next((r for r in rows if r.checklist_id == ACCEPTANCE), None)
    return rows, accepted


def _reinspections(entry: list) -> list[InspectionRow]:
    """A violation's re-inspections (its entry by target: id, titles, title, events) as
    lines of the card's last inspections: "复查 #b45233 擅自改动承重墙…：已整改" /
    "…：未整改，已升级（第 1 次）"."""
    from fieldkit.i18n import t

    _, case_id, titles, title, events = entry[:5]
    titles = titles if isinstance(titles, dict) else {}
    out = []
    for event_id, kind, at, level, text in events:
        note = str(text or "").strip()
        said = {
            lang: t(f"renovation.card.{kind}_row", lang, ref=str(case_id)[-6:],
                    title=titles.get(lang) or title, level=level, note=note)
            for lang in ("zh", "en")
        }  # fmt: skip
        if not note:
            said = {lang: line.rstrip("：: —").rstrip() for lang, line in said.items()}
        out.append(
            InspectionRow(id=str(event_id or case_id), checklist_id="reinspection", title=said,
                          submitted=case_rules.epoch(at), cases=0, said=said,
                          case=str(case_id))
        )  # fmt: skip
    return out


def index_for(workspace: Any) -> RegistryIndex:
    """The workspace's registry index, kept until a pull changes the reference data."""
    return workspace.cached("registry", RegistryIndex.load)


def _resident_view(resident: Any) -> ResidentView:
    return ResidentView(
        id=resident.id,
        role=resident.role,
        name=mask("name", resident.name),
        phone=mask("phone", resident.phone),
        id_number=mask("id_number", resident.id_number),
        special_care=tuple(resident.special_care),
    )


def permit_in_force(index: RegistryIndex, unit_id: str, day: date) -> Any | None:
    permits = [p for p in index.permits_of(unit_id) if p.in_force(day)]
    return max(permits, key=lambda p: p.start) if permits else None


def _permit_view(permit: Any, moment: datetime, accepted: AcceptanceView | None) -> PermitView:
    return PermitView(
        id=permit.id,
        number=permit.number,
        applicant=mask("name", permit.applicant),
        contractor=permit.contractor,
        workers=len(permit.workers),
        scope=tuple(permit.scope),
        start=permit.start,
        end=permit.end,
        hours_today=tuple(permit.hours_on(moment.date())),
        inside_now=permit.allows(moment),
        agreement_signed=permit.agreement_signed,
        deposit=permit.deposit,
        deposit_state=permit.deposit_state,
        status=permit.status,
        to_return=_to_return(permit, accepted),
    )


def _to_return(permit: Any, accepted: AcceptanceView | None) -> float | None:
    """What goes back of the deposit the office holds, as this permit's acceptance decided
    (an acceptance from an earlier permit of the flat decides nothing here)."""
    if accepted is None or permit.deposit_state != "held" or not permit.deposit:
        return None
    result = accepted.result
    done_on = localtime.local(accepted.submitted)
    if (
        not result.deposit_returnable
        or done_on is None
        or done_on.date().isoformat() < permit.start
    ):
        return None
    less = {"return_full": 0.0, "return_part": result.deduction or 0.0}.get(result.decision or "")
    return None if less is None else max(permit.deposit - less, 0.0)


def _rental_view(index: RegistryIndex, unit_id: str, day: date) -> RentalView | None:
    current = [r for r in index.rentals_of(unit_id) if r.current(day)]
    if not current:
        return None
    rental = max(current, key=lambda r: r.start)
    return RentalView(
        start=rental.start,
        end=rental.end,
        fee_payer=rental.fee_payer,
        identity_checked_by=rental.identity_checked_by,
        identity_checked_at=rental.identity_checked_at,
        tenants=len(rental.tenants),
    )


def unit_card(workspace: Any, target: Target, now: float | None = None) -> UnitCard:
    """Everything the unit card shows, personal values masked. ``now`` is epoch seconds;
    permitted hours are judged on the compound's clocks (``localtime``)."""
    now = time.time() if now is None else now
    moment = localtime.local(now)
    index = index_for(workspace)
    store = workspace.store
    role = device_role(workspace)
    unit = index.unit(target.id)
    today = moment.date()
    residents = tuple(_resident_view(r) for r in index.residents_of(target.id) if r.current(today))
    flags = dict.fromkeys(
        [*(unit.special_care if unit else ()), *(f for r in residents for f in r.special_care)]
    )
    permit = permit_in_force(index, target.id, today)
    places = workspace.places_named()
    open_cases = store.open_cases(target.id)
    open_cases.sort(key=lambda c: c.due or "")
    rows = {c.id: case_rules.entry(c.to_dict(), places).row(now) for c in open_cases}
    violations = tuple(rows[c.id] for c in open_cases if c.kind == "violation")
    from fieldkit.services.renovation import photo_added, stops_work

    photographed = frozenset(c.id for c in open_cases if c.kind == "violation" and photo_added(c))
    stopped = _first_stop([c for c in open_cases if stops_work(c)], rows)
    from fieldkit.services.renovation import NOT_STOPPED

    refusing = [c for c in open_cases if c.kind == "finding"
                and (c.source_item or "").split("@")[0] == NOT_STOPPED[0]]  # fmt: skip
    refused = _first_stop(refusing, rows)
    others = tuple(rows[c.id] for c in open_cases if c.kind != "violation")
    rows, accepted = target_history(workspace, target.id)
    inspections = tuple(rows)
    site = index.site(unit.site_id) if unit else None
    site_names = _names(site) if site else {"zh": "", "en": ""}
    address = {
        lang: (" " if lang == "zh" else ", ").join(
            part for part in (site_names.get(lang, ""), target.name.get(lang, "")) if part
        )
        for lang in ("zh", "en")
    }
    acceptance = _acceptance(store, accepted, len(violations)) if accepted else None
    return UnitCard(
        target=target,
        site=site_names,
        address=address,
        residents=residents,
        special_care=tuple(flags),
        permit=_permit_view(permit, moment, acceptance) if permit else None,
        rental=_rental_view(index, target.id, today),
        violations=violations,
        cases=others,
        inspections=inspections,
        role=role,
        at=now,
        acceptance=acceptance,
        photographed=photographed,
        stopped=stopped,
        refused=refused,
    )


def _first_stop(cases: list[Any], rows: dict[str, CaseRow]) -> StopWork | None:
    """The earliest raised of ``cases`` as the card's stop-work line names it; None for none."""
    first = min(cases, key=lambda c: c.created_at, default=None)
    if first is None:
        return None
    return StopWork(rows[first.id].ref, rows[first.id].title, case_rules.epoch(first.created_at))


def _acceptance(store: Any, row: InspectionRow, violations_open: int) -> AcceptanceView | None:
    from fieldkit.services.renovation import acceptance_of

    inspection = store.get_inspection(row.id)
    if inspection is None:
        return None
    result = acceptance_of(store, inspection.to_dict(), violations_open)
    return AcceptanceView(inspection_id=row.id, submitted=row.submitted, result=result)


def _names(record: Any) -> Text:
    names = record.extra.get("names") if isinstance(record.extra, dict) else None
    if isinstance(names, dict) and names:
        return {str(k): str(v) for k, v in names.items()}
    return {"zh": record.name, "en": record.name}
