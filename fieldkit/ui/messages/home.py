"""The home screen: its data, the due rounds, sync rounds, a draft discarded.

How messages are used: ``fieldkit.ui.messages``."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:
    from fieldkit.services.types import DoneRun, DueRun, HomeSummary, SyncState


@dataclass
class HomeLoaded(Message):
    """Incidents, drafts, open cases, sync state and damage (the due rounds come after)."""

    summary: HomeSummary


@dataclass
class DueLoaded(Message):
    """The rounds due now and soon (missed ones noted as cases first), those done today,
    and the sync state read after the cases were noted (they wait in the outbox)."""

    due: list[DueRun]
    done: list[DoneRun] = field(default_factory=list)
    sync: SyncState | None = None


@dataclass
class Synced(Message):
    """A sync round the person asked for (``s`` in the palette) completed."""

    state: SyncState


@dataclass
class SyncStep(Message):
    """How far a running sync round has come, as a sentence for the sync line."""

    text: str


@dataclass
class BackgroundSynced(Message):
    """The background sync ran a round (``state`` None: none was due)."""

    state: SyncState | None


@dataclass
class DraftDiscarded(Message):
    """A round in progress was set aside; ``words`` name it (title, target)."""

    words: dict[str, str]
