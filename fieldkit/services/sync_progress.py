"""What a person reads while a sync round runs: how far each step has come. ``fieldkit
sync`` writes it on one terminal line, the app on the home's sync line; a new laptop's
first round on a large compound takes in a few hundred thousand changes, page by page."""

from __future__ import annotations

import time
from collections.abc import Callable

from fieldkit.i18n import t


class SyncProgress:
    """A ``progress(stage, count)`` for ``fieldkit.sync.client.sync_round`` (stages
    ``upload``, ``push``, ``pull``) that hands ``say`` the sentence for each step that
    moved something."""

    def __init__(self, say: Callable[[str], None]) -> None:
        self.say = say
        self.started = time.monotonic()

    def __call__(self, stage: str, count: int) -> None:
        if not count:  # a round with nothing to send or fetch (every minute) says nothing
            return
        seconds = f"{time.monotonic() - self.started:.1f}"
        self.say(t(f"sync.progress.{stage}", count=f"{count:,}", seconds=seconds))
