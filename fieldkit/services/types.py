"""What the services hand to the UI and the CLI: plain, immutable views, no storage types."""

from __future__ import annotations

from dataclasses import dataclass, field

from fieldkit.i18n import get_language

Text = dict[str, str]


def pick(text: Text | str | None, lang: str | None = None) -> str:
    """The text in ``lang`` (default: current), else the other language, else ''."""
    if text is None:
        return ""
    if isinstance(text, str):
        return text
    lang = lang or get_language()
    return text.get(lang) or next((v for v in text.values() if v), "")


@dataclass(frozen=True)
class Target:
    id: str
    kind: str  # building | route | unit | asset
    code: str
    name: Text
    building: str = ""
    asset_kind: str = ""  # its sort: an asset's kind, a route's (stairwell…), an incident's plan
    route: str = ""

    def label(self, lang: str | None = None) -> str:
        """Code and name ("R-2-2  2号楼2单元楼梯间"); a building, the compound or an
        incident's places by the name alone, as people say it: a building's code is the bare
        number its name holds ("1号楼", not "1  1号楼"), the compound's an office abbreviation
        ("翠湖苑", not "CH  翠湖苑"), an incident's its buildings' numbers ("3号楼", not
        "3  3号楼")."""
        name = pick(self.name, lang)
        if self.kind in ("building", "site", "incident") and name:
            return name
        return f"{self.code}  {name}"


@dataclass(frozen=True)
class ScanLookup:
    code: str
    status: str  # found | unknown | malformed
    target: Target | None = None
    message: str = ""  # a sentence saying what went wrong, when there is more to say


@dataclass(frozen=True)
class CaseRow:
    id: str
    kind: str
    ref: str  # a short reference people can read out: the id's last six characters
    title: Text
    target: Text | str  # where: a code ("3-2-1502", "EXT-2-2-1"), a building's name by language
    building: str
    department: str
    severity: str
    status: str
    due: float
    overdue: bool
    category: str = ""  # a finding's checklist id: an incident plan's reads as the plan's


@dataclass(frozen=True)
class CaseEvent:
    at: float
    kind: str  # raised | status | note | photo | field | followup ...
    text: str = ""
    status: str = ""
    by: str = ""  # the person who did it
    data: dict = field(default_factory=dict)  # what services.history needs for its sentence
    recorded: float = 0.0  # a late record (补记): when it was typed, after ``at``; else 0


@dataclass(frozen=True)
class CaseView:
    row: CaseRow
    kind: str
    created: float
    inspection_id: str | None
    events: tuple[CaseEvent, ...]
    next_statuses: tuple[str, ...]
    move_needs: dict[str, tuple[str, ...]] = field(default_factory=dict)  # note, followup ...
    description: Text | str = ""  # what the owner said; a rule's case in each language
    urgency: str = ""
    contact: str = ""  # how the owner wants to be contacted
    assignee: str = ""
    created_by: str = ""
    role: str = ""  # the role this device acts in
    movers: tuple[str, ...] = ()  # roles that could move the case on from here (any role)
    reopens: tuple[str, ...] = ()  # the next statuses that send the case back (rework)
    category: Text | str = ""  # the desk's category (漏水渗水 / Leak) in each language, if listed


@dataclass(frozen=True)
class CasePage:
    rows: tuple[CaseRow, ...]
    total: int
    offset: int
    statuses: dict[str, int] = field(default_factory=dict)  # cases per status, any status
    call_backs: int = 0  # of them, the cases awaiting the desk's call-back (CALL_BACK)


#: The status filter's "any case still to do" (neither closed nor cancelled). It is not a
#: state, so a finding's own "open" (nobody has picked it up yet) can be filtered on as well.
UNFINISHED = "unfinished"
#: The status filter's "awaiting call-back" (待回访): the cases whose work is done and that
#: wait on the desk's call to the owner (:func:`fieldkit.services.cases.owes_call_back`),
#: whichever state their kind calls that (a repair 已完工, a complaint 已答复业主 ...).
CALL_BACK = "call_back"


@dataclass(frozen=True)
class CaseFilter:
    status: str = ""  # "" any, UNFINISHED any not closed or cancelled, CALL_BACK, or one status
    kind: str = ""  # "" any, or one kind of case (repair, complaint, dispute, finding ...)
    department: str = ""
    building: str = ""
    overdue: bool = False
    target: str = ""  # a target id: only cases on it, or on the equipment it holds
    # the ids ``target`` stands for: itself and a route's or building's units of equipment
    # (set by ``Workspace.cases_page`` from the places; empty: the target alone)
    covers: frozenset[str] = frozenset()
    text: str = ""  # a case number (#4f81c6, or its last digits) or a flat's number


@dataclass(frozen=True)
class DueRun:
    checklist_id: str
    title: Text
    target: Target
    due: float  # epoch seconds the next run is (was) due
    overdue: bool  # late: its time (or a slot before it) has passed without a run
    last_run: float | None
    closes: float | None = None  # the end of its calendar slot
    late_by: float = 0.0  # seconds late
    missed: int = 0  # runs missed since the last one
    when: Text | None = None  # "late 35 min" / "until 02:00" / "from 22:00", both languages
    later: bool = False  # not open yet: done for now, its next time "from 22:00"


@dataclass(frozen=True)
class DoneRun:
    """A round submitted today, as the home lists it (newest first)."""

    checklist_id: str
    title: Text
    target: Target
    at: float  # epoch seconds it was submitted
    cases: int = 0  # cases its findings raised (0 with ``again`` 0: all normal)
    again: int = 0  # findings it added to cases already open (found again)
    acted: int = 0  # faults it found and put right on the spot (services.acted)
    notes: tuple[str, ...] = ()  # what was written in its optional boxes and item notes


@dataclass(frozen=True)
class Draft:
    inspection_id: str
    checklist_id: str
    title: Text
    target: Target | None
    answered: int
    total: int
    updated: float


@dataclass(frozen=True)
class SyncState:
    available: bool
    #: Whether the last round reached the office; None before the first round since start.
    online: bool | None = False
    last_sync: float | None = None
    pending: int = 0
    attention: int = 0
    #: Of ``pending``, changes the last round kept back: the office's photo storage could
    #: not take their photos (``fieldkit.sync.client.RoundReport.held``).
    held: int = 0
    #: The office refused this device's credentials (``device_revoked``, ``token_invalid``):
    #: kept until it is enrolled again.
    refused: str | None = None


@dataclass(frozen=True)
class HomeSummary:
    due: tuple[DueRun, ...] = ()
    drafts: tuple[Draft, ...] = ()
    cases: tuple[CaseRow, ...] = ()
    sync: SyncState = field(default_factory=lambda: SyncState(available=False))
    damage: tuple = ()  # services.attention.Item: store files that fell back to a copy
    incidents: tuple = ()  # services.incidents.IncidentRow: incidents in progress
    closed_incidents: tuple = ()  # the coordinator's: the last incidents closed, to read
    renovations: tuple = ()  # services.renovation.UnderWay: the inspector's flats at work
    role: str = ""  # the role this device acts in: the desk's home leads with its cases
    cases_total: int = 0  # open cases in all, of which ``cases`` are the most urgent
