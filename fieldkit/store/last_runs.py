"""The last submitted run per (checklist, target): an index kept beside the records.

Why it exists: the home screen shows which rounds are due, and a round is due when its
checklist's period has passed since it was last submitted on that route or building. Read
from the records, that is every submitted inspection of the whole history — seconds with
100k records in the archive months. The index answers it from ``active.json`` alone.

How it stays true: the index is the table ``last_run`` in ``active.json``, one document per
pair, ``{"checklist", "target", "at", "id"}`` (``at`` is the run's ``submitted_at``).
``Store._put`` updates it whenever a submitted inspection is stored — a local submit or a
pulled one — inside the same ``_write()`` as the record, so one atomic file write carries
both and a killed process leaves either both or neither. Archiving moves records between
files but changes no run, so it never touches an entry.

When it is rebuilt (from every record, :func:`build`): when it is missing (a data folder
from before the index) or stale. Stale means the archive months are not the ones the index
was last checked against — a month file replaced, restored or removed behind the store's
back. ``state`` (table ``last_run_state``) keeps, per month, the file's size and mtime as
the store last wrote or checked it; ``Store.archive`` refreshes the months it writes in its
final write of ``active.json``. A crash between an archive month's write and that final
write leaves the month newer than its stamp; the next open finishes the interrupted archive
(which refreshes the stamp) before the index is checked, so that case costs no rebuild. The
rebuild itself is lazy: the first ``Store.last_runs()`` call pays it, not ``Store.open``.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path

import orjson

LAST_RUN = "last_run"
LAST_RUN_STATE = "last_run_state"
VERSION = 1


def pair_key(checklist_id: str, target_id: str) -> str:
    """The document id of one pair (a JSON array, so no id can make two pairs collide)."""
    return orjson.dumps([checklist_id, target_id]).decode()


def instant(text: object) -> float:
    """The moment a ``submitted_at`` names; a missing or unreadable one sorts last of all,
    as the due computation has always read it (such a run never falls due again)."""
    if not isinstance(text, str) or not text:
        return float("inf")
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()
    except ValueError:
        return float("inf")


def entry_of(doc: dict) -> tuple[str, dict] | None:
    """The index entry a stored inspection contributes, or None if it is not submitted."""
    if doc.get("status") != "submitted":
        return None
    checklist = (doc.get("checklist") or {}).get("id")
    target = (doc.get("target") or {}).get("id")
    if not isinstance(checklist, str) or not isinstance(target, str):
        return None
    entry = {"checklist": checklist, "target": target, "at": doc.get("submitted_at"),
             "id": doc.get("id")}  # fmt: skip
    return pair_key(checklist, target), entry


def later(entry: dict, old: dict | None) -> bool:
    """Whether ``entry`` replaces ``old``: a later run; on a tie, the greater id, so the
    index never depends on the order the records were read in."""
    if old is None:
        return True
    new_at, old_at = instant(entry.get("at")), instant(old.get("at"))
    if new_at != old_at:
        return new_at > old_at
    return str(entry.get("id") or "") > str(old.get("id") or "")


def build(docs: Iterable[dict]) -> dict[str, dict]:
    """The index of these inspection records, computed from scratch."""
    index: dict[str, dict] = {}
    for doc in docs:
        found = entry_of(doc)
        if found is not None and later(found[1], index.get(found[0])):
            index[found[0]] = found[1]
    return index


def stamp(path: Path) -> list[int] | None:
    """What the index remembers of an archive month file: its size and mtime."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return None
    return [st.st_size, st.st_mtime_ns]
