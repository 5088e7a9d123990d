"""How far each round in progress has got, kept beside the data for the home's next start.

The home names each round in progress with its checklist's title and "answered / to
answer". Counting needs the checklist parsed and its conditions evaluated over the answers
(the YAML reader, the loader, the runtime and the condition language: ~40 ms of CPU before
the home's data on a laptop with a round open, issue 17). The count is a function of the
checklist file, the round's record and the assets its repeated sections walk, so it is kept
in ``<data>/draft-progress.json`` under a digest of exactly those; a start whose digest
matches reads the count, anything else (missing, damaged, an answer since, another version
of the checklist, an asset moved) is counted again and kept (``fieldkit.store.kept``).
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import orjson

from fieldkit.store import kept as kept_copy

KEPT_FILE = "draft-progress.json"
#: Raise when what a count means changes (``Run.progress``), so older counts are redone.
KEPT_FORMAT = 1


def digest(source: tuple[str, list[int]], inspection: dict[str, Any], assets: list[dict]) -> str:
    """What a round's count depends on: its checklist's file (path, size, mtime), the
    round's record (every answer) and the assets its repeated sections walk."""
    what = [KEPT_FORMAT, source[0], source[1], inspection, assets]
    return hashlib.sha256(orjson.dumps(what, default=str, option=orjson.OPT_SORT_KEYS)).hexdigest()


def read(data_dir: Path) -> dict[str, dict[str, Any]]:
    """The kept counts by inspection id; {} when missing or damaged (counted again). An
    entry of the wrong shape is left out."""
    kept = kept_copy.read(Path(data_dir) / KEPT_FILE)[1]
    if kept is None or kept.get("format") != KEPT_FORMAT:
        return {}
    drafts = kept.get("drafts")
    if not isinstance(drafts, dict):
        return {}
    return {key: entry for key, entry in drafts.items() if _entry_ok(entry)}


def count_of(entry: dict[str, Any] | None, key: str) -> tuple[dict[str, str], int, int] | None:
    """(title, answered, to answer) when ``entry`` was kept for this digest."""
    if entry is None or entry["digest"] != key:
        return None
    return entry["title"], entry["answered"], entry["total"]


def entry(key: str, title: dict[str, str], answered: int, total: int) -> dict[str, Any]:
    return {"digest": key, "title": title, "answered": answered, "total": total}


def keep(data_dir: Path, drafts: dict[str, dict[str, Any]]) -> None:
    """The counts of the rounds in progress now (others dropped), replacing the file whole."""
    kept_copy.write(Path(data_dir) / KEPT_FILE, {"format": KEPT_FORMAT, "drafts": drafts})


def _entry_ok(found: object) -> bool:
    return (
        isinstance(found, dict)
        and isinstance(found.get("digest"), str)
        and isinstance(found.get("title"), dict)
        and all(isinstance(v, str) for v in found["title"].values())
        and all(
            isinstance(found.get(n), int) and not isinstance(found.get(n), bool) and found[n] >= 0
            for n in ("answered", "total")
        )
    )


def check(ws: Any, repair: bool = True) -> list[Any]:
    """``fieldkit doctor``'s line about the kept counts: each round in progress counted
    with its checklist and compared with what is kept; written again when any differs, is
    missing or is damaged (``repair``; not while another process holds the folder)."""
    from fieldkit.store.doctor import Finding

    kept = read(ws.data_dir)
    counted: dict[str, dict[str, Any]] = {}
    for inspection in ws.newest_drafts():
        found = ws.draft_inputs(inspection)
        if found is None:
            continue
        target, assets, key = found
        count = ws.count_draft(inspection, target, assets)
        if count is not None:
            counted[inspection.id] = entry(key, *count)
    if counted == kept:
        return [Finding("ok", "rounds.doctor.progress_ok", {"count": len(counted)})]
    if not repair:
        return [Finding("ok", "rounds.doctor.progress_later", {"count": len(counted)})]
    keep(ws.data_dir, counted)
    if read(ws.data_dir) != counted:
        return [Finding("problem", "rounds.doctor.progress_unwritten", {"path": KEPT_FILE})]
    return [Finding("fixed", "rounds.doctor.progress_rebuilt", {"count": len(counted)})]
