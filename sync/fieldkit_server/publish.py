"""``fieldkit-server publish``: checklists from YAML into the change feed of every device.

Files are validated with the same loader the device uses (:mod:`fieldkit.checklists`);
a file with errors is refused with every error listed, and nothing of it is stored. Each
version is its own record ``<id>@<version>`` on site ``*`` (every device pulls it) and is
kept for good: the same version again is "unchanged", the same version with different
content is refused — raise the version number instead.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import orjson
from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from fieldkit.checklists.loader import LoadResult, checklist_files, load_many
from fieldkit.sync.protocol import ALL_SITES
from fieldkit_server import feed
from fieldkit_server.db import Database
from fieldkit_server.push import now
from fieldkit_server.tables import Record

PUBLISHER = "office"


@dataclass
class Outcome:
    path: str
    status: str  # published | unchanged | version_clash | invalid
    checklist: str = ""
    version: int = 0
    errors: list[str] = field(default_factory=list)


def find_files(path: Path) -> list[Path]:
    return checklist_files(path) if path.is_dir() else [path]


def publish(db: Database, paths: list[Path], lang: str = "en") -> list[Outcome]:
    results = load_many(paths)
    outcomes: list[Outcome] = []
    with db.sessions() as session, session.begin():
        for result in results:
            outcomes.append(_publish_one(session, result, lang))
    feed.number_pending(db)
    return outcomes


def _publish_one(session: Session, result: LoadResult, lang: str) -> Outcome:
    checklist = result.checklist
    if checklist is None:
        return Outcome(result.path, "invalid", errors=[d.render(lang) for d in result.errors])
    record_id = f"{checklist.id}@{checklist.version}"
    body = {
        **checklist.to_dict(),
        "hash": checklist.content_hash,
        "yaml": Path(result.path).read_text("utf-8"),
    }
    outcome = Outcome(result.path, "published", checklist.id, checklist.version)
    stored = session.execute(
        select(Record.body).where(Record.kind == "checklist", Record.record_id == record_id)
    ).scalar_one_or_none()
    if stored is not None:
        same = orjson.loads(stored).get("hash") == checklist.content_hash
        outcome.status = "unchanged" if same else "version_clash"
        return outcome
    (place,) = feed.places(session, 1)
    stamp = now()
    session.execute(
        insert(Record).values(
            kind="checklist",
            record_id=record_id,
            site=ALL_SITES,
            hlc=f"{int(stamp.timestamp() * 1000):012x}-000000-{PUBLISHER}",
            device=PUBLISHER,
            deleted=False,
            body=orjson.dumps(body).decode(),
            change_seq=place,
            updated_at=stamp,
        )
    )
    return outcome
