"""The case list.

How messages are used: ``fieldkit.ui.messages``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:
    from fieldkit.services.types import CasePage


@dataclass
class CasePageLoaded(Message):
    """A page of the case list (None, with ``error`` saying why, if it could not be read)."""

    page: CasePage | None
    error: str = ""
