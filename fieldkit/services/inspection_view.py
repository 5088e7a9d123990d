"""One submitted inspection, to read: what the flat's card opens from its last inspections.

The checklist's title, the place, who did it and when, each answered item with its answer,
each finding with its note and photos, and the cases the round raised — a violation it
found again while still open (``renovation.found_again``) said as such. Answers and
findings are worded as everywhere else (:mod:`fieldkit.checklists.wording`, the same words a
case keeps of its round), read through the run's own view (:func:`runs.read_only`), in both
languages so a switch of language redraws without reading again. Only that inspection's
record and its cases are read, however long the flat's history; one recorded by another
device (synced) reads the same.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

from fieldkit.checklists.wording import answer_words, failure_words
from fieldkit.config import LANGUAGES as LANGS
from fieldkit.services import cases as case_rules
from fieldkit.services.findings import photos
from fieldkit.services.types import CaseRow, Text

if TYPE_CHECKING:
    from fieldkit.services.runs import RunView, Step
    from fieldkit.services.workspace import Workspace


@dataclass(frozen=True)
class AnsweredItem:
    label: Text
    answer: Text  # in words: 合格 / 不合格, "0.8 MPa", an option's label, the photos' names
    failed: bool
    note: str = ""
    asset: Text | None = None  # the equipment of a repeated section's pass


@dataclass(frozen=True)
class Finding:
    wording: Text  # the fault, as the case it raised is titled
    note: str
    photos: str  # the photos' names, "" for none
    asset: Text | None = None


@dataclass(frozen=True)
class RaisedCase:
    row: CaseRow
    again: bool  # an open case the round found again, not a case of its own


@dataclass(frozen=True)
class InspectionView:
    id: str
    title: Text
    place: Text
    by: str
    submitted: float
    answers: tuple[AnsweredItem, ...]
    findings: tuple[Finding, ...]
    cases: tuple[RaisedCase, ...]

    @property
    def ref(self) -> str:
        return self.id[-6:]


def _words(run: RunView, step: Step) -> Text:
    value = run.value(step)
    if step.item.type == "photo":
        from fieldkit.services.runs import photo_names

        names = photo_names(run.attachments_of(step))
        return {lang: names for lang in LANGS}
    return {lang: answer_words(step.item, value, lang) for lang in LANGS}


def _asset(step: Step) -> Text | None:
    asset = step.asset
    return None if asset is None else {lang: asset.label(lang) for lang in LANGS}


def read(ws: Workspace, inspection_id: str, now: float | None = None) -> InspectionView | None:
    """The inspection ``inspection_id`` as the screen shows it; None when this device has no
    such record, or not the checklist or the place it was done on."""
    from fieldkit.services.renovation import FOUND_AGAIN
    from fieldkit.services.runs import photo_names, read_only

    inspection = ws.store.get_inspection(inspection_id)
    if inspection is None:
        return None
    checklist = ws.checklist(inspection.checklist.id)
    target = ws.target(inspection.target.id)
    if checklist is None or target is None:
        return None
    run = read_only(ws, inspection, checklist, target)
    failed = {s.key for s in run.failures()}
    answers = tuple(
        AnsweredItem(label=s.item.label.to_dict(), answer=_words(run, s), failed=s.key in failed,
                     note=run.note_of(s), asset=_asset(s))
        for s in run.steps()
        if run.answered(s)
    )  # fmt: skip
    findings = tuple(
        Finding(
            wording={lang: failure_words(s.item, run.value(s), lang) for lang in LANGS},
            note=run.note_of(s), photos=photo_names(photos(run, s)), asset=_asset(s),
        )
        for s in run.failures()
    )  # fmt: skip
    now = time.time() if now is None else now
    places = ws.places_named()
    raised = []
    for case_id in inspection.cases:
        case = ws.store.get_case(case_id)
        if case is None:
            continue
        again = any(e.type == FOUND_AGAIN and (e.data or {}).get("inspection") == inspection.id
                    for e in case.events)  # fmt: skip
        raised.append(RaisedCase(case_rules.entry(case.to_dict(), places).row(now), again))
    return InspectionView(
        id=inspection.id,
        title=checklist.title.to_dict(),
        place={lang: target.label(lang) for lang in LANGS},
        by=inspection.inspector,
        submitted=case_rules.epoch(inspection.submitted_at or inspection.started_at),
        answers=answers,
        findings=findings,
        cases=tuple(raised),
    )
