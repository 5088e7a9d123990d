"""Inspections: a run of a checklist against a target (DESIGN §3).

:class:`Inspection` — a run of a checklist (:class:`~fieldkit.model.values.ChecklistRef`: id,
version, content hash) against a :class:`~fieldkit.model.values.Target`.
``set_answer(key, value, hlc)`` while a draft; ``submit`` locks it (later changes raise
:class:`~fieldkit.model.base.RecordLocked`); ``correction(...)`` starts a new draft that
``supersedes`` it. Answers are keyed by item id, or ``item@asset`` for one pass of a repeated
section (:func:`answer_key`, :func:`split_answer_key`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar

from fieldkit.model.base import (
    ModelError,
    Plain,
    RecordLocked,
    as_stamp,
    check_hlc,
    copy_value,
    need_in,
    need_str,
    now_iso,
)
from fieldkit.model.hlc import HLC
from fieldkit.model.values import AttachmentRef, ChecklistRef, Target


@dataclass(slots=True)
class Answer(Plain):
    """One answer: its value (any JSON value), when it was given, and optional extras."""

    value: Any
    hlc: str
    note: str = ""
    attachments: list[AttachmentRef] = field(default_factory=list)
    NESTED: ClassVar[dict[str, tuple[str, type]]] = {"attachments": ("list", AttachmentRef)}
    REQUIRED: ClassVar[tuple[str, ...]] = ("hlc",)

    def validate(self) -> None:
        check_hlc(self.hlc, "Answer.hlc")


def answer_key(item_id: str, asset_id: str | None = None) -> str:
    """The key of an answer: the item id, or ``item@asset`` in a repeated section's pass."""
    if not item_id or "@" in item_id:
        raise ModelError(f"bad item id {item_id!r}")
    return f"{item_id}@{asset_id}" if asset_id else item_id


def split_answer_key(key: str) -> tuple[str, str | None]:
    """``"pressure@a1"`` -> ``("pressure", "a1")``; ``"note"`` -> ``("note", None)``."""
    item, _, asset = key.partition("@")
    return item, asset or None


#: A discarded draft is kept (never deleted) but can no longer change or be resumed.
INSPECTION_STATUSES = ("draft", "submitted", "discarded")


@dataclass(slots=True)
class Inspection(Plain):
    ENTITY: ClassVar[str] = "inspection"
    NESTED: ClassVar[dict[str, tuple[str, type]]] = {
        "checklist": ("one", ChecklistRef),
        "target": ("one", Target),
        "answers": ("dict", Answer),
    }
    REQUIRED: ClassVar[tuple[str, ...]] = ("id", "checklist", "target", "hlc")

    id: str
    checklist: ChecklistRef
    target: Target
    hlc: str
    site_id: str | None = None
    inspector: str = ""
    device: str = ""
    status: str = "draft"
    answers: dict[str, Answer] = field(default_factory=dict)
    started_at: str = field(default_factory=now_iso)
    submitted_at: str | None = None
    supersedes: str | None = None
    cases: list[str] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)

    def validate(self) -> None:
        need_str(self, "id")
        need_in(self, "status", INSPECTION_STATUSES)
        check_hlc(self.hlc, "Inspection.hlc")
        need_str(self, "site_id", "supersedes", "submitted_at", optional=True)

    @property
    def submitted(self) -> bool:
        return self.status == "submitted"

    def _unlocked(self) -> None:
        if self.status != "draft":
            raise RecordLocked(f"inspection {self.id} is {self.status} and cannot change")

    def set_answer(
        self,
        key: str,
        value: Any,
        hlc: HLC | str,
        note: str = "",
        attachments: list[AttachmentRef] | None = None,
    ) -> Answer:
        self._unlocked()
        item, asset = split_answer_key(key)
        answer_key(item, asset)
        answer = Answer(value=copy_value(value), hlc=as_stamp(hlc), note=note)
        answer.attachments = list(attachments or [])
        self.answers[key] = answer
        self.hlc = answer.hlc
        return answer

    def clear_answer(self, key: str, hlc: HLC | str) -> None:
        self._unlocked()
        self.answers.pop(key, None)
        self.hlc = as_stamp(hlc)

    def link_case(self, case_id: str, hlc: HLC | str) -> None:
        self._unlocked()
        if case_id not in self.cases:
            self.cases.append(case_id)
        self.hlc = as_stamp(hlc)

    def submit(self, hlc: HLC | str, at: str | None = None) -> None:
        self._unlocked()
        self.status = "submitted"
        self.submitted_at = at or now_iso()
        self.hlc = as_stamp(hlc)

    def discard(self, hlc: HLC | str, by: str = "", at: str | None = None) -> None:
        """Set the draft aside for good: it stays on record, marked who and when."""
        self._unlocked()
        self.status = "discarded"
        self.extra["discarded"] = {"by": by, "at": at or now_iso()}
        self.hlc = as_stamp(hlc)

    def correction(self, new_id: str, hlc: HLC | str, inspector: str = "") -> Inspection:
        """A new draft that supersedes this submitted run, starting from its answers."""
        if not self.submitted:
            raise ModelError("only a submitted inspection can be corrected")
        copy = Inspection.from_dict(self.to_dict())
        return Inspection(
            id=new_id,
            checklist=copy.checklist,
            target=copy.target,
            hlc=as_stamp(hlc),
            site_id=copy.site_id,
            inspector=inspector or self.inspector,
            device=self.device,
            answers=copy.answers,
            supersedes=self.id,
        )
