"""Schema versions of store files and the hook that upgrades them in place.

Every store file holds a ``_meta`` table with one document ``{"schema": N, "kind": K}``
(K is "active", "archive", "reference"). Each kind has its own version
(:data:`SCHEMA_VERSIONS`), so a change to one kind of file upgrades only files of that kind:
an archive month is never rewritten for a change to ``active.json``. When a file with an
older ``schema`` is opened, the functions in :data:`MIGRATIONS` run in order —
``MIGRATIONS[(kind, n)]`` takes the whole file (a dict of tables) at version ``n`` and
returns it at version ``n + 1`` — and the upgraded file is written back atomically before
anything else touches it. A file from a newer release is refused with a clear message
rather than misread: every release since the first checks this (``store.error.newer_schema``)
before it reads a record, which is what makes a version bump a safe stop for an older one.
"""

from __future__ import annotations

from collections.abc import Callable

from fieldkit.store.errors import StoreDamaged, StoreError

#: Version 2 of ``active.json``: answers may be waiting in the answer journal beside it
#: (:mod:`fieldkit.store.journal`). A release from before the journal reads the file alone
#: and would not see them (and once it wrote the file, the journal's lines would be skipped
#: as folded), so the bump makes it refuse the folder instead. The tables are unchanged.
SCHEMA_VERSIONS = {"active": 2, "archive": 1, "reference": 1}
META = "_meta"

Migration = Callable[[dict, str], dict]


def _journal_beside(data: dict, kind: str) -> dict:
    """1 → 2 for ``active.json``: only the number changes (see :data:`SCHEMA_VERSIONS`); the
    upgrade is one write of ``active.json``, at the first open."""
    return data


MIGRATIONS: dict[tuple[str, int], Migration] = {("active", 1): _journal_beside}


def version_of(kind: str) -> int:
    """The schema version this release writes for files of ``kind``."""
    return SCHEMA_VERSIONS[kind]


def new_file(kind: str) -> dict:
    return {META: {"1": {"schema": version_of(kind), "kind": kind}}}


def meta_of(data: object) -> dict:
    """The ``_meta`` document, or ValueError saying why the data is not a store file."""
    if not isinstance(data, dict):
        raise ValueError("not a JSON object")
    meta = data.get(META, {}).get("1") if isinstance(data.get(META), dict) else None
    if not isinstance(meta, dict) or not isinstance(meta.get("schema"), int):
        raise ValueError("no schema version (_meta table)")
    for name, table in data.items():
        if not isinstance(table, dict):
            raise ValueError(f"table {name!r} is not a JSON object")
    return meta


def migrate(data: dict, kind: str, path: str) -> tuple[dict, bool]:
    """Bring ``data`` up to its kind's version; return it and whether it changed."""
    meta = meta_of(data)
    if meta.get("kind") != kind:
        raise StoreDamaged(
            "store.error.wrong_kind", path=path, found=str(meta.get("kind")), expected=kind
        )
    version, known = meta["schema"], version_of(kind)
    if version > known:
        raise StoreError("store.error.newer_schema", path=path, found=version, known=known)
    changed = False
    while version < known:
        step = MIGRATIONS.get((kind, version))
        if step is None:
            raise StoreError("store.error.no_migration", path=path, found=version)
        data = step(data, kind)
        version += 1
        data[META] = {"1": {**meta_of(data), "schema": version, "kind": kind}}
        changed = True
    return data, changed
