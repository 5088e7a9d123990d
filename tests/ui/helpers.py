"""What the screen tests share: a round opened in the runner (the stairwell floor round of
the demo's first building unless another is asked for) or answered and submitted through
the services, the office's report screens opened, and the command palette's list read."""

from __future__ import annotations

from fieldkit.model import localtime
from fieldkit.ui.screens.runner import RunnerScreen
from fieldkit.ui.screens.trends import TrendsScreen
from tests.waits import settled, shown

ROUND = "fire.extinguisher.floor_round"


async def open_runner(app, pilot, ws, checklist_id: str = ROUND, target=None) -> RunnerScreen:
    """The runner on ``checklist_id`` for ``target`` (the floor round of the first
    building's stairwell when not given), once its run is loaded."""
    await settled(pilot)
    target = target or ws.lookup_scan("R-1-2").target
    runner = RunnerScreen(checklist_id=checklist_id, target=target)
    app.push_screen(runner)
    await shown(pilot, lambda: runner.run is not None)
    return runner


async def open_trends(app, pilot, view: str = "week") -> TrendsScreen:
    """The report screen on ``view`` (the weekly report, or a trends view), once its text
    is drawn."""
    await settled(pilot)
    app.push_screen(TrendsScreen(view))
    await shown(pilot, lambda: isinstance(app.screen, TrendsScreen) and app.screen.text)
    return app.screen


def palette_prompts(app) -> list[str]:
    """The command palette's list, each command as a person reads it, first first."""
    options = app.screen.query_one("CommandList")
    return [
        str(getattr(o.prompt, "renderable", o.prompt))
        for o in (options.get_option_at_index(i) for i in range(options.option_count))
    ]


def building_of(ws, code: str):
    """The building ``code`` as the places list has it (a services Target)."""
    return next(p for p in ws.places.targets if p.kind == "building" and p.code == code)


def step_of(runner: RunnerScreen, item: str, pass_no: int = 0):
    return next(
        s for s in runner.shown_steps if s.item.id == item and (not pass_no or s.pass_no == pass_no)
    )


def line_of(runner: RunnerScreen, item: str, pass_no: int = 0) -> str:
    """The item's line in the round's list, as the guard reads it."""
    key = step_of(runner, item, pass_no).key
    return str(runner.query_one("#items").get_option(key).prompt)


def question(runner: RunnerScreen) -> str:
    return str(runner.query_one("#question").render())


def floor_round(ws, tmp_path, failing: str, route: str = "R-1-2") -> float:
    """The floor round of ``route`` answered and submitted: all normal but the nameplate of
    ``failing``; when it was submitted."""
    run = answered_floor_round(ws, tmp_path, failing, route)
    view = ws.submit_run(run.id, run.proposed_cases())
    return localtime.local(view.inspection.submitted_at).timestamp()


def answered_floor_round(ws, tmp_path, failing: str, route: str = "R-1-2"):
    """The floor round of ``route`` answered, not submitted: all normal but the nameplate
    of ``failing``."""
    photo = tmp_path / "nameplate.jpg"
    photo.write_bytes(b"\xff\xd8\xff" + b"0" * 64)
    run = ws.start_run(ROUND, ws.lookup_scan(route).target)
    for _ in range(200):
        missing = run.missing()
        if not missing:
            break
        step = missing[0]
        item, code = step.item, step.asset.code if step.asset else ""
        if item.type == "check":
            run.answer(step.key, "fail" if (item.id, code) == ("nameplate", failing) else "pass")
        elif item.type in ("choice", "multi"):
            first = item.options[0].id
            run.answer(step.key, first if item.type == "choice" else [first])
        elif item.type == "number":
            run.answer(step.key, "0")
        elif item.type == "photo":
            run.answer(step.key, str(photo))
        else:
            run.answer(step.key, "张伟")
    return run
