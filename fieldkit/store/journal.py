"""The answer journal: ``active.json.journal``, small changes made durable with one fsync.

Rewriting ``active.json`` atomically costs two fsyncs (the temp file, then the folder after
the rename) and the unlink of the old ``.prev``; on a busy disk that is 10-30 ms, more than
an answer may take from key to saved. A journaled write
(:meth:`~fieldkit.store.storage.AtomicJSONStorage.journaled`) instead appends one line to
this file and fsyncs it once. A line names the generation of ``active.json`` it follows
(a random token the whole write stores in ``_meta``) and carries the whole documents it
changed::

    <crc32 of the JSON, 8 hex> {"g": "<generation>", "c": [[table, id, doc or null], ...]}\\n

Opening ``active.json`` replays the lines of its own generation in order, over it. The next
whole write folds them in: it writes ``active.json`` with a new generation and only then
empties the journal, so a kill between the two leaves lines of the old generation, which the
next open skips (they are in the file already) — each change applied once, never twice, even
when a later whole write changed or archived the same record. A line cut by a kill (its ack
never given) fails its checksum or lacks its newline and is dropped; opening reports it and
folds, so the next line never follows a torn one.

A release from before the journal would read ``active.json`` without its lines: the file is
schema 2 since the journal (:mod:`fieldkit.store.schema`), which such a release refuses. A
read-only open of a folder another process holds reads a line still being appended again
rather than calling it torn (``AtomicJSONStorage._load_snapshot``).
"""

from __future__ import annotations

import os
import zlib
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path

import orjson

from fieldkit.store.atomic import fsync_dir
from fieldkit.store.modes import open_file

SUFFIX = ".journal"
#: A journal this long is folded by the next change instead of growing further: each line
#: holds the whole draft it changed, so a long round's lines add up; replaying stays cheap.
LIMIT = 2 << 20

Change = list  # [table, doc_id, doc or None (deleted)]


def path_of(active: Path) -> Path:
    return active.with_name(active.name + SUFFIX)


def encode(generation: str, changes: list[Change]) -> bytes:
    payload = orjson.dumps({"g": generation, "c": changes})
    return b"%08x " % zlib.crc32(payload) + payload + b"\n"


@dataclass
class Read:
    """What a journal holds for a generation of ``active.json``."""

    payloads: list[bytes] = field(default_factory=list)  # this generation's, in order
    stale: int = 0  # lines of an earlier generation (folded already)
    torn: int = 0  # a last line cut short by a kill: never acknowledged
    bad: int = 0  # whole lines that fail their checksum: damage, not a kill
    size: int = 0


def _check(line: bytes) -> bytes | None:
    """The line's JSON payload if its checksum holds, else None."""
    if len(line) < 10 or line[8:9] != b" ":
        return None
    payload = line[9:]
    try:
        crc = int(line[:8], 16)
    except ValueError:
        return None
    return payload if zlib.crc32(payload) == crc else None


def _is_change(change: object) -> bool:
    return (
        isinstance(change, list)
        and len(change) == 3
        and isinstance(change[0], str)
        and isinstance(change[1], str)
        and (change[2] is None or isinstance(change[2], dict))
    )


def read(path: Path, generation: str | None) -> Read:
    """The lines of ``generation`` (``None``: every good line, for an ``active.json`` that
    fell back to its previous copy, which all of them follow)."""
    found = Read()
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return found
    found.size = len(raw)
    lines = raw.split(b"\n")
    tail = lines.pop()  # after the last newline: empty unless a kill cut the last line
    if tail:
        found.torn += 1
    for line in lines:
        payload = _check(line)
        if payload is None:
            found.bad += 1
            continue
        try:
            entry = orjson.loads(payload)
            generation_of = entry["g"]
            whole = all(_is_change(c) for c in entry["c"])
        except (orjson.JSONDecodeError, KeyError, TypeError):
            whole = False
        if not whole:
            found.bad += 1
            continue
        if generation is None or generation_of == generation:
            found.payloads.append(payload)
        else:
            found.stale += 1
    return found


def apply(tables: dict, payload: bytes) -> None:
    """Put a line's documents into ``tables`` (the storage's cache), in order."""
    for table, doc_id, doc in orjson.loads(payload)["c"]:
        if doc is None:
            tables.get(table, {}).pop(doc_id, None)
        else:
            tables.setdefault(table, {})[doc_id] = doc


def append(path: Path, line: bytes) -> None:
    """Append ``line`` and fsync it: the one fsync of a journaled change. The folder is
    fsynced too when this append made the file (its name must survive a power cut)."""
    try:
        fd = open_file(path, os.O_WRONLY | os.O_APPEND)
        made = False
    except FileNotFoundError:
        fd = open_file(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT)
        made = True
    try:
        view = memoryview(line)
        while view:
            view = view[os.write(fd, view) :]
        os.fsync(fd)
    finally:
        os.close(fd)
    if made:
        fsync_dir(path.parent)


def empty(path: Path) -> None:
    """Drop the folded lines. Not fsynced: lines that survive a power cut name the old
    generation and are skipped."""
    with suppress(FileNotFoundError):
        os.truncate(path, 0)
