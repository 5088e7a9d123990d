"""Plain record types, ids and clocks. No I/O and no UI here.

- :mod:`fieldkit.model.ids` — ``new_id()`` UUIDv7 strings, increasing within a process.
- :mod:`fieldkit.model.hlc` — ``HLC`` stamps and the ``Clock`` that issues them.
- :mod:`fieldkit.model.base` — ``ModelError``, ``to_dict``/``from_dict`` of every record.
- :mod:`fieldkit.model.records` — every record kind by name (each in its own module:
  ``inspection``, ``case``, ``incident``, ``reference``, ``registry``, ``reveal``,
  ``patrol``), ``record_from_dict`` and ``checked_dict``.
- :mod:`fieldkit.model.merge` — ``merge_case``, ``merge_incident``: convergent replica merges.
- :mod:`fieldkit.model.personal` — which fields hold personal data, masking, reveal rules.

The names below are re-exported here so callers can write ``from fieldkit.model import Case``.
"""

from fieldkit.model.base import ModelError, RecordLocked, iso_epoch, now_iso
from fieldkit.model.case import (
    CASE_KINDS,
    CASE_LIFECYCLE,
    CASE_LIFECYCLES,
    DEPARTMENTS,
    SEVERITIES,
    Case,
)
from fieldkit.model.hlc import HLC, Clock, HLCError
from fieldkit.model.ids import id_time_ms, is_uuid7, new_id
from fieldkit.model.incident import (
    INCIDENT_LEVELS,
    INCIDENT_LIFECYCLE,
    INCIDENT_TYPE_TABLE,
    INCIDENT_TYPES,
    Incident,
    plan_type,
)
from fieldkit.model.inspection import Answer, Inspection, answer_key, split_answer_key
from fieldkit.model.merge import MergeError, merge_case, merge_incident, merge_record
from fieldkit.model.mergeable import Conflict, Event
from fieldkit.model.records import (
    RECORD_TYPES,
    REFERENCE_ENTITIES,
    checked_dict,
    record_from_dict,
)
from fieldkit.model.reference import Asset, Building, Checkpoint, Site, Unit
from fieldkit.model.values import AttachmentRef, ChecklistRef, Target

__all__ = [
    "CASE_KINDS",
    "CASE_LIFECYCLE",
    "CASE_LIFECYCLES",
    "DEPARTMENTS",
    "HLC",
    "INCIDENT_LEVELS",
    "INCIDENT_LIFECYCLE",
    "INCIDENT_TYPES",
    "INCIDENT_TYPE_TABLE",
    "RECORD_TYPES",
    "REFERENCE_ENTITIES",
    "SEVERITIES",
    "Answer",
    "Asset",
    "AttachmentRef",
    "Building",
    "Case",
    "ChecklistRef",
    "Checkpoint",
    "Clock",
    "Conflict",
    "Event",
    "HLCError",
    "Incident",
    "Inspection",
    "MergeError",
    "ModelError",
    "RecordLocked",
    "Site",
    "Target",
    "Unit",
    "answer_key",
    "checked_dict",
    "id_time_ms",
    "is_uuid7",
    "iso_epoch",
    "merge_case",
    "merge_incident",
    "merge_record",
    "new_id",
    "now_iso",
    "plan_type",
    "record_from_dict",
    "split_answer_key",
]
