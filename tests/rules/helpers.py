"""What the missed-run tests share: a compound with a two-hourly duty log (a missed run
is raised at once), and runs submitted on another device as a sync would bring them."""

from __future__ import annotations

from fieldkit.model import ChecklistRef, Inspection, new_id
from fieldkit.model import Target as ModelTarget
from fieldkit.services.cases import iso
from fieldkit.services.demo import generate
from fieldkit.services.types import Target
from fieldkit.services.workspace import Workspace

LOG = """\
id: test.control_room.log
version: 1
title: {zh: 值班记录, en: Duty log}
applies_to: site
every: {hours: 2}
on_missed: {severity: critical, department: security, due: 1h}
sections:
  - id: panel
    title: {zh: 控制器, en: Panel}
    items:
      - id: normal
        type: check
        label: {zh: 控制器正常, en: Panel normal}
        fail_label: {zh: 控制器异常, en: Panel fault}
        on_fail: {severity: critical, department: engineering, due: 1h}
"""


def log_compound(folder):
    generate(folder, cases=0, floors=2)
    (folder / "checklists").mkdir(exist_ok=True)
    (folder / "checklists" / "log.yaml").write_text(LOG, "utf-8")
    return Workspace.open(folder)


def ran(ws: Workspace, checklist_id: str, target: Target, at: float, took: float = 0) -> None:
    """A run of ``checklist_id`` submitted at ``at`` on another device, as pulled; begun
    ``took`` seconds before (when 0, begun as the test runs, as the record's default)."""
    c = ws.checklists()[checklist_id]
    began = {"started_at": iso(at - took)} if took else {}
    run = Inspection(
        id=new_id(int(at * 1000)),
        checklist=ChecklistRef(c.id, c.version, c.content_hash),
        target=ModelTarget(target.kind, target.id),
        hlc=f"{int(at * 1000):012x}-000000-other0device",
        device="other0device",
        status="submitted",
        submitted_at=iso(at),
        **began,
    )
    ws.store.apply_remote([{"entity": "inspection", "record": run.to_dict()}], None)
    ws.invalidate()


def site_of(ws: Workspace) -> Target:
    return next(t for t in ws.places.targets if t.kind == "site")


def missed_cases(ws: Workspace, checklist_id: str = "test.control_room.log") -> list:
    return [
        c for c in ws.store.open_cases() if c.extra.get("missed") and c.category == checklist_id
    ]
