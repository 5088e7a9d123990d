"""Every message the fieldkit app posts between its parts, in one place: one type per event.

Work runs on thread workers (``fieldkit.ui.workers.in_thread``) and on the saver
(``fieldkit.ui.saves``); neither touches a widget. Each posts one of these to the screen
that asked, which handles it as ``on_<name in snake case>`` — so ``grep`` finds, for each
piece of work, the message it posts and the handler that takes it. A failure a screen
does nothing particular with is said by ``FieldScreen`` (the worker's error, or
``SaveFailed``); a failure a screen answers in its own way has its own message here.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual.message import Message

if TYPE_CHECKING:
    from fieldkit.services.callback import Contact
    from fieldkit.services.disputes import DisputeView
    from fieldkit.services.findings import FindingView
    from fieldkit.services.incident_close import OpenPoint
    from fieldkit.services.incident_places import Place, PlaceError
    from fieldkit.services.incidents import IncidentView
    from fieldkit.services.notices import NoticeDraft
    from fieldkit.services.registry import UnitCard
    from fieldkit.services.runs import RunView
    from fieldkit.services.types import (
        CasePage,
        CaseRow,
        CaseView,
        DueRun,
        HomeSummary,
        ScanLookup,
        SyncState,
        Target,
        Text,
    )

# -- the app ------------------------------------------------------------------------------


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


# -- every screen -------------------------------------------------------------------------


@dataclass
class ScanLooked(Message):
    """What a scanned code names (``Workspace.lookup_scan``)."""

    lookup: ScanLookup
    typed: bool = False


@dataclass
class SaveFailed(Message):
    """A change the saver could not make; ``error`` says why, in the person's words."""

    error: str


# -- home ---------------------------------------------------------------------------------


@dataclass
class HomeLoaded(Message):
    """Incidents, drafts, open cases, sync state and damage (the due rounds come after)."""

    summary: HomeSummary


@dataclass
class DueLoaded(Message):
    """The rounds due now and soon (missed ones noted as cases first)."""

    due: list[DueRun]


@dataclass
class Synced(Message):
    """A sync round the person asked for (``s`` in the palette) completed."""

    state: SyncState


@dataclass
class SyncStep(Message):
    """How far a running sync round has come, as a sentence for the sync line."""

    text: str


@dataclass
class BackgroundSynced(Message):
    """The background sync ran a round (``state`` None: none was due)."""

    state: SyncState | None


@dataclass
class DraftDiscarded(Message):
    """A round in progress was set aside; ``words`` name it (title, target)."""

    words: dict[str, str]


# -- a checklist run ----------------------------------------------------------------------


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


# -- finding a place ----------------------------------------------------------------------


@dataclass
class SearchFound(Message):
    """The targets the text ``query`` finds (code, name, pinyin initials); ``step``: the
    step of the screen it was asked on, where a screen has steps."""

    query: str
    results: list[Target]
    step: str = ""


# -- a target's card ----------------------------------------------------------------------


@dataclass
class ChecklistsFound(Message):
    """The checklists that apply to the target shown."""

    checklists: list[Any]


@dataclass
class DatesLoaded(Message):
    """An asset's service and scrap dates (None: it has none)."""

    dates: Text | None


@dataclass
class TargetCasesLoaded(Message):
    """The open cases on the target shown."""

    page: CasePage


# -- cases --------------------------------------------------------------------------------


@dataclass
class CasePageLoaded(Message):
    """A page of the case list (None, with ``error`` saying why, if it could not be read)."""

    page: CasePage | None
    error: str = ""


# -- incidents ----------------------------------------------------------------------------


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
    """The notice ``text`` in ``lang`` is written to ``path`` and on the timeline."""

    path: Path
    text: str
    lang: str


@dataclass
class NoticeNotSent(Message):
    """The notice was refused (nothing recorded); ``error`` says why."""

    error: str


# -- patrol rounds (巡更) -----------------------------------------------------------------


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


# -- needs attention ----------------------------------------------------------------------


@dataclass
class AttentionLoaded(Message):
    """What sync refused and what was damaged, each with what to do."""

    entries: list[Any]


@dataclass
class AttentionChanged(Message):
    """An entry was sent again or taken off the list (``done``: resent, dismissed)."""

    done: str


# -- reports and the reveal log -----------------------------------------------------------


@dataclass
class TrendsCounted(Message):
    """One view of the recurring problems (the trends and the category names to chart them
    with), or the shift handover as text."""

    view: str
    found: Any


@dataclass
class RevealsListed(Message):
    """The reveal log: who saw which resident's details, when and why."""

    rows: list[Any]


# -- the unit card and reveals -----------------------------------------------------------


@dataclass
class CardLoaded(Message):
    """A flat's card: residents (masked), permit, rental, violations, inspections, cases."""

    card: UnitCard


@dataclass
class DisputesLoaded(Message):
    """The open neighbour disputes the flat shown is on either side of."""

    rows: tuple[CaseRow, ...]


@dataclass
class Reinspected(Message):
    """The re-inspection of violation ``row`` is on disk: closed, or escalated."""

    result: Any
    row: CaseRow


@dataclass
class NoticeWritten(Message):
    """The rectification notice for the flat's open violations is written to ``path``."""

    path: Path


@dataclass
class RevealChoices(Message):
    """What the device's role may reveal of one resident, and who may reveal the rest."""

    choices: Any


@dataclass
class Revealed(Message):
    """One value of a resident, revealed (the reveal is recorded first)."""

    resident: str
    item: str
    value: str


# -- one case ----------------------------------------------------------------------------


@dataclass
class CaseLoaded(Message):
    """One case as its screen shows it, read or as a change left it (None: not found)."""

    case: CaseView | None


@dataclass
class DisputeLoaded(Message):
    """A neighbour dispute's sides, statements and referrals (None: not a dispute)."""

    dispute: DisputeView | None


@dataclass
class PhotosCounted(Message):
    """How many photos the case holds."""

    count: int


@dataclass
class FindingLoaded(Message):
    """What the round that raised the case found (None: no round raised it)."""

    finding: FindingView | None


@dataclass
class AssigneesFound(Message):
    """The people of ``department`` a case can be dispatched to."""

    department: str
    names: list[str]


@dataclass
class ContactsFound(Message):
    """The owners a case's call-back can phone (masked): the flat's, or each side's."""

    contacts: tuple[Contact, ...]


@dataclass
class StatementSaved(Message):
    """One side's statement in a dispute is on disk."""

    event: Any


@dataclass
class ReferralSaved(Message):
    """A referral (to the residents' committee, the police station...) is on disk."""

    event: Any
    body: str


# -- taking a repair, complaint or dispute ------------------------------------------------


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


# -- dialogs ------------------------------------------------------------------------------


@dataclass
class SignedIn(Message):
    """The person ``name`` is signed in on the device."""

    name: str


@dataclass
class SignInRefused(Message):
    """The name cannot be used; ``error`` says why (shown in the dialog)."""

    error: str


@dataclass
class PhotosListed(Message):
    """A case's photos: name, size, when, and whether each is on this device yet."""

    photos: tuple[Any, ...]


@dataclass
class PhotoOpened(Message):
    """The photo ``name`` is open in the system ``viewer``."""

    name: str
    viewer: str


@dataclass
class PhotoWritten(Message):
    """A photo is written out to ``path``."""

    path: Path
