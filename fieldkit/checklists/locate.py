"""Where checklists are: the shipped ones (the repo's ``checklists/`` or the copy inside a
wheel) and the checklist files under a folder — found without the loader (issue 17)."""

from __future__ import annotations

import functools
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parents[1]  # .../fieldkit


def shipped_dir() -> Path:
    """The folder of shipped checklists.

    In a wheel they are packaged as ``fieldkit/_shipped_checklists``; in a source tree
    (an editable install) they are ``checklists/`` next to the ``fieldkit`` package.
    Raises FileNotFoundError when neither exists.
    """
    for candidate in (_PACKAGE / "_shipped_checklists", _PACKAGE.parent / "checklists"):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"no shipped checklists folder next to {_PACKAGE}")


def checklist_files(folder: str | Path) -> list[Path]:
    """The ``*.yaml`` / ``*.yml`` files under ``folder``, sorted, hidden folders skipped."""
    root = Path(folder)
    found = [
        p
        for p in root.rglob("*")
        if p.suffix in (".yaml", ".yml")
        and p.is_file()
        and not any(part.startswith(".") for part in p.relative_to(root).parts)
    ]
    return sorted(found)


@functools.cache
def shipped_titles() -> dict[str, dict[str, str]]:
    """Each shipped checklist's title by language, by checklist id (read once): a
    finding's category is the checklist that raised it, and the trends name it so."""
    from fieldkit.checklists.loader import load_folder

    found: dict[str, dict[str, str]] = {}
    for result in load_folder(shipped_dir()):
        if result.checklist is not None:
            found[result.checklist.id] = result.checklist.title.to_dict()
    return found
