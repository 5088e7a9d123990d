"""A role never overwrites a personal value it received masked.

A patrol device holds ``王**`` where the office holds ``王秀英``; when it pushes the case
back (it changed only the assignee) the office keeps ``王秀英``. Every value the caller's
role may not see in full (:func:`fieldkit.model.personal.keep_real`, by the model's one
declaration of personal data) is taken from the stored record before the push is merged,
whether the device sent the mask or something else; a value the office holds empty, or not
at all, is the device's to write. What a device sent other than the mask it was given goes
to the conflict log, so the office sees it and nothing is lost.
"""

from __future__ import annotations

from typing import Any

from fieldkit.model.personal import keep_real, value_at


def path_text(path: tuple[Any, ...]) -> str:
    """``("timeline", ("#", "e1"), "data", "phone")`` -> ``timeline[e1].data.phone``."""
    out = ""
    for step in path:
        if isinstance(step, tuple):
            out += f"[{step[1]}]"
        elif isinstance(step, int):
            out += f"[{step}]"
        else:
            out += f".{step}" if out else str(step)
    return out


def keep_stored_personal(
    role: str, kind: str, body: dict[str, Any], stored: dict[str, Any] | None
) -> tuple[dict[str, Any], dict[str, Any] | None]:
    """The body to apply, and the conflict-log detail when the device sent a personal
    value other than the mask it was given (None when there is nothing to log)."""
    if role == "office" or stored is None:
        return body, None
    kept, overridden = keep_real(kind, body, stored, role)
    if not overridden:
        return kept, None
    sent = {path_text(path): value_at(body, path) for path in overridden}
    return kept, {"personal_kept": sorted(sent), "sent": sent}
