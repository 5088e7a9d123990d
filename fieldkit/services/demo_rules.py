"""What the demo shows of the rules' rhythms and dates: the fire control room's duty log last
filled in five hours ago (so the two-hourly slots since are missed, and the patroller's
device raises them as findings for the office when its home screen first draws the due
list); the fire rounds on fixed slots kept since the Monday of last week but for a few
(:func:`kept_week`: the weekly report reads a real compound's week, not 84 duty-log entries
missed); extinguishers with types, make and service dates (a few due soon, one past, two to
be scrapped), and a lift per entrance on its 15-day maintenance.

Kept apart from ``demo.generate`` (the compound every test starts from, with no case the
clock decides): ``demo_office.make`` adds it to the full demo.
"""

from __future__ import annotations

import random
import time
from datetime import datetime
from pathlib import Path

from fieldkit.model import ChecklistRef, Clock, Inspection
from fieldkit.model import Target as ModelTarget
from fieldkit.services.cases import iso
from fieldkit.services.catalog import load_checklists
from fieldkit.services.demo import STREAM, all_well, past_id, stairwells
from fieldkit.services.demo_names import PEOPLE, named
from fieldkit.store import Store

DUTY_LOG = "fire.control_room.duty_log"
LOG_HOURS_AGO = 5


def add_to(
    data_dir: Path, now: float | None = None, seed: int = 7, lang: str = "zh"
) -> dict[str, int]:
    """Add the duty log's last run to the demo in ``data_dir``; returns what was added.
    ``lang``: the language the demo writes people's names in (赵刚, Zhao Gang)."""
    now = time.time() if now is None else now
    checklist = load_checklists(data_dir).get(DUTY_LOG)
    store = Store.open(data_dir, command="fieldkit demo")
    try:
        sites = store.reference("site")
        if checklist is None or not sites:
            return {}
        at = now - LOG_HOURS_AGO * 3600
        started = at - 25 * 60  # the log is filled in over the shift's first checks
        hlc = str(Clock("office0demo0").now())
        run = Inspection(
            id=past_id(at, random.Random(seed)),
            checklist=ChecklistRef(checklist.id, checklist.version, checklist.content_hash),
            target=ModelTarget("site", sites[0].id),
            hlc=hlc,
            device="office0demo0",
            status="submitted",
            answers=all_well(checklist, [], started, hlc),
            started_at=iso(started),
            submitted_at=iso(at),
            inspector=named("赵刚", lang),
        )
        week = kept_week(store, load_checklists(data_dir), at, now, seed, lang)
        store.apply_remote([{"entity": "inspection", "record": r.to_dict()} for r in [*week, run]],
                           None, STREAM)  # fmt: skip
        return {"duty_log_run": 1, "kept_week_run": len(week), **equipment(store, now)}
    finally:
        store.close()


#: Slots of last week left undone, by checklist: a compound keeps most, not all (a night's
#: duty-log entry or two, one shift check, one building's fire doors on one day), drawn
#: from Monday to Friday.
MISSED_LAST_WEEK = {DUTY_LOG: 3, "fire.control_room.shift": 1, "fire.doors_evacuation.daily": 1}
#: Who did them: the control room's two operators by shift (day, night), and the guard.
OPERATORS = ("赵刚", "黄海")
GUARD = PEOPLE["patrol"]["zh"]


def kept_week(
    store: Store, checklists: dict, log_at: float, now: float, seed: int, lang: str
) -> list[Inspection]:
    """The runs of the fire checklists on fixed slots (the duty log, the shift check, the
    daily fire-door round), one in each slot from the Monday of last week that had closed by
    ``now`` — the duty log's by its last run, at ``log_at`` — but for
    :data:`MISSED_LAST_WEEK`; each answered all well by the checklist's own rules
    (:func:`~fieldkit.services.demo.all_well`), as the devices that did them synced them."""
    from datetime import timedelta

    from fieldkit.services.compound_clock import clock_of
    from fieldkit.services.weekly import FIRE, calendar_week

    clock = clock_of(store)
    start, end = calendar_week(clock.local(now).date())
    since = clock.epoch(datetime(start.year, start.month, start.day))
    # missed on a weekday: a later run follows each, so the home's due list is as it was
    weekdays_end = clock.epoch(datetime(end.year, end.month, end.day) - timedelta(days=1))
    rng = random.Random(seed)
    office = Clock("office0demo0")
    places = {"site": store.reference("site"), "building": store.reference("building")}
    out = []
    for checklist in sorted(checklists.values(), key=lambda c: c.id):
        rhythm = checklist.schedule
        if not checklist.id.startswith(FIRE) or rhythm.on_demand or not rhythm.calendar:
            continue
        until = log_at if checklist.id == DUTY_LOG else now
        slots = []
        for place in sorted(places.get(checklist.target[0], ()), key=lambda p: p.code):
            for opens, closes in rhythm.slots(since, clock):
                if closes > until:
                    break
                slots.append((place, opens, closes))
        last_week = [slot for slot in slots if slot[2] <= weekdays_end]
        missed = rng.sample(last_week, min(len(last_week), MISSED_LAST_WEEK.get(checklist.id, 0)))
        for place, opens, closes in slots:
            if (place, opens, closes) not in missed:
                out.append(_kept(checklist, place, opens, closes, clock, rng, office, lang))
    return out


def _kept(checklist, place, opens, closes, clock, rng, office, lang) -> Inspection:
    """One slot's run, done a little into it (a day's round in the morning)."""
    if closes - opens >= 86400:
        at = opens + (9 + 2 * rng.random()) * 3600
    else:
        at = opens + (closes - opens) * (0.1 + 0.3 * rng.random())
    started = at - (5 + 15 * rng.random()) * 60
    day_shift = 8 <= clock.local(opens).hour < 20
    by = GUARD if checklist.target[0] == "building" else OPERATORS[0 if day_shift else 1]
    hlc = str(office.now())
    return Inspection(
        id=past_id(started, rng),
        checklist=ChecklistRef(checklist.id, checklist.version, checklist.content_hash),
        target=ModelTarget(checklist.target[0], place.id),
        hlc=hlc, device="office0demo0", status="submitted",
        answers=all_well(checklist, [], started, hlc),
        started_at=iso(started), submitted_at=iso(at), inspector=named(by, lang),
    )  # fmt: skip


#: (type, days since made, days since last service or None): the first five are the ones to
#: see — a first service in 20 days, a scrap in 12, a service 5 days past, a service in 45
#: days, a scrap in 75; the rest cycle through ages well in date
DUE_SOON = (
    ("dry_powder", 1806, None), ("water_based", 2179, 300), ("dry_powder", 2000, 735),
    ("co2", 2500, 685), ("dry_powder", 3577, 200),
)  # fmt: skip
IN_DATE = (
    ("dry_powder", 400, None), ("water_based", 300, None), ("co2", 1000, None),
    ("dry_powder", 2500, 300), ("clean_agent", 800, None), ("water_based", 1500, 120),
)  # fmt: skip
#: days since each entrance's lift was last maintained (due every 15 days)
LIFT_SERVICED_DAYS_AGO = (3, 9, 13, 14, 16, 6)


def equipment(store: Store, now: float) -> dict[str, int]:
    """Types, make and service dates for the compound's extinguishers and a lift per
    entrance, put into ``store``'s reference data."""
    from datetime import timedelta

    from fieldkit.model import Asset, new_id
    from fieldkit.services.compound_clock import clock_of

    today = clock_of(store).local(now).date()

    def ago(days: int) -> str:
        return (today - timedelta(days=days)).isoformat()

    extinguishers = sorted(
        (a for a in store.reference("asset") if a.kind == "extinguisher"), key=lambda a: a.label
    )
    for n, asset in enumerate(extinguishers):
        pattern = DUE_SOON[n] if n < len(DUE_SOON) else IN_DATE[n % len(IN_DATE)]
        kind, made, serviced = pattern
        asset.extra = {**asset.extra, "type": kind, "made": ago(made)}
        if serviced is not None:
            asset.extra["serviced"] = ago(serviced)
    lifts = []
    routes = stairwells(store.reference("checkpoint"))
    for route, days in zip(sorted(routes, key=lambda r: r.label), LIFT_SERVICED_DAYS_AGO * 4,
                           strict=False):  # fmt: skip
        b, e = route.label.split("-")[1:]
        names = {"zh": f"{b}号楼{e}单元电梯", "en": f"Lift, Building {b}, Entrance {e}"}
        lifts.append(
            Asset(id=new_id(), site_id=route.site_id, kind="lift", building_id=route.building_id,
                  name=names["zh"], location=f"{b}-{e}", label=f"LIFT-{b}-{e}",
                  extra={"names": names, "route": route.label, "type": "passenger_lift",
                         "serviced": ago(days)})
        )  # fmt: skip
    store.put_reference("asset", [*extinguishers, *lifts])
    return {"dated_extinguisher": len(extinguishers), "lift": len(lifts)}
