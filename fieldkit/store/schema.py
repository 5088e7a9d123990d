"""Schema versions of store files and the hook that upgrades them in place.

Every store file holds a ``_meta`` table with one document ``{"schema": N, "kind": K}``
(K is "active", "archive", "reference"). When a file with an older ``schema`` is opened,
the functions in :data:`MIGRATIONS` run in order — ``MIGRATIONS[n]`` takes the whole file
(a dict of tables) at version ``n`` and its kind, and returns it at version ``n + 1`` — and
the upgraded file is written back atomically before anything else touches it. A file from a
newer release is refused with a clear message rather than misread.
"""

from __future__ import annotations

from collections.abc import Callable

from fieldkit.store.errors import StoreDamaged, StoreError

SCHEMA_VERSION = 1
META = "_meta"

Migration = Callable[[dict, str], dict]
MIGRATIONS: dict[int, Migration] = {}


def new_file(kind: str) -> dict:
    return {META: {"1": {"schema": SCHEMA_VERSION, "kind": kind}}}


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
    """Bring ``data`` up to :data:`SCHEMA_VERSION`; return it and whether it changed."""
    meta = meta_of(data)
    if meta.get("kind") != kind:
        raise StoreDamaged(
            "store.error.wrong_kind", path=path, found=str(meta.get("kind")), expected=kind
        )
    version = meta["schema"]
    if version > SCHEMA_VERSION:
        raise StoreError("store.error.newer_schema", path=path, found=version, known=SCHEMA_VERSION)
    changed = False
    while version < SCHEMA_VERSION:
        step = MIGRATIONS.get(version)
        if step is None:
            raise StoreError("store.error.no_migration", path=path, found=version)
        data = step(data, kind)
        version += 1
        data[META] = {"1": {**meta_of(data), "schema": version, "kind": kind}}
        changed = True
    return data, changed
