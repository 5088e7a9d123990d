"""A demo compound to try the app on: buildings, flats, fire equipment, cases and history,
written through the store like data pulled from the office. The cases are what a compound's
desk and patrols see in a year — repairs, complaints, patrol findings and a few neighbour
disputes — each with its category, so the trends screen names real top problems.

Codes follow what is painted on site: flat ``3-2-1502`` is building 3, entrance (单元) 2,
floor 15, flat 02; ``EXT-3-2-15`` is the extinguisher on that landing, ``HYD-3-2-15`` the
hydrant cabinet, ``R-3-2`` the stairwell route a floor round walks. Deterministic for a seed
(except the record ids, which are UUIDv7s made now).
"""

from __future__ import annotations

import random
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from fieldkit.checklists.lifecycle import URGENCIES
from fieldkit.model import (
    SEVERITIES,
    Answer,
    Asset,
    Building,
    Case,
    ChecklistRef,
    Checkpoint,
    Clock,
    Event,
    Inspection,
    Site,
    Unit,
    new_id,
)
from fieldkit.model import Target as ModelTarget
from fieldkit.model.inspection import answer_key
from fieldkit.services import disputes, lifecycle
from fieldkit.services.cases import iso
from fieldkit.services.demo_names import named
from fieldkit.services.intake import CONTACTS, SEVERITY
from fieldkit.store import Store

DAY = 86400.0
PAGE = 2000
STREAM = "demo"
ROUND = "fire.extinguisher.floor_round"
SITE = {"zh": "翠湖苑", "en": "Cuihu Garden"}
#: The service centre's hotline (a site record's "hotline": not a person's phone, never masked),
#: printed on what goes to owners (a rectification notice, an incident's notice)
SITE_PHONE = "0755-2688 6688"

#: Problems a patrol finds (kind ``finding``): title, department, where, and the checklist
#: that raises it — a finding's category, as on a real device.
_FINDINGS = [
    ({"zh": "灭火器压力不足", "en": "Extinguisher pressure low"}, "engineering", "extinguisher",
     "fire.extinguisher.floor_round"),
    ({"zh": "灭火器前堆放杂物", "en": "Extinguisher blocked"}, "security", "extinguisher",
     "fire.extinguisher.floor_round"),
    ({"zh": "消防栓箱门打不开", "en": "Hydrant cabinet door sticks"}, "engineering", "hydrant",
     "fire.hydrant_cabinet.weekly"),
    ({"zh": "消防栓水带缺失", "en": "Hydrant hose missing"}, "engineering", "hydrant",
     "fire.hydrant_cabinet.weekly"),
    ({"zh": "常闭防火门被撑开", "en": "Fire door propped open"}, "security", "building",
     "fire.doors_evacuation.daily"),
    ({"zh": "楼道堆放杂物堵塞疏散通道", "en": "Escape route blocked by clutter"}, "cleaning",
     "building", "fire.doors_evacuation.daily"),
    ({"zh": "安全出口指示灯不亮", "en": "Exit sign not lit"}, "engineering", "building",
     "fire.emergency_lighting.weekly"),
]  # fmt: skip
#: The checklist item each finding above fails (and whether on each asset of a repeated
#: section): its case keeps the answer key, as a case a round raises does, so a round that
#: finds it again adds to the open case (``findings.open_by_step``). An exit sign, on a
#: building rather than a fitting, names no item.
_FINDING_ITEMS = {
    "灭火器压力不足": ("gauge", True), "灭火器前堆放杂物": ("access_visible", True),
    "消防栓箱门打不开": ("door_opens", False), "消防栓水带缺失": ("hose_state", False),
    "常闭防火门被撑开": ("doors_not_wedged", False),
    "楼道堆放杂物堵塞疏散通道": ("routes_state", False),
}  # fmt: skip
#: Where in a building a building-wide round's finding was, as the guard answers the round's
#: "which floor and which door" (a finding on a building named no door: nc21); chosen by the
#: case's number, so the seeded draws and the rest of the demo stay as they were.
_SPOTS = {
    "zh": ("{floor}层东侧楼梯间", "{floor}层西侧楼梯间", "{floor}层电梯前室"),
    "en": ("floor {floor}, east stairwell", "floor {floor}, west stairwell",
           "floor {floor}, lift lobby"),
}  # fmt: skip
#: Owners' requests by kind: how often each kind comes in, and each category's weight (the
#: ids of lifecycles.yaml). Leaks, blocked drains and lifts lead repairs; noise and parking
#: lead complaints — what a compound's front desk sees most.
_KIND_WEIGHTS = {"repair": 40, "complaint": 30, "finding": 22, "dispute": 8}
_CATEGORY_WEIGHTS = {
    "repair": {"water_leak": 24, "drain_blocked": 16, "electrical": 12, "lift": 10,
               "door_lock": 12, "wall_ceiling": 9, "public_facility": 11, "gas": 3, "other": 3},
    "complaint": {"noise": 20, "parking": 18, "cleanliness": 15, "renovation": 10, "pets": 8,
                  "water_leak": 8, "fees": 6, "staff_attitude": 5, "greenery": 5,
                  "security": 4, "other": 1},
    "dispute": {"noise_dispute": 35, "leak_dispute": 30, "parking_dispute": 15,
                "pets_dispute": 10, "shared_space_dispute": 8, "other_dispute": 2},
}  # fmt: skip
#: What the desk writes as an owner's case's title, by category: a short description of the
#: problem as a clerk would note it (never the bare category name), in zh and en. A case
#: takes one of its category's by its number, so the seeded history stays as it was.
_TITLES: dict[str, tuple[tuple[str, str], ...]] = {
    "water_leak": (
        ("卫生间天花板渗水", "Bathroom ceiling leaking"),
        ("厨房水管接头漏水", "Kitchen pipe joint leaking"),
        ("楼上渗水到客厅墙面", "Water from upstairs coming through the living-room wall"),
    ),
    "drain_blocked": (
        ("厨房下水道堵塞，水排不下去", "Kitchen drain blocked, water not draining"),
        ("卫生间地漏返臭、排水慢", "Bathroom floor drain smells and drains slowly"),
    ),
    "electrical": (
        ("家里跳闸，合不上闸", "Power tripped in the flat and will not reset"),
        ("楼道灯不亮", "Stairwell lights out"),
    ),
    "lift": (
        ("电梯运行中异响、抖动", "Lift shudders and makes a noise when running"),
        ("电梯门关不上", "Lift doors will not close"),
    ),
    "door_lock": (
        ("单元门禁刷卡打不开", "Entrance door does not open with the access card"),
        ("入户门锁坏了，钥匙拧不动", "Front door lock broken, key will not turn"),
    ),
    "wall_ceiling": (
        ("客厅墙皮起鼓脱落", "Living-room plaster bulging and falling off"),
        ("阳台天花板有裂缝", "Crack in the balcony ceiling"),
    ),
    "public_facility": (
        ("楼下健身器材损坏", "Outdoor exercise equipment broken"),
        ("单元信报箱门掉了", "Letterbox door in the entrance has come off"),
    ),
    "gas": (
        ("厨房有燃气味", "Smell of gas in the kitchen"),
        ("燃气灶打不着火", "Gas hob will not light"),
    ),
    "other": (
        ("阳台晾衣架坏了，申请维修", "Balcony clothes rack broken, owner asks for a repair"),
        ("想了解家里水表的位置", "Owner asks where the flat's water meter is"),
    ),
    "noise": (
        ("楼上夜里十点后还有拖动家具的声音", "Furniture dragged upstairs after 10 pm"),
        ("小区门口商铺音响声音太大", "Loud music from the shops at the gate"),
    ),
    "parking": (
        ("自家车位被别的车占了", "Someone else's car in the owner's parking space"),
        ("小区门口乱停车，挡住出入", "Cars parked at the gate block the way in"),
    ),
    "cleanliness": (
        ("楼道垃圾两天没人清", "Rubbish left in the stairwell for two days"),
        ("垃圾桶满了没有及时清运", "Bins full and not emptied"),
    ),
    "renovation": (
        ("隔壁装修中午还在电钻", "Neighbour's renovation drilling at lunchtime"),
        ("楼上装修周末一早就开工", "Renovation upstairs starts early at the weekend"),
    ),
    "pets": (
        ("楼道里有狗粪没人清理", "Dog mess left in the stairwell"),
        ("邻居的狗半夜一直叫", "Neighbour's dog barks through the night"),
    ),
    "fees": (
        ("物业费账单金额有疑问", "Query about the amount on the property-fee bill"),
        ("停车费缴了但系统显示欠费", "Parking fee paid but still shown as owing"),
    ),
    "staff_attitude": (
        ("门岗保安说话态度不好", "Gate guard was rude"),
        ("报修后维修师傅没按约定时间上门", "Repairman did not come at the agreed time"),
    ),
    "greenery": (
        ("楼前树枝挡住窗户，需要修剪", "Tree branches block the windows and need cutting back"),
        ("草坪很久没修剪", "Lawn not mown for weeks"),
    ),
    "security": (
        ("单元门禁坏了，外人随便进出", "Entrance door lock broken, anyone can walk in"),
        ("夜里看到陌生人在车库徘徊", "Stranger seen loitering in the car park at night"),
    ),
    "noise_dispute": (
        ("与楼上因夜间噪音起纠纷", "Row with the flat upstairs over noise at night"),
    ),
    "leak_dispute": (
        (
            "楼上漏水到楼下，双方对维修费有争议",
            "Leak from upstairs: the flats disagree over repair costs",
        ),
    ),
    "parking_dispute": (
        ("邻居长期占用业主购买的车位", "Neighbour keeps parking in the owner's bought space"),
    ),
    "pets_dispute": (
        ("邻居的狗在楼道叫、随地便溺", "Neighbour's dog barks and fouls the stairwell"),
    ),
    "shared_space_dispute": (
        ("邻居在楼道堆放鞋柜和杂物", "Neighbour keeps a shoe cabinet and clutter on the landing"),
    ),
    "other_dispute": (
        ("邻居的摄像头正对业主家门", "Neighbour's camera points at the owner's door"),
    ),
}
#: A complaint's own titles where a category's repair titles would not be a complaint (a
#: complaint filed as "厨房水管接头漏水" reads as a repair taken under the wrong kind: nc21).
_COMPLAINT_TITLES: dict[str, tuple[tuple[str, str], ...]] = {
    "water_leak": (
        ("楼上渗水到卫生间天花板，找楼上业主一直没人处理",
         "Water through the bathroom ceiling; the flat upstairs will not sort it out"),
        ("漏水报修三天了还没人上门", "Leak reported three days ago and nobody has come"),
        ("楼上渗水到客厅墙面", "Water from upstairs coming through the living-room wall"),
    ),
}  # fmt: skip
#: Reports never minor whoever takes them (REFERENCE.md: a gas leak is an emergency).
ALWAYS_URGENT = frozenset({"厨房有燃气味"})
#: Each building's own recurring problem, three times as likely there: what the trends
#: screen should bring out (building 1's old lifts, 2's drains, 3's leaking roofs).
_RECURRING = {"1": "lift", "2": "drain_blocked", "3": "water_leak"}
_DEPARTMENT = {
    "repair": {},
    "complaint": {"noise": "security", "parking": "security", "security": "security",
                  "renovation": "security", "pets": "security", "cleanliness": "cleaning",
                  "greenery": "landscaping", "water_leak": "engineering"},
    "dispute": {},
}  # fmt: skip
_DEFAULT_DEPARTMENT = {"repair": "engineering", "complaint": "customer_service",
                       "dispute": "customer_service"}  # fmt: skip
#: Who made each move in the demo's history (every record names a person): the patroller
#: raises findings; the desk clerks take the owners' cases, dispatch, reply and follow up;
#: the departments' staff do the work; the supervisor closes.
_CLERKS = ("刘洋", "周芳")
_SUPERVISOR = "陈静"
#: Who walked the past floor rounds: the demo's patroller.
_PATROLLER = "张伟"
_PATROLLER = "张伟"  # raises the findings of the patrol rounds
_WORKERS = {
    "engineering": ("张师傅", "王师傅"),
    "security": ("赵刚", "张伟"),
    "cleaning": ("孙阿姨",),
    "landscaping": ("钱师傅",),
    "customer_service": _CLERKS,
}
_WORK_STATES = frozenset({"in_progress", "done", "resolved", "resolving", "mediating"})
_SPEAKERS = ("王秀英", "李建国", "张丽", "刘伟", "陈静", "杨志强", "赵敏", "黄海", "周芳", "吴斌")
#: The same, as an English demo has them said.
_STATEMENTS_EN = {
    "noise_dispute": ("Furniture dragged and footsteps upstairs after ten every night; the old "
                      "folks cannot rest.", "We go to bed at nine; the noise is not ours."),
    "leak_dispute": ("Water seeps through our bathroom ceiling; the wall has gone mouldy.",
                     "Happy to have it checked, but we will not pay for all the repairs."),
    "parking_dispute": ("Their car keeps taking the space we bought.",
                        "That space was always empty; we thought we could park there a while."),
    "pets_dispute": ("The dog opposite barks in the stairwell and fouls it.",
                     "We walk the dog on a lead every day; the stairwell mess is not ours."),
    "shared_space_dispute": ("They keep a shoe cabinet and junk on the landing, in the way.",
                             "The junk goes in a few days; the cabinet has always been there."),
    "other_dispute": ("Their camera points straight at our front door.",
                      "The camera is against burglars; it does not see into their home."),
}  # fmt: skip
_REFERRAL = {
    "zh": "约双方到居委会调解",
    "en": "Both sides invited to the residents' committee to talk it over",
}
#: What each side says, by kind of dispute: (the flat that reported it, the other flat).
_STATEMENTS = {
    "noise_dispute": ("每晚十点后楼上有拖动家具和走动的声音，影响老人休息。",
                      "我们家晚上九点就休息了，声音不是我们发出的。"),
    "leak_dispute": ("我家卫生间天花板渗水，墙面已经发霉。",
                     "愿意配合检查，但不认可要我们承担全部维修费。"),
    "parking_dispute": ("我买的车位经常被对方的车占用。", "那个车位之前一直空着，以为可以临时停。"),
    "pets_dispute": ("对门的狗经常在楼道里叫，还随地便溺。",
                     "狗每天都牵绳遛，楼道的事不一定是我家的。"),
    "shared_space_dispute": ("对方在楼道里堆放鞋柜和杂物，挡了通道。",
                             "杂物过几天就清走，鞋柜一直放在这里。"),
    "other_dispute": ("对方装的摄像头正对着我家门口。", "摄像头是为了防盗，没有拍对方家里。"),
}  # fmt: skip


def compound(
    buildings: int = 3, entrances: int = 2, floors: int = 18, flats: int = 4
) -> dict[str, list[Any]]:
    """Reference records: the site, buildings, stairwell routes, flats, extinguishers and
    hydrant cabinets (one of each per landing); the car park's and the perimeter's routes."""
    site = Site(id=new_id(), name=SITE["zh"], code="CH",
                extra={"names": SITE, "utc_offset": "+08:00", "hotline": SITE_PHONE})  # fmt: skip
    out: dict[str, list[Any]] = {
        "site": [site],
        "building": [],
        "checkpoint": [],
        "unit": [],
        "asset": [],
    }
    for b in range(1, buildings + 1):
        names = {"zh": f"{b}号楼", "en": f"Building {b}"}
        building = Building(id=new_id(), site_id=site.id, name=names["zh"], code=str(b),
                            floors=floors, extra={"names": names})  # fmt: skip
        out["building"].append(building)
        for e in range(1, entrances + 1):
            route = f"R-{b}-{e}"
            names = {"zh": f"{b}号楼{e}单元楼梯间", "en": f"Stairwell, Building {b}, Entrance {e}"}
            out["checkpoint"].append(
                Checkpoint(id=new_id(), site_id=site.id, building_id=building.id,
                           name=names["zh"], label=route, extra={"kind": "route", "names": names})
            )  # fmt: skip
            for f in range(1, floors + 1):
                for kind, prefix, zh, en in (
                    ("extinguisher", "EXT", "灭火器", "Extinguisher"),
                    ("hydrant_cabinet", "HYD", "消防栓", "Hydrant cabinet"),
                ):
                    names = {"zh": f"{zh} {b}号楼{e}单元{f}层",
                             "en": f"{en}, Building {b}, Entrance {e}, Floor {f}"}  # fmt: skip
                    out["asset"].append(
                        Asset(id=new_id(), site_id=site.id, kind=kind, building_id=building.id,
                              name=names["zh"], location=f"{b}-{e} {f}F",
                              label=f"{prefix}-{b}-{e}-{f}",
                              extra={"names": names, "route": route, "floor": f})
                    )  # fmt: skip
                for n in range(1, flats + 1):
                    number = f"{b}-{e}-{f}{n:02d}"
                    names = {"zh": f"{b}号楼{e}单元{f}{n:02d}室",
                             "en": f"Building {b}, Entrance {e}, Flat {f}{n:02d}"}  # fmt: skip
                    out["unit"].append(
                        Unit(id=new_id(), site_id=site.id, building_id=building.id,
                             number=number, floor=f, label=number, extra={"names": names})
                    )  # fmt: skip
    for code, sort, names in OTHER_ROUTES:
        out["checkpoint"].append(
            Checkpoint(id=new_id(), site_id=site.id, name=names["zh"], label=code,
                       extra={"kind": "route", "route_kind": sort, "names": names})
        )  # fmt: skip
    return out


#: Routes that are not a stairwell's floors: each has the checklists of its kind
#: (``applies_to: route:carpark``, ``route:perimeter``).
OTHER_ROUTES = (
    ("R-PARK", "carpark", {"zh": "停车场与消防车通道", "en": "Car park and fire lanes"}),
    ("R-WALL", "perimeter", {"zh": "小区周界", "en": "Compound perimeter"}),
)


def stairwells(checkpoints: list[Any]) -> list[Any]:
    """The stairwell routes among reference checkpoints (a route with no kind is one)."""
    return [c for c in checkpoints if c.extra.get("kind") == "route"
            and c.extra.get("route_kind", "stairwell") == "stairwell"]  # fmt: skip


def _weighted(rng: random.Random, weights: dict[str, int], boost: str = "") -> str:
    keys = list(weights)
    return rng.choices(keys, [weights[k] * (3 if k == boost else 1) for k in keys])[0]


def _neighbour(unit: Any, units: dict[str, Any], rng: random.Random) -> Any:
    """The flat upstairs (a leak or noise comes from above), else another on the landing."""
    b, e, rest = unit.number.split("-")
    floor, flat = int(rest[:-2]), rest[-2:]
    for candidate in (f"{b}-{e}-{floor + 1}{flat}", f"{b}-{e}-{floor - 1}{flat}"):
        if candidate in units:
            return units[candidate]
    same = [u for u in units.values() if u.building_id == unit.building_id and u is not unit]
    return rng.choice(same)


def _history(refs: dict[str, list[Any]], count: int, rng: random.Random, now: float):
    """``count`` cases of every kind, each with a category: the last 60 recent and at
    various steps, the rest closed history with their moves spread over days."""
    code_of = {b.id: b.code for b in refs["building"]}
    units = {u.number: u for u in refs["unit"]}
    pools: dict[str, list[Any]] = {"unit": refs["unit"], "building": refs["building"]}
    for asset in refs["asset"]:
        pools.setdefault(asset.kind.removesuffix("_cabinet"), []).append(asset)
    for number in range(count):
        recent = number >= count - 60
        kind = _weighted(rng, _KIND_WEIGHTS)
        created = now - rng.random() * (6 if recent else 360) * DAY
        life = lifecycle.for_kind(kind)
        forward = [s.id for s in life.states if s.id != "cancelled"]
        # a recent case is most often still fresh: the desk takes more than it finishes daily
        fresh = [len(forward) - n for n in range(1, len(forward))]
        steps = rng.choices(range(len(fresh)), fresh)[0] if recent else len(forward) - 1
        spec: dict[str, Any] = {"kind": kind, "created": created, "status": forward[0],
                                "path": forward[1 : steps + 1], "extra": {}}  # fmt: skip
        if kind == "finding":
            title, department, pool, category = rng.choice(_FINDINGS)
            place = rng.choice(pools[pool])
            building = place.code if pool == "building" else code_of.get(place.building_id, "")
            where = place.code if pool == "building" else place.label
            target_kind = {"unit": "unit", "building": "building"}.get(pool, "asset")
            severity = rng.choice(SEVERITIES)
            due = created + rng.choice((4 * 3600, DAY, 3 * DAY))
            if pool == "building":
                spec["spot"] = (number % len(_SPOTS["zh"]), 2 + number % 17)
            if title["zh"] in _FINDING_ITEMS:
                item, per_asset = _FINDING_ITEMS[title["zh"]]
                spec["source_item"] = answer_key(item, place.id if per_asset else None)
        else:
            place = rng.choice(pools["unit"])
            building = code_of.get(place.building_id, "")
            where, target_kind = place.label, "unit"
            category = _weighted(rng, _CATEGORY_WEIGHTS[kind], _RECURRING.get(building, ""))
            titles = (_COMPLAINT_TITLES if kind == "complaint" else _TITLES).get(category)
            titles = titles or _TITLES[category]
            zh, en = titles[number % len(titles)]
            title = {"zh": zh, "en": en}
            department = _DEPARTMENT[kind].get(category, _DEFAULT_DEPARTMENT[kind])
            urgency = rng.choices(URGENCIES, (1, 3, 10, 3))[0]
            if zh in ALWAYS_URGENT:  # drawn all the same: the rest of the demo stays as it was
                urgency = "urgent"
            severity = SEVERITY[urgency]
            due = due_after(life, urgency, created)
            spec["extra"] = {"urgency": urgency, "contact": rng.choice(CONTACTS[:4])}
            if kind == "dispute":
                other = _neighbour(place, units, rng)
                spec["extra"]["dispute"] = {
                    "a": disputes.side_record(place.id, place.label, building),
                    "b": disputes.side_record(other.id, other.label, code_of[other.building_id]),
                }
        spec.update(
            target=ModelTarget(target_kind, place.id), title=title, category=category,
            department=department, severity=severity, due=iso(due), building=building,
            where=where,
        )  # fmt: skip
        yield spec


def _spot(spec: dict[str, Any], lang: str) -> str:
    """A building-wide finding's place in the building, in the demo's language; "" else."""
    if "spot" not in spec:
        return ""
    which, floor = spec["spot"]
    return _SPOTS["en" if lang == "en" else "zh"][which].format(floor=floor)


def due_after(life: Any, urgency: str, created: float) -> float:
    """When a case of ``urgency`` taken at ``created`` is due, as the desk's intake sets it
    (in the compound's default zone; three days when the file gives none)."""
    from fieldkit.checklists.schedule import Clock

    due = life.due(urgency, datetime.fromtimestamp(created, Clock().tz))
    return due.timestamp() if due is not None else created + 3 * DAY


def past_id(when: float, rng: random.Random) -> str:
    """A UUIDv7 made at ``when`` (the layout of :func:`fieldkit.model.new_id`): history was
    created in the past, and the store files finished records by their id's month, so a
    year of history lands in twelve archive files as it would on a real device."""
    ms = int(when * 1000) & ((1 << 48) - 1)
    value = ms << 80 | 0x7 << 76 | rng.getrandbits(12) << 64 | 0b10 << 62 | rng.getrandbits(62)
    return str(uuid.UUID(int=value))


def iso_utc(when: float) -> str:
    return (
        datetime.fromtimestamp(when, UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
    )


def _within(steps: list, created: float, now: float) -> list:
    """A case's steps at their drawn times, or, when those run past ``now`` (a recent case
    that has come far), spread over its life so far in the same proportions: the history
    reads as days of work, never as moves all made the moment the demo was generated."""
    room = (now - created) * 0.9
    last = steps[-1][0] - created if steps else 0.0
    if last <= room:
        return steps
    return [(created + (when - created) * room / last, *rest) for when, *rest in steps]


def _history_records(
    refs, specs, rng: random.Random, now: float, checklists, lang: str = "zh",
    owners: dict[str, str] | None = None,
) -> list[dict]:  # fmt: skip
    """The compound's past as the office would send it: cases with their status events (a
    dispute also with both sides' statements, some with the residents' committee brought
    in; a follow-up visit's score before followed up), and submitted floor rounds (some
    recent, some overdue), as ``apply_remote`` changes. A side of a dispute speaks by the
    name of its flat's owner in the registry (``owners``: unit id → name)."""
    owners = owners or {}
    office = Clock("office0demo0")
    people = random.Random(len(specs))  # who did what: apart, so the rest stays as seeded
    changes = []

    def who(status: str, department: str) -> str:
        if status == "closed":
            return named(_SUPERVISOR, lang)
        if status in _WORK_STATES:
            return named(people.choice(_WORKERS.get(department, _CLERKS)), lang)
        return named(people.choice(_CLERKS), lang)

    for spec in specs:
        # A case sent on from its first state was sent to a person of its department: the
        # desk's dispatch dialog then offers the names each department's cases went to.
        pool = _WORKERS.get(spec["department"], _CLERKS)
        worker = named(people.choice(pool), lang) if spec["path"] else ""
        case = Case.new(
            past_id(spec["created"], rng), spec["kind"], spec["target"], office.now(),
            device="office0demo0", created_at=iso_utc(spec["created"]), status=spec["status"],
            created_by=named(_PATROLLER if spec["kind"] == "finding" else people.choice(_CLERKS),
                             lang),
            category=spec["category"], title=spec["title"]["zh"],
            source_item=spec.get("source_item"),
            department=spec["department"], severity=spec["severity"], due=spec["due"],
            assignee=worker, description=_spot(spec, lang),
            extra={"titles": spec["title"], "where": spec["where"], "building": spec["building"],
                   **spec["extra"]},
        )  # fmt: skip
        at = spec["created"]
        steps: list[tuple[float, str, dict[str, Any]]] = []  # (when, type, event fields)
        if spec["kind"] == "dispute" and spec["path"]:
            for side in ("a", "b"):
                at += rng.random() * DAY
                said = (_STATEMENTS_EN if lang == "en" else _STATEMENTS)[spec["category"]][
                    0 if side == "a" else 1]  # fmt: skip
                speaker = rng.choice(_SPEAKERS)  # drawn still, so the rest stays as seeded
                flat = spec["extra"]["dispute"][side]
                data = {"side": side, **flat, "relation": "owner",
                        "owner_name": owners.get(flat["unit"]) or named(speaker, lang)}  # fmt: skip
                steps.append((at, disputes.STATEMENT, {"by": who("statement", ""),
                                                       "text": said, "data": data}))  # fmt: skip
            if rng.random() < 0.3:
                at += rng.random() * DAY
                data = {"body": "committee", "contact": named("居委会调解员", lang),
                        "reference": f"JW-{rng.randint(100, 999)}"}  # fmt: skip
                text = _REFERRAL.get(lang, _REFERRAL["zh"])
                steps.append((at, disputes.REFERRAL, {"by": who("referral", ""), "text": text,
                                                      "data": data}))  # fmt: skip
        before = spec["status"]
        for status in spec["path"]:
            at += (0.1 + rng.random() * 2) * DAY
            if status == "followed_up":
                score = rng.choices((5, 4, 3), (6, 3, 1))[0]
                result = {"score": score, "comment": "", "satisfied": True}
                steps.append((at, "followup", {"by": who(status, ""), "data": result}))
            by = worker if worker and status in _WORK_STATES else who(status, spec["department"])
            steps.append((at, "status", {"by": by, "data": {"from": before, "to": status}}))
            before = status
        if spec["kind"] == "dispute" and spec["path"]:
            # both sides are heard once the case is sent on to hear them, not before
            first = next(n for n, step in enumerate(steps) if step[1] == "status")
            order = [steps[first], *steps[:first], *steps[first + 1 :]]
            times = sorted(step[0] for step in steps)
            steps = [(at, *step[1:]) for at, step in zip(times, order, strict=True)]
        for when, kind, fields in _within(steps, spec["created"], now):
            if kind == "status":
                case.set_status(fields["data"]["to"], office.now())
            case.add_event(Event(new_id(), kind, str(office.now()), at=iso_utc(when), **fields))
        changes.append({"entity": "case", "record": case.to_dict()})
    round_ = checklists.get(ROUND)
    if round_ is not None:
        for n, route in enumerate(stairwells(refs["checkpoint"])):
            days = 12 if n % 2 == 0 else 41
            submitted = now - days * DAY - rng.random() * 3600
            walk = random.Random(submitted)  # the round's own draws: the rest stays as it was
            started = submitted - (20 + walk.random() * 25) * 60
            hlc = str(office.now())
            inspection = Inspection(
                id=past_id(started, walk),
                checklist=ChecklistRef(round_.id, round_.version, round_.content_hash),
                target=ModelTarget("route", route.id),
                hlc=hlc,
                inspector=named(_PATROLLER, lang),
                device="office0demo0",
                status="submitted",
                answers=all_well(round_, _on_route(refs["asset"], route.label), started, hlc),
                started_at=iso(started),
                submitted_at=iso(submitted),
            )  # fmt: skip
            changes.append({"entity": "inspection", "record": inspection.to_dict()})
    return changes


def _on_route(assets: list[Any], route: str) -> list[dict[str, Any]]:
    """The assets a floor round of ``route`` walks, floor by floor, as a run takes them."""
    on = sorted((a for a in assets if (a.extra or {}).get("route") == route),
                key=lambda a: ((a.extra or {}).get("floor", 0), a.label or ""))  # fmt: skip
    return [{"id": a.id, "kind": a.kind, **(a.extra or {})} for a in on]


def all_well(checklist: Any, assets: list[dict[str, Any]], at: float, hlc: str) -> dict:
    """A past run's answers when all was well (answer key → Answer): every item it shows
    then, on every asset it walks, answered as in order (a run that found something raised
    a case, which the history holds on its own); texts and photos nobody needed are left
    empty. ``at``: when the run was started (a last service date falls before it)."""
    from datetime import date

    from fieldkit.checklists.runtime import evaluate_run, expand

    passes = expand(checklist, assets)
    serviced = date.fromtimestamp(at - 120 * DAY).isoformat()
    by_pass: dict[str, dict[str, Any]] = {}
    for p in passes:
        by_pass[p.key] = {i.id: v for i in p.section.items
                          if (v := _fine(i, serviced)) is not None}  # fmt: skip
    out: dict[str, Answer] = {}
    for item in evaluate_run(checklist, by_pass, passes=passes).items:
        value = by_pass.get(item.pass_key, {}).get(item.item.id)
        if item.visible and value is not None:
            asset = str(item.asset.get("id")) if item.asset else None
            out[answer_key(item.item.id, asset)] = Answer(value, hlc)
    return out


def _fine(item: Any, serviced: str) -> Any:
    """The answer an item gets when all is well (None: left unanswered, as a text or photo
    nobody needed)."""
    if item.type == "check":
        return "pass"
    if item.type == "choice":
        return next((o.id for o in item.options if not o.fails), None)
    if item.type == "multi":
        return [o.id for o in item.options if not o.fails][:1] or None
    if item.type == "number":
        low, high = item.expect or item.range or (None, None)
        return low if high is None else high if low is None else (low + high) / 2
    if item.type == "date":
        return serviced
    return None


def generate(
    data_dir: Path,
    *,
    cases: int = 120,
    seed: int = 7,
    now: float | None = None,
    floors: int = 18,
    person: str = "张伟",
    patterns: bool = False,
    lang: str = "zh",
) -> dict[str, int]:
    """Write a demo compound into ``data_dir``; FileExistsError if it holds one already.
    ``person`` is signed in on it (the demo's patroller; "" for nobody); ``patterns`` adds
    the year's shape the trends show (:mod:`fieldkit.services.demo_trends`; ``fieldkit
    demo`` does, tests that count the history leave it out); ``lang`` the language people's
    names are written in (张伟 or Zhang Wei, :mod:`fieldkit.services.demo_names`).

    Reference data goes in as a local import; the history (cases, past rounds) goes in
    through ``apply_remote``, as if pulled from the office, so none of it waits in the
    outbox and 100k cases take seconds, not minutes."""
    from fieldkit.services.catalog import load_checklists

    now = time.time() if now is None else now
    rng = random.Random(seed)
    store = Store.open(data_dir, command="fieldkit demo")
    try:
        if store.reference("building"):
            raise FileExistsError(str(data_dir))
        refs = compound(floors=floors)
        for entity, records in refs.items():
            store.put_reference(entity, records)
        from fieldkit.services import demo_patrol, demo_registry, demo_trends

        registry = demo_registry.registry(refs, seed, now, lang)
        owners = {r.unit_id: r.name for r in registry["resident"] if r.role == "owner"}
        specs = list(_history(refs, cases, rng, now))
        changes = _history_records(
            refs, specs, rng, now, load_checklists(data_dir), lang, owners=owners
        )
        changes.sort(key=lambda c: c["record"]["id"])  # each page fills one month's archive
        for start in range(0, len(changes), PAGE):
            store.apply_remote(changes[start : start + PAGE], None, stream=STREAM)
            store.archive()
        counts = {entity: len(records) for entity, records in refs.items()}
        counts["case"] = len(specs)  # what --cases asked for; the year's patterns come on top
        if patterns:
            counts["pattern_case"] = demo_trends.add_to(store, refs, cases, seed, now, lang)
        counts.update(demo_registry.add_to(store, refs, seed, now, lang=lang, records=registry))
        counts.update(demo_patrol.add_to(store, refs, seed))
        if person:
            from fieldkit.services import signin

            signin.sign_in(store, person)
        return counts
    finally:
        store.close()
