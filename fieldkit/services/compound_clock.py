"""The compound's clock: its wall time and shift starts, from its site record's
``utc_offset`` (``"+08:00"``) and ``shifts`` (``["08:00", "20:00"]``).

Apart from the due list (``services.schedules``) because every workspace reads it when it
opens, before the first screen's data: it needs the schedule's ``Clock``, not the checklist
loader the due list brings (issue 17).
"""

from __future__ import annotations

import re
from typing import Any

from fieldkit.checklists.schedule import Clock

_OFFSET = re.compile(r"^([+-])([01]\d|2[0-3]):?([0-5]\d)$")
_HHMM = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")


def clock_of(store: Any) -> Clock:
    """The compound's clock from its site record; a value that cannot be read is left at
    the default (UTC+8, shifts at 08:00 and 20:00)."""
    default = Clock()
    sites = store.reference("site")
    extra = sites[0].extra if sites and isinstance(sites[0].extra, dict) else {}
    offset = default.offset_minutes
    match = _OFFSET.match(str(extra.get("utc_offset", "")).strip())
    if match:
        sign, hours, minutes = match.groups()
        offset = (1 if sign == "+" else -1) * (int(hours) * 60 + int(minutes))
    starts = default.shift_starts
    shifts = extra.get("shifts")
    if isinstance(shifts, list) and shifts:
        found = [_HHMM.match(str(s).strip()) for s in shifts[:12]]
        if all(found):
            starts = tuple(sorted({int(m.group(1)) * 60 + int(m.group(2)) for m in found if m}))
    return Clock(offset, starts)
