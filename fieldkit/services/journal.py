"""The interim record file the services use until ``fieldkit.store`` lands.

One append-only JSON-lines file, ``<data>/app-journal.jsonl``. A write is one line holding a
batch of records (so an inspection and the cases it raises are saved together or not at
all), flushed and fsynced before :meth:`Journal.put` returns: an answer the UI shows as saved
survives a killed process. On open the file is replayed (last version of each record wins);
a torn last line from a kill mid-write is ignored and cut off. This is deliberately small:
``services.workspace`` talks to it through four methods (``get``, ``all``, ``put``,
``close``) so the swap to the real store is one adapter.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import orjson

FILE_NAME = "app-journal.jsonl"

Record = dict[str, Any]


class Journal:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._kinds: dict[str, dict[str, Record]] = {}
        path.parent.mkdir(parents=True, exist_ok=True)
        self._replay()
        self._fh = open(path, "ab")  # noqa: SIM115 - held open for the app's lifetime

    @classmethod
    def open(cls, data_dir: Path) -> Journal:
        return cls(data_dir / FILE_NAME)

    def _replay(self) -> None:
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return
        good = 0
        for line in raw.splitlines(keepends=True):
            if not line.endswith(b"\n"):
                break
            try:
                batch = orjson.loads(line)
            except orjson.JSONDecodeError:
                break
            for kind, rid, value in batch:
                self._apply(kind, rid, value)
            good += len(line)
        if good < len(raw):
            with open(self.path, "r+b") as fh:
                fh.truncate(good)
                fh.flush()
                os.fsync(fh.fileno())

    def _apply(self, kind: str, rid: str, value: Record | None) -> None:
        table = self._kinds.setdefault(kind, {})
        if value is None:
            table.pop(rid, None)
        else:
            table[rid] = value

    def get(self, kind: str, rid: str) -> Record | None:
        return self._kinds.get(kind, {}).get(rid)

    def all(self, kind: str) -> Iterator[Record]:
        return iter(list(self._kinds.get(kind, {}).values()))

    def count(self, kind: str) -> int:
        return len(self._kinds.get(kind, {}))

    def put(self, changes: Iterable[tuple[str, str, Record | None]]) -> None:
        """Write records (``None`` deletes) durably, in one line; return once fsynced."""
        batch = [(kind, rid, value) for kind, rid, value in changes]
        if not batch:
            return
        self._fh.write(orjson.dumps(batch) + b"\n")
        self._fh.flush()
        os.fsync(self._fh.fileno())
        for kind, rid, value in batch:
            self._apply(kind, rid, value)

    def close(self) -> None:
        if not self._fh.closed:
            self._fh.close()
