"""Case records for the trends tests: the hand-counted fixture and a generated year.

Shared by the device report's tests (``tests/trends``) and the office server's
(``tests/sync/test_reports.py``), so both count the very same records.
"""

from __future__ import annotations

import random

from fieldkit.model import Case, Clock, Event, Target, new_id

# (raised, building, category, kind, status, closed on) — counted by hand in the tests.
FIXTURE = [
    ("2025-12-20", "A", "leak", "repair", "closed", "2025-12-30"),  # before --since
    ("2026-01-05", "A", "leak", "repair", "closed", "2026-01-07"),  # 2 days
    ("2026-01-10", "A", "leak", "complaint", "closed", "2026-01-14"),  # 4 days
    ("2026-01-20", "B", "lift", "repair", "dispatched", None),
    ("2026-02-01", "A", "noise", "complaint", "closed", "2026-02-02"),  # 1 day
    ("2026-02-03", "B", "leak", "repair", "closed", "2026-02-09"),  # 6 days
    ("2026-02-15", "B", "lift", "repair", "cancelled", None),  # never counted
    ("2026-03-01", "A", "leak", "complaint", "investigating", None),
    ("2026-03-02", "B", "lift", "repair", "closed", "2026-03-05"),  # 3 days
    ("2026-03-10", "B", "noise", "complaint", "received", None),
]


def _case(clock, kind, target, raised, category, status, closed=None, site="s1", **values):
    events = []
    if closed:
        events.append(
            Event(
                new_id(),
                "status",
                str(clock.now()),
                at=f"{closed}T09:00:00Z",
                data={"from": "followed_up", "to": "closed"},
            )
        )
    return Case.new(
        new_id(),
        kind,
        target,
        clock.now(),
        category=category,
        status=status,
        created_at=f"{raised}T09:00:00Z",
        events=events,
        site_id=site,
        **values,
    ).to_dict()


def fixture_records() -> list[dict]:
    """The :data:`FIXTURE` cases; each names its building in ``extra``."""
    ticks = iter(range(10**6, 10**7))
    clock = Clock("dev1", wall=lambda: next(ticks))
    return [
        _case(
            clock,
            kind,
            Target("unit", f"u-{building}"),
            raised,
            category,
            status,
            closed,
            extra={"building": building},
        )
        for raised, building, category, kind, status, closed in FIXTURE
    ]


CATEGORIES = {
    "repair": ["water_leak", "lift", "electrical", "drain_blocked", "door_lock"],
    "complaint": ["noise", "water_leak", "parking", "cleanliness", "fees"],
}


def generated_year(n: int = 300, seed: int = 11, site: str = "s1") -> tuple[list, list[dict]]:
    """Buildings and flats (as (kind, record) pairs) and ``n`` cases on those flats over a
    year: repairs and complaints, a category the lifecycle file does not list
    (``neighbour_dispute``) and some with none, every status from raised to cancelled."""
    rng = random.Random(seed)
    ticks = iter(range(10**6, 10**8))
    clock = Clock("gen", wall=lambda: next(ticks))
    places: list[tuple[str, dict]] = []
    flats: list[str] = []
    for b in range(1, 4):
        building_id = f"b{b}"
        places.append(("building", {"id": building_id, "site_id": site, "code": f"{b}栋"}))
        for f in range(1, 5):
            flat = f"{building_id}-{f:02d}"
            places.append(
                ("unit", {"id": flat, "site_id": site, "building_id": building_id, "number": flat})
            )
            flats.append(flat)
    flats.append("nowhere")  # a flat the office never listed: building unknown
    cases = []
    for i in range(n):
        kind = rng.choice(["repair", "complaint"])
        category = rng.choice([*CATEGORIES[kind], "neighbour_dispute", ""])
        month = 1 + i % 12
        raised = f"{2025 + (month > 10)}-{1 + (month + 1) % 12:02d}-{1 + i % 28:02d}"
        status = rng.choice(["closed", "closed", "closed", "cancelled", "dispatched"])
        if kind == "complaint" and status == "dispatched":
            status = "investigating"
        closed = None
        if status == "closed" and rng.random() < 0.9:
            y, m, d = (int(x) for x in raised.split("-"))
            closed = f"{y}-{m:02d}-{min(28, d + rng.randint(0, 20)):02d}"
        cases.append(
            _case(
                clock,
                kind,
                Target("unit", rng.choice(flats)),
                raised,
                category,
                status,
                closed,
                site,
            )
        )
    return places, cases
