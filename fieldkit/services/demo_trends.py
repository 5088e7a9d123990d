"""The demo's year with the shape a real compound's year has, for the trends to show:

- **seasonal leaks**: leaks (repairs and complaints) rise with the plum rains and typhoons,
  June to September, and come most from the top floors under the roofs of building 3;
- **one building's lifts**: building 1's old lifts break down every month or two, the
  others' hardly ever;
- **a renovation season's noise**: complaints about neighbours' renovation peak in spring
  (after the Spring Festival, March to May) and in autumn (September to November), when
  owners renovate.

The cases are closed history, written as the rest of the demo's are
(:func:`fieldkit.services.demo._history_records`, as if pulled from the office), in
numbers that grow with the demo's size: about half as many again as ``cases``.
"""

from __future__ import annotations

import random
from datetime import datetime
from typing import Any

from fieldkit.checklists.lifecycle import URGENCIES
from fieldkit.model import Target as ModelTarget
from fieldkit.services import lifecycle
from fieldkit.services.cases import iso
from fieldkit.services.intake import CONTACTS, SEVERITY

DAY = 86400.0
BASE = 120  # the demo size the weights below are for
#: (kind, category, cases per month Jan..Dec at BASE, weight per building 1..3, top floors)
PATTERNS = (
    ("repair", "water_leak", (0, 0, 1, 1, 2, 5, 6, 5, 3, 1, 0, 0), (1, 1, 3), True),
    ("complaint", "water_leak", (0, 0, 0, 0, 1, 2, 3, 2, 1, 0, 0, 0), (1, 1, 3), True),
    ("repair", "lift", (2, 2, 2, 2, 2, 2, 3, 3, 2, 2, 2, 3), (12, 1, 1), False),
    ("complaint", "renovation", (0, 0, 3, 4, 3, 1, 0, 0, 2, 3, 2, 0), (1, 1, 1), False),
)


def _months_back(now: float, count: int = 12) -> list[tuple[float, float]]:
    """The (start, end) timestamps of the ``count`` whole months before this one."""
    today = datetime.fromtimestamp(now).astimezone()
    year, month = today.year, today.month
    out = []
    for _ in range(count):
        end = datetime(year, month, 1).astimezone().timestamp()
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
        out.append((datetime(year, month, 1).astimezone().timestamp(), end))
    return out


def specs(refs: dict[str, list[Any]], cases: int, rng: random.Random, now: float) -> list[dict]:
    """The pattern cases as the demo's history specs (closed, each on a flat)."""
    from fieldkit.services.demo import _DEFAULT_DEPARTMENT, _DEPARTMENT, _TITLES

    code_of = {b.id: b.code for b in refs["building"]}
    flats: dict[str, list[Any]] = {}
    for unit in refs["unit"]:
        flats.setdefault(code_of.get(unit.building_id, ""), []).append(unit)
    top = max((u.floor or 0 for u in refs["unit"]), default=0)
    scale = cases / BASE
    out = []
    for start, end in _months_back(now):
        month = datetime.fromtimestamp(start).astimezone().month
        for kind, category, per_month, weights, high in PATTERNS:
            expected = per_month[month - 1] * scale
            count = int(expected) + (rng.random() < expected - int(expected))
            for _ in range(count):
                building = rng.choices(["1", "2", "3"], weights)[0]
                pool = flats.get(building) or refs["unit"]
                if high:  # leaks under the roof: the top three floors
                    pool = [u for u in pool if (u.floor or 0) >= top - 2] or pool
                place = rng.choice(pool)
                life = lifecycle.for_kind(kind)
                forward = [s.id for s in life.states if s.id != "cancelled"]
                created = start + rng.random() * (end - start - 3 * DAY)
                urgency = rng.choices(URGENCIES, (1, 3, 10, 3))[0]
                span = life.urgency.get(urgency)
                zh, en = rng.choice(_TITLES[category])
                out.append({
                    "kind": kind, "created": created, "status": forward[0],
                    "path": forward[1:], "target": ModelTarget("unit", place.id),
                    "title": {"zh": zh, "en": en}, "category": category,
                    "department": _DEPARTMENT[kind].get(category, _DEFAULT_DEPARTMENT[kind]),
                    "severity": SEVERITY[urgency],
                    "due": iso(created + (span.total_seconds() if span else 3 * DAY)),
                    "building": building, "where": place.label,
                    "extra": {"urgency": urgency, "contact": rng.choice(CONTACTS[:4])},
                })  # fmt: skip
    return out


def add_to(store: Any, refs: dict[str, list[Any]], cases: int, seed: int, now: float) -> int:
    """Write the pattern cases into ``store`` as closed history; returns how many."""
    from fieldkit.services.demo import PAGE, STREAM, _history_records

    rng = random.Random(seed * 7919 + 16)  # its own stream: the rest stays as seeded
    found = specs(refs, cases, rng, now)
    changes = _history_records(refs, found, rng, now, {})
    changes.sort(key=lambda c: c["record"]["id"])
    for first in range(0, len(changes), PAGE):
        store.apply_remote(changes[first : first + PAGE], None, stream=STREAM)
        store.archive()
    return len(found)
