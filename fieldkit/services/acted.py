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
        by_id = {o.id: o for o in item.options}
        for key, answer in answers.items():
            item_id, _, asset = key.partition("@")
            if item_id != item.id:
                continue
            value = getattr(answer, "value", None)
            chosen = value if isinstance(value, list) else [value]
            for option_id in chosen:
                option = by_id.get(option_id) if isinstance(option_id, str) else None
                if option is not None and option.acted:
                    note = getattr(answer, "note", "") or ""
                    found.append(Acted(item.label, option.label, note, asset))
    return found
