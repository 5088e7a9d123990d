"""The files of a data folder, the tables of its active file, and which records go where.

Layout of a data folder::

    active.json         drafts, open cases and incidents, the outbox, sync cursors, device
                        state — small, rewritten (atomically) on every change but an
                        answer to a draft
    active.json.journal the answers saved since then, one fsynced line each, replayed
                        at open and folded in by the next whole write (store/journal.py)
    archive/YYYY-MM.json  finished records (submitted inspections, closed cases and
                        incidents), one file per month of the record id's UUIDv7 time —
                        never touched by an answer save
    reference.json      sites, buildings, units, assets, checkpoints, checklists (from the office);
                        read lazily as a month is, with its index by label, code, tag and
                        flat (store/keyed.py) in the same write
    blobs/ab/<sha256>   attachments
    fieldkit.lock(.json)  the single-instance lock and who holds it
"""

from __future__ import annotations

import time
from functools import lru_cache
from pathlib import Path

from fieldkit.model import REFERENCE_ENTITIES, id_time_ms, is_uuid7

ACTIVE = "active.json"
REFERENCE = "reference.json"
ARCHIVE_DIR = "archive"
BLOBS_DIR = "blobs"
LIVE_ENTITIES = ("inspection", "case", "incident", "reveal", "patrol_round")
REFERENCE_TABLES = (*REFERENCE_ENTITIES, "checklist")
OUTBOX, ATTENTION, CURSORS, DEVICE, INCOMING = "outbox", "attention", "cursor", "device", "incoming"
#: Records the office deleted: ``entity/id`` -> when it was applied here (and, while local
#: edits of it wait in the outbox, the record they carry to the office's conflict log).
DELETED = "deleted"
ARCHIVE_AFTER = 100  # finished records kept in active.json before a write archives them
ARCHIVE_CACHE = 3  # archive months kept loaded


def is_finished(entity: str, doc: dict) -> bool:
    """Finished records belong in the archive: they change rarely, if ever."""
    status = doc.get("status")
    if entity == "inspection":
        return status == "submitted"
    if entity == "case":
        return status in ("closed", "cancelled")
    if entity == "incident":
        return status == "closed"
    if entity == "patrol_round":
        return status == "finished"
    return entity == "reveal"  # written once, never changed


def month_of(record_id: str) -> str:
    """The archive file a record belongs to: the month of its UUIDv7 time ("undated" else)."""
    if not is_uuid7(record_id):
        return "undated"
    return _month_of_day(id_time_ms(record_id) // _DAY_MS)


_DAY_MS = 86_400_000


@lru_cache(maxsize=4096)
def _month_of_day(day: int) -> str:
    """A UTC day's month (asked of every record a sync pulls; a page's fall on a few days)."""
    return time.strftime("%Y-%m", time.gmtime(day * 86_400))


def checklist_key(checklist_id: str, version: int) -> str:
    return f"{checklist_id}@{version:06d}"


def has_history(data_dir: Path) -> bool:
    """Signs that this folder held a store, so a missing active file is not a new one."""
    return (
        (data_dir / REFERENCE).exists()
        or any((data_dir / ARCHIVE_DIR).glob("*.json"))
        or any(data_dir.glob(f"{ACTIVE}.damaged-*"))
    )
