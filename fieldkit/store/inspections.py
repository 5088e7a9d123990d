"""Inspections in the store: a draft autosaves every answer; a submit locks it and queues it
for the office in the same write; a correction is a new draft that supersedes it."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from fieldkit.model import AttachmentRef, ChecklistRef, Inspection, ModelError, Target, new_id


class Inspections:
    """Part of :class:`~fieldkit.store.store.Store`: inspections (drafts are not synced)."""

    def create_inspection(
        self,
        checklist: ChecklistRef,
        target: Target,
        *,
        site_id: str | None = None,
        inspector: str = "",
        supersedes: str | None = None,
    ) -> Inspection:
        """A new draft run of ``checklist`` against ``target`` (drafts are not synced)."""
        with self._write():
            inspection = Inspection(
                id=new_id(),
                checklist=checklist,
                target=target,
                hlc=self._stamp(),
                site_id=site_id,
                inspector=inspector,
                device=self.device_id,
                supersedes=supersedes,
            )
            self._put("inspection", inspection)
        return inspection

    def save_answer(
        self,
        inspection_id: str,
        item_key: str,
        value: Any,
        *,
        note: str = "",
        attachments: Sequence[AttachmentRef] = (),
    ):
        """Save one answer of a draft durably; returns the :class:`Answer` when on disk
        (one fsynced line of the answer journal, see :mod:`fieldkit.store.journal`)."""
        with self._write(journaled=True):
            inspection = self._need(Inspection, inspection_id)
            self._check_blobs(attachments)
            answer = inspection.set_answer(
                item_key, value, self._stamp(), note=note, attachments=list(attachments)
            )
            self._put("inspection", inspection)
        return answer

    def clear_answer(self, inspection_id: str, item_key: str) -> None:
        with self._write(journaled=True):
            inspection = self._need(Inspection, inspection_id)
            inspection.clear_answer(item_key, self._stamp())
            self._put("inspection", inspection)

    def link_case(self, inspection_id: str, case_id: str) -> None:
        """Note on a draft that ``case_id`` was raised from it."""
        with self._write():
            inspection = self._need(Inspection, inspection_id)
            inspection.link_case(case_id, self._stamp())
            self._put("inspection", inspection)

    def submit_inspection(self, inspection_id: str) -> Inspection:
        """Lock the draft and queue it for the office, in one write."""
        with self._write():
            inspection = self._need(Inspection, inspection_id)
            for answer in inspection.answers.values():
                self._check_blobs(answer.attachments)
            hlc = self._stamp()
            inspection.submit(hlc)
            self._put("inspection", inspection)
            self._enqueue("inspection", inspection, "submit", hlc)
        self._archive_if_due()
        return inspection

    def correct_inspection(self, inspection_id: str, inspector: str = "") -> Inspection:
        """A new draft superseding a submitted inspection, starting from its answers."""
        with self._write():
            old = self._need(Inspection, inspection_id)
            draft = old.correction(new_id(), self._stamp(), inspector=inspector)
            draft.device = self.device_id
            self._put("inspection", draft)
        return draft

    def discard_draft(self, inspection_id: str, *, by: str = "") -> Inspection:
        """Mark a draft discarded; it is kept on record (drafts are not synced)."""
        with self._write():
            inspection = self._need(Inspection, inspection_id)
            if inspection.status != "draft":
                raise ModelError(f"a {inspection.status} inspection cannot be discarded")
            inspection.discard(self._stamp(), by=by)
            self._put("inspection", inspection)
        return inspection

    def get_inspection(self, inspection_id: str) -> Inspection | None:
        return self._record("inspection", inspection_id)

    def drafts(self) -> list[Inspection]:
        return self._live(Inspection, lambda d: d.get("status") == "draft")
