"""A store file that fell back to its previous copy, kept as a needs-attention entry.

When opening a file finds it damaged (or missing with a previous copy beside it), the
storage uses the previous generation (:mod:`fieldkit.store.storage`). That copy lacks the
last change saved to the file, so the fallback must be said, not only logged: each one
becomes an entry of kind ``damage`` on the needs-attention list (shown on home and by
``fieldkit doctor`` until dealt with), and every pull cursor is reset so the next sync
fetches again from the office whatever the lost change held that the office has.

An entry: ``file`` (relative to the data folder), ``kept`` (where the damaged bytes were
moved), ``reason``, ``previous`` (when the copy now in use was saved), ``lost`` (when the
lost change was saved, if the damaged file still says), ``no_previous`` (an archive month
with no good copy, started empty and filled again from the office), ``recovered`` (when a
full pull from the office followed and brought records of that part), ``not_back`` (when a
full pull followed but the office sent nothing of that part: the gap stays).
"""

from __future__ import annotations

from pathlib import Path

from fieldkit.model import localtime
from fieldkit.store.atomic import prev_path
from fieldkit.store.storage import Notice

FALLBACK_NOTICES = frozenset({"store.notice.damaged", "store.notice.used_previous"})
KIND = "damage"
#: The sync client keeps the office's credentials under this name in the data folder; the
#: store only asks whether it is there (an enrolled device can get records back).
CREDENTIALS = "sync-credentials.json"


def _stamp(path: Path) -> str:
    try:
        return localtime.fmt(path.stat().st_mtime)
    except OSError:
        return ""


def entry(data_dir: Path, notice: Notice, now: str) -> dict:
    no_previous = bool(notice.params.get("no_previous"))
    path = Path(str(notice.params.get("path", "")))
    kept = Path(str(notice.params.get("kept", ""))) if notice.params.get("kept") else None
    try:
        name = path.relative_to(data_dir).as_posix()
    except ValueError:
        name = path.name
    return {
        "kind": KIND,
        "file": name,
        "kept": str(kept) if kept else "",
        "reason": str(notice.params.get("reason", "missing")),
        # when the copy now in use was saved: .prev still holds it (the file was only
        # written back from it, so the file's own time is the time of the fallback)
        "previous": "" if no_previous else (_stamp(prev_path(path)) or _stamp(path)),
        "lost": _stamp(kept) if kept else "",
        "no_previous": no_previous,
        "recovered": "",
        "at": now,
    }


def enrolled(data_dir: Path) -> bool:
    return (data_dir / CREDENTIALS).is_file()


def _part(name: str) -> str:
    if name == "active.json":
        return "active"
    if name == "reference.json":
        return "reference"
    return "archive"


def describe(found: dict, data_dir: Path, lang: str | None = None) -> str:
    """What a person is told about one fallback: which file, which copy is in use, what may
    be missing and what happens next (or what to do)."""
    from fieldkit.i18n import t

    name = str(found.get("file", ""))
    part = _part(name)
    month = Path(name).stem
    what = t(f"damage.file.{part}", lang, file=name, month=month)
    if found.get("no_previous"):
        lines = [t("damage.say.no_previous", lang, file=name, what=what)]
    elif found.get("previous"):
        lines = [t("damage.say.fell_back", lang, file=name, what=what, previous=found["previous"])]
    else:
        lines = [t("damage.say.fell_back_undated", lang, file=name, what=what)]
    if found.get("recovered"):
        lines.append(
            t("damage.say.recovered", lang, at=str(found["recovered"])[:16].replace("T", " "))
        )
    elif found.get("not_back"):
        at = str(found["not_back"])[:16].replace("T", " ")
        lines.append(t("damage.say.not_back", lang, at=at))
    elif part == "active":
        key = "damage.say.lost_active" if found.get("lost") else "damage.say.lost_active_undated"
        lines.append(t(key, lang, lost=found.get("lost", "")))
    else:
        where = "enrolled" if enrolled(data_dir) else "local"
        lines.append(t(f"damage.say.lost_{part}_{where}", lang, file=name))
    if found.get("kept"):
        lines.append(t("damage.say.kept", lang, kept=Path(str(found["kept"])).name))
    return "".join(lines)
