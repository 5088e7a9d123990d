"""Copies kept beside the data to spare each start work: the checklists' titles
(``services.catalog``), the case lifecycles as read (``services.lifecycle``) and each round
in progress's count (``services.draft_progress``).

Each is made from files the device already has, so it is written atomically (a kill leaves
the old copy or the new, never half of one) but not fsynced, and a folder only read gets
none: a copy lost, damaged or left stale is made again from its source at the next start.
"""

from __future__ import annotations

from contextlib import suppress
from pathlib import Path
from typing import Any

import orjson

from fieldkit.store.atomic import atomic_write


def read(path: Path) -> tuple[str, dict[str, Any] | None]:
    """("ok", the copy) or ("missing" | "damaged", None); what the copy says is the
    caller's to check."""
    try:
        kept = orjson.loads(Path(path).read_bytes())
    except FileNotFoundError:
        return "missing", None
    except (OSError, orjson.JSONDecodeError):
        return "damaged", None
    return ("ok", kept) if isinstance(kept, dict) else ("damaged", None)


def write(path: Path, kept: dict[str, Any]) -> None:
    """Replace the copy whole; nothing when the folder cannot be written (only read)."""
    with suppress(OSError):
        atomic_write(Path(path), orjson.dumps(kept), durable=False)
