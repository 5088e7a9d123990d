"""Saves: every change a person makes, written one at a time in the order asked.

A quick correction (``p`` then ``f`` on the same item) must never land first, so changes
are not thread workers of their own (Textual runs those side by side) but jobs on one queue,
run by one long-lived thread worker of the app, ``saver`` (it shows in ``app.workers``).
Scans take the same queue, for the same reason: thirty codes in one burst open thirty
targets in the order scanned, and a scan never overtakes the answer given just before it.
Each job is a function of the workspace that returns the typed message saying what became
of it (``fieldkit.ui.messages``); the saver posts that message to the screen that asked.

A save is *settled* once it is on disk and the screen asking for it has handled its
message: the saver posts the message, then a callback to the same screen, and a screen
handles its messages in order. ``await app.saved()`` waits until every save asked for so
far is settled; a screen that closes settles the saves it was waiting for.
"""

from __future__ import annotations

import asyncio
import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual.message import Message
from textual.message_pump import MessagePump

from fieldkit.ui.messages.app import SaveFailed
from fieldkit.ui.workers import said

if TYPE_CHECKING:
    from fieldkit.services.workspace import Workspace
    from fieldkit.ui.app import FieldkitApp


@dataclass(eq=False)
class Save:
    """One change: ``work`` runs on the saver thread and returns the message for ``to``;
    if it raises, ``failed`` makes the message from the sentence that says why (without
    it the screen shows a ``SaveFailed`` notice)."""

    to: MessagePump
    work: Callable[[Workspace], Message]
    failed: Callable[[str], Message] | None = None
    done: bool = False  # set on the saver thread once the work returned or raised


class Saves:
    GROUP = "saves"

    def __init__(self, app: FieldkitApp) -> None:
        self._app = app
        self._queue: queue.Queue[Save | None] = queue.Queue()
        self._unsettled: set[Save] = set()
        self._idle: asyncio.Event | None = None
        self._started = False
        self._stopped = threading.Event()

    def start(self) -> None:
        """Start the saver (the app's ``on_mount``)."""
        if self._started:
            return
        self._started = True
        self._idle = asyncio.Event()
        self._idle.set()
        self._app.run_worker(
            self._run, name="saver", group=self.GROUP, thread=True, exit_on_error=False
        )

    @property
    def pending(self) -> int:
        """How many saves are asked for and not settled yet."""
        return len(self._unsettled)

    def put(
        self,
        to: MessagePump,
        work: Callable[[Workspace], Message],
        failed: Callable[[str], Message] | None = None,
    ) -> None:
        """Queue a change behind every one asked for before it (call on the UI thread)."""
        save = Save(to, work, failed)
        self._unsettled.add(save)
        if self._idle is not None:
            self._idle.clear()
        self._queue.put(save)

    async def wait(self) -> None:
        """Until every save asked for so far is on disk and its screen has taken it in."""
        while self._unsettled and self._idle is not None:
            await self._idle.wait()

    def forget(self, to: MessagePump) -> None:
        """``to`` closed: the saves it was told about are settled (it handles no more)."""
        for save in [s for s in self._unsettled if s.to is to and s.done]:
            self._settle(save)

    def close(self, patience: float | None = None) -> bool:
        """Take no more saves and return once the queued ones are on disk (the app's
        unmount, a hang-up). Blocks: the saver never needs this thread to finish a save.
        With ``patience`` (a hang-up: the system will not wait for ever either), gives up
        after that many seconds and says whether the saves finished."""
        self._queue.put(None)
        return not self._started or self._stopped.wait(patience)

    def _settle(self, save: Save) -> None:
        self._unsettled.discard(save)
        if not self._unsettled and self._idle is not None:
            self._idle.set()

    def _run(self) -> None:
        try:
            while (save := self._queue.get()) is not None:
                try:
                    outcome = save.work(self._app.workspace)
                except Exception as exc:
                    text = said(exc)
                    outcome = save.failed(text) if save.failed else SaveFailed(text)
                save.done = True
                told = save.to.post_message(outcome) and save.to.call_later(self._settle, save)
                if not told:  # the screen closed meanwhile: nobody to tell, settled here
                    self._app.call_later(self._settle, save)
        finally:
            self._stopped.set()
