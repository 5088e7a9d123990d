"""The unit card and reveals of masked data.

How messages are used: ``fieldkit.ui.messages``."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual.message import Message

if TYPE_CHECKING:
    from fieldkit.services.inspection_view import InspectionView
    from fieldkit.services.registry import UnitCard
    from fieldkit.services.types import CaseRow


@dataclass
class CardLoaded(Message):
    """A flat's card: residents (masked), permit, rental, violations, inspections, cases."""

    card: UnitCard


@dataclass
class InspectionLoaded(Message):
    """An earlier inspection opened from the card, to read; None when it is not here."""

    view: InspectionView | None


@dataclass
class DisputesLoaded(Message):
    """The open neighbour disputes the flat shown is on either side of."""

    rows: tuple[CaseRow, ...]


@dataclass
class Reinspected(Message):
    """The re-inspection of violation ``row`` is on disk: closed, or escalated."""

    result: Any
    row: CaseRow


@dataclass
class NoticeWritten(Message):
    """The rectification notice for the flat's open violations is written to ``path``;
    ``dues``: the deadlines on it, earliest first (one where its faults share one)."""

    path: Path
    dues: tuple[str, ...] = ()


@dataclass
class RevealChoices(Message):
    """What the device's role may reveal of one resident, and who may reveal the rest."""

    choices: Any


@dataclass
class Revealed(Message):
    """One value of a resident, revealed (the reveal is recorded first)."""

    resident: str
    item: str
    value: str
    name: str = ""  # the resident as the list shows them (masked), to say whose it is
