"""Which checklists this device has and which apply to a target.

Shipped checklists come with the package (``checklists/`` in a source tree, copied into the
wheel as ``fieldkit/_shipped_checklists``); ``<data>/checklists`` holds ones the office sent.
A file that does not load is skipped here (``fieldkit checklist check`` reports why).
"""

from __future__ import annotations

from contextlib import suppress
from pathlib import Path

import orjson

import fieldkit
from fieldkit.checklists.definition import Checklist
from fieldkit.checklists.loader import checklist_files, load_folder
from fieldkit.services.types import Target, Text
from fieldkit.store.atomic import atomic_write

TITLES_FILE = "checklist-titles.json"


def shipped_folder() -> Path:
    package = Path(fieldkit.__file__).resolve().parent
    wheel = package / "_shipped_checklists"
    return wheel if wheel.is_dir() else package.parent / "checklists"


def load_checklists(data_dir: Path) -> dict[str, Checklist]:
    found: dict[str, Checklist] = {}
    for folder in (shipped_folder(), data_dir / "checklists"):
        if folder.is_dir():
            for result in load_folder(folder):
                if result.checklist is not None:
                    found[result.checklist.id] = result.checklist
    return found


def titles(data_dir: Path) -> dict[str, Text]:
    """Each checklist's title by id, for what names checklists without running them (a
    flat's last inspections) — without parsing every checklist file (~0.5 s) each start:
    kept in ``<data>/checklist-titles.json`` with the size and mtime of every file they
    were read from, and read from the files again when one changed (a new version shipped,
    a checklist the office sent). Losing the file costs one load, nothing else."""
    stamps: dict[str, list[int]] = {}
    for folder in (shipped_folder(), data_dir / "checklists"):
        if folder.is_dir():
            for path in checklist_files(folder):
                with suppress(OSError):
                    st = path.stat()
                    stamps[str(path)] = [st.st_size, st.st_mtime_ns]
    kept_path = data_dir / TITLES_FILE
    try:
        kept = orjson.loads(kept_path.read_bytes())
    except (OSError, orjson.JSONDecodeError):
        kept = None
    if isinstance(kept, dict) and kept.get("files") == stamps and _titles_ok(kept.get("titles")):
        return kept["titles"]
    found = {cid: c.title.to_dict() for cid, c in load_checklists(data_dir).items()}
    with suppress(OSError):  # a folder only read: the titles are still right
        atomic_write(kept_path, orjson.dumps({"files": stamps, "titles": found}), durable=False)
    return found


def _titles_ok(found: object) -> bool:
    return isinstance(found, dict) and all(
        isinstance(title, dict) and all(isinstance(v, str) for v in title.values())
        for title in found.values()
    )


def applies(checklist: Checklist, target: Target) -> bool:
    kind, sub = checklist.target
    if kind != target.kind:
        return False
    return sub is None or sub == target.asset_kind
