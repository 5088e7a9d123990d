"""Taking a repair, complaint or dispute at the desk.

How messages are used: ``fieldkit.ui.messages``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from textual.message import Message

if TYPE_CHECKING:
    from fieldkit.services.types import Target


@dataclass
class FlatTyped(Message):
    """Enter on the flat ``query``: what that whole text finds (not an earlier keystroke's)."""

    query: str
    results: list[Target]
    step: str


@dataclass
class PhotoChecked(Message):
    """The photo path ``typed``: its full path if there is such a file, else None."""

    typed: str
    found: str | None


@dataclass
class CaseTaken(Message):
    """The new case is on disk."""

    case: Any


@dataclass
class IntakeRefused(Message):
    """The new case was refused (nothing saved); ``error`` says why."""

    error: str
