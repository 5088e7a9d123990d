"""Durations written in checklists (``30m``, ``4h``, ``3d``, ``1w``): parsed in this one place."""

from __future__ import annotations

import re
from datetime import timedelta

_DURATION = re.compile(r"^([1-9][0-9]{0,5})([mhdw])$")
_UNITS = {"m": "minutes", "h": "hours", "d": "days", "w": "weeks"}


def parse_duration(text: str) -> timedelta | None:
    """``"4h"`` → 4 hours; None when the text is not a whole number followed by m, h, d or w."""
    match = _DURATION.match(text.strip()) if isinstance(text, str) else None
    if match is None:
        return None
    return timedelta(**{_UNITS[match.group(2)]: int(match.group(1))})


def duration_parts(text: str) -> tuple[int, str] | None:
    """``"4h"`` → ``(4, "h")``, for showing a duration in words; None when malformed."""
    match = _DURATION.match(text.strip()) if isinstance(text, str) else None
    return (int(match.group(1)), match.group(2)) if match else None
