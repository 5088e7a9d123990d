"""Which checklists this device has and which apply to a target.

Shipped checklists come with the package (``checklists/`` in a source tree, copied into the
wheel as ``fieldkit/_shipped_checklists``); ``<data>/checklists`` holds ones the office sent.
A file that does not load is skipped here (``fieldkit checklist check`` reports why).
"""

from __future__ import annotations

from pathlib import Path

import fieldkit
from fieldkit.checklists.definition import Checklist
from fieldkit.checklists.loader import load_folder
from fieldkit.services.types import Target


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


def applies(checklist: Checklist, target: Target) -> bool:
    kind, sub = checklist.target
    if kind != target.kind:
        return False
    return sub is None or sub == target.asset_kind
