"""A small compound with its registry (residents with special-care flags), written through
the store like office data. Besides the demo registry's random residents, every flat ``x02``
on floors 2, 4 and 6 of each entrance has an elderly resident living alone, so the tests
know there are flagged flats below a burst pipe on a higher floor."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from fieldkit.model import new_id
from fieldkit.model.registry import Resident
from fieldkit.services import demo_registry
from fieldkit.services.demo import compound
from fieldkit.services.runs import RunError
from fieldkit.services.workspace import Workspace
from fieldkit.store import Store
from fieldkit.ui.screens.incident import IncidentScreen
from tests.waits import shown


def make_compound(data_dir: Path, floors: int = 8, seed: int = 3) -> dict[str, list]:
    refs = compound(buildings=2, entrances=2, floors=floors, flats=2)
    flagged = [
        Resident(id=new_id(), site_id=u.site_id, unit_id=u.id, name="张桂英",
                 phone="13812345678", special_care=["elderly_alone", "evacuation_help"])
        for u in refs["unit"]
        if u.floor in (2, 4, 6) and u.number.endswith("02")
    ]  # fmt: skip
    with Store.open(data_dir) as store:
        for entity, records in refs.items():
            store.put_reference(entity, records)
        demo_registry.add_to(store, refs, seed)
        store.put_reference("resident", flagged)
    return refs


def open_workspace(data_dir: Path) -> Workspace:
    return Workspace.open(data_dir, command="tests")


def open_lift_entrapment(ws: Workspace):
    """A lift entrapment at entrance 1 of building 1, as a coordinator opens one."""
    from fieldkit.services import incident_places as places_
    from fieldkit.services import incidents as inc

    where = places_.parse("1号楼1单元", inc.compound_of(ws))
    return inc.open_incident(ws, "lift_entrapment", places=where)


async def show_incident(app, pilot, incident_id: str) -> IncidentScreen:
    """The incident screen opened on ``incident_id``, once its view is drawn."""
    app.push_screen(IncidentScreen(incident_id))
    await shown(pilot, lambda: isinstance(app.screen, IncidentScreen) and app.screen.view)
    return app.screen


def answer_all(run, fail_first_check: bool = True) -> None:
    """Every required step answered; the first check of the plan not done."""
    failed = not fail_first_check
    for _ in range(200):
        missing = run.missing()
        if not missing:
            return
        step = missing[0]
        kind = step.item.type
        if kind in ("choice", "multi"):
            first = step.item.options[0].id
            run.answer(step.key, first if kind == "choice" else [first])
            continue
        if kind == "check":
            tries = ["pass" if failed else "fail"]
            failed = True
        elif kind == "number":
            tries = ["1", "3", "30"]
        elif kind == "date":
            tries = [date.today().isoformat()]
        else:
            tries = ["现场记录"]
        for raw in tries:
            try:
                run.answer(step.key, run.read(step.key, raw).value)
                break
            except RunError:
                continue


def screen_lines(app) -> list[str]:
    """Every line of the screen as a person reads it (its right edge trimmed)."""
    return [
        "".join(s.text for s in strip).rstrip() for strip in app.screen._compositor.render_strips()
    ]
