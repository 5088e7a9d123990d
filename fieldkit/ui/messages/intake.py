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


@dataclass
class SameFound(Message):
    """The unfinished cases on ``unit_id`` of ``category`` (:func:`intake.open_same`)."""

    unit_id: str
    category: str
    cases: tuple[Any, ...]


@dataclass
class CallAdded(Message):
    """A second call is kept on the case already open (``case_id``)."""

    case_id: str


@dataclass
class CallNotAdded(Message):
    """The case was finished meanwhile: nothing saved; the intake goes on to a new case."""

    error: str
