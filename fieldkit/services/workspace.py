"""The one object the UI and the CLI talk to: a data folder opened for use.

It wraps the device :class:`~fieldkit.store.Store` (which does every write, durably) and
keeps what the screens need fast in memory: the places index, the checklists, the case
index that pages 100k cases, the indexes services derive (:meth:`Workspace.cached`) and the
runs open on a screen; a pull forgets what it may have changed (:meth:`invalidate`).
Everything here may touch the disk; the UI calls it from thread workers, and makes every
change through the app's saver, one at a time (``fieldkit.ui.saves``): a :class:`Run` is
answered and submitted there only, and the screens read the ``RunView`` it hands back.
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fieldkit.model import Target as ModelTarget
from fieldkit.services import cases as case_rules
from fieldkit.services import labels, signin, tags
from fieldkit.services.places import FewPlaces, Places
from fieldkit.services.places import find as find_places
from fieldkit.services.scan_shape import SCAN_PATTERN, registry_key
from fieldkit.services.types import (
    UNFINISHED,
    CaseFilter,
    CasePage,
    CaseRow,
    CaseView,
    DoneRun,
    Draft,
    DueRun,
    HomeSummary,
    ScanLookup,
    SyncState,
    Target,
)
from fieldkit.store import Store, keyed

if TYPE_CHECKING:  # imported where used: the checklists (YAML and all) are not needed to
    # open a folder and show the home's cases, and cost a third of the app's start
    from fieldkit.checklists.definition import Checklist
    from fieldkit.services.runs import Answer, ProposedCase, Run, RunView

HOME_CASES = 20
SYNC_EVERY = 60.0  # seconds between background rounds while the office answers
RETRY_FIRST, RETRY_MAX = 2.0, 300.0  # backoff after a failed round: 2 s doubling to 5 min


class SyncFailed(Exception):
    """A sync round that did not complete; ``key`` is the i18n message."""

    def __init__(self, key: str, **params: object) -> None:
        super().__init__(key)
        self.key = key
        self.params = params


class Workspace:
    """A data folder in use. Thread-safe: the store locks itself, the caches take ``_lock``.

    Lock order: a save holds the store's lock while it calls back into the workspace (a case
    moved inside ``store.transaction()`` reads the places), so ``_lock`` is taken inside the
    store's and never around a call into the store: a cache is built from the store
    outside ``_lock`` (:meth:`cached`). Building one under ``_lock`` let a card refresh and a
    re-inspection each wait for the lock the other held, for ever."""

    def __init__(self, data_dir: Path, store: Store) -> None:
        self.data_dir = data_dir
        self.store = store
        self._lock = threading.RLock()
        self._checklists: dict[str, Checklist] | None = None
        self._derived: dict[str, Any] = {}
        self._generation = 0  # bumped by invalidate(): a build begun before it is not kept
        self._months_indexed = False  # every archive month carries its case index
        self._upgrade_lock = threading.Lock()
        self._runs: dict[str, Run] = {}  # the runs open on a screen, by inspection id
        self._online: bool | None = None  # no round tried since the app started
        self._held = 0  # changes the last round kept back for the office's photo storage
        self._sync_lock = threading.Lock()
        self._next_background = 0.0
        self._sync_rng = random.Random()
        self._retry_delays: Any = None  # backoff_delays after a failure, reset on success
        self._refusal_shown = False  # whether home was handed the state after a refusal
        from fieldkit.services import lifecycle

        try:
            # screens name states as this folder's file does, at once; a folder only read
            # (doctor beside a running app) gets no copy kept in it
            lifecycle.use(data_dir, keep=not store.readonly)
        except lifecycle.LifecycleFileError:  # not used: moves say so and name the command
            import logging

            logging.getLogger("fieldkit").warning("lifecycle file has mistakes", exc_info=True)
        self.use_compound_time()

    @classmethod
    def open(cls, data_dir: Path, command: str = "fieldkit app") -> Workspace:
        return cls(data_dir, Store.open(data_dir, command=command))

    def use_compound_time(self) -> None:
        """Every time shown from now on is the compound's wall time (its site record's
        ``utc_offset``), whatever zone this laptop's clock is set to."""
        from fieldkit.model import localtime
        from fieldkit.services.compound_clock import clock_of

        localtime.use(clock_of(self.store).offset_minutes)

    def close(self) -> None:
        from fieldkit.services import lifecycle

        lifecycle.forget(self.data_dir)
        self.store.close()

    @property
    def lifecycles(self) -> Any:
        """This data folder's lifecycle file (the office's copy, else the shipped one), put
        in use for every move, status label and category (``lifecycle.use``)."""
        from fieldkit.services import lifecycle

        return lifecycle.use(self.data_dir)

    @staticmethod
    def due_seconds(text: str) -> int:
        try:
            return case_rules.due_seconds(text)
        except ValueError:
            raise case_rules.CaseError("services.case.bad_due", value=text) from None

    @staticmethod
    def due_at(text: str, now: float) -> float:
        """When a proposed case is due: ``24h`` from now, or a date's last minute."""
        from fieldkit.services.renovation import due_at

        try:
            return due_at(text, now)
        except ValueError:
            raise case_rules.CaseError("services.case.bad_due", value=text) from None

    # -- reference data ------------------------------------------------------------------

    @property
    def places(self) -> Places:
        return self.cached("places", Places.load)

    def places_named(self) -> Places | FewPlaces:
        """Places by id for what names a few of them: the places index once it is built,
        until then each read from its record (not the whole index, which a big compound
        takes seconds to build)."""
        places = self._derived.get("places")  # a dict read: built already, or not
        return places if places is not None else FewPlaces(self.store)

    def target(self, target_id: str) -> Target | None:
        return self.places.by_id.get(target_id)

    def search(self, query: str, kinds: tuple[str, ...] = (), limit: int = 50) -> list[Target]:
        """Places by code, name or pinyin initials; 装修 (zx, renovation) finds the flats
        under renovation, first."""
        from fieldkit.services import renovation

        found = self.places.search(query, kinds, limit)
        if renovation.asks_for_renovations(query) and (not kinds or "unit" in kinds):
            flats = [row.target for row in renovation.under_way(self)]
            found = [*flats, *(t for t in found if t not in flats)][:limit]
        return found

    def code_starts(self) -> frozenset[str] | None:
        """The keys a code this device acts on can begin with, or None while the registry
        has not been read (then any key could). Reads nothing: the UI thread asks at every
        key, and the registry is read for the home's first data."""
        places = self._derived.get("places")  # a dict read: no lock, no store
        return places.starts if places is not None else None

    def knows_code(self, code: str) -> bool:
        """Whether ``code`` (a prefix such as ``asset:`` allowed) is a registry code of this
        compound, from the places index once read (False before). Reads nothing: the UI
        thread asks when a burst arrives in a text box that takes only known codes."""
        places = self._derived.get("places")
        if places is None:
            return False
        return registry_key(code) in places.by_code

    def lookup_scan(self, code: str) -> ScanLookup:
        """What a scanned label names, from the store's reference index (not the places
        index: the first scan after start reads one bucket and the record, as every later
        one does). Never changes anything."""
        code = code.strip()
        if labels.looks_like_payload(code):
            return labels.scan(self, code)
        tagged = tags.lookup(lambda tag: self._first(keyed.tag_key(tag)), code)
        if tagged is not None:
            return tagged
        if not SCAN_PATTERN.match(code):
            return ScanLookup(code=code, status="malformed")
        target = self._first(keyed.code_key(registry_key(code)))
        return ScanLookup(code=code, status="found" if target else "unknown", target=target)

    def _first(self, key: str) -> Target | None:
        found = find_places(self.store, key)
        return found[0] if found else None

    # -- checklists ----------------------------------------------------------------------

    def checklists(self) -> dict[str, Checklist]:
        from fieldkit.services.catalog import load_checklists

        with self._lock:
            if self._checklists is not None:
                return self._checklists
        loaded = load_checklists(self.data_dir)  # outside _lock: parsing YAML takes a while
        with self._lock:
            if self._checklists is None:
                self._checklists = loaded
            return self._checklists

    def checklist(self, checklist_id: str) -> Checklist | None:
        """One checklist by id: from the loaded checklists, else parsed from its own file
        alone (``catalog.load_one``), so the home's rounds in progress do not wait for every
        checklist file to be parsed (~0.1 s of CPU before the first screen's data)."""
        from fieldkit.services.catalog import load_one

        with self._lock:
            if self._checklists is not None:
                return self._checklists.get(checklist_id)
        return load_one(self.data_dir, checklist_id)

    def checklist_titles(self) -> dict[str, Any]:
        """Each checklist's title by id (zh, en): from the checklists once they are loaded,
        until then from the titles kept beside the data (``catalog.titles``), so a card
        naming a checklist does not wait for every checklist file to be parsed."""
        from fieldkit.services.catalog import titles

        with self._lock:
            if self._checklists is not None:
                return {cid: c.title.to_dict() for cid, c in self._checklists.items()}
        return titles(self.data_dir)

    def checklists_for(self, target: Target) -> list[Checklist]:
        from fieldkit.services.catalog import applies

        found = (c for c in self.checklists().values() if applies(c, target))
        return sorted(found, key=lambda c: c.id)

    # -- runs ----------------------------------------------------------------------------

    def start_run(self, checklist_id: str, target: Target) -> Run:
        """The open round of this checklist on this target: the draft there is (its
        answers kept), else a new one. One open round per checklist and target."""
        from fieldkit.services.runs import Run

        draft = self.open_draft(checklist_id, target.id)
        if draft is not None:
            return self.resume_run(draft.id)
        checklist = self.checklists()[checklist_id]
        ref = checklist.ref
        from fieldkit.model import ChecklistRef

        inspection = self.store.create_inspection(
            ChecklistRef(ref.id, ref.version, ref.content_hash),
            ModelTarget(target.kind, target.id),
            inspector=self.actor,  # who ran it: a duty log names the person signed in
        )
        assets = self.places.assets_on(target)
        return self.keep_run(Run(self, inspection, checklist, target, assets))

    def resume_run(self, inspection_id: str) -> Run:
        from fieldkit.services.runs import Run, RunError

        inspection = self.store.get_inspection(inspection_id)
        if inspection is None:
            raise RunError("services.run.not_found")
        checklist = self.checklists().get(inspection.checklist.id)
        target = self.target(inspection.target.id)
        if checklist is None or target is None:
            raise RunError("services.run.not_found")
        assets = self.places.assets_on(target)
        return self.keep_run(Run(self, inspection, checklist, target, assets))

    def keep_run(self, run: Run) -> Run:
        """Keep an opened run, so the answers a screen sends (by the run's id) reach it."""
        with self._lock:
            self._runs[run.id] = run
        return run

    def _run(self, run_id: str) -> Run:
        from fieldkit.services.runs import RunError

        with self._lock:
            run = self._runs.get(run_id)
        if run is None:
            raise RunError("services.run.not_found")
        return run

    def answer(self, answer: Answer) -> RunView:
        """Save an answer read from the run's view (``RunView.read``), durably; the run as
        it stands after it."""
        run = self._run(answer.run_id)
        run.save(answer)
        return run.view()

    def note(self, run_id: str, key: str, text: str) -> RunView:
        """Save the note on step ``key``, durably; the run as it stands after it."""
        run = self._run(run_id)
        run.note(key, text)
        return run.view()

    def attach(self, run_id: str, key: str, path: Path) -> RunView:
        """Keep the photo at ``path`` as evidence on step ``key``, durably; the run as it
        stands after it."""
        run = self._run(run_id)
        run.attach(key, path)
        return run.view()

    def submit_run(self, run_id: str, cases: list[ProposedCase]) -> RunView:
        """Raise the (edited) proposed cases and lock the run, in one write; the run as it
        stands after (submitted, its cases linked)."""
        run = self._run(run_id)
        run.submit(cases)
        with self._lock:
            self._runs.pop(run_id, None)
        return run.view()

    def open_draft(self, checklist_id: str, target_id: str) -> Any | None:
        """The newest draft of ``checklist_id`` on ``target_id`` (an older one, left from
        before one round per target was the rule, waits its turn)."""
        found = [
            i
            for i in self.store.drafts()
            if i.checklist.id == checklist_id and i.target.id == target_id
        ]
        return max(found, key=lambda i: i.hlc, default=None)

    def discard_draft(self, inspection_id: str) -> None:
        """Set a round in progress aside: kept on record as discarded, by whom."""
        from fieldkit.services.runs import RunError

        inspection = self.store.get_inspection(inspection_id)
        if inspection is None:
            raise RunError("services.run.not_found")
        if inspection.status != "draft":
            raise RunError("services.run.submitted")
        self.store.discard_draft(inspection_id, by=self.actor)
        with self._lock:
            self._runs.pop(inspection_id, None)

    def drafts(self) -> list[Draft]:
        """Rounds in progress, one per checklist and target (the newest), newest first.
        Each one's count is the one kept beside the data when nothing it depends on has
        changed (``services.draft_progress``), else counted with its checklist and kept."""
        newest = self.newest_drafts()
        if not newest:
            return []
        from fieldkit.services import draft_progress

        kept = draft_progress.read(self.data_dir)
        now_kept: dict[str, dict[str, Any]] = {}
        out = []
        for inspection in newest:
            found = self.draft_inputs(inspection)
            if found is None:
                continue
            target, assets, digest = found
            counted = draft_progress.count_of(kept.get(inspection.id), digest)
            if counted is None:
                counted = self.count_draft(inspection, target, assets)
                if counted is None:
                    continue
            title, answered, total = counted
            now_kept[inspection.id] = draft_progress.entry(digest, title, answered, total)
            out.append(
                Draft(
                    inspection_id=inspection.id,
                    checklist_id=inspection.checklist.id,
                    title=title,
                    target=target,
                    answered=answered,
                    total=total,
                    updated=case_rules.epoch(inspection.started_at),
                )
            )
        if now_kept != kept and not self.store.readonly:
            draft_progress.keep(self.data_dir, now_kept)
        return out

    def newest_drafts(self) -> list[Any]:
        """The newest draft of each checklist and target, newest first."""
        newest: dict[tuple[str, str], Any] = {}
        for inspection in self.store.drafts():
            key = (inspection.checklist.id, inspection.target.id)
            if key not in newest or inspection.hlc > newest[key].hlc:
                newest[key] = inspection
        return sorted(newest.values(), key=lambda i: i.hlc, reverse=True)

    def draft_inputs(self, inspection: Any) -> tuple[Target, list, str] | None:
        """A draft's target, the assets it walks and the digest its kept count is filed
        under (``draft_progress.digest``); None when its checklist or place is gone."""
        from fieldkit.services import draft_progress
        from fieldkit.services.catalog import source_of

        source = source_of(self.data_dir, inspection.checklist.id)
        target = self.target(inspection.target.id)
        if source is None or target is None:
            return None
        assets = self.places.assets_on(target)
        walked = [attrs for _, attrs in assets]
        return target, assets, draft_progress.digest(source, inspection.to_dict(), walked)

    def count_draft(
        self, inspection: Any, target: Target, assets: list
    ) -> tuple[dict[str, str], int, int] | None:
        """A round's title and (answered, to answer), counted with its checklist (the
        runtime and the checklist language imported for it); None if it no longer loads."""
        from fieldkit.services.runs import Run

        checklist = self.checklist(inspection.checklist.id)
        if checklist is None:
            return None
        answered, total = Run(self, inspection, checklist, target, assets).progress()
        return checklist.title.to_dict(), answered, total

    def last_runs(self) -> dict[tuple[str, str], float]:
        """When each (checklist, target) was last submitted, over the whole history: from
        the store's last-run index (``Store.last_runs``), so no archive month is read."""
        return {key: case_rules.epoch(at) for key, at in self.store.last_runs().items()}

    def due(self, now: float, limit: int = 20, note_missed: bool = False) -> list[DueRun]:
        """What is due now, late, or due within a day, per site, building and route
        (``services.schedules``); with ``note_missed``, a missed run, and equipment whose
        service or scrap date is near, become cases first (``services.equipment``)."""
        from fieldkit.services import equipment, schedules
        from fieldkit.services.device_role import ROUND_ROLES

        if self.role not in ROUND_ROLES:
            return []  # the rounds are the patrol's work (docs/checklists.md, "every")
        if note_missed:
            schedules.note_missed(self, now)
            equipment.raise_cases(self, now)
        return schedules.due(self, now, limit)

    def done_today(self, now: float) -> list[DoneRun]:
        """The rounds submitted since midnight, newest first (``schedules.done_today``)."""
        from fieldkit.services import schedules
        from fieldkit.services.device_role import ROUND_ROLES

        if self.role not in ROUND_ROLES:
            return []
        return schedules.done_today(self, now)

    # -- cases ---------------------------------------------------------------------------

    def cases_page(
        self,
        flt: CaseFilter,
        offset: int = 0,
        limit: int = 50,
        now: float | None = None,
        progress: Callable[[int, int, str], None] | None = None,
    ) -> CasePage:
        """A page of cases. Unfinished ones all live in the store's small active file, so a
        filter that excludes closed and cancelled cases never reads the history; one that
        takes them reads the archive months' case indexes (``Store.case_history``), never
        their records, and only as far as the page and its counts need. Months written
        before they carried an index get it first, once (``progress(done, total, month)``
        after each: seconds a month on a big compound)."""
        if flt.target and not flt.covers and self._holds_equipment(flt.target):
            flt = replace(flt, covers=self.places.covered(flt.target))
        if flt.status not in ("", *case_rules.DONE):
            return case_rules.page(self._live_entries(), flt, offset, limit, now)
        with self._upgrade_lock:  # not _lock: the places and checklists stay free meanwhile
            if not self._months_indexed and not self.store.readonly:
                self.store.upgrade_months(progress)
                self._months_indexed = True
        history = self.store.case_history()
        return case_rules.history_page(history, flt, offset, limit, now, self.places)

    def cases_numbered(self, text: str, limit: int = 5) -> list[CaseRow]:
        """The cases whose number is ``text`` as printed (``b3a175``, ``#b3a175``, or its
        last digits, at least four), whatever their status; none for text that cannot be a
        case number (a flat's code, words). The case list's find matches the same way."""
        wanted = text.strip().lower().lstrip("#")
        if not case_rules.CASE_NUMBER.fullmatch(wanted):
            return []
        page = self.cases_page(CaseFilter(status="", text=wanted), limit=50)
        return [row for row in page.rows if row.id.lower().endswith(wanted)][:limit]

    def _holds_equipment(self, target_id: str) -> bool:
        """A route or a building: its card's cases include those on its equipment. Asked of
        the record alone, so a flat's card does not wait for the whole places index."""
        target = self.places_named().by_id.get(target_id)
        return target is not None and target.kind in ("route", "building")

    def _live_entries(self) -> list[case_rules.Entry]:
        places = self.places
        entries = [case_rules.entry(c.to_dict(), places) for c in self.store.open_cases()]
        entries.sort(key=lambda e: e.id, reverse=True)
        return entries

    def open_cases_page(self, limit: int, now: float | None = None, role: str = "") -> CasePage:
        """Open cases from the live file only: fast however much history there is; with
        ``role``, only those its home lists (:func:`fieldkit.services.cases.on_home`)."""
        entries = self._live_entries()
        if role:
            entries = [e for e in entries if case_rules.on_home(role, e.kind, e.category)]
        return case_rules.page(entries, CaseFilter(status=UNFINISHED), 0, limit, now)

    def case(self, case_id: str, now: float | None = None) -> CaseView | None:
        case = self.store.get_case(case_id)
        if case is None:
            return None
        e = case_rules.entry(case.to_dict(), self.places)
        return case_rules.view(case, e, time.time() if now is None else now, self.role)

    @property
    def role(self) -> str:
        """The role this device acts in (what the office enrolled it for)."""
        from fieldkit.services.device_role import device_role

        return device_role(self)

    @property
    def person(self) -> signin.Person:
        """The person signed in on this device (empty when nobody is)."""
        return signin.signed_in(self.store)

    @property
    def actor(self) -> str:
        """The name every record made now is written by: the signed-in person's."""
        return self.person.name

    def sign_in(self, name: str) -> signin.Person:
        return signin.sign_in(self.store, name)

    def sign_out(self) -> None:
        signin.sign_out(self.store)

    def move_case(self, case_id: str, status: str, reason: str = "") -> CaseView:
        """Move a case as the lifecycle file allows this device's role (MoveRefused if not)."""
        from fieldkit.services import lifecycle

        case = self.store.get_case(case_id)
        if case is None:
            raise case_rules.CaseError("services.case.not_found")
        if case.kind == "violation" and status == "resolved":
            from fieldkit.services import renovation

            renovation.check_put_right(
                case.severity, reason, renovation.photo_added(case), on_case=True
            )
        lifecycle.move(
            self.store, case, status, self.role, note=reason, by=self.actor,
            lifecycles=self.lifecycles,
        )  # fmt: skip
        return self._refreshed(case_id)

    def dispatch_case(self, case_id: str, department: str, assignee: str = "") -> CaseView:
        """Send a case to a department (``intake.dispatch``: due time by urgency, the move
        dispatching makes, a reassignment recorded as such)."""
        from fieldkit.services import intake

        intake.dispatch(self.store, case_id, department, self.role, assignee=assignee,
                        by=self.actor, lifecycles=self.lifecycles)  # fmt: skip
        return self._refreshed(case_id)

    def follow_up_case(self, case_id: str, score: int, comment: str = "") -> CaseView:
        """Record the follow-up visit (回访): satisfied moves it on, dissatisfied reopens it."""
        from fieldkit.services import lifecycle

        lifecycle.follow_up(
            self.store, case_id, lifecycle.FollowUp(score, comment), self.role, by=self.actor,
            lifecycles=self.lifecycles,
        )  # fmt: skip
        return self._refreshed(case_id)

    def follow_up_sides(self, case_id: str, results: list[Any]) -> CaseView:
        """A neighbour dispute's follow-up: each side's score and words (``FollowUp.side``);
        it moves on only when both are satisfied."""
        from fieldkit.services import lifecycle

        lifecycle.follow_up_sides(self.store, case_id, results, self.role, by=self.actor,
                                  lifecycles=self.lifecycles)  # fmt: skip
        return self._refreshed(case_id)

    def note_unanswered(self, case_id: str, results: list[Any]) -> CaseView:
        """A call-back nobody answered (``FollowUp`` with ``answered`` False), noted on the
        case's history; the case stays where it is, for the next call."""
        from fieldkit.services import lifecycle

        if self.store.get_case(case_id) is None:
            raise case_rules.CaseError("services.case.not_found")
        text, data = lifecycle.unanswered_note(results), lifecycle.unanswered_data(results)
        self.store.add_case_event(case_id, "note", text, by=self.actor, data=data)
        return self._refreshed(case_id)

    def add_case_note(self, case_id: str, text: str, kind: str = "note") -> CaseView:
        if self.store.get_case(case_id) is None:
            raise case_rules.CaseError("services.case.not_found")
        text = text.strip()
        if not text:
            raise case_rules.CaseError("services.case.empty_note")
        case_rules.check_text(text)
        if kind == "photo":
            path = Path(text).expanduser()
            if not path.is_file():
                from fieldkit.services.runs import RunError

                raise RunError("services.run.no_photo", path=str(path))
            ref = self.store.put_blob(path, name=path.name)
            self.store.add_case_event(case_id, "photo", path.name, by=self.actor, attachments=[ref])
        else:
            self.store.add_case_event(case_id, "note", text, by=self.actor)
        return self._refreshed(case_id)

    def _refreshed(self, case_id: str) -> CaseView:
        case = self.store.get_case(case_id)
        e = case_rules.entry(case.to_dict(), self.places)
        return case_rules.view(case, e, time.time(), self.role)

    # -- home ----------------------------------------------------------------------------

    def sync_state(self) -> SyncState:
        """Enrolled or not, whether the last round reached the office, when one last
        succeeded (by the app or ``fieldkit sync``, kept in the store), whether the office
        refused these credentials (revoked: said until the device is enrolled again), and
        what waits in the outbox or needs attention."""
        from fieldkit.sync.credentials import Credentials, SyncError, sync_standing

        try:
            creds = Credentials.load(self.data_dir)
        except SyncError:
            creds = None
        last, refused = sync_standing(self.store.device_state(), creds)
        return SyncState(
            available=creds is not None,
            online=self._online,
            last_sync=last,
            pending=self.store.outbox_count(),
            attention=len(self.store.needs_attention()),
            held=min(self._held, self.store.outbox_count()),
            refused=refused,
        )

    def sync_now(self, say: Callable[[str], None] | None = None) -> SyncState:
        """One sync round with the office (``fieldkit.sync.client.sync_and_recover``). Raises a
        SyncFailed with a sentence when not enrolled, offline or refused; what was not sent
        stays in the outbox. ``say`` is handed how far the round has come, step by step
        (``fieldkit.services.sync_progress``), from this thread."""
        with self._sync_lock:
            return self._sync_round(say)

    def background_sync(
        self, now: float | None = None, say: Callable[[str], None] | None = None
    ) -> SyncState | None:
        """A round if one is due and the device is enrolled, else None.

        Due every SYNC_EVERY seconds after a success. After a failure the wait doubles from
        RETRY_FIRST to RETRY_MAX, with full jitter (``fieldkit.sync.client.backoff_delays``)
        so a room of laptops coming back online does not knock at once. Never while another
        round runs; never again after the office asked this device to re-enrol."""
        now = time.time() if now is None else now
        if self._next_background == float("inf"):  # the office refused this device
            if self._enrolled_again():
                self._next_background = now
            elif not self._refusal_shown:  # refused in "sync now": the home line says so
                self._refusal_shown = True
                return self.sync_state()
        if now < self._next_background or not self._sync_lock.acquire(blocking=False):
            return None
        try:
            try:
                state = self._sync_round(say)
            except SyncFailed as exc:
                if exc.key.startswith("sync.refused."):
                    self._refusal_shown = True
                elif exc.key == "services.sync.not_enrolled":
                    self._next_background = now + SYNC_EVERY
                    return None  # nothing changed that the home screen shows
                else:
                    if self._retry_delays is None:
                        from fieldkit.sync.client import backoff_delays

                        self._retry_delays = backoff_delays(RETRY_FIRST, RETRY_MAX, self._sync_rng)
                    self._next_background = now + next(self._retry_delays)
                return self.sync_state()
            self._retry_delays = None
            self._next_background = now + SYNC_EVERY
            return state
        finally:
            self._sync_lock.release()

    def _enrolled_again(self) -> bool:
        """After the office refused this device: whether it has been enrolled since (new
        credentials the refusal was not about), so background rounds may start again."""
        return self.sync_state().refused is None

    def _sync_round(self, say: Callable[[str], None] | None = None) -> SyncState:
        from fieldkit.i18n import get_language
        from fieldkit.services.sync_progress import SyncProgress
        from fieldkit.sync.client import (
            CAUnreadable,
            Credentials,
            NeedsEnrolment,
            Offline,
            SyncError,
            SyncRefused,
            Untrusted,
            sync_and_recover,
        )
        from fieldkit.sync.errors import REFUSALS

        try:
            creds = Credentials.load(self.data_dir)
        except SyncError as exc:
            raise SyncFailed("services.sync.unreadable", reason=str(exc)) from None
        if creds is None:
            raise SyncFailed("services.sync.not_enrolled")
        try:
            progress = SyncProgress(say) if say is not None else None
            report = sync_and_recover(self.store, creds, lang=get_language(), progress=progress)
        except Offline:
            self._online = False
            raise SyncFailed("services.sync.offline", url=creds.url) from None
        except NeedsEnrolment as exc:
            self._online = True
            self._next_background = float("inf")  # never again, until enrolled again
            self._refusal_shown = False
            key = (
                f"sync.refused.{exc.code}" if exc.code in REFUSALS else "sync.refused.token_invalid"
            )
            raise SyncFailed(key) from None
        except (Untrusted, CAUnreadable) as exc:
            self._online = False
            raise SyncFailed(
                "services.sync.untrusted", url=creds.url, reason=exc.reason()
            ) from None
        except SyncRefused as exc:
            self._online = True
            raise SyncFailed("services.sync.refused", reason=str(exc)) from None
        except SyncError as exc:
            self._online = False
            raise SyncFailed("services.sync.failed", reason=str(exc)) from None
        self._online = True
        self._held = report.held
        if report.pulled or report.recovered:
            self.invalidate()  # new records, or the register came back whole
        return self.sync_state()

    def invalidate(self) -> None:
        """Forget every in-memory index (after a pull brought new records)."""
        with self._lock:
            self._derived.clear()
            self._generation += 1
        self.use_compound_time()  # the office may have changed the site's offset

    def cached(self, name: str, build: Callable[[Store], Any]) -> Any:
        """The index ``name``, built from the store on first use and kept until
        :meth:`invalidate`: the one place a service keeps what it derives from the store."""
        with self._lock:
            if name in self._derived:
                return self._derived[name]
            begun = self._generation
        value = build(self.store)  # outside _lock: see the class's lock order
        with self._lock:
            if self._generation != begun:
                return value  # a pull landed meanwhile: used once, built again next time
            return self._derived.setdefault(name, value)

    def home(self, now: float | None = None, with_due: bool = True) -> HomeSummary:
        """What the home screen shows. ``with_due=False`` leaves out the due rounds: they
        come from the store's last-run index (milliseconds), but the first use of a folder
        from before the index rebuilds it from the whole history (seconds with 100k
        records), so the screen asks for them separately, after the rest is shown."""
        from fieldkit.services import attention, incidents

        now = time.time() if now is None else now
        role = self.role  # read once: it comes from the credentials file
        page = self.open_cases_page(HOME_CASES, now, role)
        renovations: tuple = ()
        if role == "renovation":  # the flat registry's module only where it is shown
            from fieldkit.services import renovation

            renovations = tuple(renovation.under_way(self, now))
        return HomeSummary(
            renovations=renovations,
            incidents=tuple(incidents.home_rows(self)),
            closed_incidents=tuple(incidents.recent_closed(self)) if role == "emergency" else (),
            due=tuple(self.due(now)) if with_due else (),
            drafts=tuple(self.drafts()),
            cases=page.rows,
            cases_total=page.total,
            sync=self.sync_state(),
            damage=tuple(attention.damage(self)),
            role=role,
        )
