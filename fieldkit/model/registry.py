"""The unit registry's records: residents, renovation permits, rental registrations (all
reference data the office owns and devices pull).

- :class:`Resident` — an owner, tenant or household member on a unit, with phone, ID number
  and special-care flags (:data:`SPECIAL_CARE`). Personal fields are shown through
  :mod:`fieldkit.model.personal`, masked unless the role may see them.
- :class:`RenovationPermit` — unit, applicant, contractor and workers, approved scope, start
  and end dates, permitted hours (:class:`WorkHours`), agreement signed (date), deposit and
  its state, status. :meth:`RenovationPermit.hours_on` and :meth:`allows` answer "may they
  make noise now?" in the compound's local time.
- :class:`RentalRegistration` — tenants, whose identity was checked by whom and when, the
  period, and who pays the property fee.

The reveal log is :mod:`fieldkit.model.reveal`; patrol routes and rounds
:mod:`fieldkit.model.patrol`. Dates are ISO ``YYYY-MM-DD`` strings; times of day ``HH:MM``
in the compound's local time.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any, ClassVar

from fieldkit.model.base import (
    PERSON,
    ModelError,
    Plain,
    need_in,
    need_str,
    personal,
    personal_meta,
)

SPECIAL_CARE = ("elderly_alone", "disabled", "evacuation_help")
RESIDENT_ROLES = ("owner", "tenant", "household")
PERMIT_STATUSES = ("approved", "active", "suspended", "completed", "cancelled")
DEPOSIT_STATES = ("none", "held", "returnable", "returned", "withheld")
FEE_PAYERS = ("owner", "tenant")
_HOURS = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-4]):([0-5]\d)$")


def _date(value: object, what: str, optional: bool = False) -> date | None:
    if value in (None, "") and optional:
        return None
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise ModelError(f"{what}: a date like 2026-11-28 is needed, not {value!r}") from None


def _window(text: str) -> tuple[time, time]:
    match = _HOURS.match(text)
    if not match:
        raise ModelError(f"hours: {text!r} is not like 08:00-12:00")
    h1, m1, h2, m2 = (int(g) for g in match.groups())
    start = time(h1, m1)
    end = time(23, 59, 59) if h2 == 24 else time(h2, m2)
    if end <= start:
        raise ModelError(f"hours: {text!r} ends before it starts")
    return start, end


@dataclass(slots=True)
class Resident(Plain):
    ENTITY: ClassVar[str] = "resident"
    REQUIRED: ClassVar[tuple[str, ...]] = ("id", "site_id", "unit_id")
    id: str
    site_id: str
    unit_id: str
    role: str = "owner"
    name: str = personal("name")
    phone: str = personal("phone")
    id_number: str = personal("id_number")
    special_care: list[str] = field(default_factory=list)
    moved_in: str | None = None
    moved_out: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def validate(self) -> None:
        need_str(self, "id", "site_id", "unit_id")
        need_in(self, "role", RESIDENT_ROLES)
        need_str(self, "name", "phone", "id_number", empty=True)
        unknown = [f for f in self.special_care if f not in SPECIAL_CARE]
        if unknown:
            raise ModelError(f"Resident.special_care: unknown flag(s) {unknown}")
        _date(self.moved_in, "Resident.moved_in", optional=True)
        _date(self.moved_out, "Resident.moved_out", optional=True)

    def current(self, today: date) -> bool:
        out = _date(self.moved_out, "moved_out", optional=True)
        return out is None or out > today


@dataclass(slots=True)
class WorkHours(Plain):
    """When noisy work is allowed: windows on the listed weekdays (0 = Monday), never on
    ``closed`` dates (public holidays the compound names)."""

    REQUIRED: ClassVar[tuple[str, ...]] = ()
    windows: list[str] = field(default_factory=lambda: ["08:00-12:00", "14:00-18:00"])
    weekdays: list[int] = field(default_factory=lambda: [0, 1, 2, 3, 4])
    closed: list[str] = field(default_factory=list)

    def validate(self) -> None:
        for text in self.windows:
            _window(text)
        if any(not isinstance(d, int) or not 0 <= d <= 6 for d in self.weekdays):
            raise ModelError("WorkHours.weekdays: whole numbers 0 (Monday) to 6 (Sunday)")
        for text in self.closed:
            _date(text, "WorkHours.closed")

    def on(self, day: date) -> list[str]:
        """The windows open on ``day`` (none on a closed date or another weekday)."""
        if day.weekday() not in self.weekdays or day.isoformat() in self.closed:
            return []
        return list(self.windows)


@dataclass(slots=True)
class RenovationPermit(Plain):
    ENTITY: ClassVar[str] = "renovation_permit"
    REQUIRED: ClassVar[tuple[str, ...]] = ("id", "site_id", "unit_id", "start", "end")
    NESTED: ClassVar[dict[str, tuple[str, type]]] = {"hours": ("one", WorkHours)}
    id: str
    site_id: str
    unit_id: str
    start: str
    end: str
    applicant: str = personal("name")
    applicant_phone: str = personal("phone")
    contractor: str = ""
    workers: list[dict[str, Any]] = field(default_factory=list, metadata=personal_meta(PERSON))
    scope: list[str] = field(default_factory=list)
    hours: WorkHours = field(default_factory=WorkHours)
    agreement_signed: str | None = None
    deposit: int = 0  # yuan
    deposit_state: str = "held"
    status: str = "approved"
    number: str = ""  # the permit number the office writes on the door notice
    extra: dict[str, Any] = field(default_factory=dict)

    def validate(self) -> None:
        need_str(self, "id", "site_id", "unit_id")
        start = _date(self.start, "RenovationPermit.start")
        end = _date(self.end, "RenovationPermit.end")
        if end < start:  # type: ignore[operator]
            raise ModelError("RenovationPermit: end is before start")
        _date(self.agreement_signed, "RenovationPermit.agreement_signed", optional=True)
        need_in(self, "status", PERMIT_STATUSES)
        need_in(self, "deposit_state", DEPOSIT_STATES)
        if not isinstance(self.deposit, int) or self.deposit < 0:
            raise ModelError("RenovationPermit.deposit: an amount in yuan is needed")
        if not isinstance(self.hours, WorkHours):
            raise ModelError("RenovationPermit.hours: permitted hours are needed")
        self.hours.validate()

    def in_force(self, day: date) -> bool:
        """Approved or active, not suspended or finished, and ``day`` within its dates."""
        if self.status not in ("approved", "active"):
            return False
        return date.fromisoformat(self.start) <= day <= date.fromisoformat(self.end)

    def hours_on(self, day: date) -> list[str]:
        return self.hours.on(day) if self.in_force(day) else []

    def allows(self, moment: datetime) -> bool:
        """Whether noisy work is allowed at ``moment`` (local time of the compound)."""
        now = moment.time()
        for text in self.hours_on(moment.date()):
            start, end = _window(text)
            if start <= now < end:
                return True
        return False


@dataclass(slots=True)
class RentalRegistration(Plain):
    ENTITY: ClassVar[str] = "rental"
    REQUIRED: ClassVar[tuple[str, ...]] = ("id", "site_id", "unit_id", "start")
    id: str
    site_id: str
    unit_id: str
    start: str
    end: str | None = None
    tenants: list[str] = field(default_factory=list)  # resident ids
    identity_checked_by: str = ""
    identity_checked_at: str | None = None
    fee_payer: str = "owner"
    extra: dict[str, Any] = field(default_factory=dict)

    def validate(self) -> None:
        need_str(self, "id", "site_id", "unit_id")
        _date(self.start, "RentalRegistration.start")
        _date(self.end, "RentalRegistration.end", optional=True)
        need_in(self, "fee_payer", FEE_PAYERS)

    @property
    def identity_checked(self) -> bool:
        return bool(self.identity_checked_by and self.identity_checked_at)

    def current(self, today: date) -> bool:
        end = _date(self.end, "end", optional=True)
        return date.fromisoformat(self.start) <= today and (end is None or today <= end)
