"""One case: its view, a dispute's statements and referrals, assignees, photos.

How messages are used: ``fieldkit.ui.messages``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from textual.message import Message

if TYPE_CHECKING:
    from fieldkit.services.callback import Contact
    from fieldkit.services.disputes import DisputeView
    from fieldkit.services.findings import FindingView
    from fieldkit.services.types import CaseView


@dataclass
class CaseLoaded(Message):
    """One case as its screen shows it, read or as a change left it (None: not found)."""

    case: CaseView | None
    #: What the person is told once the change is on disk, from the case as it left it.
    said: Callable[[CaseView], str] | None = None


@dataclass
class DisputeLoaded(Message):
    """A neighbour dispute's sides, statements and referrals (None: not a dispute)."""

    dispute: DisputeView | None


@dataclass
class PhotosCounted(Message):
    """How many photos the case holds."""

    count: int


@dataclass
class FindingLoaded(Message):
    """What the round that raised the case found (None: no round raised it)."""

    finding: FindingView | None


@dataclass
class AssigneesFound(Message):
    """The people of ``department`` a case can be dispatched to."""

    department: str
    names: list[str]


@dataclass
class ContactsFound(Message):
    """The owners a case's call-back can phone (masked): the flat's, or each side's."""

    contacts: tuple[Contact, ...]


@dataclass
class StatementSaved(Message):
    """One side's statement in a dispute is on disk."""

    event: Any


@dataclass
class ReferralSaved(Message):
    """A referral (to the residents' committee, the police station...) is on disk."""

    event: Any
    body: str
