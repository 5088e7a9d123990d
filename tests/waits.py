"""Waiting in Pilot tests: for a real completion where the app has one, and by looking
(polling) only for what a person reads on screen.

``settled`` returns once the app is quiet: every thread worker finished (its message
handled), every change asked for on disk and taken in by its screen (``app.saved()``).
``shown`` polls for something on screen — a screen, a line, a notice — with the patience a
busy machine needs; it never sleeps a fixed time.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from textual.worker import WorkerState

from fieldkit.ui.saves import Saves

#: Seconds ``shown`` looks for its condition before it gives up (generous: the machine
#: running the tests may be busy; a test that passes never waits this long).
PATIENCE = 20.0


async def settled(pilot, rounds: int = 50) -> None:
    """Until no worker runs and no save is pending, after the messages they posted were
    handled (each handled message may start more work: wait for that too)."""
    app = pilot.app
    for _ in range(rounds):
        busy = [w for w in app.workers if w.state == WorkerState.RUNNING and w.group != Saves.GROUP]
        if busy:
            await asyncio.gather(*(w.wait() for w in busy), return_exceptions=True)
        await app.saved()
        await pilot.pause()  # the screen handles what the work posted
        if not busy and not app.saves.pending and not _running(app):
            return
    raise AssertionError(f"still busy on {app.screen!r}: {list(app.workers)}")


def _running(app) -> bool:
    return any(w.state == WorkerState.RUNNING and w.group != Saves.GROUP for w in app.workers)


async def shown(pilot, cond: Callable[[], object], what: str = "", *, settle: bool = True) -> None:
    """Until ``cond()`` holds — something a person reads on screen. The app settles first
    (work finished, saves on disk, their messages handled), so most conditions hold at once;
    it polls only for what comes after (a timer's redraw, a screen the next message opens).
    ``settle=False``: look while work is still running (a loading indicator)."""
    if settle:
        await settled(pilot)
    loop = asyncio.get_running_loop()
    give_up = loop.time() + PATIENCE
    while not cond():
        if loop.time() > give_up:
            said = [n.message for n in pilot.app._notifications]
            raise AssertionError(f"not shown{': ' + what if what else ''} on "
                                 f"{pilot.app.screen!r}; notices: {said}")  # fmt: skip
        await pilot.pause(0.02)


def notices(app) -> list[str]:
    """The notices shown so far, oldest first."""
    return [str(n.message) for n in app._notifications]
