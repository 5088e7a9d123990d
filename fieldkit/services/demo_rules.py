"""What the demo shows of the rules' rhythms and dates: the fire control room's duty log last
filled in five hours ago (so the two-hourly slots since are missed, and the patroller's
device raises them as findings for the office when its home screen first draws the due
list); extinguishers with types, make and service dates (a few due soon, one past, two to
be scrapped), and a lift per entrance on its 15-day maintenance.

Kept apart from ``demo.generate`` (the compound every test starts from, with no case the
clock decides): ``demo_office.make`` adds it to the full demo.
"""

from __future__ import annotations

import random
import time
from pathlib import Path

from fieldkit.model import ChecklistRef, Clock, Inspection
from fieldkit.model import Target as ModelTarget
from fieldkit.services.cases import iso
from fieldkit.services.catalog import load_checklists
from fieldkit.services.demo import STREAM, all_well, past_id, stairwells
from fieldkit.services.demo_names import named
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
        store.apply_remote([{"entity": "inspection", "record": run.to_dict()}], None, STREAM)
        return {"duty_log_run": 1, **equipment(store, now)}
    finally:
        store.close()


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
        names = {"zh": f"电梯 {b}号楼{e}单元", "en": f"Lift, Building {b}, Entrance {e}"}
        lifts.append(
            Asset(id=new_id(), site_id=route.site_id, kind="lift", building_id=route.building_id,
                  name=names["zh"], location=f"{b}-{e}", label=f"LIFT-{b}-{e}",
                  extra={"names": names, "route": route.label, "type": "passenger_lift",
                         "serviced": ago(days)})
        )  # fmt: skip
    store.put_reference("asset", [*extinguishers, *lifts])
    return {"dated_extinguisher": len(extinguishers), "lift": len(lifts)}
