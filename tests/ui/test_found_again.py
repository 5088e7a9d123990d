"""The same fault found twice is one case (nc19, nc20): a floor round that fails the
nameplate of the extinguisher whose nameplate case is still open adds to that case — the
review says so before the submit, the toast and the home's "submitted today" say it was
added, not raised, and the case's history says it was found again. Two devices that found
it again offline both keep their finding once their copies meet."""

from __future__ import annotations

import pytest

from fieldkit.i18n import plural, t
from fieldkit.model import localtime
from fieldkit.model.case import Case
from fieldkit.model.merge import merge_case
from fieldkit.services.history import events_of, sentences
from fieldkit.services.renovation import FOUND_AGAIN, again_done, again_words
from fieldkit.services.workspace import Workspace
from fieldkit.ui.app import FieldkitApp
from fieldkit.ui.screens.finish import FinishScreen
from tests.ui.helpers import ROUND, answered_floor_round, floor_round, open_runner
from tests.waits import notices, settled, shown

FAULTY = "EXT-1-2-2"


def nameplate_cases(ws) -> list:
    asset = ws.lookup_scan(FAULTY).target
    return [c for c in ws.store.open_cases(asset.id) if c.source_item.startswith("nameplate@")]


@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_a_fault_found_again_goes_on_its_open_case(compound, tmp_path, lang):
    ws = Workspace.open(compound)
    try:
        floor_round(ws, tmp_path, failing=FAULTY)
        (first,) = nameplate_cases(ws)
        run = answered_floor_round(ws, tmp_path, failing=FAULTY)
        (proposed,) = run.proposed_cases()
        assert proposed.again is not None and proposed.again.id == first.id
        app = FieldkitApp(ws, lang=lang)
        async with app.run_test(size=(120, 40)) as pilot:
            await open_runner(app, pilot, ws)  # the round answered above, carried on
            await pilot.press("s")
            await shown(pilot, lambda: isinstance(app.screen, FinishScreen))
            review = app.screen

            def notes() -> str:
                return str(review.query_one("#finish-notes").render())

            since = localtime.fmt(localtime.epoch(localtime.today()), "date")
            said = again_words(proposed.again, lang)
            assert f"#{first.id[-6:]}" in said and since in said
            await shown(pilot, lambda: said in notes())
            assert t("ui.finish.no_cases", lang) in notes()  # nothing new is raised
            await pilot.press("ctrl+s")
            await shown(pilot, lambda: again_done(proposed.again, lang) in notices(app))
            assert t("ui.finish.done_none", lang) in notices(app)
            await pilot.press("escape")
            await settled(pilot)

            def done() -> str:
                return str(app.screen.query_one("#done").render())

            title = ws.checklist(ROUND).title.get(lang)
            await shown(pilot, lambda: title in done())
            # the round's line says it found one again, not that it raised a case
            target = ws.lookup_scan("R-1-2").target.label()
            assert f"{title} — {target} · {plural('ui.home.done_again', 1, lang)}" in done()
            assert plural("ui.home.done_cases", 1, lang) not in done()
    finally:
        ws.close()
    ws = Workspace.open(compound)
    try:
        (kept,) = nameplate_cases(ws)  # no second case
        assert kept.id == first.id and kept.due == first.due
        again = [e for e in kept.events if e.type == FOUND_AGAIN]
        assert len(again) == 1 and again[0].data["inspection"] == run.id
        lines = sentences(kept.kind, events_of(kept.to_dict()), lang)
        assert t("findings.history.found_again", lang) in lines[-1]
        assert kept.id in ws.store.get_inspection(run.id).cases
    finally:
        ws.close()


def test_found_again_on_two_devices_offline_keeps_both(compound, tmp_path):
    ws = Workspace.open(compound)
    try:
        floor_round(ws, tmp_path, failing=FAULTY)
        (first,) = nameplate_cases(ws)
        base = first.to_dict()
        floor_round(ws, tmp_path, failing=FAULTY)  # found again on this device
        (one,) = nameplate_cases(ws)
    finally:
        ws.close()
    other = Case.from_dict(base)  # the other device's copy, found again there while offline
    other.events.append(
        type(one.events[-1]).from_dict(
            {**one.events[-1].to_dict(), "id": "other-device-event", "by": "李强"}
        )
    )
    merged = merge_case(Case.from_dict(one.to_dict()), other)
    found = [e for e in merged.events if e.type == FOUND_AGAIN]
    assert {e.by for e in found} == {one.events[-1].by, "李强"}
    assert len(found) == 2


def test_the_demos_open_findings_are_found_again_too(workspace):
    """The demo's seeded findings keep the item they fail, as a round's do: a hydrant round
    finding the hose missing where the demo's case says so adds to that case."""
    ws = workspace
    seeded = [c for c in ws.store.open_cases()
              if c.kind == "finding" and c.source_item == "hose_state"]  # fmt: skip
    assert seeded, "the demo has an open case of a missing hydrant hose"
    case = seeded[0]
    hydrant = ws.target(case.target.id)
    run = ws.start_run(case.category, hydrant)
    run.answer("hose_state", "missing")
    for _ in range(200):  # bounded: a refused answer fails the test, not hangs it
        if not run.missing():
            break
        step = run.missing()[0]
        item = step.item
        good = [o.id for o in item.options if not o.fails]
        low = (item.expect or item.range or (0, None))[0] or 0
        photo = ws.data_dir / "hose.jpg"
        photo.write_bytes(b"\xff\xd8 the empty rack")
        run.answer(step.key, {"check": "pass", "choice": good[:1] and good[0],
                              "multi": good[:1], "number": str(low),
                              "photo": str(photo)}.get(item.type, "张伟"))  # fmt: skip
    assert not run.missing(), run.missing()
    (proposed,) = [c for c in run.proposed_cases() if c.step_key == "hose_state"]
    assert proposed.again is not None and proposed.again.id == case.id
