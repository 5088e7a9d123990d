"""The demo compound's registry: residents (with special-care flags), renovation permits,
rental registrations and a few open renovation violations, made up but shaped like the real
thing (11-digit mobiles, 18-character ID numbers with a valid check character).

Called by :func:`fieldkit.services.demo.generate` after the compound's reference data is
written; deterministic for a seed (record ids aside). Flat ``3-2-1502`` (in a smaller
compound: flat 02 on the top floor of building 3 entrance 2) always has a permit in force.
"""

from __future__ import annotations

import random
import time
from datetime import date, timedelta
from typing import Any

from fieldkit.model import Case, Clock, new_id
from fieldkit.model import Target as ModelTarget
from fieldkit.model.registry import RenovationPermit, RentalRegistration, Resident, WorkHours
from fieldkit.services.cases import iso
from fieldkit.services.demo_names import master, named, resident_name

REGIONS = ("440305", "440304", "440306", "110105", "310115", "510107")
#: The demo's renovation firms, named as a reader of the demo's language writes them (as its
#: people are); 自行装修 (the owner's own workers, no firm) is the stored mark either way,
#: said in each reader's words on screen (``renovation.contractor_name``).
CONTRACTORS = (("安居装饰", "Anju Decoration"), ("美家装修工程队", "Meijia Renovation Crew"),
               ("鸿发水电", "Hongfa Plumbing & Electrics"), ("自行装修", "自行装修"))  # fmt: skip
SCOPES = (
    ("水电改造", "厨卫翻新"),
    ("墙面刷漆", "铺地板"),
    ("全屋装修",),
    ("阳台封窗（不改结构）", "更换门窗"),
)
VIOLATIONS = (
    ({"zh": "楼道堆放装修垃圾", "en": "Renovation debris left in the corridor"}, "cleaning"),
    ({"zh": "非许可时间电钻施工", "en": "Drilling outside the permitted hours"}, "security"),
    ({"zh": "动火作业现场无灭火器", "en": "Hot work without an extinguisher on site"}, "security"),
)
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK = "10X98765432"
DAY = 86400.0


def id_number(rng: random.Random, born: date) -> str:
    """An 18-character resident ID number with the GB 11643 check character."""
    body = f"{rng.choice(REGIONS)}{born:%Y%m%d}{rng.randint(0, 999):03d}"
    total = sum(int(d) * w for d, w in zip(body, ID_WEIGHTS, strict=True))
    return body + ID_CHECK[total % 11]


def _person(rng: random.Random, today: date, old: bool = False, lang: str = "zh") -> dict[str, str]:
    age = rng.randint(72, 90) if old else rng.randint(24, 68)
    born = today - timedelta(days=365 * age + rng.randint(0, 364))
    return {
        "name": resident_name(rng, lang),
        "phone": f"1{rng.choice('3589')}{rng.randint(0, 9)}{rng.randint(0, 99_999_999):08d}",
        "id_number": id_number(rng, born),
    }


def registry(
    refs: dict[str, list[Any]], seed: int = 7, now: float | None = None, lang: str = "zh"
) -> dict[str, list[Any]]:
    """Residents, permits and rentals for the units in ``refs`` (as ``demo.compound`` made),
    people named as a reader of ``lang`` writes them."""
    now = time.time() if now is None else now
    today = date.fromtimestamp(now)
    rng = random.Random(seed * 1009)
    out: dict[str, list[Any]] = {"resident": [], "renovation_permit": [], "rental": []}
    units = refs["unit"]
    shown = showcase(units)
    for unit in units:
        care: list[str] = []
        roll = rng.random()
        if roll < 0.04:
            care = ["elderly_alone", "evacuation_help"] if rng.random() < 0.5 else ["elderly_alone"]
        elif roll < 0.06:
            care = ["disabled", "evacuation_help"]
        moved_in = (today - timedelta(days=rng.randint(200, 4000))).isoformat()
        owner = Resident(id=new_id(), site_id=unit.site_id, unit_id=unit.id, role="owner",
                         special_care=care, moved_in=moved_in,
                         **_person(rng, today, old="elderly_alone" in care, lang=lang))  # fmt: skip
        out["resident"].append(owner)
        if rng.random() < 0.1 and not care:
            tenant = Resident(id=new_id(), site_id=unit.site_id, unit_id=unit.id, role="tenant",
                              moved_in=(today - timedelta(days=rng.randint(10, 300))).isoformat(),
                              **_person(rng, today, lang=lang))  # fmt: skip
            out["resident"].append(tenant)
            start = date.fromisoformat(tenant.moved_in or today.isoformat())
            out["rental"].append(
                RentalRegistration(
                    id=new_id(), site_id=unit.site_id, unit_id=unit.id, start=start.isoformat(),
                    end=(start + timedelta(days=365)).isoformat(), tenants=[tenant.id],
                    identity_checked_by=named(rng.choice(("刘洋", "陈静")), lang),
                    identity_checked_at=start.isoformat(),
                    fee_payer=rng.choice(("owner", "tenant")),
                )
            )  # fmt: skip
        elif rng.random() < 0.3:
            out["resident"].append(
                Resident(
                    id=new_id(),
                    site_id=unit.site_id,
                    unit_id=unit.id,
                    role="household",
                    **_person(rng, today, lang=lang),
                )
            )
        if unit is shown or rng.random() < 0.04:
            out["renovation_permit"].append(_permit(rng, unit, owner, today, unit is shown, lang))
    return out


def showcase(units: list[Any]) -> Any:
    by_number = {u.number: u for u in units}
    if "3-2-1502" in by_number:
        return by_number["3-2-1502"]
    entrance = [u for u in units if u.number.startswith("3-2-") and u.number.endswith("02")]
    return max(entrance or units, key=lambda u: (u.floor or 0, u.number))


def _permit(
    rng: random.Random, unit: Any, owner: Any, today: date, showcase: bool, lang: str = "zh"
):
    if showcase or rng.random() < 0.7:
        start = today - timedelta(days=rng.randint(3, 30))
        end = today + timedelta(days=rng.randint(20, 75))
        status = "active"
    else:
        start = today - timedelta(days=rng.randint(90, 150))
        end = start + timedelta(days=60)
        status = "completed"
    workers = [{"name": master(rng, lang), "phone": _person(rng, today, lang=lang)["phone"]}
               for _ in range(rng.randint(1, 4))]  # fmt: skip
    return RenovationPermit(
        id=new_id(), site_id=unit.site_id, unit_id=unit.id, start=start.isoformat(),
        end=end.isoformat(), applicant=owner.name, applicant_phone=owner.phone,
        contractor=rng.choice(CONTRACTORS)[lang == "en"], workers=workers,
        scope=list(rng.choice(SCOPES)),
        hours=WorkHours(), agreement_signed=(start - timedelta(days=2)).isoformat(),
        deposit=rng.choice((2000, 3000, 5000)),
        deposit_state="held" if status == "active" else "returned", status=status,
        number=f"ZX{start:%Y%m}-{rng.randint(1, 999):03d}",
    )  # fmt: skip


def open_violations(
    records: dict[str, list[Any]], seed: int = 7, now: float | None = None
) -> list[dict]:
    """Open renovation violations on some flats with an active permit, as pulled changes."""
    now = time.time() if now is None else now
    rng = random.Random(seed * 7919)
    office = Clock("office0demo0")
    changes = []
    active = [p for p in records["renovation_permit"] if p.status == "active"]
    for permit in active[:: max(1, len(active) // 4)][:4]:
        title, department = rng.choice(VIOLATIONS)
        due = now + rng.choice((-1, 1, 2)) * DAY
        case = Case.new(
            new_id(), "violation", ModelTarget("unit", permit.unit_id), office.now(),
            device="office0demo0", site_id=permit.site_id, title=title["zh"],
            department=department, severity="major",
            due=iso(due),
            category="renovation", extra={"titles": title, "permit": permit.id},
        )  # fmt: skip
        changes.append({"entity": "case", "record": case.to_dict()})
    return changes


def add_to(
    store: Any,
    refs: dict[str, list[Any]],
    seed: int = 7,
    now: float | None = None,
    violations: int = 0,
    lang: str = "zh",
    records: dict[str, list[Any]] | None = None,
) -> dict[str, int]:
    """Write the registry and ``violations`` open violations (as if pulled from the office)
    into ``store``; returns the counts. The demo itself asks for none, so its case history
    stays exactly ``cases`` long; tests ask for some. ``records``: the registry made already
    (the demo's history names the owners in it)."""
    records = registry(refs, seed, now, lang) if records is None else records
    for entity, items in records.items():
        store.put_reference(entity, items)
    counts = {entity: len(items) for entity, items in records.items()}
    changes = open_violations(records, seed, now)[:violations]
    if changes:
        store.apply_remote(changes, None, stream="demo-registry")
        counts["violation"] = len(changes)
    return counts
