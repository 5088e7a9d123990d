"""What a case raised by a checklist keeps of the round: the evidence a reader needs.

A failed item becomes a case (``Run.submit``) titled with the finding in the reader's
words — the fault and the failing answer ("灭火器压力不足：0.8 MPa，应在 1.0–1.4 MPa"),
never the pass wording — and carrying, under ``extra["finding"]``: the answer given and
what was expected, the patroller's note on the item and any text the checklist asked for
about it, the round (inspection, checklist), the place and the asset. The photos taken
for it are attached to the case; ``created_by`` is the person signed in.

Which photos and remarks belong to a failed item: its own attachments and note, and the
photo and text items whose ``show_if`` / ``required_if`` refer to it (the checklist asks
for them because of it) or that sit unconditioned in the same pass (the same asset of a
repeated section) — outside repeated sections, anywhere in the round (a round's closing
note speaks of all it found). A choice that cannot fail, asked because of it, is what was done about
it ("换备品：没有备品，已贴停用标签、留在原处"): its answer is a remark in both languages,
so the one case of the fault says it, rather than a second case that names no fault; so is
the answer of one that can fail but did not ("违规施工制止情况：已当场制止": the violation
stays a violation, stopped on the spot).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from fieldkit.checklists.wording import (
    answer_words,
    expected_words,
    failing_options,
    failure_words,
)
from fieldkit.config import LANGUAGES as LANGS
from fieldkit.i18n import t
from fieldkit.services.types import Target, Text

if TYPE_CHECKING:
    from fieldkit.services.runs import RunView, Step


def _related(run: RunView, step: Step, kind: str) -> list[Step]:
    """The visible ``kind`` (photo / text) steps that belong to ``step``'s finding."""
    out = []
    for other in run.steps():
        if other.item.type != kind or other.key == step.key:
            continue
        if other.section.repeat is not None and other.pass_key != step.pass_key:
            continue  # another asset's pass
        refs: set[str] = set()
        for cond in (other.item.show_if, other.item.required_if):
            if cond is not None:
                refs |= cond.refs
        whole_round = step.section.repeat is None and other.section.repeat is None
        if step.item.id in refs or (not refs and (whole_round or other.pass_key == step.pass_key)):
            out.append(other)
    return out


def _because_of(run: RunView, step: Step, other: Step) -> bool:
    """Whether ``other`` is asked only because of ``step``'s answer: hidden were ``step``
    and the round's other faults unanswered (a spare asked after a fault; whether the
    violating work was stopped, asked after any of the violations), not merely shown unless
    it fails (the extinguisher's type, left out when the unit is missing)."""
    from fieldkit.checklists.expressions import evaluate

    if other.item.show_if is None:
        return False
    by_pass = run.by_pass()
    values: dict[str, Any] = {}
    for key, answers in by_pass.items():
        if key == step.pass_key or "@" not in key:
            values.update(answers)
    values.update(by_pass.get(step.pass_key, {}))
    faults = {step.item.id}
    faults |= {
        s.item.id for s in run.failures() if s.pass_key == step.pass_key or "@" not in s.pass_key
    }
    return not evaluate(
        other.item.show_if.tree, lambda name: None if name in faults else values.get(name)
    )


def _place(target: Any) -> dict[str, Any] | None:
    if target is None:
        return None
    return {"id": target.id, "kind": target.kind, "code": target.code, "name": dict(target.name)}


def evidence(run: RunView, step: Step) -> dict[str, Any]:
    """The finding of one failed step, as the case keeps it (plain JSON)."""
    item = step.item
    value = run.value(step)
    remarks = []
    for other in _related(run, step, "text"):
        text = run.value(other)
        if isinstance(text, str) and text.strip():
            remarks.append({"label": other.item.label.to_dict(), "text": text.strip()})
    for other in _related(run, step, "choice"):
        chosen = run.value(other)
        if (chosen is not None and not failing_options(other.item, chosen)
                and _because_of(run, step, other)):  # fmt: skip
            said = {lang: answer_words(other.item, chosen, lang) for lang in LANGS}
            remarks.append({"label": other.item.label.to_dict(), "text": said,
                            "item": other.item.id, "value": chosen})  # fmt: skip
    checklist = run.checklist
    return {
        "item": item.id,
        "key": step.key,
        "type": item.type,
        "label": item.label.to_dict(),
        "wording": {lang: failure_words(item, value, lang) for lang in LANGS},
        "answer": {lang: answer_words(item, value, lang) for lang in LANGS},
        "expected": {lang: expected_words(item, lang) for lang in LANGS},
        "value": value,
        "note": run.note_of(step),
        "remarks": remarks,
        "inspection": run.id,
        "checklist": {
            "id": checklist.id,
            "version": checklist.version,
            "title": checklist.title.to_dict(),
        },
        "by": run.actor,
        "place": _place(run.target),
        "asset": _place(step.asset),
    }


@dataclass(frozen=True)
class OpenCase:
    """A case still open on what a round starts on, that the round may find again: an
    owner's violation on the flat (``renovation.open_by_item``), or a patrol finding on the
    place or one of its equipment (:func:`open_by_step`). A round that finds the same fault
    adds to it (``renovation.found_again``) instead of raising another case."""

    id: str
    since: float  # when it was first found
    due: float
    kind: str = "violation"

    @property
    def ref(self) -> str:
        return self.id[-6:]


def open_by_step(ws: Any, checklist_id: str, target: Any, assets: Any) -> dict[str, OpenCase]:
    """The patrol findings a round of ``checklist_id`` on ``target`` raised earlier and that
    are still open, by the answer key of the item that raised each (``item@asset``: the
    same item on the same extinguisher); the first raised where there are two."""
    from fieldkit.services import cases as case_rules

    if target is None:
        return {}
    ids = {target.id, *(asset.id for asset, _ in assets)}
    out: dict[str, OpenCase] = {}
    for case in sorted(ws.store.open_cases(ids), key=lambda c: c.created_at):
        if case.kind == "finding" and case.category == checklist_id and case.source_item:
            since, due = case_rules.epoch(case.created_at), case_rules.epoch(case.due)
            out.setdefault(case.source_item, OpenCase(case.id, since, due, "finding"))
    return out


def title(found: dict[str, Any]) -> dict[str, str]:
    """The case title in both languages: the finding, and the asset's code where there is one."""
    asset = found.get("asset")
    out = {}
    for lang in LANGS:
        text = found["wording"][lang]
        out[lang] = t("findings.asset", lang, text=text, code=asset["code"]) if asset else text
    return out


def description(found: dict[str, Any]) -> str:
    """The case's description: the patroller's own words about this item."""
    lines = [found.get("note") or ""]
    lines += [r["text"] for r in found.get("remarks") or () if isinstance(r.get("text"), str)]
    return "\n".join(line for line in lines if line)


def photos(run: RunView, step: Step) -> tuple[Any, ...]:
    """The attachments to put on the case: the item's own, then its photo items'."""
    seen: set[str] = set()
    out = []
    for s in [step, *_related(run, step, "photo")]:
        answer = run.inspection.answers.get(s.key)
        for ref in answer.attachments if answer else ():
            if ref.sha256 not in seen:
                seen.add(ref.sha256)
                out.append(ref)
    return tuple(out)


@dataclass(frozen=True)
class FindingView:
    """A case's evidence as the detail screen shows it (texts in both languages)."""

    by: str
    wording: Text
    answer: Text
    expected: Text
    type: str
    note: str
    remarks: tuple[tuple[Text, Text | str], ...]  # a typed text, or a choice in both languages
    inspection: str
    checklist: Text
    place: str
    asset: str

    @property
    def has_answer(self) -> bool:
        """A check's answer is just "fail": the wording already says it."""
        return self.type in ("number", "choice", "multi")


def _where(place: Any, lang: str | None = None) -> str:
    if not isinstance(place, dict):
        return ""
    name = place.get("name") if isinstance(place.get("name"), dict) else {}
    target = Target(str(place.get("id", "")), str(place.get("kind", "")),
                    str(place.get("code", "")), name)  # fmt: skip
    return target.label(lang).strip()


def view(store: Any, case_id: str) -> FindingView | None:
    """The evidence on a case; None for a case that no checklist raised (and no person)."""
    case = store.get_case(case_id)
    if case is None:
        return None
    found = case.extra.get("finding")
    if not isinstance(found, dict):
        if not case.created_by:
            return None
        found = {}

    def text(key: str) -> Text:
        value = found.get(key)
        return value if isinstance(value, dict) else {}

    remarks = tuple(
        (r.get("label") or {}, r["text"] if isinstance(r.get("text"), dict) else str(r.get("text")))
        for r in found.get("remarks") or ()
        if isinstance(r, dict) and r.get("text")
    )
    checklist = found.get("checklist") if isinstance(found.get("checklist"), dict) else {}
    return FindingView(
        by=case.created_by,
        wording=text("wording"),
        answer=text("answer"),
        expected=text("expected"),
        type=str(found.get("type", "")),
        note=str(found.get("note") or ""),
        remarks=remarks,
        inspection=str(found.get("inspection") or case.source_inspection or ""),
        checklist=checklist.get("title") or {},
        place=_where(found.get("place")),
        asset=_where(found.get("asset")),
    )
