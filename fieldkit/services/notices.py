"""Notices to owners: a template per incident type in zh and en, filled, edited, sent.

Templates are ``notice_templates/<lang>.toml`` (one table per type with ``title`` and
``body``; placeholders ``{compound}``, ``{place}``, ``{time}``, ``{update}``); a type with
no template uses ``other``. :func:`draft` fills one; the coordinator edits the text;
:func:`send` writes it to ``<data>/notices/`` and records the sending on the timeline (the
text as sent is the entry's text) in one durable write, after the file is on disk.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from fieldkit.config import LANGUAGES
from fieldkit.services.incidents import IncidentError, _by, _need_open
from fieldkit.services.types import pick
from fieldkit.store.atomic import atomic_write
from fieldkit.store.modes import make_dir

if TYPE_CHECKING:
    from fieldkit.services.workspace import Workspace

NOTICES_DIR = "notices"
AUDIENCES = ("building", "compound")


@dataclass(frozen=True)
class NoticeDraft:
    incident_id: str
    lang: str
    title: str
    text: str


@cache
def templates(lang: str) -> dict[str, dict[str, str]]:
    if lang not in LANGUAGES:
        raise IncidentError("incidents.error.bad_language", value=lang)
    folder = resources.files("fieldkit.services") / "notice_templates"
    return tomllib.loads((folder / f"{lang}.toml").read_text("utf-8"))


def local_time(iso_text: str, lang: str) -> str:
    """``2026-11-28T01:12:18.123Z`` as the reader's local time, e.g. 11月28日 09:12."""
    try:
        when = datetime.fromisoformat(iso_text.replace("Z", "+00:00")).astimezone()
    except ValueError:
        return iso_text
    if lang == "zh":
        return f"{when.month}月{when.day}日 {when:%H:%M}"
    return f"{when:%d %b %H:%M}"


def _compound(ws: Workspace, lang: str) -> str:
    sites = ws.store.reference("site")
    if not sites:
        return ""
    names = sites[0].extra.get("names")
    return pick(names, lang) if isinstance(names, dict) else sites[0].name


def draft(ws: Workspace, incident_id: str, lang: str, update: str = "") -> NoticeDraft:
    """The type's template in ``lang``, filled with the incident's place and time."""
    incident = _need_open(ws, incident_id)
    table = templates(lang)
    key = "typhoon" if incident.type == "rainstorm" else incident.type
    template = table.get(key) or table["other"]
    place = incident.place
    names = incident.extra.get("names")
    if isinstance(names, dict) and names:
        place = pick(names, lang)
    placeholder = "另行通知" if lang == "zh" else "to follow"
    text = template["body"].format(
        compound=_compound(ws, lang),
        place=place or ("小区内" if lang == "zh" else "the compound"),
        time=local_time(incident.started_at, lang),
        update=update.strip() or placeholder,
    )
    return NoticeDraft(incident.id, lang, template["title"], text)


def send(
    ws: Workspace,
    incident_id: str,
    text: str,
    lang: str,
    *,
    audience: str = "building",
    by: str = "",
) -> Path:
    """Write the notice to a file (durably) and record the sending on the timeline."""
    incident = _need_open(ws, incident_id)
    text = text.strip()
    if not text:
        raise IncidentError("incidents.error.empty_notice")
    if audience not in AUDIENCES:
        audience = "building"
    sent = sum(1 for e in incident.timeline if e.type == "notice")
    folder = ws.data_dir / NOTICES_DIR
    make_dir(folder)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    path = folder / f"{stamp}-{incident.id[-6:]}-{sent + 1}-{lang}.txt"
    atomic_write(path, (text + "\n").encode("utf-8"))
    ws.store.add_timeline_entry(
        incident_id,
        "notice",
        text,
        by=_by(incident, by),
        data={"lang": lang, "file": str(path), "audience": audience},
    )
    return path
