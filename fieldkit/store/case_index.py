"""The case index of an archive month: what a case list needs of every case, in columns.

Each month file carries the index of its own cases (:mod:`fieldkit.store.months` writes it
in the same bytes as the records), so the list of every case on the device is read from
the months' indexes — a few bytes a case — and a case's record is read only when it is
opened. Rows are newest first (ids descending), which is the order the case list shows
finished cases in.

A row holds what the stored dict says, nothing derived from other data (a place's name or
building come from the reference data when the list is drawn, which may have changed since
the month was written). Text columns name an entry of ``words``, so the month's thousands of
"closed" and "engineering" are stored once; ``due`` is epoch seconds (None when the case had
none or it was unreadable); ``other`` is a neighbour dispute's other flat, ``[unit id, where]``
as JSON ("" for a case on one place).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import chain
from pathlib import Path
from typing import Any

import orjson

from fieldkit.model import iso_epoch
from fieldkit.store.layout import DELETED, month_of

VERSION = 2
CHUNK = 2048  # rows a chunk holds: a first page reads the newest month's first chunk
#: The text columns of a row, after its id and before its due time.
TEXT = ("kind", "status", "department", "severity", "category", "target", "title",
        "where", "building", "other")  # fmt: skip


def row(doc: dict[str, Any]) -> tuple:
    """A stored case dict's row: (id, *TEXT, due). Extras are top-level keys of a stored
    dict (``extra`` too, from older records)."""
    older = doc.get("extra")
    extra = {**doc, **older} if older else doc  # a copy only where there is one to merge
    titles = extra.get("titles")
    if isinstance(titles, dict) and titles:
        title = {str(k): str(v) for k, v in titles.items()}
    else:
        title = {"zh": str(doc.get("title") or ""), "en": str(doc.get("title") or "")}
    dispute = extra.get("dispute")
    other = dispute.get("b") if isinstance(dispute, dict) else None
    return (
        str(doc["id"]),
        str(doc.get("kind") or "finding"),
        str(doc.get("status") or "open"),
        str(doc.get("department") or ""),
        str(doc.get("severity") or "major"),
        str(doc.get("category") or ""),
        str((doc.get("target") or {}).get("id") or ""),
        orjson.dumps(title, option=orjson.OPT_SORT_KEYS).decode(),
        str(extra.get("where") or ""),
        str(extra.get("building") or ""),
        orjson.dumps([str(other.get("unit", "")), other.get("where") or ""]).decode()
        if isinstance(other, dict)
        else "",
        iso_epoch(doc.get("due")),
    )


def encode(rows: Iterable[tuple]) -> dict[str, Any]:
    """The stored index of these rows (newest first). Words are numbered in the order they
    first appear, row by row; each step runs over whole columns (a month rewrites every
    chunk when one case is added, so this is paid per write)."""
    ordered = sorted(rows, key=lambda r: r[0], reverse=True)
    columns = list(zip(*ordered, strict=True)) or [()] * (len(TEXT) + 2)
    text = columns[1:-1]
    words = list(dict.fromkeys(chain.from_iterable(zip(*text, strict=True))))
    number = {word: n for n, word in enumerate(words)}.__getitem__
    return {
        "version": VERSION,
        "ids": list(columns[0]),
        "words": words,
        "columns": {
            name: list(map(number, column)) for name, column in zip(TEXT, text, strict=True)
        },
        "due": list(columns[-1]),
        "statuses": dict(Counter(columns[2])),
    }


def chunked(rows: Iterable[tuple]) -> list[dict[str, Any]]:
    """The stored index of these rows: chunks of :data:`CHUNK`, newest first."""
    ordered = sorted(rows, key=lambda r: r[0], reverse=True)
    return [encode(ordered[n : n + CHUNK]) for n in range(0, len(ordered), CHUNK)]


def counts(chunks: list[dict[str, Any]]) -> dict[str, Any]:
    """What a month's index says without its rows: how many cases of each status. A list
    with no filter but the status reads only this of each month."""
    statuses: dict[str, int] = {}
    for chunk in chunks:
        for status, n in chunk["statuses"].items():
            statuses[status] = statuses.get(status, 0) + n
    return {"version": VERSION, "statuses": statuses}


def rows_of(chunks: list[dict[str, Any]] | None, ids: set[str]) -> list[tuple]:
    """The rows of ``ids`` in a stored index (those it holds)."""
    out = []
    for index in chunks or ():
        if not usable(index):
            return []
        words = index["words"].__getitem__
        columns = [map(words, index["columns"][name]) for name in TEXT]
        out += [r for r in zip(index["ids"], *columns, index["due"], strict=True) if r[0] in ids]
    return out


def usable(index: object) -> bool:
    """Whether a stored index is one this version reads."""
    return isinstance(index, dict) and index.get("version") == VERSION


@dataclass(frozen=True)
class CaseHistory:
    """Every case on the device as a case list reads it: the active file's cases (few:
    the unfinished and the recently finished, as stored dicts — never change them), the
    ids whose archived copy no longer counts (a newer copy is live, or the office deleted
    it), and each archive month's index, read when asked for, newest month first."""

    live: list[dict]
    hidden: frozenset[str]
    months: tuple[str, ...]
    path: Callable[[str], Path]  # a month's file
    _build: Callable[[str], list[dict[str, Any]]]

    @contextmanager
    def month(self, month: str) -> Iterator[Any]:
        """The month's index while the block runs: ``statuses`` (how many of each status,
        hidden ones included) and ``chunks()`` (rows newest first, :func:`encode` each)."""
        from fieldkit.store import months as month_files

        with month_files.open_index(self.path(month)) as found:
            yield found if found is not None else Built(self._build(month))


@dataclass
class Built:
    """The index of a month from before it, made from its records (read whole)."""

    all: list[dict[str, Any]]

    @property
    def statuses(self) -> dict[str, int]:
        return counts(self.all)["statuses"]

    def chunks(self) -> Iterator[dict[str, Any]]:
        return iter(self.all)


class CaseIndexes:
    """Part of :class:`~fieldkit.store.store.Store`: the case index of every month."""

    def case_history(self) -> CaseHistory:
        with self._mutex:
            table = self._table("case").docs()
            deleted = [k.partition("/")[2] for k in self._table(DELETED).docs()
                       if k.startswith("case/")]  # fmt: skip
            return CaseHistory(
                live=list(table.values()),
                hidden=frozenset([*self._archived_too(table), *deleted]),
                months=tuple(reversed(self.archive_months())),
                path=self._month_path,
                _build=self._month_case_index,
            )

    def _archived_too(self, live_ids: Iterable[str]) -> list[str]:
        """The live cases whose month's archive holds a copy too (reopened after they were
        archived): each asked of one bucket of the month's table of contents. A month's
        list reads only its counts while none of its rows is hidden."""
        files: dict[str, Any] = {}
        out = []
        for doc_id in live_ids:
            month = month_of(doc_id)
            if month not in files:
                files[month] = self._archive(month)
            file = files[month]
            if file is not None and doc_id in file.table("case").docs():
                out.append(doc_id)
        return out

    def _month_case_index(self, month: str) -> list[dict[str, Any]]:
        """A month's index from its records: a month from before the index (read whole)."""
        with self._mutex:
            file = self._archive(month)
            docs = list(file.table("case").docs().values()) if file else []
        return chunked(row(d) for d in docs)

    def months_without_index(self) -> list[str]:
        """Archive months written before month files carried their index."""
        from fieldkit.store import months as month_files

        todo = []
        for month in self.archive_months():
            with month_files.open_index(self._month_path(month)) as found:
                if found is None:
                    todo.append(month)
        return todo

    def upgrade_months(self, progress: Callable[[int, int, str], None] | None = None) -> int:
        """Write each month from before the index again, with its index and table of
        contents (the same records): read whole once, then lazily ever after. Returns how
        many were written; ``progress(done, total, month)`` as each month is begun."""
        if self.readonly:
            return 0
        todo = self.months_without_index()
        for n, month in enumerate(todo):
            if progress:
                progress(n, len(todo), month)
            with self._mutex:
                file = self._archive(month)
                if file is not None and not file.storage.readonly:
                    file.storage.write(file.storage.read())
                    with self._write():
                        self._restamp_months([month])
        return len(todo)

    def rebuild_month_index(self, month: str) -> None:
        """Write a month again from its records read whole: its table of contents and case
        index made from them (``fieldkit doctor``, for an index that does not agree)."""
        from fieldkit.store import months as month_files

        with self._mutex:
            if self.readonly:
                return
            if not month_files.rewrite_whole(self._month_path(month), "archive", self.notices):
                return
            self._archives.pop(month, None)
            with self._write():
                self._restamp_months([month])
