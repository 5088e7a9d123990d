"""Which checklists this device has and which apply to a target.

Shipped checklists come with the package (``checklists/`` in a source tree, copied into the
wheel as ``fieldkit/_shipped_checklists``); ``<data>/checklists`` holds ones the office sent.
A file that does not load is skipped here (``fieldkit checklist check`` reports why).
"""

from __future__ import annotations

from contextlib import suppress
from pathlib import Path
from typing import TYPE_CHECKING, Any

import fieldkit
from fieldkit.checklists.locate import checklist_files
from fieldkit.services.types import Target, Text
from fieldkit.store import kept as kept_copy

if TYPE_CHECKING:
    from fieldkit.checklists.definition import Checklist

TITLES_FILE = "checklist-titles.json"


def shipped_folder() -> Path:
    package = Path(fieldkit.__file__).resolve().parent
    wheel = package / "_shipped_checklists"
    return wheel if wheel.is_dir() else package.parent / "checklists"


def load_checklists(data_dir: Path) -> dict[str, Checklist]:
    return {cid: checklist for cid, (_, checklist) in _load_all(data_dir).items()}


def _load_all(data_dir: Path) -> dict[str, tuple[str, Checklist]]:
    """Every checklist that loads, by id, with the file it came from; one the office sent
    replaces a shipped one of the same id."""
    from fieldkit.checklists.loader import load_folder

    found: dict[str, tuple[str, Checklist]] = {}
    for folder in (shipped_folder(), data_dir / "checklists"):
        if folder.is_dir():
            for result in load_folder(folder):
                if result.checklist is not None:
                    found[result.checklist.id] = (result.path, result.checklist)
    return found


def titles(data_dir: Path) -> dict[str, Text]:
    """Each checklist's title by id, for what names checklists without running them (a
    flat's last inspections) — without parsing every checklist file (~0.5 s) each start:
    kept in ``<data>/checklist-titles.json`` with the size and mtime of every file they
    were read from, and read from the files again when one changed (a new version shipped,
    a checklist the office sent). Losing the file costs one load, nothing else."""
    return _kept(data_dir)["titles"]


def load_one(data_dir: Path, checklist_id: str) -> Checklist | None:
    """One checklist by id, parsing only its own file (named in the kept titles file): the
    home's rounds in progress are shown before every checklist is loaded (issue 17)."""
    from fieldkit.checklists.loader import load_file

    path = _kept(data_dir)["paths"].get(checklist_id)
    if path is None:
        return None
    checklist = load_file(path).checklist
    if checklist is not None and checklist.id == checklist_id:
        return checklist
    return load_checklists(data_dir).get(checklist_id)  # the file changed since: read all


def source_of(data_dir: Path, checklist_id: str) -> tuple[str, list[int]] | None:
    """The file a checklist is read from and its size and mtime, from the kept titles file
    (no checklist parsed); None when no file of this device holds the checklist."""
    kept = _kept(data_dir)
    path = kept["paths"].get(checklist_id)
    return (path, kept["files"][path]) if path is not None else None


def _kept(data_dir: Path) -> dict[str, Any]:
    stamps: dict[str, list[int]] = {}
    for folder in (shipped_folder(), data_dir / "checklists"):
        if folder.is_dir():
            for path in checklist_files(folder):
                with suppress(OSError):
                    st = path.stat()
                    stamps[str(path)] = [st.st_size, st.st_mtime_ns]
    kept_path = data_dir / TITLES_FILE
    kept = kept_copy.read(kept_path)[1]
    if (
        kept is not None
        and kept.get("files") == stamps
        and _titles_ok(kept.get("titles"))
        and _paths_ok(kept.get("paths"), stamps)
    ):
        return kept
    loaded = _load_all(data_dir)
    kept = {
        "files": stamps,
        "titles": {cid: checklist.title.to_dict() for cid, (_, checklist) in loaded.items()},
        "paths": {cid: path for cid, (path, _) in loaded.items()},
    }
    kept_copy.write(kept_path, kept)
    return kept


def _titles_ok(found: object) -> bool:
    return isinstance(found, dict) and all(
        isinstance(title, dict) and all(isinstance(v, str) for v in title.values())
        for title in found.values()
    )


def _paths_ok(found: object, stamps: dict[str, list[int]]) -> bool:
    return isinstance(found, dict) and all(path in stamps for path in found.values())


def applies(checklist: Checklist, target: Target) -> bool:
    kind, sub = checklist.target
    if kind != target.kind:
        return False
    return sub is None or sub == target.asset_kind
