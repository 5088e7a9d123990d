"""Archive month files read lazily: a table of contents and a case index in the same write.

A month file (``archive/YYYY-MM.json``) is still one JSON object of tables keyed by record
id, so any JSON reader reads it whole. :func:`encode` adds three keys after the tables:

- ``_toc``: where each record's JSON lies in the file, and each table's whole object; per
  table two strings, the ids and their byte ranges (fixed-width hex), so reading it costs a
  copy of two strings, not a dict of thousands (:class:`Toc`);
- ``_lookup``: the same spans split in :data:`BUCKETS` by a hash of the id, and ``_dir``,
  where each bucket lies: looking a record up reads ``_dir`` and one bucket, a few KB
  however big the month (:class:`LazyToc`);
- ``_cases``: the month's case index (:mod:`fieldkit.store.case_index`), what a case list
  needs of every case, in columns, in chunks of 2,048 cases, newest first;
- ``_counts``: how many cases of each status the month holds, and where each chunk lies;
- ``_keys``: entries by key (:mod:`fieldkit.store.keyed`: a target's inspections in a
  month, a label's or a flat's records in ``reference.json``) in :data:`KEY_BUCKETS` by a
  hash of the key, each bucket's span in ``_dir["keys"]``;
- ``_tail``: a fixed-width string with the byte ranges of ``_toc``, ``_counts``, ``_cases``
  and ``_dir``, always the file's last bytes, so all are found by reading the file's end.

All three are in the same bytes as the records and are written by the same atomic replace
(:func:`fieldkit.store.atomic.atomic_write`): they can never disagree with the records. A
record is read by seeking to its bytes (a month of 25,000 cases is ~60 MB; the first record
read from it costs its table of contents, not the whole file), and nothing keeps a month
whole in memory. Rewriting a month (archiving adds records) copies the unchanged records'
bytes as they are and encodes only the new ones; their index rows come from the old index.

A month from before this format (no ``_tail``) is read whole, as it always was, and gets
its table of contents and index when it is next written (``Store.upgrade_months`` does that
for every such month at once, with progress). A read-only store also reads months whole:
it reads a snapshot of a folder another process may rewrite, and a byte range is only good
in the file generation it was taken from.
"""

from __future__ import annotations

import os
import zlib
from bisect import bisect_left
from collections.abc import Callable, Iterator, Mapping, MutableMapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

from fieldkit.store import case_index, keyed
from fieldkit.store.atomic import atomic_write
from fieldkit.store.errors import StoreDamaged
from fieldkit.store.schema import META, meta_of, new_file, version_of
from fieldkit.store.storage import GroupedWrites, Notice, load_file

TOC, LOOKUP, COUNTS, CASES, DIR, TAIL = "_toc", "_lookup", "_counts", "_cases", "_dir", "_tail"
KEYS = "_keys"
EXTRA_KEYS = (TOC, LOOKUP, COUNTS, CASES, DIR, TAIL, KEYS)
SECTIONS = 4  # _toc, _counts, _cases, _dir: where each lies is in _tail
BUCKETS = 32  # a record's id is looked up in one of these: 1/32 of the table of contents
KEY_BUCKETS = 64  # a key of ``_keys`` is looked up in one of these
_DIGITS = 16
_TAIL_END = b'"}}'
_TAIL_LEN = 2 * SECTIONS * _DIGITS + len(_TAIL_END)
_HEX = 12  # hex digits of a record's start or end: files up to 256 TB
_SPAN = f"%0{_HEX}x%0{_HEX}x"  # a record's start and end (a constant format: twice as fast)
Spans = dict[str, list[int]]


@dataclass(frozen=True)
class Kept:
    """A table of a file being rewritten, as :func:`encode` takes it: the old file's records
    but ``drop`` (changed or removed) copied as they are, in runs of consecutive records
    (one copy of bytes a run, their spans shifted all at once), then ``fresh`` encoded.
    ``toc``: the old table's spans, in file order; ``buckets``: where its ``_lookup``
    buckets lie in the old file."""

    toc: Toc
    drop: frozenset[str]
    fresh: Mapping[str, dict]
    buckets: list[list[int]]

    def runs(self) -> list[tuple[int, int]]:
        """The [first, end) positions in ``toc`` of each run of records copied."""
        cut = sorted(n for n in (self.toc._number(i) for i in self.drop) if n >= 0)
        out, first = [], 0
        for n in [*cut, len(self.toc)]:
            if n > first:
                out.append((first, n))
            first = n + 1
        return out


def encode(
    meta: dict, tables: Mapping[str, Mapping[str, dict] | Kept], old: bytes | None = None
) -> list[bytes | memoryview]:
    """A month file's bytes, in parts (:func:`~fieldkit.store.atomic.atomic_write` writes
    them one after another), holding ``tables``: each a mapping of id to stored dict, or a
    :class:`Kept` table of ``old`` (the previous generation's bytes). The index rows and
    keyed entries of copied records come from ``old``'s, those of new ones from their
    dicts; a ``_lookup`` bucket's rows of copied records are the old bucket's, shifted."""
    out = _Parts(b'{"' + META.encode() + b'":' + orjson.dumps({"1": meta}))
    toc: dict[str, dict[str, Any]] = {}
    lookups: dict[str, list[bytes]] = {}
    kept_cases: list[str] = []
    fresh_cases: list[dict] = []
    fresh_any: list[tuple[str, dict]] = []
    for name, table in tables.items():
        if name == META or name in EXTRA_KEYS:
            continue
        out += b"," + orjson.dumps(name) + b":"
        table_at = len(out)
        out += b"{"
        ids: list[str] = []
        ats: list[str] = []
        runs: list[tuple[int, int, int]] = []  # old start, old end, shift
        if isinstance(table, Kept):
            assert old is not None
            old_ids = list(table.toc)
            for first, end in table.runs():
                start, stop = table.toc._span(first)[0], table.toc._span(end - 1)[1]
                out += (b"," if ids else b"") + orjson.dumps(old_ids[first]) + b":"
                shift = len(out) - start
                out += memoryview(old)[start:stop]
                ids += old_ids[first:end]
                ats.append(_shifted(table.toc.at[2 * _HEX * first : 2 * _HEX * end], shift))
                runs.append((start, stop, shift))
            fresh: Mapping[str, dict] = table.fresh
        else:
            fresh = table
        spans: Spans = {}
        if fresh:  # encoded in one piece: a pulled page brings thousands of records at once
            pieces = []
            at = len(out)
            for doc_id, doc in fresh.items():
                head = (b"," if ids or spans else b"") + orjson.dumps(doc_id) + b":"
                body = orjson.dumps(doc)
                start = at + len(head)
                at = start + len(body)
                spans[doc_id] = [start, at]
                pieces += (head, body)
            out += b"".join(pieces)
            fresh_any += [(name, doc) for doc in fresh.values()]
        out += b"}"
        if name == "case":
            kept_cases = ids[:]
            fresh_cases = list(fresh.values())
        ats.append(Toc.encode(spans)["at"])
        ids += spans
        toc[name] = {**_toc_entry(ids, "".join(ats)), "table": [table_at, len(out)]}
        lookups[name] = _lookup(table, runs, len(ids) - len(spans), spans, old, toc[name])
    rows = case_index.rows_of(old_index(old), set(kept_cases)) if kept_cases else []
    if len(rows) < len(kept_cases):  # an index that lacks some: read those records
        have = {r[0] for r in rows}
        case_toc = tables["case"].toc  # type: ignore[union-attr]
        rows += [
            case_index.row(orjson.loads(old[slice(*case_toc[doc_id])]))  # type: ignore[index]
            for doc_id in kept_cases
            if doc_id not in have
        ]
    chunks = case_index.chunked([*rows, *(case_index.row(d) for d in fresh_cases)])
    out += b',"' + TOC.encode() + b'":'
    toc_at = len(out)
    out += orjson.dumps({"meta": meta, "tables": toc})
    toc_end = len(out)
    out += b',"' + LOOKUP.encode() + b'":{'
    directory: dict[str, Any] = {}
    for n, (name, stored) in enumerate(toc.items()):
        out += (b"," if n else b"") + orjson.dumps(name) + b":["
        spans_of_buckets = []
        for b, bucket in enumerate(lookups[name]):
            out += b"," if b else b""
            start = len(out)
            out += bucket
            spans_of_buckets.append([start, len(out)])
        out += b"]"
        directory[name] = {"buckets": spans_of_buckets, "table": stored["table"]}
    out += b"}"
    out += b',"' + CASES.encode() + b'":{"chunks":['
    cases_at = len(out) - len(b'{"chunks":[')
    spans_of_chunks = []
    for n, chunk in enumerate(chunks):
        out += b"," if n else b""
        start = len(out)
        out += orjson.dumps(chunk)
        spans_of_chunks.append([start, len(out)])
    out += b"]}"
    cases_end = len(out)
    out += b',"' + COUNTS.encode() + b'":'
    counts_at = len(out)
    out += orjson.dumps({**case_index.counts(chunks), "chunks": spans_of_chunks})
    counts_end = len(out)
    out += b',"' + KEYS.encode() + b'":{"buckets":['
    key_spans = []
    for n, bucket in enumerate(_keyed(meta, tables, fresh_any, old)):
        out += b"," if n else b""
        start = len(out)
        out += bucket
        key_spans.append([start, len(out)])
    out += b"]}"
    out += b',"' + DIR.encode() + b'":'
    dir_at = len(out)
    out += orjson.dumps({"meta": meta, "tables": directory, "keys": key_spans})
    at = [toc_at, toc_end, counts_at, counts_end, cases_at, cases_end, dir_at, len(out)]
    digits = b"".join(b"%016d" % n for n in at)
    out += b',"' + TAIL.encode() + b'":{"at":"' + digits + _TAIL_END
    return out.parts()


class _Parts:
    """The bytes of a file being written, in parts: small pieces gathered, a big one (a run
    of records copied from the old file, as a view of it) kept as it is. Copying a 40 MB
    file into one buffer and that into bytes cost more than encoding what changed."""

    BIG = 1 << 16

    def __init__(self, head: bytes) -> None:
        self._parts: list[bytes | memoryview] = []
        self._small = bytearray(head)
        self._size = len(head)

    def __iadd__(self, data: bytes | memoryview) -> _Parts:
        if len(data) >= self.BIG:
            self._parts += [bytes(self._small), data]
            self._small = bytearray()
        else:
            self._small += data
        self._size += len(data)
        return self

    def __len__(self) -> int:
        return self._size

    def parts(self) -> list[bytes | memoryview]:
        return [*self._parts, bytes(self._small)]


def _shifted(at: str, shift: int) -> str:
    """``at`` (spans in :data:`_HEX` hex digits each) with every number moved by ``shift``,
    as one big number: no digit group carries into the next, as none leaves 0..16**_HEX."""
    if not shift or not at:
        return at
    step = int(f"{abs(shift):0{_HEX}x}" * (len(at) // _HEX), 16)
    moved = int(at, 16) + step if shift > 0 else int(at, 16) - step
    return f"{moved:0{len(at)}x}"


def _moved(bucket: bytes, shift: int) -> bytes:
    """A ``_lookup`` bucket of a table copied whole, ``shift`` bytes from where it was."""
    if not shift:
        return bucket
    stored = orjson.loads(bucket)
    return orjson.dumps({**stored, "at": _shifted(stored["at"], shift)})


def _cut(bucket: Toc, runs: list[tuple[int, int, int]]) -> tuple[list[str], list[str]]:
    """The ids of a bucket's rows that lie in the runs copied, and their spans moved as
    their run was (a few runs: each found by bisecting the rows' starts)."""
    ids, at, starts = list(bucket), bucket.at, _Starts(bucket.at)
    kept_ids: list[str] = []
    ats: list[str] = []
    lo = 0
    for start, stop, shift in runs:
        first = bisect_left(starts, f"{start:0{_HEX}x}", lo)
        end = bisect_left(starts, f"{stop:0{_HEX}x}", first)
        if end > first:
            kept_ids += ids[first:end]
            ats.append(_shifted(at[2 * _HEX * first : 2 * _HEX * end], shift))
        lo = end
    return kept_ids, ats


class _Starts:
    """The record starts of an ``at`` string, as the fixed-width hex strings they are
    (which sort as the numbers do), read as :func:`bisect.bisect_left` looks at them."""

    FEW_RUNS = 16

    def __init__(self, at: str) -> None:
        self.at = at

    def __getitem__(self, n: int) -> str:
        return self.at[2 * _HEX * n : 2 * _HEX * n + _HEX]

    def __len__(self) -> int:
        return len(self.at) // (2 * _HEX)


def _toc_entry(ids: list[str], at: str) -> dict[str, Any]:
    if " " in "".join(ids):
        return {"ids": ids, "at": at}
    return {"ids": f" {' '.join(ids)} " if ids else "", "at": at}


def _lookup(
    table: Mapping[str, dict] | Kept,
    runs: list[tuple[int, int, int]],
    copies: int,
    fresh: Spans,
    old: bytes | None,
    written: dict[str, Any],
) -> list[bytes]:
    """A table's ``_lookup`` buckets as written: of a :class:`Kept` table, each old bucket's
    rows of the records copied (found by their start, the rows being in file order) moved
    as their run was, then the new records'; of any other, the new records'."""
    by_bucket = _buckets(fresh)
    if not isinstance(table, Kept):
        return [orjson.dumps(Toc.encode(b)) for b in by_bucket]
    assert old is not None
    if not fresh and len(runs) == 1 and copies == len(table.toc) and table.buckets:
        return [_moved(old[s:e], runs[0][2]) for s, e in table.buckets]  # a table unchanged
    out = []
    copied = 0
    many = len(runs) > _Starts.FEW_RUNS
    if many:  # each row looked up in the table's new spans, not cut at each run
        whole = Toc(written["ids"], written["at"])
        spans = [whole.at[i : i + 2 * _HEX] for i in range(0, len(whole.at), 2 * _HEX)]
        span_of = dict(zip(whole, spans, strict=True)).__getitem__
    for n, (s, e) in enumerate(table.buckets):
        stored = orjson.loads(old[s:e])
        bucket = Toc(stored["ids"], stored["at"])
        if many:
            kept_ids = [i for i in bucket if i not in table.drop]
            ats = [*map(span_of, kept_ids), *map(span_of, by_bucket[n])]
        else:
            kept_ids, ats = _cut(bucket, runs)
            ats.append(Toc.encode(by_bucket[n])["at"])
        copied += len(kept_ids)
        out.append(orjson.dumps(_toc_entry([*kept_ids, *by_bucket[n]], "".join(ats))))
    if copied != copies:
        whole = Toc(written["ids"], written["at"])
        return [orjson.dumps(Toc.encode(b)) for b in _buckets(dict(whole.items()))]
    return out


def bucket_of(doc_id: str) -> int:
    return zlib.crc32(doc_id.encode()) % BUCKETS


def _keyed(
    meta: dict,
    tables: Mapping[str, Mapping[str, dict] | Kept],
    fresh: list[tuple[str, dict]],
    old: bytes | None,
) -> list[bytes]:
    """The ``_keys`` buckets of a file being written, each as its JSON: the new records'
    entries from their dicts, the copied ones' from the old file. A bucket that no new,
    changed or removed record has an entry in is copied as it is (most of them, when an
    archive or a pull adds a few records to a big file); a file without entries (or whose
    tables are not all kept) gets them from its records' bytes."""
    kind = str(meta.get("kind", ""))
    adding: dict[str, list] = {}
    for name, doc in fresh:
        for key, entry in keyed.entries_of(kind, name, doc):
            adding.setdefault(key, []).append(entry)
    kept = {name: t for name, t in tables.items() if isinstance(t, Kept)}
    found = _old_key_buckets(old) if kept else None
    if found is None or not found[1] <= set(kept):
        built: dict[str, list] = {}
        for name, table in kept.items():
            for doc_id, (s, e) in table.toc.items():
                if doc_id not in table.drop:
                    for key, entry in keyed.entries_of(kind, name, orjson.loads(old[s:e])):  # type: ignore[index]
                        built.setdefault(key, []).append(entry)
        for key, entries in adding.items():
            built.setdefault(key, []).extend(entries)
        return [orjson.dumps(b) for b in _key_buckets(built)]
    raw, _ = found
    gone: dict[str, set[tuple[str, str]]] = {}  # key: the (table, id) of its entries that go
    for name, table in kept.items():
        for doc_id in table.drop:
            if doc_id in table.toc:
                doc = orjson.loads(old[slice(*table.toc[doc_id])])  # type: ignore[index]
                for key, _ in keyed.entries_of(kind, name, doc):
                    gone.setdefault(key, set()).add((name, doc_id))
    goes: dict[int, list[str]] = {}
    for key in gone:
        goes.setdefault(key_bucket_of(key), []).append(key)
    comes: dict[int, list[str]] = {}
    for key in adding:
        comes.setdefault(key_bucket_of(key), []).append(key)
    touched = {*goes, *comes}
    out = []
    for n, bucket in enumerate(raw):
        if n not in touched:
            out.append(bucket)
            continue
        entries = orjson.loads(bucket)
        for key in goes.get(n, ()):
            left = [e for e in entries.get(key, ()) if (e[0], e[1]) not in gone[key]]
            if left:
                entries[key] = left
            else:
                entries.pop(key, None)
        for key in comes.get(n, ()):
            entries.setdefault(key, []).extend(adding[key])
        out.append(orjson.dumps(entries))
    return out


def _old_section(raw: bytes | None, first: int) -> Any:
    """The JSON of the section of a month file's bytes that starts at tail position
    ``first`` (4: its case index, 6: its directory), or None where there is none."""
    if raw is None:
        return None
    at = _tail(lambda s, e: raw[s:e], len(raw))
    if at is None:
        return None
    try:
        return orjson.loads(raw[at[first] : at[first + 1]])
    except orjson.JSONDecodeError:
        return None


def rewrite_whole(path: Path, kind: str, notices: list[Notice]) -> bool:
    """Write a month-format file (a month, ``reference.json``) again from its records read
    whole, every index made from them (doctor, for an index that does not agree); False
    when there is no file to read."""
    data, _ = load_file(path, kind, False, notices)
    if data is None:
        return False
    tables = {k: v for k, v in data.items() if k != META and k not in EXTRA_KEYS}
    atomic_write(path, encode(meta_of(data), tables), keep_previous=True)
    return True


def _old_key_buckets(old: bytes | None) -> tuple[list[bytes], set[str]] | None:
    """The old file's ``_keys`` buckets as bytes and the names of its tables; None for a
    file without entries."""
    directory = _old_section(old, 6)
    if not isinstance(directory, dict) or old is None:
        return None
    spans, tables = directory.get("keys"), directory.get("tables")
    if not isinstance(spans, list) or len(spans) != KEY_BUCKETS or not isinstance(tables, dict):
        return None
    return [old[s:e] for s, e in spans], set(tables)


def key_bucket_of(key: str) -> int:
    return zlib.crc32(key.encode()) % KEY_BUCKETS


def _key_buckets(entries: dict[str, list]) -> list[dict[str, list]]:
    out: list[dict[str, list]] = [{} for _ in range(KEY_BUCKETS)]
    for key, found in entries.items():
        out[key_bucket_of(key)][key] = found
    return out


def old_keys(raw: bytes | None) -> dict[str, list] | None:
    """Every ``_keys`` entry a file's bytes carry, or None for a file without them."""
    if raw is None:
        return None
    at = _tail(lambda s, e: raw[s:e], len(raw))
    if at is None:
        return None
    try:
        spans = orjson.loads(raw[at[6] : at[7]]).get("keys")
        if not isinstance(spans, list) or len(spans) != KEY_BUCKETS:
            return None
        out: dict[str, list] = {}
        for start, end in spans:
            out.update(orjson.loads(raw[start:end]))
    except (orjson.JSONDecodeError, AttributeError, TypeError, ValueError):
        return None
    return out


def read_keyed(path: Path, key: str) -> list | None:
    """The ``_keys`` entries of ``key`` in one month file, read through one open file (a
    few KB); [] when the file has no such key or is not there, None when it was written
    before these entries (then read its records)."""
    try:
        f = open(path, "rb")  # noqa: SIM115 -- closed below
    except FileNotFoundError:
        return []
    with f:

        def read(start: int, end: int) -> bytes:
            f.seek(start)
            return f.read(end - start)

        at = _tail(read, os.fstat(f.fileno()).st_size)
        if at is None:
            return None
        try:
            spans = orjson.loads(read(at[6], at[7])).get("keys")
            if not isinstance(spans, list) or len(spans) != KEY_BUCKETS:
                return None
            found = orjson.loads(read(*spans[key_bucket_of(key)])).get(key)
        except (orjson.JSONDecodeError, AttributeError, TypeError, ValueError):
            return None
        return found if isinstance(found, list) else []


def _buckets(spans: Spans) -> list[Spans]:
    out: list[Spans] = [{} for _ in range(BUCKETS)]
    for doc_id, span in spans.items():
        out[bucket_of(doc_id)][doc_id] = span
    return out


def _tail(read: Callable[[int, int], bytes], size: int) -> list[int] | None:
    """Start and end of ``_toc``, ``_counts``, ``_cases`` and ``_dir``, or None for a file
    without them."""
    if size < _TAIL_LEN + 2:
        return None
    raw = read(size - _TAIL_LEN, size)
    if not raw.endswith(_TAIL_END) or not raw[: 2 * SECTIONS * _DIGITS].isdigit():
        return None
    at = [int(raw[i * _DIGITS : (i + 1) * _DIGITS]) for i in range(2 * SECTIONS)]
    if not all(0 < at[i] <= at[i + 1] <= size for i in range(0, len(at), 2)):
        return None
    return at


def old_index(raw: bytes | None) -> list[dict] | None:
    """The case index chunks a month file's bytes carry, or None."""
    found = _old_section(raw, 4)
    return found.get("chunks") if isinstance(found, dict) else None


class MonthIndex:
    """A month's case index, read from the end of its file through one open file (so every
    part from one generation of it, whatever archiving writes meanwhile): ``statuses``, how
    many cases of each status it holds, and ``chunk(n)``, its rows in chunks of
    :data:`~fieldkit.store.case_index.CHUNK`, newest first — a first page reads one."""

    def __init__(self, file: Any, counts: dict[str, Any]) -> None:
        self._file = file
        self.statuses: dict[str, int] = counts["statuses"]
        self._spans: list[list[int]] = counts["chunks"]

    def __len__(self) -> int:
        return len(self._spans)

    def chunk(self, n: int) -> dict[str, Any]:
        start, end = self._spans[n]
        self._file.seek(start)
        return orjson.loads(self._file.read(end - start))

    def chunks(self) -> Iterator[dict[str, Any]]:
        return (self.chunk(n) for n in range(len(self._spans)))


@contextmanager
def open_index(path: Path) -> Iterator[MonthIndex | None]:
    """The month's :class:`MonthIndex` while the block runs; None for a file from before it
    (or not there)."""
    try:
        f = open(path, "rb")  # noqa: SIM115 -- held open for the block, closed below
    except FileNotFoundError:
        yield None
        return
    try:

        def read(start: int, end: int) -> bytes:
            f.seek(start)
            return f.read(end - start)

        at = _tail(read, os.fstat(f.fileno()).st_size)
        try:
            counts = orjson.loads(read(at[2], at[3])) if at else None
        except orjson.JSONDecodeError:
            counts = None
        yield MonthIndex(f, counts) if case_index.usable(counts) else None
    finally:
        f.close()


class Toc(Mapping):
    """A table's record spans as ``_toc`` stores them: ``ids``, the ids in one string, each
    between spaces (a string JSON reads without unescaping anything), and ``at``, each
    record's start and end in :data:`_HEX` hex digits, in the same order. A lookup finds
    the id in the string; after a few, a dict is built for the rest. A table with an id
    that holds a space keeps them as a list (``ids`` a JSON array) instead."""

    DICT_AFTER = 32

    def __init__(self, ids: str | list[str], at: str, table: list[int] | None = None) -> None:
        self.at = at
        self.table = table  # the table's whole JSON object
        self._lookups = 0
        self._dict: dict[str, int] | None = None
        if isinstance(ids, list):
            self.ids = ""
            self._list: list[str] | None = ids
            self._count = len(ids)
            self._dict = {i: n for n, i in enumerate(ids)}
        else:
            self.ids = ids
            self._list = None
            self._count = ids.count(" ") - 1 if ids else 0

    @staticmethod
    def encode(spans: Spans) -> dict[str, Any]:
        at = "".join([_SPAN % (s, e) for s, e in spans.values()])
        return _toc_entry(list(spans), at)

    def _number(self, doc_id: str) -> int:
        if self._dict is not None:
            return self._dict.get(doc_id, -1)
        self._lookups += 1
        if self._lookups > self.DICT_AFTER:
            self._dict = {i: n for n, i in enumerate(self)}
            return self._dict.get(doc_id, -1)
        if " " in doc_id or not doc_id:
            return -1
        pos = self.ids.find(f" {doc_id} ")
        return -1 if pos < 0 else self.ids.count(" ", 0, pos)

    def _span(self, n: int) -> list[int]:
        a = self.at[2 * _HEX * n : 2 * _HEX * (n + 1)]
        return [int(a[:_HEX], 16), int(a[_HEX:], 16)]

    def __getitem__(self, doc_id: str) -> list[int]:
        n = self._number(doc_id)
        if n < 0:
            raise KeyError(doc_id)
        return self._span(n)

    def __contains__(self, doc_id: object) -> bool:
        return isinstance(doc_id, str) and self._number(doc_id) >= 0

    def __iter__(self) -> Iterator[str]:
        if self._list is not None:
            return iter(self._list)
        return iter(self.ids[1:-1].split(" ") if self._count else ())

    def __len__(self) -> int:
        return self._count

    def items(self) -> list[tuple[str, list[int]]]:  # type: ignore[override]
        return [(i, self._span(n)) for n, i in enumerate(self)]


class LazyToc(Mapping):
    """A table's record spans, read as needed: a lookup reads one bucket of ``_lookup``
    (found through ``_dir``), a walk over every record reads the whole ``_toc`` (once)."""

    def __init__(self, read: Callable[[int, int], bytes], toc: list[int], name: str,
                 directory: dict[str, Any]) -> None:  # fmt: skip
        self._read = read
        self._toc = toc
        self._name = name
        self._spans: list[list[int]] = directory["buckets"]
        self.table: list[int] | None = directory.get("table")
        self._buckets: dict[int, Toc] = {}
        self._all: Toc | None = None

    def _bucket(self, doc_id: str) -> Toc:
        n = bucket_of(doc_id)
        found = self._buckets.get(n)
        if found is None:
            start, end = self._spans[n]
            stored = orjson.loads(self._read(start, end))
            found = self._buckets[n] = Toc(stored["ids"], stored["at"])
        return found

    def _whole(self) -> Toc:
        if self._all is None:
            stored = orjson.loads(self._read(*self._toc))["tables"][self._name]
            self._all = Toc(stored["ids"], stored["at"], stored.get("table"))
        return self._all

    def __getitem__(self, doc_id: str) -> list[int]:
        return self._bucket(doc_id)[doc_id]

    def __contains__(self, doc_id: object) -> bool:
        return isinstance(doc_id, str) and doc_id in self._bucket(doc_id)

    def __iter__(self) -> Iterator[str]:
        return iter(self._whole())

    def __len__(self) -> int:
        return len(self._whole())

    def items(self) -> list[tuple[str, list[int]]]:  # type: ignore[override]
        return self._whole().items()


class LazyTable(MutableMapping):
    """One table of a month: records read from the file by their span when asked for, and
    the changes since the last write kept beside them until the next."""

    def __init__(self, spans: Toc | LazyToc, read: Callable[[int, int], bytes], path: Path) -> None:
        self.spans = spans
        self.read = read
        self.path = path
        self.changed: dict[str, dict] = {}
        self.gone: set[str] = set()

    def __getitem__(self, doc_id: str) -> dict:
        doc = self.changed.get(doc_id)
        if doc is not None:
            return doc
        if doc_id in self.gone or doc_id not in self.spans:
            raise KeyError(doc_id)
        start, end = self.spans[doc_id]
        try:
            return orjson.loads(self.read(start, end))
        except orjson.JSONDecodeError as exc:
            raise StoreDamaged(
                "store.error.damaged_no_previous", path=str(self.path), reason=str(exc)
            ) from None

    def get(self, doc_id: str, default: Any = None) -> Any:  # type: ignore[override]
        """The record, or ``default`` without a KeyError raised and caught (a pulled page
        asks its months for each of its records, and a new laptop's month has none)."""
        doc = self.changed.get(doc_id)
        if doc is not None:
            return doc
        if doc_id in self.gone or doc_id not in self.spans:
            return default
        return self[doc_id]

    def __contains__(self, doc_id: object) -> bool:
        if doc_id in self.changed:
            return True
        return doc_id in self.spans and doc_id not in self.gone

    def __setitem__(self, doc_id: str, doc: dict) -> None:
        self.changed[doc_id] = doc
        self.gone.discard(doc_id)

    def __delitem__(self, doc_id: str) -> None:
        if doc_id not in self:
            raise KeyError(doc_id)
        self.changed.pop(doc_id, None)
        if doc_id in self.spans:
            self.gone.add(doc_id)

    def __iter__(self) -> Iterator[str]:
        for doc_id in self.spans:
            if doc_id not in self.gone and doc_id not in self.changed:
                yield doc_id
        yield from self.changed

    def __len__(self) -> int:
        kept = sum(1 for i in self.spans if i not in self.gone and i not in self.changed)
        return kept + len(self.changed)

    def items(self) -> list[tuple[str, dict]]:  # type: ignore[override]
        """Every record, read with one pass over the file (not one read per record): the
        whole table parsed at once when none of it changed since the last write."""
        if not self.changed and not self.gone and self.spans.table is not None:
            start, end = self.spans.table
            return list(orjson.loads(self.read(start, end)).items())
        kept = [
            (i, s) for i, s in self.spans.items() if i not in self.gone and i not in self.changed
        ]
        if not kept:
            return list(self.changed.items())
        low = min(s[0] for _, s in kept)
        raw = self.read(low, max(s[1] for _, s in kept))
        out = [(i, orjson.loads(raw[s[0] - low : s[1] - low])) for i, s in kept]
        return out + list(self.changed.items())

    def values(self) -> list[dict]:  # type: ignore[override]
        return [doc for _, doc in self.items()]

    def kept(self, stored: dict[str, Any]) -> Kept:
        """What :func:`encode` writes: the unchanged records copied, the changed ones new.
        ``stored``: this table's entry of the file's ``_toc``, read once for every table."""
        whole = Toc(stored["ids"], stored["at"], stored.get("table"))
        buckets = self.spans._spans if isinstance(self.spans, LazyToc) else []
        return Kept(whole, frozenset(self.gone | set(self.changed)), self.changed, buckets)


class MonthStorage(GroupedWrites):
    """The TinyDB storage of an archive month (see the module docstring); the same
    transaction and rollback as :class:`~fieldkit.store.storage.AtomicJSONStorage`."""

    def __init__(
        self,
        path: Path,
        kind: str,
        *,
        readonly: bool = False,
        create: bool = True,
        notices: list[Notice] | None = None,
    ) -> None:
        self._own(path, kind, readonly, notices)
        self.exists = False
        self.size = 0
        self._open(create)

    def _open(self, create: bool) -> None:
        self._key_spans: list[list[int]] | None = None
        self._key_cache: dict[int, dict[str, list]] = {}
        found = None if self.readonly else self._read_toc()
        if found is not None:
            self._meta, toc, at = found
            self._tables: dict[str, Any] = {
                name: LazyTable(LazyToc(self._read, at, name, t), self._read, self.path)
                for name, t in toc.items()
            }
            self.exists = True
            return
        data, rewrite = load_file(self.path, self.kind, self.readonly, self.notices)
        self.exists = data is not None
        if data is None:
            data = new_file(self.kind)
            rewrite = create
        self._meta = meta_of(data)
        self._tables = {k: v for k, v in data.items() if k != META and k not in EXTRA_KEYS}
        self.size = self.path.stat().st_size if self.path.exists() else 0
        if rewrite and not self.readonly:
            self._flush()

    def _read_toc(self) -> tuple[dict, dict[str, dict[str, Any]], list[int]] | None:
        """The meta document, each table's directory (``_dir``) and where ``_toc`` lies;
        None for a file to read whole."""
        try:
            self.size = self.path.stat().st_size
            at = _tail(self._read, self.size)
            if at is None:
                return None
            directory = orjson.loads(self._read(at[6], at[7]))
        except (FileNotFoundError, orjson.JSONDecodeError):
            return None
        meta = directory.get("meta") if isinstance(directory, dict) else None
        if not isinstance(meta, dict) or meta.get("kind") != self.kind:
            return None  # read whole: load_file says what is wrong with it
        if meta.get("schema") != version_of(self.kind):
            return None  # an older one is migrated, a newer one refused, by load_file
        tables = directory.get("tables")
        if not isinstance(tables, dict) or not all(
            isinstance(t, dict)
            and isinstance(t.get("buckets"), list)
            and len(t["buckets"]) == BUCKETS
            for t in tables.values()
        ):
            return None
        keys = directory.get("keys")
        self._key_spans = keys if isinstance(keys, list) and len(keys) == KEY_BUCKETS else None
        return meta, tables, at[:2]

    def keyed(self, key: str) -> list | None:
        """The ``_keys`` entries of ``key`` (:mod:`fieldkit.store.keyed`) as last written,
        reading one bucket (kept); None when the file has none (written before them, or
        read whole: read-only)."""
        if self._key_spans is None:
            return None
        n = key_bucket_of(key)
        bucket = self._key_cache.get(n)
        if bucket is None:
            try:
                bucket = orjson.loads(self._read(*self._key_spans[n]))
            except (orjson.JSONDecodeError, TypeError, ValueError):
                return None
            self._key_cache[n] = bucket
        found = bucket.get(key)
        return found if isinstance(found, list) else []

    def _read(self, start: int, end: int) -> bytes:
        with open(self.path, "rb") as f:
            f.seek(start)
            return f.read(end - start)

    def read(self) -> dict:
        return self._tables

    def _take(self, data: dict) -> None:
        self._tables = data

    def _rollback(self) -> None:
        self._dirty = False
        self._open(create=False)

    def _flush(self) -> None:
        if self.readonly:
            raise PermissionError(f"{self.path} is open read-only")
        lazy = any(isinstance(table, LazyTable) for table in self._tables.values())
        old = self.path.read_bytes() if lazy else None
        at = _tail(lambda s, e: old[s:e], len(old)) if old is not None else None
        stored = orjson.loads(old[at[0] : at[1]])["tables"] if old and at else {}
        tables = {
            name: (table.kept(stored[name]) if isinstance(table, LazyTable) else table)
            for name, table in self._tables.items()
        }
        raw = encode(
            {**self._meta, "schema": version_of(self.kind), "kind": self.kind}, tables, old
        )
        atomic_write(self.path, raw, keep_previous=True)
        self._dirty = False
        self.exists = True
        self._open(create=False)


def check(path: Path, tables: Mapping[str, Mapping[str, Any]] | None = None) -> tuple[bool, bool]:
    """Whether a month file has its table of contents and case index, and whether they
    agree with its records: what ``fieldkit doctor`` reports. ``tables``: the month's
    records by table as the caller has read them already (``fieldkit doctor`` has); the
    file is parsed whole only for a table not among them."""
    raw = path.read_bytes()
    size = len(raw)
    at = _tail(lambda s, e: raw[s:e], size)
    if at is None:
        return False, False
    whole: dict | None = None

    def docs_of(name: str) -> Mapping[str, Any]:
        nonlocal whole
        if tables is not None and name in tables:
            return tables[name]
        if whole is None:
            whole = orjson.loads(raw)
        return whole.get(name) or {}

    toc = orjson.loads(raw[at[0] : at[1]])
    for name, stored in toc.get("tables", {}).items():
        spans = dict(Toc(stored["ids"], stored["at"]).items())
        docs = docs_of(name)
        table = stored.get("table")
        if table is not None and orjson.loads(raw[table[0] : table[1]]) != docs:
            return True, False
        if set(spans) != set(docs):
            return True, False
        for doc_id, (start, end) in spans.items():
            if orjson.loads(raw[start:end]) != docs[doc_id]:
                return True, False
        directory = orjson.loads(raw[at[6] : at[7]])["tables"][name]["buckets"]
        looked_up = {}
        for n, (start, end) in enumerate(directory):
            bucket = orjson.loads(raw[start:end])
            found = dict(Toc(bucket["ids"], bucket["at"]).items())
            if any(bucket_of(i) != n for i in found):
                return True, False
            looked_up.update(found)
        if looked_up != spans:
            return True, False
    chunks = orjson.loads(raw[at[4] : at[5]])["chunks"]
    counts = orjson.loads(raw[at[2] : at[3]])
    expected = case_index.chunked([case_index.row(d) for d in docs_of("case").values()])
    if {k: v for k, v in counts.items() if k != "chunks"} != case_index.counts(expected):
        return True, False
    if [orjson.loads(raw[s:e]) for s, e in counts.get("chunks", [])] != expected:
        return True, False
    return True, chunks == expected


def check_keys(path: Path, kind: str, tables: Mapping[str, Mapping[str, Any]]) -> bool | None:
    """Whether a file's ``_keys`` entries are those of its records (the tables named in
    ``tables``, as this same read of the file holds them); None when it has none. One read:
    a file replaced by a working process between the caller's read and this one held other
    records and other keys, each right (doctor beside a process submitting rounds said
    ``keys_differ`` of a month just written)."""
    raw = path.read_bytes()
    found = old_keys(raw)
    if found is None:
        return None
    held = orjson.loads(raw)
    expected = keyed.index(kind, {name: dict(held.get(name) or {}) for name in tables})

    def same(entries: dict[str, list]) -> dict[str, list]:
        return {k: sorted(v, key=lambda e: (str(e[0]), str(e[1]))) for k, v in entries.items()}

    return same(found) == same(orjson.loads(orjson.dumps(expected)))
