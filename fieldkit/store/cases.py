"""Cases in the store: findings, repairs, complaints, violations and disputes, each change
queued for the office in the write that makes it."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any

from fieldkit.model import AttachmentRef, Case, Event, Target, new_id
from fieldkit.store.layout import DELETED, is_finished


class Cases:
    """Part of :class:`~fieldkit.store.store.Store`: cases."""

    def create_case(self, kind: str, target: Target, *, by: str = "", **fields: Any) -> Case:
        """A new case (fields: category, severity, department, assignee, due, title,
        description, site_id, source_inspection, source_item), queued for the office."""
        with self._write():
            hlc = self._stamp()
            case = Case.new(
                new_id(), kind, target, hlc, device=self.device_id, created_by=by, **fields
            )
            self._put("case", case)
            self._enqueue("case", case, "create", hlc)
        return case

    def add_case_once(self, case: Case) -> bool:
        """Keep ``case`` and queue it for the office, unless this device already has a case
        with its id (live, archived, or deleted by the office). For a case every device
        makes with the same id and content — a missed scheduled run — so noticing it again,
        here or elsewhere, adds nothing. True when it was added."""
        case.validate()
        with self._write():
            if self._table(DELETED).doc(f"case/{case.id}") is not None:
                return False
            if self._doc("case", case.id) is not None:
                return False
            hlc = self._stamp()
            self._put("case", case)
            self._enqueue("case", case, "create", hlc)
        return True

    def update_case(self, case_id: str, *, by: str = "", **changes: Any) -> Case:
        """Change last-writer-wins fields; an event records what changed and who changed it."""
        return self._update(Case, case_id, by, changes)

    def set_case_status(self, case_id: str, status: str, *, by: str = "", note: str = "") -> Case:
        return self._set_status(Case, case_id, status, by, note, reopen=False)

    def reopen_case(
        self, case_id: str, *, by: str = "", note: str = "", status: str = "open"
    ) -> Case:
        return self._set_status(Case, case_id, status, by, note, reopen=True)

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
        return self._add_event(Case, case_id, type, text, by, attachments, data, at)

    def get_case(self, case_id: str) -> Case | None:
        return self._record("case", case_id)

    def open_cases(self, target_id: str | Collection[str] | None = None) -> list[Case]:
        """Unfinished cases; with ``target_id`` (one id, or several: a place and its
        equipment), only those on it (filtered before the records are built, so a unit card
        stays cheap with thousands open)."""
        if target_id is None:
            return self._live(Case, lambda d: not is_finished("case", d))
        ids = {target_id} if isinstance(target_id, str) else set(target_id)
        return self._live(
            Case,
            lambda d: (d.get("target") or {}).get("id") in ids and not is_finished("case", d),
        )
