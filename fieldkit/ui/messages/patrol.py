"""Patrol rounds (巡更): routes, checkpoints visited, a round finished.

How messages are used: ``fieldkit.ui.messages``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from textual.message import Message


@dataclass
class RoutesLoaded(Message):
    """The patrol routes, and the rounds begun and not finished (``walking``)."""

    routes: list[Any]
    walking: list[Any]


@dataclass
class PatrolStarted(Message):
    """A round is begun (or carried on): its report so far."""

    report: Any


@dataclass
class PatrolTicked(Message):
    """The round re-evaluated at the current time (nothing written)."""

    report: Any


@dataclass
class CheckpointVisited(Message):
    """A scan during a round, saved as a visit: on time, late, out of order..."""

    visit: Any


@dataclass
class PatrolFinished(Message):
    """The round is finished: missed, late and out-of-order checkpoints in its report."""

    report: Any
