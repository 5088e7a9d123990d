"""The console's changes to cases, written into the feed as ordinary operations.

A person who dispatches, assigns, comments on, moves or follows up a case in the console
does it through the device's own rules — :func:`fieldkit.services.intake.dispatch`,
:func:`fieldkit.services.lifecycle.move` and :func:`~fieldkit.services.lifecycle.follow_up`
— run on :class:`FeedStore`, which offers those functions the few store calls they make
(``get_case``, ``update_case``, ``set_case_status``, ``reopen_case``, ``add_case_event``)
and changes the case with the model's own methods, as the device's store does.

Each change becomes one :class:`fieldkit.sync.protocol.Operation`: a new op id (UUIDv7),
the next ``seq`` of the person's own devices row, an HLC stamp from a clock that has taken
in every stamp of the stored case (so the change orders after what it was made on), and
the whole case after the change. The operations go through :func:`fieldkit_server.push.push`
— the code a device's push runs — so the merge cannot tell a console edit from a
device's, the change gets the next change number, and every device pulls it once.

The case is read from ``records`` unmasked (the server's own copy); what the person sees
is masked for their role, but what is written back keeps the real values.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import Any

import orjson
from sqlalchemy import select

from fieldkit.i18n import get_language, set_language
from fieldkit.model import (
    AttachmentRef,
    Case,
    Event,
    ModelError,
    Target,
    now_iso,
    record_from_dict,
)
from fieldkit.model.hlc import Clock
from fieldkit.model.ids import new_id
from fieldkit.sync import protocol as p
from fieldkit_server.console.people import Person
from fieldkit_server.db import Database
from fieldkit_server.push import Caller, push
from fieldkit_server.tables import Device, Record

#: The device rules read the process's language for the labels in their refusals; the
#: console sets the person's for the length of one change.
_language = threading.Lock()


class NotFound(LookupError):
    """No such case, or not one this person's site reaches."""


class Refused(ValueError):
    """The push refused the change (its code and message, in the person's language)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(code)
        self.code = code
        self.message = message


def hlc_device(person: Person) -> str:
    """The device part of the person's stamps: short, fixed, theirs alone."""
    return "c" + person.device_id.replace("-", "")[:11]


def _stamps_of(doc: dict) -> list[str]:
    found = list((doc.get("stamps") or {}).values())
    found += [e.get("hlc") for e in doc.get("events") or [] if isinstance(e, dict)]
    found += [c.get("hlc") for c in doc.get("conflicts") or [] if isinstance(c, dict)]
    return [s for s in found if isinstance(s, str)]


def read_case(db: Database, person: Person, case_id: str) -> tuple[dict, str] | None:
    """The stored (unmasked) case body and its site, when the person's site reaches it."""
    with db.read() as conn:
        found = conn.execute(
            select(Record.body, Record.site).where(
                Record.kind == "case", Record.record_id == case_id, Record.deleted.is_(False)
            )
        ).first()
    if found is None or not person.sees(found.site):
        return None
    return orjson.loads(found.body), found.site


class FeedStore:
    """The store calls the device's case rules make, on cases the server holds; each
    change is kept as an operation until :meth:`commit` pushes them."""

    def __init__(self, db: Database, person: Person) -> None:
        self.db = db
        self.person = person
        self.clock = Clock(hlc_device(person))
        self.cases: dict[str, Case] = {}
        self.sites: dict[str, str] = {}
        #: (case id, stamp, the case after the change) in order: a device's outbox entries
        self.changes: list[tuple[str, str, dict]] = []

    # --- what the device's rules call ---------------------------------------------------

    def get_case(self, case_id: str) -> Case | None:
        if case_id in self.cases:
            return Case.from_dict(self.cases[case_id].to_dict())
        found = read_case(self.db, self.person, case_id)
        if found is None:
            return None
        doc, site = found
        for stamp in _stamps_of(doc):
            try:
                self.clock.observe(stamp)
            except ValueError:
                continue
        case = Case.from_dict(doc)
        self.cases[case_id], self.sites[case_id] = case, site
        return Case.from_dict(case.to_dict())

    def reference(self, entity: str) -> list[Any]:
        """Reference records the case rules read (the site's, for its clock: a due time
        "today" ends at the compound's midnight): those of the sites of the cases in hand,
        the latest case's first."""
        if entity != "site" or not self.sites:
            return []
        wanted = list(dict.fromkeys(reversed(list(self.sites.values()))))
        with self.db.read() as conn:
            rows = conn.execute(
                select(Record.site, Record.body).where(
                    Record.kind == "site", Record.site.in_(wanted), Record.deleted.is_(False)
                )
            ).all()
        found: dict[str, Any] = {}
        for row in rows:
            try:
                found.setdefault(row.site, record_from_dict("site", orjson.loads(row.body)))
            except (ModelError, ValueError):
                continue  # a site record the rules cannot read: the default clock
        return [found[site] for site in wanted if site in found]

    def _need(self, case_id: str) -> Case:
        if self.get_case(case_id) is None:
            raise NotFound(case_id)
        return self.cases[case_id]

    def _stamp(self) -> str:
        return str(self.clock.now())

    def update_case(self, case_id: str, *, by: str = "", **changes: Any) -> Case:
        if not changes:
            raise ModelError("nothing to change")
        case = self._need(case_id)
        for name, value in changes.items():
            if isinstance(value, dict) and name == "target":
                value = Target.from_dict(value)
            case.set_field(name, value, self._stamp())
        case.validate()
        hlc = self._stamp()
        plain = {k: (v.to_dict() if hasattr(v, "to_dict") else v) for k, v in changes.items()}
        case.add_event(Event(new_id(), "field", hlc, by=by, data={"changes": plain}))
        self.changes.append((case_id, hlc, case.to_dict()))
        return Case.from_dict(case.to_dict())

    def _set_status(self, case_id: str, status: str, by: str, note: str, reopen: bool) -> Case:
        case = self._need(case_id)
        before = case.status
        hlc = self._stamp()
        if reopen:
            case.reopen(hlc, status)
        else:
            case.set_status(status, hlc)
        data = {"from": before, "to": status, "reopen": reopen}
        case.add_event(Event(new_id(), "status", hlc, by=by, text=note, data=data))
        self.changes.append((case_id, hlc, case.to_dict()))
        return Case.from_dict(case.to_dict())

    def set_case_status(self, case_id: str, status: str, *, by: str = "", note: str = "") -> Case:
        return self._set_status(case_id, status, by, note, reopen=False)

    def reopen_case(
        self, case_id: str, *, by: str = "", note: str = "", status: str = "open"
    ) -> Case:
        return self._set_status(case_id, status, by, note, reopen=True)

    def add_case_event(
        self,
        case_id: str,
        type: str = "note",
        text: str = "",
        *,
        by: str = "",
        attachments: Sequence[AttachmentRef] = (),
        data: dict | None = None,
        at: str | None = None,
    ) -> Event:
        if attachments:
            raise ModelError("the console adds no files to a case")
        case = self._need(case_id)
        hlc = self._stamp()
        event = Event(new_id(), type, hlc, at=at or now_iso(), by=by, text=text,
                      data=dict(data or {}))  # fmt: skip
        event.validate()
        case.add_event(event)
        self.changes.append((case_id, hlc, case.to_dict()))
        return event

    # --- into the feed --------------------------------------------------------------------

    def operations(self, first_seq: int) -> list[p.Operation]:
        """One operation per change, each with the case as it stood after that change."""
        ops = []
        for n, (case_id, hlc, body) in enumerate(self.changes):
            ops.append(
                p.Operation(
                    op_id=new_id(), seq=first_seq + n, hlc=hlc, kind="case", record_id=case_id,
                    site=self.sites[case_id], body=body,
                )
            )  # fmt: skip
        return ops

    def commit(self, lang: str) -> list[p.OpResult]:
        """Push every change as the person's device; Refused when the push refuses one."""
        if not self.changes:
            return []
        with self.db.read() as conn:
            last = conn.execute(
                select(Device.last_seq).where(Device.id == self.person.device_id)
            ).scalar_one()
        ops = self.operations(last + 1)
        caller = Caller(self.person.device_id, self.person.site, self.person.device_role,
                        f"console: {self.person.name}")  # fmt: skip
        answer = push(self.db.sessions, caller, ops, lang)
        for result in answer.results:
            if result.status == "rejected":
                raise Refused(result.code or "rejected", result.message or "")
        self.changes.clear()
        return answer.results


def run(db: Database, person: Person, lang: str, action: Any) -> Any:
    """Run ``action(store)`` — a device rule on a :class:`FeedStore` — in the person's
    language, then push its changes. Returns what the action returned."""
    with _language:
        before = get_language()
        set_language(lang)
        try:
            store = FeedStore(db, person)
            result = action(store)
            store.commit(lang)
            return result
        finally:
            set_language(before)
