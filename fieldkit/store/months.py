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
from collections.abc import Callable, Iterator, Mapping, MutableMapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import orjson

from fieldkit.store import case_index, keyed
from fieldkit.store.atomic import atomic_write
from fieldkit.store.errors import StoreDamaged
from fieldkit.store.schema import META, SCHEMA_VERSION, meta_of, new_file
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
Spans = dict[str, list[int]]


def encode(meta: dict, tables: Mapping[str, Mapping[str, Any]], old: bytes | None = None) -> bytes:
    """A month file holding ``tables``. A value is a stored dict, or a ``[start, end]`` span
    of ``old`` (the previous generation's bytes) to copy as it is. The case index rows of
    copied cases come from ``old``'s index, new ones from their dicts."""
    out = bytearray(b'{"' + META.encode() + b'":' + orjson.dumps({"1": meta}))
    toc: dict[str, dict[str, Any]] = {}
    tables_spans: dict[str, Spans] = {}
    copied: Spans = {}
    fresh: list[dict] = []
    copied_any: dict[tuple[str, str], list[int]] = {}
    fresh_any: list[tuple[str, dict]] = []
    for name, docs in tables.items():
        if name == META or name in EXTRA_KEYS:
            continue
        out += b"," + orjson.dumps(name) + b":"
        table_at = len(out)
        out += b"{"
        spans: Spans = {}
        first = True
        for doc_id, value in docs.items():
            out += (b"" if first else b",") + orjson.dumps(doc_id) + b":"
            first = False
            start = len(out)
            if isinstance(value, list):
                out += old[value[0] : value[1]]  # type: ignore[index]
                copied_any[(name, doc_id)] = value
                if name == "case":
                    copied[doc_id] = value
            else:
                out += orjson.dumps(value)
                fresh_any.append((name, value))
                if name == "case":
                    fresh.append(value)
            spans[doc_id] = [start, len(out)]
        out += b"}"
        toc[name] = {**Toc.encode(spans), "table": [table_at, len(out)]}
        tables_spans[name] = spans
    rows = case_index.rows_of(old_index(old), set(copied)) if copied else []
    if len(rows) < len(copied):  # an index that lacks some: read those records
        have = {r[0] for r in rows}
        rows += [
            case_index.row(orjson.loads(old[s:e]))  # type: ignore[index]
            for doc_id, (s, e) in copied.items()
            if doc_id not in have
        ]
    chunks = case_index.chunked([*rows, *(case_index.row(d) for d in fresh)])
    out += b',"' + TOC.encode() + b'":'
    toc_at = len(out)
    out += orjson.dumps({"meta": meta, "tables": toc})
    toc_end = len(out)
    out += b',"' + LOOKUP.encode() + b'":{'
    directory: dict[str, Any] = {}
    for n, (name, stored) in enumerate(toc.items()):
        out += (b"," if n else b"") + orjson.dumps(name) + b":["
        spans_of_buckets = []
        for b, bucket in enumerate(_buckets(tables_spans[name])):
            out += b"," if b else b""
            start = len(out)
            out += orjson.dumps(Toc.encode(bucket))
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
    for n, bucket in enumerate(_keyed(meta, fresh_any, copied_any, old)):
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
    return bytes(out)


def bucket_of(doc_id: str) -> int:
    return zlib.crc32(doc_id.encode()) % BUCKETS


def _keyed(
    meta: dict,
    fresh: list[tuple[str, dict]],
    copied: dict[tuple[str, str], list[int]],
    old: bytes | None,
) -> list[bytes]:
    """The ``_keys`` buckets of a file being written, each as its JSON: the new records'
    entries from their dicts, the copied ones' from the old file. A bucket that no new,
    changed or removed record has an entry in is copied as it is (most of them, when an
    archive or a pull adds a few records to a big file); a file without entries gets them
    from its records' bytes."""
    kind = str(meta.get("kind", ""))
    adding: dict[str, list] = {}
    for name, doc in fresh:
        for key, entry in keyed.entries_of(kind, name, doc):
            adding.setdefault(key, []).append(entry)
    found = _old_key_buckets(old) if copied else None
    if found is None:
        built: dict[str, list] = {}
        for (name, _), (s, e) in copied.items():
            for key, entry in keyed.entries_of(kind, name, orjson.loads(old[s:e])):  # type: ignore[index]
                built.setdefault(key, []).append(entry)
        for key, entries in adding.items():
            built.setdefault(key, []).extend(entries)
        return [orjson.dumps(b) for b in _key_buckets(built)]
    raw, dropped = found
    touched = {key_bucket_of(key) for key in adding}
    for name, doc in dropped(copied):
        touched.update(key_bucket_of(key) for key, _ in keyed.entries_of(kind, name, doc))
    out = []
    for n, bucket in enumerate(raw):
        if n not in touched:
            out.append(bucket)
            continue
        kept: dict[str, list] = {}
        for key, entries in orjson.loads(bucket).items():
            still = [e for e in entries if (e[0], e[1]) in copied]
            if still:
                kept[key] = still
        for key, entries in adding.items():
            if key_bucket_of(key) == n:
                kept.setdefault(key, []).extend(entries)
        out.append(orjson.dumps(kept))
    return out


def _old_key_buckets(
    old: bytes | None,
) -> tuple[list[bytes], Callable[[dict], list[tuple[str, dict]]]] | None:
    """The old file's ``_keys`` buckets as bytes, and a function giving the old records
    that are not among those copied (changed or removed: their entries go); None for a
    file without entries."""
    if old is None:
        return None
    at = _tail(lambda s, e: old[s:e], len(old))
    if at is None:
        return None
    try:
        spans = orjson.loads(old[at[6] : at[7]]).get("keys")
    except (orjson.JSONDecodeError, AttributeError):
        return None
    if not isinstance(spans, list) or len(spans) != KEY_BUCKETS:
        return None

    def dropped(copied: dict[tuple[str, str], list[int]]) -> list[tuple[str, dict]]:
        tables = orjson.loads(old[at[0] : at[1]])["tables"]
        out = []
        for name, stored in tables.items():
            toc = Toc(stored["ids"], stored["at"])
            for n, doc_id in enumerate(toc):
                if (name, doc_id) not in copied:
                    start, end = toc._span(n)
                    out.append((name, orjson.loads(old[start:end])))
        return out

    return [old[s:e] for s, e in spans], dropped


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
    if raw is None:
        return None
    at = _tail(lambda s, e: raw[s:e], len(raw))
    if at is None:
        return None
    try:
        found = orjson.loads(raw[at[4] : at[5]])
    except orjson.JSONDecodeError:
        return None
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
        at = "".join(f"{s:0{_HEX}x}{e:0{_HEX}x}" for s, e in spans.values())
        if any(" " in i for i in spans):
            return {"ids": list(spans), "at": at}
        return {"ids": f" {' '.join(spans)} " if spans else "", "at": at}

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

    def layout(self) -> dict[str, Any]:
        """What :func:`encode` writes: spans of the unchanged records, dicts of the rest."""
        out: dict[str, Any] = {
            i: s for i, s in self.spans.items() if i not in self.gone and i not in self.changed
        }
        out.update(self.changed)
        return out


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
        self.path = Path(path)
        self.kind = kind
        self.readonly = readonly
        self.notices: list[Notice] = notices if notices is not None else []
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
        if meta.get("schema") != SCHEMA_VERSION:
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
        layouts = {
            name: (table.layout() if isinstance(table, LazyTable) else table)
            for name, table in self._tables.items()
        }
        copies = any(isinstance(v, list) for layout in layouts.values() for v in layout.values())
        old = self.path.read_bytes() if copies else None
        raw = encode({**self._meta, "schema": SCHEMA_VERSION, "kind": self.kind}, layouts, old)
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
    """Whether a file's ``_keys`` entries are those of its records (``tables``, every table
    of the file as read); None when it has none."""
    found = old_keys(path.read_bytes())
    if found is None:
        return None
    expected = keyed.index(kind, {name: dict(docs.items()) for name, docs in tables.items()})

    def same(entries: dict[str, list]) -> dict[str, list]:
        return {k: sorted(v, key=lambda e: (str(e[0]), str(e[1]))) for k, v in entries.items()}

    return same(found) == same(orjson.loads(orjson.dumps(expected)))
