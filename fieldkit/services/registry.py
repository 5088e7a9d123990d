"""The unit card and personal data on the device: residents (masked), special-care flags,
the renovation permit in force with today's permitted hours, the rental registration, open
violations and cases, the last inspections (revealing a personal value:
:mod:`fieldkit.services.reveals`).

:class:`RegistryIndex` groups the registry's reference data by unit once per workspace
(50,000 residents take a fraction of a second), so a card is a few dict lookups plus the
small live file's open cases. Inspections are indexed by target from the whole history and
re-read only when this device has written something since (its outbox sequence moved).

Everything a screen gets is a frozen view with personal values already masked; a full
value leaves only through :func:`fieldkit.services.reveals.reveal`, after the reveal is on
disk.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from fieldkit.i18n import UserError
from fieldkit.model import ModelError, Unit, localtime
from fieldkit.model.personal import mask
from fieldkit.model.registry import Resident
from fieldkit.services import cases as case_rules
from fieldkit.services.types import CaseRow, Target, Text

LAST_INSPECTIONS = 5
ACCEPTANCE = "renovation.acceptance"
ROLES = ("patrol", "renovation", "emergency", "desk", "office")


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


@dataclass
class RegistryIndex:
    """The registry grouped by unit. ``units`` (id → Unit) and ``residents`` (unit id →
    residents, owner first) are mappings over the stored dicts that build a record only
    when it is asked for: 50,000 residents group in a tenth of a second, where building
    them all would take seconds before the first card."""

    units: Mapping[str, Any] = field(default_factory=dict)
    residents: Mapping[str, list[Any]] = field(default_factory=dict)
    resident_unit: dict[str, str] = field(default_factory=dict)  # resident id -> unit id
    permits: dict[str, list[Any]] = field(default_factory=dict)
    rentals: dict[str, list[Any]] = field(default_factory=dict)
    sites: dict[str, Any] = field(default_factory=dict)
    inspections: dict[str, list[InspectionRow]] = field(default_factory=dict)
    last_acceptance: dict[str, InspectionRow] = field(default_factory=dict)
    inspections_seq: int = -1

    @classmethod
    def load(cls, store: Any) -> RegistryIndex:
        index = cls()
        index.units = _Built({d["id"]: d for d in store.reference_docs("unit")}, _unit)
        index.sites = {s.id: s for s in store.reference("site")}
        by_unit: dict[str, list[dict]] = {}
        for doc in store.reference_docs("resident"):
            unit_id = doc.get("unit_id")
            if isinstance(unit_id, str):
                by_unit.setdefault(unit_id, []).append(doc)
                index.resident_unit[doc["id"]] = unit_id
        index.residents = _Built(by_unit, _residents)
        for permit in store.reference("renovation_permit"):
            index.permits.setdefault(permit.unit_id, []).append(permit)
        for rental in store.reference("rental"):
            index.rentals.setdefault(rental.unit_id, []).append(rental)
        return index

    def unit(self, unit_id: str) -> Any | None:
        return self.units.get(unit_id)

    def residents_of(self, unit_id: str) -> list[Any]:
        return self.residents.get(unit_id, [])

    def resident(self, resident_id: str) -> Any | None:
        unit_id = self.resident_unit.get(resident_id)
        if unit_id is None:
            return None
        return next((r for r in self.residents_of(unit_id) if r.id == resident_id), None)

    def load_inspections(self, store: Any, titles: dict[str, Text], seq: int) -> None:
        """The last inspections of each target, and the re-inspections of its violations
        (one pass over the history, which holds both), as of the device's write ``seq``
        read *before* the pass: a save during it makes the next card read them again."""
        by_target: dict[str, list[InspectionRow]] = {}
        for _, doc in store.iter_records(["inspection", "case"]):
            if doc.get("kind") == "violation":
                for row in _reinspections(doc):
                    by_target.setdefault((doc.get("target") or {}).get("id", ""), []).append(row)
                continue
            if doc.get("status") != "submitted" or "checklist" not in doc:
                continue
            checklist = doc.get("checklist") or {}
            row = InspectionRow(
                id=doc["id"],
                checklist_id=checklist.get("id", ""),
                title=titles.get(checklist.get("id", ""), {"zh": "", "en": ""}),
                submitted=case_rules.epoch(doc.get("submitted_at")),
                cases=len(doc.get("cases") or ()),
            )
            by_target.setdefault((doc.get("target") or {}).get("id", ""), []).append(row)
        self.last_acceptance = {}
        for target_id, rows in by_target.items():
            rows.sort(key=lambda r: r.submitted, reverse=True)
            accepted = next((r for r in rows if r.checklist_id == ACCEPTANCE), None)
            if accepted is not None:  # kept when later re-inspections push it off the list
                self.last_acceptance[target_id] = accepted
            del rows[LAST_INSPECTIONS:]
        self.inspections = by_target
        self.inspections_seq = seq


_INSPECTIONS_LOCK = threading.Lock()


def _reinspections(doc: dict) -> list[InspectionRow]:
    """A violation's re-inspections (stored dict) as lines of the card's last inspections:
    "复查 #b45233 擅自改动承重墙…：已整改" / "…：未整改，已升级（第 1 次）"."""
    from fieldkit.i18n import t

    titles = (doc.get("extra") or {}).get("titles") or doc.get("titles")
    titles = titles if isinstance(titles, dict) else {}
    out = []
    for event in doc.get("events") or ():
        kind = event.get("type")
        if kind not in ("reinspection", "escalated"):
            continue
        data = event.get("data") or {}
        said = {
            lang: t(f"renovation.card.{kind}_row", lang, ref=str(doc["id"])[-6:],
                    title=titles.get(lang) or doc.get("title", ""), level=data.get("level", 1),
                    note=(event.get("text") or "").strip())
            for lang in ("zh", "en")
        }  # fmt: skip
        if not (event.get("text") or "").strip():
            said = {lang: line.rstrip("：: —").rstrip() for lang, line in said.items()}
        out.append(
            InspectionRow(id=str(event.get("id") or doc["id"]), checklist_id="reinspection",
                          title=said, submitted=case_rules.epoch(event.get("at")), cases=0,
                          said=said)
        )  # fmt: skip
    return out


def index_for(workspace: Any) -> RegistryIndex:
    """The workspace's registry index, kept until a pull changes the reference data."""
    return workspace.cached("registry", RegistryIndex.load)


def device_role(workspace: Any) -> str:
    """The role this device was enrolled for; a device set up without the office (a demo,
    a spare laptop) may name one in its state; otherwise the least: patrol."""
    from fieldkit.sync.credentials import Credentials, SyncError

    try:
        creds = Credentials.load(workspace.data_dir)
    except SyncError:
        creds = None
    if creds is not None:
        return creds.role
    role = workspace.store.device_state().get("role")
    return role if role in ROLES else "patrol"


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
    permits = [p for p in index.permits.get(unit_id, ()) if p.in_force(day)]
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
    current = [r for r in index.rentals.get(unit_id, ()) if r.current(day)]
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
    places = workspace.places
    open_cases = store.open_cases(target.id)
    open_cases.sort(key=lambda c: c.due or "")
    rows = {c.id: case_rules.entry(c.to_dict(), places).row(now) for c in open_cases}
    violations = tuple(rows[c.id] for c in open_cases if c.kind == "violation")
    others = tuple(rows[c.id] for c in open_cases if c.kind != "violation")
    with _INSPECTIONS_LOCK:
        seq = int(store.device_state().get("seq", 0))
        if index.inspections_seq != seq:
            titles = {cid: c.title.to_dict() for cid, c in workspace.checklists().items()}
            index.load_inspections(store, titles, seq)
        inspections = tuple(index.inspections.get(target.id, ()))
        accepted = index.last_acceptance.get(target.id)
    site = index.sites.get(unit.site_id) if unit else None
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
    )


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
