"""Plain record types, ids and clocks. No I/O and no UI here.

- :mod:`fieldkit.model.ids` — ``new_id()`` UUIDv7 strings, increasing within a process.
- :mod:`fieldkit.model.hlc` — ``HLC`` stamps and the ``Clock`` that issues them.
- :mod:`fieldkit.model.records` — Inspection, Case, Incident, reference records, to/from dicts.
- :mod:`fieldkit.model.merge` — ``merge_case``, ``merge_incident``: convergent replica merges.

The names below are re-exported here so callers can write ``from fieldkit.model import Case``.
"""

from fieldkit.model.hlc import HLC, Clock, HLCError
from fieldkit.model.ids import id_time_ms, is_uuid7, new_id
from fieldkit.model.merge import MergeError, merge_case, merge_incident, merge_record
from fieldkit.model.records import (
    CASE_KINDS,
    CASE_LIFECYCLE,
    CASE_LIFECYCLES,
    DEPARTMENTS,
    INCIDENT_LIFECYCLE,
    INCIDENT_TYPES,
    RECORD_TYPES,
    REFERENCE_ENTITIES,
    SEVERITIES,
    Answer,
    Asset,
    AttachmentRef,
    Building,
    Case,
    ChecklistRef,
    Checkpoint,
    Conflict,
    Event,
    Incident,
    Inspection,
    ModelError,
    RecordLocked,
    Site,
    Target,
    Unit,
    answer_key,
    now_iso,
    record_from_dict,
    split_answer_key,
)

__all__ = [
    "CASE_KINDS",
    "CASE_LIFECYCLE",
    "CASE_LIFECYCLES",
    "DEPARTMENTS",
    "HLC",
    "INCIDENT_LIFECYCLE",
    "INCIDENT_TYPES",
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
    "id_time_ms",
    "is_uuid7",
    "merge_case",
    "merge_incident",
    "merge_record",
    "new_id",
    "now_iso",
    "record_from_dict",
    "split_answer_key",
]
