"""What a round found and put right on the spot: an answer whose option the checklist marks
``acted`` (发现常开，已关闭 — a fire door found open and shut there and then). It raises no
case, but it was found: the review says so before submitting and the home's "submitted
today" line counts it, where both read 全部正常 / all normal (nc27: a propped fire door, and
where, vanished from view once the round was submitted)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Acted:
    """One answer put right on the spot: the item, what was done, the guard's note on it."""

    item: Any  # the item's label (checklists.definition.Text)
    done: Any  # the option's label
    note: str = ""
    asset: str = ""  # the asset's id in a repeated section's pass


def acted(checklist: Any, answers: dict[str, Any]) -> list[Acted]:
    """The answers of a run (``Inspection.answers``) put right on the spot, in the
    checklist's order."""
    found = []
    for item in checklist.items():
        if item.type not in ("choice", "multi") or not any(o.acted for o in item.options):
            continue
        for key, answer in answers.items():
            item_id, _, asset = key.partition("@")
            if item_id != item.id:
                continue
            note = getattr(answer, "note", "") or ""
            for option in acted_options(item, getattr(answer, "value", None)):
                found.append(Acted(item.label, option.label, note, asset))
    return found


def acted_options(item: Any, value: Any) -> list[Any]:
    """The options of a choice or multi answer ``value`` that were put right on the spot."""
    chosen = value if isinstance(value, list) else [value]
    by_id = {o.id: o for o in getattr(item, "options", ())}
    return [by_id[c] for c in chosen if isinstance(c, str) and c in by_id and by_id[c].acted]
