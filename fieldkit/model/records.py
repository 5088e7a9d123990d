"""The record types of DESIGN §3 as plain dataclasses, with ``to_dict``/``from_dict``.

Every record has a UUIDv7 ``id`` (see :mod:`fieldkit.model.ids`) and a class constant
``ENTITY`` naming its kind ("inspection", "case", ...). ``to_dict()`` returns a plain dict of
JSON types (str, int, float, bool, None, list, dict); ``Cls.from_dict(d)`` reads one back and
raises :class:`ModelError` for a dict that is not that record. Keys a record does not know are
kept in ``extra`` and written back out, so data from a newer release survives a round trip.
Times a person reads are ISO-8601 UTC strings (:func:`now_iso`); the order of changes comes
from HLC stamps (:mod:`fieldkit.model.hlc`), kept as their sortable strings.

Mutations that matter for sync are methods taking the HLC stamp of the change:

- :class:`Inspection` — a run of a checklist (:class:`ChecklistRef`: id, version, content
  hash) against a :class:`Target`. ``set_answer(key, value, hlc)`` while a draft; ``submit``
  locks it (later changes raise :class:`RecordLocked`); ``correction(...)`` starts a new
  draft that ``supersedes`` it. Answers are keyed by item id, or ``item@asset`` for one pass
  of a repeated section (:func:`answer_key`, :func:`split_answer_key`).
- :class:`Case` — finding, repair, complaint, violation or neighbour dispute. Scalar fields
  listed in ``Case.LWW_FIELDS`` carry a per-field stamp in ``stamps`` (the HLC string, which
  ends in the device id) so replicas merge last-writer-wins (:mod:`fieldkit.model.merge`).
  ``status`` moves
  along its kind's ranks in ``CASE_LIFECYCLES`` (``CASE_LIFECYCLE`` for findings and
  violations); going back is only possible with ``reopen`` (it raises the ``status_gen``).
  ``events`` is append-only; ``conflicts`` logs every value a merge overwrote.
- :class:`Incident` — type, place, severity, status (``INCIDENT_LIFECYCLE``), an append-only
  ``timeline``, linked SOP inspections; fields and status merge like a case's.
- Reference data pulled from the office: :class:`Site`, :class:`Building`, :class:`Unit`,
  :class:`Asset`, :class:`Checkpoint`; and :class:`AttachmentRef` (a blob by sha256).

``RECORD_TYPES`` maps each ``ENTITY`` to its class; :func:`record_from_dict` uses it.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field, fields
from datetime import UTC, datetime
from typing import Any, ClassVar, Self

from fieldkit.model.hlc import HLC, HLCError
from fieldkit.model.personal import personal


class ModelError(ValueError):
    """A dict that is not a valid record, or a change the record does not allow."""


class RecordLocked(ModelError):
    """A change to a submitted inspection (they are immutable)."""


def now_iso() -> str:
    """The current UTC time as ``2026-11-28T01:12:18.123Z``."""
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


SHA256 = re.compile(r"^[0-9a-f]{64}$")


def _check_hlc(value: object, what: str) -> str:
    if not isinstance(value, str):
        raise ModelError(f"{what}: an HLC stamp string is needed")
    try:
        HLC.parse(value)
    except HLCError as exc:
        raise ModelError(f"{what}: {exc}") from exc
    return value


def _stamp(hlc: HLC | str) -> str:
    return _check_hlc(str(hlc), "stamp")


class _Plain:
    """to_dict/from_dict for flat dataclasses; subclasses name their nested types."""

    # field name -> ("one" | "list" | "dict", class with from_dict)
    NESTED: ClassVar[dict[str, tuple[str, type]]] = {}
    REQUIRED: ClassVar[tuple[str, ...]] = ("id",)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for f in fields(self):  # type: ignore[arg-type]
            if f.name == "extra":
                continue
            value = getattr(self, f.name)
            shape = self.NESTED.get(f.name, (None,))[0]
            if value is None or shape is None:
                out[f.name] = _copy(value)
            elif shape == "one":
                out[f.name] = value.to_dict()
            elif shape == "list":
                out[f.name] = [v.to_dict() for v in value]
            else:
                out[f.name] = {k: v.to_dict() for k, v in value.items()}
        for key, value in getattr(self, "extra", {}).items():
            out.setdefault(key, _copy(value))
        return out

    @classmethod
    def from_dict(cls, data: object) -> Self:
        if not isinstance(data, dict):
            raise ModelError(f"{cls.__name__}: expected a mapping, got {type(data).__name__}")
        missing = [k for k in cls.REQUIRED if data.get(k) is None]
        if missing:
            raise ModelError(f"{cls.__name__}: missing {', '.join(missing)}")
        known = {f.name for f in fields(cls)}  # type: ignore[arg-type]
        kwargs: dict[str, Any] = {}
        for key, value in data.items():
            if key not in known or key == "extra":
                continue
            shape, sub = cls.NESTED.get(key, (None, None))
            try:
                if value is None or shape is None:
                    kwargs[key] = _copy(value)
                elif shape == "one":
                    kwargs[key] = sub.from_dict(value)
                elif shape == "list":
                    kwargs[key] = [sub.from_dict(v) for v in _expect(value, list, key)]
                else:
                    kwargs[key] = {
                        str(k): sub.from_dict(v) for k, v in _expect(value, dict, key).items()
                    }
            except ModelError as exc:
                raise ModelError(f"{cls.__name__}.{key}: {exc}") from exc
        if "extra" in known:
            kwargs["extra"] = {k: _copy(v) for k, v in data.items() if k not in known}
        try:
            record = cls(**kwargs)
        except TypeError as exc:
            raise ModelError(f"{cls.__name__}: {exc}") from exc
        record.validate()
        return record

    def validate(self) -> None:
        """Raise ModelError if a field has the wrong shape; subclasses add their rules."""


def _expect(value: object, kind: type, what: str) -> Any:
    if not isinstance(value, kind):
        raise ModelError(f"{what}: expected {kind.__name__}")
    return value


def _copy(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _copy(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_copy(v) for v in value]
    return value


def _need_str(record: object, *names: str, optional: bool = False, empty: bool = False) -> None:
    """Each field must be text: non-empty unless ``empty``; None allowed if ``optional``."""
    for name in names:
        value = getattr(record, name)
        if value is None and optional:
            continue
        if not isinstance(value, str) or (not (optional or empty) and not value):
            raise ModelError(f"{type(record).__name__}.{name}: text is needed")


def _need_in(record: object, name: str, allowed: tuple[str, ...]) -> None:
    value = getattr(record, name)
    if value not in allowed:
        raise ModelError(f"{type(record).__name__}.{name}: {value!r} is not one of {allowed}")


# --- small value types ------------------------------------------------------------------

TARGET_KINDS = ("site", "building", "unit", "asset", "checkpoint", "route", "incident")


@dataclass(slots=True)
class Target(_Plain):
    """What a record is about: ``Target("unit", unit_id)``, ``Target("asset", asset_id)``."""

    kind: str
    id: str
    REQUIRED: ClassVar[tuple[str, ...]] = ("kind", "id")

    def validate(self) -> None:
        _need_in(self, "kind", TARGET_KINDS)
        _need_str(self, "id")


@dataclass(slots=True)
class ChecklistRef(_Plain):
    """The exact checklist a run used: its id, version and content hash."""

    id: str
    version: int
    hash: str
    REQUIRED: ClassVar[tuple[str, ...]] = ("id", "version", "hash")

    def validate(self) -> None:
        _need_str(self, "id", "hash")
        if not isinstance(self.version, int) or isinstance(self.version, bool):
            raise ModelError("ChecklistRef.version: a whole number is needed")


@dataclass(slots=True)
class AttachmentRef(_Plain):
    """A photo or file in the blob store, named by the sha256 of its bytes."""

    sha256: str
    size: int
    media_type: str = "application/octet-stream"
    name: str = ""
    REQUIRED: ClassVar[tuple[str, ...]] = ("sha256", "size")

    def validate(self) -> None:
        if not isinstance(self.sha256, str) or not SHA256.match(self.sha256):
            raise ModelError("AttachmentRef.sha256: 64 lowercase hex digits are needed")
        if not isinstance(self.size, int) or self.size < 0:
            raise ModelError("AttachmentRef.size: a size in bytes is needed")


@dataclass(slots=True)
class Answer(_Plain):
    """One answer: its value (any JSON value), when it was given, and optional extras."""

    value: Any
    hlc: str
    note: str = ""
    attachments: list[AttachmentRef] = field(default_factory=list)
    NESTED: ClassVar[dict[str, tuple[str, type]]] = {"attachments": ("list", AttachmentRef)}
    REQUIRED: ClassVar[tuple[str, ...]] = ("hlc",)

    def validate(self) -> None:
        _check_hlc(self.hlc, "Answer.hlc")


def answer_key(item_id: str, asset_id: str | None = None) -> str:
    """The key of an answer: the item id, or ``item@asset`` in a repeated section's pass."""
    if not item_id or "@" in item_id:
        raise ModelError(f"bad item id {item_id!r}")
    return f"{item_id}@{asset_id}" if asset_id else item_id


def split_answer_key(key: str) -> tuple[str, str | None]:
    """``"pressure@a1"`` -> ``("pressure", "a1")``; ``"note"`` -> ``("note", None)``."""
    item, _, asset = key.partition("@")
    return item, asset or None


# --- inspections --------------------------------------------------------------------------

#: A discarded draft is kept (never deleted) but can no longer change or be resumed.
INSPECTION_STATUSES = ("draft", "submitted", "discarded")


@dataclass(slots=True)
class Inspection(_Plain):
    ENTITY: ClassVar[str] = "inspection"
    NESTED: ClassVar[dict[str, tuple[str, type]]] = {
        "checklist": ("one", ChecklistRef),
        "target": ("one", Target),
        "answers": ("dict", Answer),
    }
    REQUIRED: ClassVar[tuple[str, ...]] = ("id", "checklist", "target", "hlc")

    id: str
    checklist: ChecklistRef
    target: Target
    hlc: str
    site_id: str | None = None
    inspector: str = ""
    device: str = ""
    status: str = "draft"
    answers: dict[str, Answer] = field(default_factory=dict)
    started_at: str = field(default_factory=now_iso)
    submitted_at: str | None = None
    supersedes: str | None = None
    cases: list[str] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)

    def validate(self) -> None:
        _need_str(self, "id")
        _need_in(self, "status", INSPECTION_STATUSES)
        _check_hlc(self.hlc, "Inspection.hlc")
        _need_str(self, "site_id", "supersedes", "submitted_at", optional=True)

    @property
    def submitted(self) -> bool:
        return self.status == "submitted"

    def _unlocked(self) -> None:
        if self.status != "draft":
            raise RecordLocked(f"inspection {self.id} is {self.status} and cannot change")

    def set_answer(
        self,
        key: str,
        value: Any,
        hlc: HLC | str,
        note: str = "",
        attachments: list[AttachmentRef] | None = None,
    ) -> Answer:
        self._unlocked()
        item, asset = split_answer_key(key)
        answer_key(item, asset)
        answer = Answer(value=_copy(value), hlc=_stamp(hlc), note=note)
        answer.attachments = list(attachments or [])
        self.answers[key] = answer
        self.hlc = answer.hlc
        return answer

    def clear_answer(self, key: str, hlc: HLC | str) -> None:
        self._unlocked()
        self.answers.pop(key, None)
        self.hlc = _stamp(hlc)

    def link_case(self, case_id: str, hlc: HLC | str) -> None:
        self._unlocked()
        if case_id not in self.cases:
            self.cases.append(case_id)
        self.hlc = _stamp(hlc)

    def submit(self, hlc: HLC | str, at: str | None = None) -> None:
        self._unlocked()
        self.status = "submitted"
        self.submitted_at = at or now_iso()
        self.hlc = _stamp(hlc)

    def discard(self, hlc: HLC | str, by: str = "", at: str | None = None) -> None:
        """Set the draft aside for good: it stays on record, marked who and when."""
        self._unlocked()
        self.status = "discarded"
        self.extra["discarded"] = {"by": by, "at": at or now_iso()}
        self.hlc = _stamp(hlc)

    def correction(self, new_id: str, hlc: HLC | str, inspector: str = "") -> Inspection:
        """A new draft that supersedes this submitted run, starting from its answers."""
        if not self.submitted:
            raise ModelError("only a submitted inspection can be corrected")
        copy = Inspection.from_dict(self.to_dict())
        return Inspection(
            id=new_id,
            checklist=copy.checklist,
            target=copy.target,
            hlc=_stamp(hlc),
            site_id=copy.site_id,
            inspector=inspector or self.inspector,
            device=self.device,
            answers=copy.answers,
            supersedes=self.id,
        )


# --- cases and incidents: field-wise last-writer-wins -------------------------------------


@dataclass(slots=True)
class Conflict(_Plain):
    """A value a merge overwrote: which field, what it was, and its stamp."""

    field: str
    value: Any
    hlc: str
    REQUIRED: ClassVar[tuple[str, ...]] = ("field", "hlc")

    def validate(self) -> None:
        _need_str(self, "field")
        _check_hlc(self.hlc, "Conflict.hlc")

    def key(self) -> tuple[str, str]:
        return (self.field, self.hlc)


@dataclass(slots=True)
class Event(_Plain):
    """One entry of a case's event list or an incident's timeline (append-only).

    ``type`` is free text with known values: note, photo, status, assign, field, notice,
    call, action. ``at`` is when it happened as the person saw it; ``hlc`` orders it.
    """

    id: str
    type: str
    hlc: str
    at: str = field(default_factory=now_iso)
    by: str = ""
    text: str = ""
    attachments: list[AttachmentRef] = field(default_factory=list)
    data: dict[str, Any] = field(default_factory=dict)
    NESTED: ClassVar[dict[str, tuple[str, type]]] = {"attachments": ("list", AttachmentRef)}
    REQUIRED: ClassVar[tuple[str, ...]] = ("id", "type", "hlc")
    #: Keys of ``data`` that hold someone, by event type (beyond those any free-form map
    #: holds, see :func:`fieldkit.model.personal.key_item`): who gave a dispute statement,
    #: who called or answered on an incident's call, who took a referral.
    PERSONAL_DATA: ClassVar[dict[str, dict[str, str]]] = {
        "statement": {"owner_name": "name"},
        "call": {"answered_by": "name", "caller": "name", "phone": "phone"},
        "referral": {"contact": "name"},
    }

    def validate(self) -> None:
        _need_str(self, "id", "type", "at")
        _check_hlc(self.hlc, "Event.hlc")
        _expect(self.data, dict, "Event.data")


def event_order(event: Event) -> tuple[str, str, str]:
    """Events and timeline entries are kept ordered by (time, HLC, id)."""
    return (event.at, event.hlc, event.id)


CASE_KINDS = ("finding", "repair", "complaint", "violation", "dispute")
SEVERITIES = ("minor", "major", "critical")
DEPARTMENTS = ("engineering", "security", "cleaning", "landscaping", "customer_service")
# Rank along the lifecycle; a merge never lets a lower rank win over a higher one in the
# same generation. ``cancelled`` is terminal like ``closed``.
CASE_LIFECYCLE = {
    "open": 0,
    "assigned": 1,
    "in_progress": 2,
    "resolved": 3,
    "followed_up": 4,
    "closed": 5,
    "cancelled": 5,
}
# Repairs and complaints follow the office's own paths (fieldkit/services/lifecycles.yaml
# declares who may move them and what each move needs). Their ranks live here because every
# device and the office must order a status the same way for merges to converge; the older
# generic statuses stay valid for every kind, ranked as their counterpart on that path.
CASE_LIFECYCLES: dict[str, dict[str, int]] = {
    "finding": CASE_LIFECYCLE,
    "violation": CASE_LIFECYCLE,
    "complaint": {
        "open": 0,  # first: what a plain reopen() goes back to
        "received": 0,
        "registered": 1,
        "investigating": 2,
        "resolving": 3,
        "replied": 4,
        "followed_up": 5,
        "closed": 6,
        "cancelled": 6,
        "assigned": 2,
        "in_progress": 3,
        "resolved": 4,
    },
    "repair": {
        "open": 0,  # first: what a plain reopen() goes back to
        "accepted": 0,
        "dispatched": 1,
        "in_progress": 2,
        "done": 3,
        "followed_up": 4,
        "closed": 5,
        "cancelled": 5,
        "assigned": 1,
        "resolved": 3,
    },
    "dispute": {  # a neighbour dispute (邻里纠纷): heard, mediated, settled, followed up
        "open": 0,  # first: what a plain reopen() goes back to
        "received": 0,
        "investigating": 1,
        "mediating": 2,
        "settled": 3,
        "followed_up": 4,
        "closed": 5,
        "cancelled": 5,
        "assigned": 1,
        "in_progress": 2,
        "resolved": 3,
    },
}
INCIDENT_TYPES = (
    "fire",
    "typhoon",
    "rainstorm",
    "epidemic",
    "water_cut",
    "power_cut",
    "injury",
    "flooding",
    "lift_entrapment",
    "gas_leak",
    "security",
    "other",
)
INCIDENT_LIFECYCLE = {"active": 0, "contained": 1, "stood_down": 2, "closed": 3}


class _Mergeable(_Plain):
    """Shared by Case and Incident: stamped scalar fields and a status lifecycle."""

    LWW_FIELDS: ClassVar[tuple[str, ...]] = ()
    LIFECYCLE: ClassVar[dict[str, int]] = {}
    LOG: ClassVar[str] = "events"

    def _stamp_all(self, hlc: str) -> None:
        for name in self.LWW_FIELDS:
            self.stamps.setdefault(name, hlc)  # type: ignore[attr-defined]

    def ranks(self) -> dict[str, int]:
        """This record's statuses and their rank along its lifecycle."""
        return self.LIFECYCLE

    def _check_mergeable(self) -> None:
        _need_in(self, "status", tuple(self.ranks()))
        if not isinstance(self.status_gen, int) or self.status_gen < 0:  # type: ignore[attr-defined]
            raise ModelError(f"{type(self).__name__}.status_gen: a count is needed")
        for name, stamp in self.stamps.items():  # type: ignore[attr-defined]
            if name not in self.LWW_FIELDS:
                raise ModelError(f"{type(self).__name__}.stamps: unknown field {name!r}")
            _check_hlc(stamp, f"{type(self).__name__}.stamps.{name}")
        missing = [n for n in self.LWW_FIELDS if n not in self.stamps]  # type: ignore[attr-defined]
        if missing:
            raise ModelError(f"{type(self).__name__}.stamps: missing {', '.join(missing)}")

    def status_key(self) -> tuple[int, int, str]:
        """How statuses order in a merge: reopen generation, lifecycle rank, stamp."""
        return (self.status_gen, self.ranks()[self.status], self.stamps["status"])  # type: ignore[attr-defined]

    def set_field(self, name: str, value: Any, hlc: HLC | str) -> None:
        """Change one last-writer-wins field (not ``status``: see ``set_status``)."""
        if name not in self.LWW_FIELDS or name == "status":
            raise ModelError(f"{type(self).__name__} has no settable field {name!r}")
        stamp = _stamp(hlc)
        if stamp <= self.stamps[name]:  # type: ignore[attr-defined]
            raise ModelError(f"stale stamp for {name}: {stamp} is not after the current one")
        setattr(self, name, _copy(value))
        self.stamps[name] = stamp  # type: ignore[attr-defined]

    def set_status(self, status: str, hlc: HLC | str) -> None:
        """Move forward along the lifecycle (or stay); going back needs ``reopen``."""
        ranks = self.ranks()
        if status not in ranks:
            raise ModelError(f"unknown status {status!r}")
        if ranks[status] < ranks[self.status]:  # type: ignore[attr-defined]
            raise ModelError(f"status cannot go back from {self.status} to {status}")  # type: ignore[attr-defined]
        stamp = _stamp(hlc)
        if stamp <= self.stamps["status"]:  # type: ignore[attr-defined]
            raise ModelError("stale stamp for status")
        self.status = status
        self.stamps["status"] = stamp  # type: ignore[attr-defined]

    def reopen(self, hlc: HLC | str, status: str | None = None) -> None:
        """Start the lifecycle again (a new generation): an explicit, visible step back."""
        first = next(iter(self.ranks()))
        status = status or first
        if status not in self.ranks():
            raise ModelError(f"unknown status {status!r}")
        stamp = _stamp(hlc)
        if stamp <= self.stamps["status"]:  # type: ignore[attr-defined]
            raise ModelError("stale stamp for status")
        self.status_gen += 1  # type: ignore[attr-defined]
        self.status = status
        self.stamps["status"] = stamp  # type: ignore[attr-defined]

    def add_event(self, event: Event) -> None:
        """Append an entry to the event log; an id already there is ignored (idempotent)."""
        log: list[Event] = getattr(self, self.LOG)
        if any(e.id == event.id for e in log):
            return
        bisect.insort(log, event, key=event_order)


@dataclass(slots=True)
class Case(_Mergeable):
    ENTITY: ClassVar[str] = "case"
    LWW_FIELDS: ClassVar[tuple[str, ...]] = (
        "target",
        "category",
        "severity",
        "department",
        "assignee",
        "due",
        "title",
        "description",
        "status",
    )
    LIFECYCLE: ClassVar[dict[str, int]] = CASE_LIFECYCLE
    LOG: ClassVar[str] = "events"
    NESTED: ClassVar[dict[str, tuple[str, type]]] = {
        "target": ("one", Target),
        "events": ("list", Event),
        "conflicts": ("list", Conflict),
    }
    REQUIRED: ClassVar[tuple[str, ...]] = ("id", "kind", "target", "stamps")

    id: str
    kind: str
    target: Target
    stamps: dict[str, str]
    site_id: str | None = None
    category: str = ""
    severity: str = "major"
    department: str = ""
    assignee: str = ""
    due: str | None = None
    title: str = ""
    description: str = ""
    status: str = "open"
    status_gen: int = 0
    source_inspection: str | None = None
    source_item: str | None = None
    created_at: str = field(default_factory=now_iso)
    created_by: str = ""
    device: str = ""
    events: list[Event] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def new(cls, id: str, kind: str, target: Target, hlc: HLC | str, **values: Any) -> Case:
        """A new case with every last-writer-wins field stamped with ``hlc``."""
        case = cls(id=id, kind=kind, target=target, stamps={}, **values)
        case._stamp_all(_stamp(hlc))
        case.validate()
        return case

    def ranks(self) -> dict[str, int]:
        """The statuses of this kind of case (``CASE_LIFECYCLES``); kind never changes."""
        return CASE_LIFECYCLES.get(self.kind, CASE_LIFECYCLE)

    def validate(self) -> None:
        _need_str(self, "id")
        _need_in(self, "kind", CASE_KINDS)
        _need_in(self, "severity", SEVERITIES)
        _need_str(self, "category", "department", "assignee", "title", "description", empty=True)
        _need_str(self, "due", "site_id", "source_inspection", "source_item", optional=True)
        self._check_mergeable()


@dataclass(slots=True)
class Incident(_Mergeable):
    ENTITY: ClassVar[str] = "incident"
    LWW_FIELDS: ClassVar[tuple[str, ...]] = ("place", "target", "severity", "title", "status")
    LIFECYCLE: ClassVar[dict[str, int]] = INCIDENT_LIFECYCLE
    LOG: ClassVar[str] = "timeline"
    NESTED: ClassVar[dict[str, tuple[str, type]]] = {
        "target": ("one", Target),
        "timeline": ("list", Event),
        "conflicts": ("list", Conflict),
    }
    REQUIRED: ClassVar[tuple[str, ...]] = ("id", "type", "stamps")

    id: str
    type: str
    stamps: dict[str, str]
    place: str = ""
    target: Target | None = None
    site_id: str | None = None
    severity: str = "major"
    title: str = ""
    status: str = "active"
    status_gen: int = 0
    started_at: str = field(default_factory=now_iso)
    created_by: str = ""
    device: str = ""
    timeline: list[Event] = field(default_factory=list)
    inspections: list[str] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def new(cls, id: str, type: str, hlc: HLC | str, **values: Any) -> Incident:
        incident = cls(id=id, type=type, stamps={}, **values)
        incident._stamp_all(_stamp(hlc))
        incident.validate()
        return incident

    def validate(self) -> None:
        _need_str(self, "id")
        _need_in(self, "type", INCIDENT_TYPES)
        _need_in(self, "severity", SEVERITIES)
        _need_str(self, "place", "title", empty=True)
        _need_str(self, "site_id", optional=True)
        self._check_mergeable()

    def link_inspection(self, inspection_id: str) -> None:
        if inspection_id not in self.inspections:
            self.inspections.append(inspection_id)


# --- reference data (server-authoritative, pulled) ----------------------------------------


@dataclass(slots=True)
class Site(_Plain):
    ENTITY: ClassVar[str] = "site"
    id: str
    name: str = ""
    code: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class Building(_Plain):
    ENTITY: ClassVar[str] = "building"
    REQUIRED: ClassVar[tuple[str, ...]] = ("id", "site_id")
    id: str
    site_id: str
    name: str = ""
    code: str = ""
    floors: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class Unit(_Plain):
    """A flat or shop. ``label`` is the text its QR code carries; personal data is masked
    by the server unless the device's role needs it."""

    ENTITY: ClassVar[str] = "unit"
    REQUIRED: ClassVar[tuple[str, ...]] = ("id", "site_id")
    id: str
    site_id: str
    building_id: str | None = None
    number: str = ""
    floor: int | None = None
    label: str = ""
    owner_name: str = personal("name")
    owner_phone: str = personal("phone")
    special_care: list[str] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class Asset(_Plain):
    ENTITY: ClassVar[str] = "asset"
    REQUIRED: ClassVar[tuple[str, ...]] = ("id", "site_id", "kind")
    id: str
    site_id: str
    kind: str
    building_id: str | None = None
    unit_id: str | None = None
    name: str = ""
    location: str = ""
    label: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class Checkpoint(_Plain):
    ENTITY: ClassVar[str] = "checkpoint"
    REQUIRED: ClassVar[tuple[str, ...]] = ("id", "site_id")
    id: str
    site_id: str
    building_id: str | None = None
    name: str = ""
    location: str = ""
    label: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


RECORD_TYPES: dict[str, type[_Plain]] = {
    cls.ENTITY: cls  # type: ignore[attr-defined]
    for cls in (Inspection, Case, Incident, Site, Building, Unit, Asset, Checkpoint)
}
# The unit registry (residents, renovation permits, rentals, the reveal log) builds on the
# types above, so it is imported here, after them.
from fieldkit.model.registry import REGISTRY_REFERENCE, REGISTRY_TYPES  # noqa: E402

RECORD_TYPES.update(REGISTRY_TYPES)
REFERENCE_ENTITIES = ("site", "building", "unit", "asset", "checkpoint", *REGISTRY_REFERENCE)


def record_from_dict(entity: str, data: object) -> _Plain:
    """Read a record of kind ``entity`` ("case", "unit" ...) from its dict."""
    try:
        cls = RECORD_TYPES[entity]
    except KeyError:
        raise ModelError(f"unknown record kind {entity!r}") from None
    return cls.from_dict(data)
