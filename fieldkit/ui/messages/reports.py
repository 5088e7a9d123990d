"""Reports: trends and the reveal log.

How messages are used: ``fieldkit.ui.messages``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from textual.message import Message


@dataclass
class TrendsCounted(Message):
    """One view of the recurring problems (the trends and the category names to chart them
    with), or the shift handover as text."""

    view: str
    found: Any
    incidents: tuple = ()  # the weekly report's: services.weekly.Incident, to open


@dataclass
class RevealsListed(Message):
    """The reveal log: who saw which resident's details, when and why."""

    rows: list[Any]


@dataclass
class ReportSaved(Message):
    """A report written as a PDF (``path``), or why it could not be (``error``, said)."""

    path: str
    error: str = ""
