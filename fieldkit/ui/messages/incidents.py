"""Incidents: opening one (F2), its timeline, notices to owners, closing it.

How messages are used: ``fieldkit.ui.messages``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from textual.message import Message

if TYPE_CHECKING:
    from fieldkit.services.incident_close import OpenPoint
    from fieldkit.services.incident_places import Place, PlaceError
    from fieldkit.services.incidents import IncidentView
    from fieldkit.services.notices import NoticeDraft, Sent
    from fieldkit.services.types import Target


@dataclass
class OpenIncidentsLoaded(Message):
    """The incidents not closed yet (F2's first step lists them)."""

    incidents: list[Any]


@dataclass
class PlacesFound(Message):
    """What the place typed so far finds: targets, the places it reads as, or why it reads
    as none (``unread``)."""

    results: list[Target]
    read: list[Place]
    unread: PlaceError | None


@dataclass
class PlaceTyped(Message):
    """Enter on the place ``text``: the places it names (None: not places); ``index`` is
    the row that was highlighted."""

    text: str
    index: int | None
    read: list[Place] | None


@dataclass
class IncidentOpened(Message):
    """A new incident is on disk."""

    incident_id: str


@dataclass
class IncidentNotOpened(Message):
    """The new incident was refused; ``error`` says why."""

    error: str


@dataclass
class IncidentReportBuilt(Message):
    """An incident's report (:func:`fieldkit.services.incident_report.build`), to read."""

    document: Any


@dataclass
class IncidentLoaded(Message):
    """One incident as its screen shows it: timeline, plan, residents who need help."""

    view: IncidentView


@dataclass
class LineSaved(Message):
    """A timeline line is on disk (stamped: ``event`` is the entry made)."""

    event: Any


@dataclass
class LineRefused(Message):
    """A timeline line was refused; ``text`` goes back to the entry line, ``error`` says why."""

    text: str
    error: str


@dataclass
class IncidentChanged(Message):
    """A change to the incident is on disk (a call, an escalation, a place, a close...)."""


@dataclass
class CompoundRead(Message):
    """The compound's buildings, entrances and flats, to read a place against as it is
    typed (adding a place); ``value`` starts the question."""

    compound: Any
    value: str


@dataclass
class PlaceRefused(Message):
    """A place added to the incident names nothing; ``text`` goes back to its question."""

    text: str
    error: str


@dataclass
class OpenPointsFound(Message):
    """What is still open before the incident can close (none: only the summary is asked)."""

    points: list[OpenPoint]


@dataclass
class IncidentClosed(Message):
    """The incident is closed: decisions, the cases they raised and the close, in one write."""


@dataclass
class IncidentNotClosed(Message):
    """The close was refused (nothing changed); ``error`` says why."""

    error: str


@dataclass
class NoticeDrafted(Message):
    """The notice to owners filled from its template, in one language."""

    draft: NoticeDraft


@dataclass
class NoticeSent(Message):
    """The notice ``text`` in ``lang`` is written (``sent.path``) and on the timeline, and
    the plan steps it answers are answered (``sent.ticked``)."""

    sent: Sent
    text: str
    lang: str


@dataclass
class NoticeNotSent(Message):
    """The notice was refused (nothing recorded); ``error`` says why."""

    error: str
