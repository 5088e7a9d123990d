"""What a store file indexes by key, so one answer reads one bucket instead of the file.

A scan must open its flat at once however big the compound (20,000 flats and 50,000
residents are a 25 MB ``reference.json``, 0.3 s to parse and seconds to index), and a
flat's card lists its last inspections however many years of them the archive months
hold. So each of these files carries, in the same atomic write as its records
(:func:`fieldkit.store.months.encode`, section ``_keys``), entries by key:

- ``reference.json``: a label's painted code (``label`` + kind, site id, code), a printed
  code (``code``), a checkpoint's tag (``tag``), and a flat's residents, permits and
  rentals (``unit``): :func:`reference_entries`;
- an archive month: each target's submitted inspections and the re-inspections of its
  violations, as the unit card lists them (``target``): :func:`month_entries`.

An entry is ``[table, record id, *what the reader needs]`` and comes from its own record
alone, so rewriting a file reuses the entries of the records it copies unchanged. Reading
a key: :meth:`fieldkit.store.months.MonthStorage.keyed` and :func:`fieldkit.store.months.
read_keyed`; a file written before these entries has none, and is indexed when it is next
written (``Store.index_reference``, ``Store.index_months``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

Entry = list  # [table, record id, *data]

LABEL_KINDS = ("unit", "asset", "checkpoint")
#: Kinds whose printed code opens them, in the order the places index prefers them when
#: two share a code (``Places.add`` keeps the first).
CODE_KINDS = ("site", "building", "checkpoint", "unit", "asset")
UNIT_TABLES = ("resident", "renovation_permit", "rental")


def painted_code(kind: str, doc: dict) -> str:
    """The code on the record's door or housing, as the office typed it."""
    if kind == "unit":
        return doc.get("label") or doc.get("number") or ""
    return doc.get("label") or ""


def printed_code(kind: str, doc: dict) -> str:
    """The code a place is known and listed by (``Target.code``)."""
    if kind == "site":
        return doc.get("code") or doc.get("name") or doc["id"]
    if kind == "building":
        return doc.get("code") or doc.get("name") or ""
    if kind in ("checkpoint", "asset"):
        return doc.get("label") or doc.get("name") or ""
    return painted_code(kind, doc)


def tag_text(tag: str) -> str:
    """A tag id as stored and compared: upper case, no spaces or colons (04:A1:… → 04A1…)."""
    return re.sub(r"[\s:]", "", tag).upper()


def label_key(kind: str, site_id: str, code: str) -> str:
    return f"label\t{kind}\t{site_id}\t{code.upper()}"


def code_key(code: str) -> str:
    return f"code\t{code.lower()}"


def tag_key(tag: str) -> str:
    return f"tag\t{tag_text(tag)}"


def unit_key(unit_id: str) -> str:
    return f"unit\t{unit_id}"


def target_key(target_id: str) -> str:
    return f"target\t{target_id}"


def reference_entries(table: str, doc: dict) -> Iterator[tuple[str, Entry]]:
    doc_id = str(doc.get("id", ""))
    if table in LABEL_KINDS and isinstance(doc.get("site_id"), str):
        code = painted_code(table, doc)
        if code:
            yield label_key(table, doc["site_id"], code), [table, doc_id]
    if table in CODE_KINDS:
        code = printed_code(table, doc)
        if code:
            yield code_key(code), [table, doc_id]
    if table == "checkpoint":
        tag = doc.get("tag")  # an extra: extras are top-level keys of a stored dict
        if isinstance(tag, str) and tag.strip():
            yield tag_key(tag), [table, doc_id]
    if table in UNIT_TABLES and isinstance(doc.get("unit_id"), str):
        yield unit_key(doc["unit_id"]), [table, doc_id]


def month_entries(table: str, doc: dict) -> Iterator[tuple[str, Entry]]:
    target = (doc.get("target") or {}).get("id")
    if not isinstance(target, str) or not target:
        return
    doc_id = str(doc.get("id", ""))
    if table == "inspection":
        checklist = (doc.get("checklist") or {}).get("id")
        if doc.get("status") == "submitted" and isinstance(checklist, str):
            yield target_key(target), [table, doc_id, checklist, doc.get("submitted_at"),
                                       len(doc.get("cases") or ())]  # fmt: skip
    elif table == "case" and doc.get("kind") == "violation":
        events = [
            [str(e.get("id") or ""), e.get("type"), e.get("at"),
             (e.get("data") or {}).get("level", 1), e.get("text") or ""]
            for e in doc.get("events") or ()
            if e.get("type") in ("reinspection", "escalated")
        ]  # fmt: skip
        if events:
            extra = doc.get("extra") or {}
            titles = extra.get("titles") or doc.get("titles")
            yield target_key(target), [table, doc_id, titles if isinstance(titles, dict) else {},
                                       doc.get("title") or "", events]  # fmt: skip


ENTRIES = {"reference": reference_entries, "archive": month_entries}


def entries_of(kind: str, table: str, doc: dict) -> list[tuple[str, Entry]]:
    """The keyed entries a record of a file of ``kind`` (reference, archive) carries."""
    build = ENTRIES.get(kind)
    if build is None or not isinstance(doc, dict):
        return []
    return list(build(table, doc))


def index(kind: str, tables: dict[str, dict[str, Any]]) -> dict[str, list[Entry]]:
    """Every keyed entry of these tables, computed from the records."""
    out: dict[str, list[Entry]] = {}
    for table, docs in tables.items():
        for doc in docs.values():
            for key, entry in entries_of(kind, table, doc):
                out.setdefault(key, []).append(entry)
    return out
