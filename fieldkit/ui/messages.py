"""Every message the fieldkit app posts between its parts, in one place.

Worker threads never touch widgets: they post one of these, and the screen that asked for
the work handles it in its own queue.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from textual.message import Message


@dataclass
class ScanReceived(Message):
    """A whole code from a barcode/QR scanner (see ``fieldkit.ui.scan``); ``typed``: it came
    while a text box had focus, so if it names nothing it is typed there after all."""

    code: str
    typed: bool = False


@dataclass
class ScanFlush(Message):
    """Time to replay keys held back by the scan capture if no more came."""


@dataclass
class LanguageChanged(Message):
    """The language switched; screens re-render their text."""

    lang: str


@dataclass
class WorkDone(Message):
    """A thread worker finished: ``what`` names the job, ``result`` is its value."""

    what: str
    result: Any = None
    error: str | None = None
    context: dict[str, Any] = field(default_factory=dict)
