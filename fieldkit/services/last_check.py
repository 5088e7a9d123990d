"""An asset's latest check, from whichever round covered it.

A floor round walks every extinguisher on its route, one pass each; an extinguisher's card
read only the rounds started from the extinguisher itself, and said "never done here" of a
unit the stairwell round had checked the week before. The last-run index says when each
checklist was last submitted on the asset, its route and its building; the latest of those
whose answers speak of this asset is read, and only that asset's pass of it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fieldkit.checklists.runtime import Pass, evaluate_run, pass_key
from fieldkit.config import LANGUAGES
from fieldkit.i18n import plural, t
from fieldkit.model import localtime, split_answer_key
from fieldkit.services import cases as case_rules
from fieldkit.services.types import Target, Text, pick

#: Failed items named on the card; more are counted.
NAMED = 3


@dataclass(frozen=True)
class LastCheck:
    at: float  # epoch seconds the round was submitted
    title: Text  # the checklist's title
    where: Target  # what the round was started on: the asset itself, or a route walking it
    failed: tuple[Text, ...]  # each failed item as the finding is worded


def latest_check(ws: Any, asset: Target) -> LastCheck | None:
    """The latest submitted round with answers about ``asset``: its own, or a round of a
    route or building whose repeated section takes it. None when none did."""
    attrs = ws.places.assets.get(asset.id)
    if attrs is None:
        return None
    places = [asset, *(ws.places.by_code.get(str(attrs.get(k) or "").lower())
                       for k in ("route", "building"))]  # fmt: skip
    last = ws.store.last_runs()  # only this asset's few entries are read as times, below
    found = []
    for checklist in ws.checklists().values():
        walks = [s for s in checklist.sections if s.repeat is not None and s.repeat.matches(attrs)]
        for place in places:
            if place is None or (place is not asset and not walks):
                continue
            if (checklist.id, place.id) in last:
                at = case_rules.epoch(last[(checklist.id, place.id)])
                found.append((at, checklist, place, walks))
    for at, checklist, place, walks in sorted(found, key=lambda f: f[0], reverse=True):
        failed = _failed(ws, checklist, place, asset, attrs, walks)
        if failed is not None:
            return LastCheck(at, checklist.title.to_dict(), place, failed)
    return None


def _failed(ws, checklist, place: Target, asset: Target, attrs, walks) -> tuple | None:
    """What failed in the asset's part of the last run of ``checklist`` on ``place``; None
    when that run has no answer about the asset (it was added to the route since)."""
    run_id = ws.store.last_run_id(checklist.id, place.id)
    inspection = ws.store.get_inspection(run_id) if run_id else None
    if inspection is None:
        return None
    if place.id == asset.id:
        passes = tuple(Pass(s) for s in checklist.sections if s.repeat is None)
        mine = {k: a for k, a in inspection.answers.items() if split_answer_key(k)[1] is None}
    else:
        passes = tuple(Pass(s, attrs) for s in walks)
        mine = {k: a for k, a in inspection.answers.items()
                if split_answer_key(k)[1] == asset.id}  # fmt: skip
    if not mine:
        return None
    answers: dict[str, dict[str, Any]] = {}
    for key, answer in mine.items():
        item_id, asset_id = split_answer_key(key)
        item = checklist.item(item_id)
        if item is not None:
            answers.setdefault(pass_key(item.section_id, asset_id), {})[item_id] = answer.value
    state = evaluate_run(checklist, answers, passes=passes)
    return tuple((s.item.fail_label or s.item.label).to_dict() for s in state.failures)


def card_line(ws: Any, asset: Target) -> Text | None:
    """What an asset's card says of its latest check, in both languages."""
    check = latest_check(ws, asset)
    if check is None:
        return None
    out = {}
    for lang in LANGUAGES:
        where = "" if check.where.id == asset.id else " " + check.where.code
        if check.failed:
            named = [pick(f, lang) for f in check.failed[:NAMED]]
            if len(check.failed) > NAMED:
                named.append("…")
            result = plural("ui.target.check_failed", len(check.failed), lang,
                            items=t("checklists.words.options_sep", lang).join(named))  # fmt: skip
        else:
            result = t("ui.target.check_normal", lang)
        out[lang] = t("ui.target.last_check", lang, at=localtime.fmt(check.at, "minute"),
                      title=pick(check.title, lang), where=where, result=result)  # fmt: skip
    return out
