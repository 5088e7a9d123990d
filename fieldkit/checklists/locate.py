"""Where the shipped checklists are: the repo's ``checklists/`` or the copy inside a wheel."""

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
