"""The app's own (scanner codes, the language) and what every screen takes: a scan looked
up, a save that failed.

How messages are used: ``fieldkit.ui.messages``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:
    from fieldkit.services.types import ScanLookup


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
class ScanLooked(Message):
    """What a scanned code names (``Workspace.lookup_scan``)."""

    lookup: ScanLookup
    typed: bool = False


@dataclass
class SaveFailed(Message):
    """A change the saver could not make; ``error`` says why, in the person's words."""

    error: str
