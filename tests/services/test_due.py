"""Due rounds come from the store's last-run index: a submit takes its round off the list at
once and for good, and what the history says is what the index says."""

from __future__ import annotations

import time

from fieldkit.model import ChecklistRef
from fieldkit.model import Target as ModelTarget
from fieldkit.services import cases as case_rules
from fieldkit.services.demo import generate
from fieldkit.services.workspace import Workspace


def test_a_submitted_round_leaves_the_due_list_and_stays_off_after_a_restart(tmp_path):
    data = tmp_path / "c"
    generate(data, cases=0, floors=4)
    ws = Workspace.open(data)
    try:
        now = time.time()
        due = {(d.checklist_id, d.target.code): d for d in ws.due(now, limit=100)}
        weekly = due[("fire.emergency_lighting.weekly", "1")]
        assert weekly.last_run is None and not weekly.overdue
        history = {}
        for _, doc in ws.store.iter_records(["inspection"]):
            key = (doc["checklist"]["id"], doc["target"]["id"])
            history[key] = max(history.get(key, 0.0), case_rules.epoch(doc["submitted_at"]))
        assert ws.last_runs() == history
        walked = [d for d in due.values() if d.last_run is not None]
        assert walked and all(d.last_run == history[(d.checklist_id, d.target.id)] for d in walked)

        checklist = ws.checklists()[weekly.checklist_id].ref
        run = ws.store.create_inspection(
            ChecklistRef(checklist.id, checklist.version, checklist.content_hash),
            ModelTarget(weekly.target.kind, weekly.target.id),
        )
        ws.store.submit_inspection(run.id)
        later = {(d.checklist_id, d.target.code) for d in ws.due(time.time(), limit=100)}
        assert ("fire.emergency_lighting.weekly", "1") not in later
        assert ("fire.emergency_lighting.weekly", "2") in later
    finally:
        ws.close()
    ws = Workspace.open(data)
    try:
        assert ws.store.last_runs_current
        again = {(d.checklist_id, d.target.code) for d in ws.due(time.time(), limit=100)}
        assert again == later
    finally:
        ws.close()
