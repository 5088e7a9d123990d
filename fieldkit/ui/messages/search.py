"""Finding a place by what is typed (the start and intake screens).

How messages are used: ``fieldkit.ui.messages``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:
    from fieldkit.services.types import CaseRow, Target


@dataclass
class SearchFound(Message):
    """The targets the text ``query`` finds (code, name, pinyin initials); ``step``: the
    step of the screen it was asked on, where a screen has steps; ``cases``: the cases it
    names by number, where the screen finds cases too (the home's find)."""

    query: str
    results: list[Target]
    step: str = ""
    cases: tuple[CaseRow, ...] = ()
