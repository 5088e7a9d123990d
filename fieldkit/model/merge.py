"""Pure merges of two replicas of one record, so every device and the office converge.

``merge_case(a, b)`` and ``merge_incident(a, b)`` return a new record and leave both inputs
untouched. They are commutative, associative and idempotent (tests/store/test_merge.py checks
it with Hypothesis), so replicas that have seen the same changes, in any order and any number
of times, hold the same record:

- each last-writer-wins field takes the value with the greater stamp; stamps are HLC strings
  ending in the device id, so (hlc, device) order is plain string order;
- ``status`` orders by (reopen generation, lifecycle rank, stamp): a later "assigned" never
  overrides "resolved" made concurrently — status never silently regresses;
- every value that loses is kept in ``conflicts`` as (field, value, stamp), a set sorted by
  field then stamp;
- case ``events`` and incident ``timeline`` are unions by event id, ordered by (at, hlc, id);
  an incident's linked inspections are a sorted union.

Fields that never change after creation (kind, created_at, ...) come from the replica whose
whole record compares greater by (stamps, id) so the choice is deterministic; they are equal
on honest replicas anyway. :class:`MergeError` is raised for records with different ids.
"""

from __future__ import annotations

from typing import Any, TypeVar

from fieldkit.model.base import ModelError, copy_value
from fieldkit.model.case import Case
from fieldkit.model.incident import Incident
from fieldkit.model.mergeable import Conflict, Event, Mergeable, event_order

M = TypeVar("M", bound=Mergeable)


class MergeError(ModelError):
    """Two records that are not replicas of the same record."""


def _value_key(record: Mergeable, name: str) -> tuple:
    if name == "status":
        return record.status_key()
    return (record.stamps[name],)  # type: ignore[attr-defined]


def _field_value(record: Mergeable, name: str) -> Any:
    value = getattr(record, name)
    return value.to_dict() if hasattr(value, "to_dict") else value


def _merge(a: M, b: M) -> M:
    if a.id != b.id:  # type: ignore[attr-defined]
        raise MergeError(f"cannot merge {a.id} with {b.id}")  # type: ignore[attr-defined]
    # The base for immutable fields: deterministic whichever side is "a".
    base, other = (a, b) if _order(a) >= _order(b) else (b, a)
    out = type(a).from_dict(base.to_dict())
    conflicts: dict[tuple[str, str], Conflict] = {}
    for c in (*a.conflicts, *b.conflicts):  # type: ignore[attr-defined]
        conflicts.setdefault(c.key(), Conflict(c.field, c.value, c.hlc))
    for name in type(a).LWW_FIELDS:
        ka, kb = _value_key(a, name), _value_key(b, name)
        if ka == kb:
            winner, loser = (a, None)
        elif ka > kb:
            winner, loser = a, b
        else:
            winner, loser = b, a
        setattr(out, name, _copied(winner, name))
        out.stamps[name] = winner.stamps[name]  # type: ignore[attr-defined]
        if name == "status":
            out.status_gen = winner.status_gen  # type: ignore[attr-defined]
        if loser is not None:
            lost = Conflict(name, _field_value(loser, name), loser.stamps[name])  # type: ignore[attr-defined]
            if name == "status":
                lost.value = {"status": loser.status, "gen": loser.status_gen}  # type: ignore[attr-defined]
            conflicts.setdefault(lost.key(), lost)
    out.conflicts = [conflicts[k] for k in sorted(conflicts)]  # type: ignore[attr-defined]
    log_name = type(a).LOG
    events: dict[str, Event] = {}
    for e in (*getattr(base, log_name), *getattr(other, log_name)):
        events.setdefault(e.id, e)
    setattr(
        out,
        log_name,
        [Event.from_dict(e.to_dict()) for e in sorted(events.values(), key=event_order)],
    )
    extra = dict(other.extra)  # type: ignore[attr-defined]
    extra.update(base.extra)  # type: ignore[attr-defined]
    out.extra = extra  # type: ignore[attr-defined]
    return out


def _copied(record: Mergeable, name: str) -> Any:
    value = getattr(record, name)
    if hasattr(value, "to_dict"):
        return type(value).from_dict(value.to_dict())
    return copy_value(value)


def _order(record: Mergeable) -> tuple:
    stamps = record.stamps  # type: ignore[attr-defined]
    return (max(stamps.values()), sorted(stamps.items()), str(record.to_dict()))


def merge_case(a: Case, b: Case) -> Case:
    """The merge of two replicas of one case (see the module docstring)."""
    return _merge(a, b)


def merge_incident(a: Incident, b: Incident) -> Incident:
    """The merge of two replicas of one incident; linked inspections are a union."""
    out = _merge(a, b)
    out.inspections = sorted(set(a.inspections) | set(b.inspections))
    return out


def merge_record(a: M, b: M) -> M:
    """Dispatch on type: a Case or an Incident."""
    if isinstance(a, Case) and isinstance(b, Case):
        return merge_case(a, b)  # type: ignore[return-value]
    if isinstance(a, Incident) and isinstance(b, Incident):
        return merge_incident(a, b)  # type: ignore[return-value]
    raise MergeError(f"no merge for {type(a).__name__} and {type(b).__name__}")
