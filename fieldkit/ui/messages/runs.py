"""A checklist run: the runner opening a round, each answer saved or refused, photos,
and finishing it.

How messages are used: ``fieldkit.ui.messages``."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:
    from fieldkit.services.runs import RunView
    from fieldkit.services.types import Text


@dataclass
class RunOpened(Message):
    """The run to answer, opened on the saver (a new draft, or the one in progress)."""

    run: RunView


@dataclass
class RunNotOpened(Message):
    """No run to open (not found, no plan for this incident type); ``error`` says why."""

    error: str


@dataclass
class AnswerSaved(Message):
    """The answer to step ``key`` is on disk; ``run`` is the run after it."""

    key: str
    run: RunView


@dataclass
class AnswerRefused(Message):
    """The answer to step ``key`` was refused when saved; ``error`` says why."""

    key: str
    error: str


@dataclass
class NoteSaved(Message):
    """A note on a step is on disk; ``run`` is the run after it."""

    run: RunView


@dataclass
class ItemPhotoAttached(Message):
    """A photo is on disk as evidence on step ``key`` (an item that is not a photo item);
    ``run`` is the run after it."""

    key: str
    run: RunView


@dataclass
class NewestPhotoFound(Message):
    """The newest picture in the camera folder for step ``key`` (None: there is none)."""

    key: str
    path: Path | None


@dataclass
class AcceptanceRead(Message):
    """Why an acceptance cannot pass (``verdict``) and why its deposit decision cannot stand
    (``refusal``), each in both languages, or None; ``submitting``: read by a submit, which
    the refusal stopped (nothing saved)."""

    verdict: Text | None
    refusal: Text | None
    submitting: bool = False


@dataclass
class RunSubmitted(Message):
    """The run is submitted with the ``cases`` it raised; ``run`` is the run after it."""

    cases: int
    run: RunView
