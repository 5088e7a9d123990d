"""What the demo shows of the rules' rhythms: the fire control room's duty log last filled
in five hours ago (so the two-hourly slots since are missed, and the patroller's device
raises them as findings for the office when its home screen first draws the due list).

Kept apart from ``demo.generate`` (the compound every test starts from, with no case the
clock decides): ``demo_office.make`` adds it to the full demo.
"""

from __future__ import annotations

import random
import time
from pathlib import Path

from fieldkit.model import ChecklistRef, Clock, Inspection
from fieldkit.model import Target as ModelTarget
from fieldkit.services.cases import iso
from fieldkit.services.catalog import load_checklists
from fieldkit.services.demo import STREAM, past_id
from fieldkit.store import Store

DUTY_LOG = "fire.control_room.duty_log"
LOG_HOURS_AGO = 5


def add_to(data_dir: Path, now: float | None = None, seed: int = 7) -> dict[str, int]:
    """Add the duty log's last run to the demo in ``data_dir``; returns what was added."""
    now = time.time() if now is None else now
    checklist = load_checklists(data_dir).get(DUTY_LOG)
    store = Store.open(data_dir, command="fieldkit demo")
    try:
        sites = store.reference("site")
        if checklist is None or not sites:
            return {}
        at = now - LOG_HOURS_AGO * 3600
        run = Inspection(
            id=past_id(at, random.Random(seed)),
            checklist=ChecklistRef(checklist.id, checklist.version, checklist.content_hash),
            target=ModelTarget("site", sites[0].id),
            hlc=str(Clock("office0demo0").now()),
            device="office0demo0",
            status="submitted",
            submitted_at=iso(at),
            inspector="赵刚",
        )
        store.apply_remote([{"entity": "inspection", "record": run.to_dict()}], None, STREAM)
        return {"duty_log_run": 1}
    finally:
        store.close()
