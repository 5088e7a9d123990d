"""A target's card: the checklists that apply, an asset's dates, its open cases.

How messages are used: ``fieldkit.ui.messages``."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from textual.message import Message

if TYPE_CHECKING:
    from fieldkit.services.types import CasePage, Text


@dataclass
class ChecklistsFound(Message):
    """The checklists that apply to the target shown; where each scheduled one stands
    (``schedules.standing_on``: a DueRun by checklist id)."""

    checklists: list[Any]
    standing: dict[str, Any] = field(default_factory=dict)
    #: the round in progress here, by checklist id (``Workspace.drafts``: a Draft)
    in_progress: dict[str, Any] = field(default_factory=dict)


@dataclass
class DatesLoaded(Message):
    """An asset's service and scrap dates (None: it has none), and its latest check from
    any round that covered it (``services.last_check``; None: no round did)."""

    dates: Text | None
    checked: Text | None = None


@dataclass
class TargetCasesLoaded(Message):
    """The open cases on the target shown."""

    page: CasePage
