"""The needs-attention list.

How messages are used: ``fieldkit.ui.messages``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from textual.message import Message


@dataclass
class AttentionLoaded(Message):
    """What sync refused and what was damaged, each with what to do."""

    entries: list[Any]


@dataclass
class AttentionChanged(Message):
    """An entry was sent again or taken off the list (``done``: resent, dismissed)."""

    done: str
