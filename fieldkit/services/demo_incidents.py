"""The demo's past week of incidents, as the emergency coordinator (王敏) handled them: a lift
entrapment in Building 1 three days ago (released in about 25 minutes, a repair for the lift
contractor still open) and a rainstorm five days ago (water in the basements, the ground-floor
the flats on its residents-to-help list phoned, closed).

They are made through the coordinator's own services (opening, calls, entries, the plan,
people checked, a notice, closing with its decisions and follow-up cases) on a scratch device
of the demo's compound, then moved back to the days they happened: every time and id made
while they were written is mapped onto the incident's own clock (:class:`Retime`). The records
then join the demo's history, which every device pulls as it would from the office.
"""

from __future__ import annotations

import json
import re
import shutil
import time
import uuid
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from fieldkit.model import localtime
from fieldkit.services.demo import DAY, iso_utc
from fieldkit.services.demo_names import PEOPLE, named

COORDINATOR = PEOPLE["emergency"]["zh"]  # the demo's coordinator, named in its language
MINUTE = 60.0
_ISO = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d)")
_UUID7 = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}")


class Retime:
    """Maps the moments of a run of service calls onto the moments they stand for.

    ``mark(when)`` after each call: what the call wrote (between the previous mark and this
    one) happened at ``when``; times after the last mark (a follow-up's due time) keep their
    distance from it, and times before the first (a ``began`` given in the past) are kept."""

    def __init__(self) -> None:
        self.start = self._tick()
        self.marks: list[tuple[float, float]] = []  # (real time at the mark, time it stands for)

    @staticmethod
    def _tick() -> float:
        """Now, on a millisecond that nothing written before it shares (records keep ms)."""
        time.sleep(0.002)
        return time.time()

    def mark(self, when: float) -> None:
        self.marks.append((self._tick(), when))

    def moment(self, real: float) -> float:
        if real < self.start or not self.marks:
            return real
        before = self.start
        for edge, when in self.marks:
            if real < edge:
                return when + (real - before)
            before = edge
        return self.marks[-1][1] + (real - self.marks[-1][0])

    def text(self, doc_text: str) -> str:
        """Every ISO time and every UUIDv7 made during the run, moved to its moment."""

        def iso(match: re.Match) -> str:
            real = datetime.fromisoformat(match.group(0).replace("Z", "+00:00")).timestamp()
            moved = self.moment(real)
            if moved == real:
                return match.group(0)
            return iso_utc(moved)

        def uid(match: re.Match) -> str:
            value = uuid.UUID(match.group(0)).int
            real = (value >> 80) / 1000
            moved = self.moment(real)
            if moved == real:
                return match.group(0)
            ms = int(moved * 1000) & ((1 << 48) - 1)
            return str(uuid.UUID(int=ms << 80 | value & ((1 << 80) - 1)))

        return _UUID7.sub(uid, _ISO.sub(iso, doc_text))


def _answer_plan(run: Any, answers: dict[str, Any]) -> None:
    """Answer the plan's steps shown, in order: as ``answers`` says, else as all went well."""
    from fieldkit.services.demo import _fine

    done: set[str] = set()
    while True:
        todo = [s for s in run.steps() if s.key not in done]
        if not todo:
            return
        step = todo[0]
        done.add(step.key)
        value = answers.get(step.item.id, _fine(step.item, ""))
        if value is not None and value != "":
            run.answer(step.key, value)


def _lift(ws: Any, now: float, lang: str, mark: Callable[[float], None]) -> None:
    from fieldkit.services import incident_began, incident_close, incidents, notices
    from fieldkit.services.types import Target

    zh = lang != "en"
    began = _at(now, 3, 8, 40)
    building = next(b for b in ws.store.reference("building") if b.code == "1")
    place = Target(id=building.id, kind="building", code="1",
                   name=(building.extra or {}).get("names", {}), building="1")  # fmt: skip
    incident = incident_began.open_incident(
        ws, "lift_entrapment", place, "major", began=began, now=began + 3 * MINUTE
    )
    mark(began + 3 * MINUTE)
    iid = incident.id
    incidents.add_entry(ws, iid,
                        "1号楼2单元电梯停在9层与10层之间，轿厢内2人，对讲回话正常，已安抚。"
                        if zh else "Building 1, Entrance 2 lift stuck between floors 9 and 10; "
                        "2 people inside, answering on the intercom, reassured.")  # fmt: skip
    mark(began + 5 * MINUTE)
    incidents.log_call(
        ws,
        iid,
        "lift",
        "调度 陈工" if zh else "Dispatcher Chen",
        "维保单位答应20分钟内到场" if zh else "Contractor to be on site in 20 minutes",
    )
    mark(began + 7 * MINUTE)
    run = incidents.plan_run(ws, iid)
    _answer_plan(run, {"lift_where": "1号楼2单元 9-10层之间" if zh else
                       "Building 1, Entrance 2, between floors 9 and 10",
                       "people_inside": 2, "condition": "all_well", "minutes_to_release": 25,
                       "anyone_hurt": "fine"})  # fmt: skip
    mark(began + 26 * MINUTE)
    incidents.add_entry(ws, iid, "维保人员到场盘车放人，2人安全出来，无人受伤。" if zh else
                        "Contractor's engineer wound the car down; both people out safe, "
                        "nobody hurt.", "action")  # fmt: skip
    mark(began + 27 * MINUTE)
    incidents.contain(ws, iid, "电梯停用，等维保单位检修" if zh else
                      "Lift out of service until the contractor repairs it")  # fmt: skip
    mark(began + 30 * MINUTE)
    incidents.followup_case(
        ws, incidents._need(ws, iid), "repair",
        {"zh": "1号楼2单元电梯困人后检修，请维保单位查明停梯原因",
         "en": "Building 1, Entrance 2 lift: contractor to find why it stopped and repair it"},
    )  # fmt: skip
    mark(began + 35 * MINUTE)
    draft = notices.draft(ws, iid, lang)
    notices.send(ws, iid, draft.text, lang)
    mark(began + 40 * MINUTE)
    points = incident_close.open_points(ws, iid)
    decisions = {p.key: ("stand_down" if p.point == "stand_down" else p.choices[0])
                 for p in points}  # fmt: skip
    incident_close.close(ws, iid, "困人25分钟后由维保单位放出，无人受伤；电梯停用待修。" if zh else
                         "Two people released by the lift contractor after 25 minutes, nobody "
                         "hurt; the lift is out of service until repaired.",
                         decisions)  # fmt: skip
    mark(began + 75 * MINUTE)


def _rainstorm(ws: Any, now: float, lang: str, mark: Callable[[float], None]) -> None:
    from fieldkit.services import (
        incident_began,
        incident_close,
        incident_places,
        incidents,
        notices,
    )

    zh = lang != "en"
    began = _at(now, 5, 16, 10)
    whole = incident_places.parse("", incidents.compound_of(ws))  # said in the reader's language
    incident = incident_began.open_incident(
        ws, "rainstorm", None, "major", places=whole, began=began, now=began + 5 * MINUTE
    )
    mark(began + 5 * MINUTE)
    iid = incident.id
    run = incidents.plan_run(ws, iid)
    _answer_plan(run, {"warning_kind": "rainstorm", "warning_level": "orange"})
    mark(began + 50 * MINUTE)
    incidents.add_entry(ws, iid, "地下车库入口积水约10厘米，已放挡水板，开启集水井水泵。" if zh else
                        "About 10 cm of water at the car park ramp; flood boards in, sump pumps "
                        "on.", "action")  # fmt: skip
    mark(began + 65 * MINUTE)
    draft = notices.draft(ws, iid, lang)
    notices.send(ws, iid, draft.text, lang)
    mark(began + 80 * MINUTE)
    for n, person in enumerate(p for p in incidents.people(ws, iid) if p.confirm):
        incidents.check_person(ws, iid, person.unit_id, "已电话联系，家中无进水" if zh else
                               "Phoned: no water in the flat")  # fmt: skip
        mark(began + (95 + 4 * n) * MINUTE)
    incidents.add_entry(ws, iid, "雨停，车库积水已抽干，地面清理完毕。" if zh else
                        "Rain stopped; the car park is pumped dry and the floor cleaned.",
                        "observation")  # fmt: skip
    mark(began + 5 * 3600)
    points = incident_close.open_points(ws, iid)
    decisions = {p.key: ("stand_down" if p.point == "stand_down" else p.choices[0])
                 for p in points}  # fmt: skip
    incident_close.close(ws, iid,
                         "暴雨橙色预警期间地下车库进水，已抽干；需要关照的住户已逐户电话确认，均无恙。"
                         if zh else "Water in the car park during the orange rainstorm warning, "
                         "pumped dry; every flat on the residents-to-help list phoned and fine.",
                         decisions)  # fmt: skip
    mark(began + 5 * 3600 + 10 * MINUTE)


def _at(now: float, days: int, hour: int, minute: int) -> float:
    """``days`` before ``now``, at ``hour:minute`` of the compound's day."""
    day = localtime.local(now - days * DAY)
    return day.replace(hour=hour, minute=minute, second=0, microsecond=0).timestamp()


def week(
    scratch: Path, device: Path, reference: dict[str, list[dict]], now: float, lang: str = "zh"
) -> list[dict]:
    """The week's incidents and what they made (cases, plan runs), as history changes
    (``{"entity", "record"}``), made on a scratch device in ``scratch`` (removed after).
    The notices written go to the coordinator's ``device`` folder, dated the day sent."""
    from fieldkit.services import signin
    from fieldkit.services.workspace import Workspace
    from fieldkit.store import Store

    store = Store.open(scratch, command="fieldkit demo")
    try:
        for entity, docs in reference.items():
            if docs:
                store.put_reference(entity, docs)
        store.set_device_state(role="emergency")
        signin.sign_in(store, named(COORDINATOR, lang))
    finally:
        store.close()
    ws = Workspace.open(scratch, command="fieldkit demo")
    retime = Retime()
    try:
        ws.use_compound_time()
        _rainstorm(ws, now, lang, retime.mark)
        _lift(ws, now, lang, retime.mark)
        made = [{"entity": e, "record": d}
                for e, d in ws.store.iter_records(("incident", "case", "inspection"))]  # fmt: skip
        made = json.loads(retime.text(json.dumps(made, ensure_ascii=False)))
        for change in made:
            if change["entity"] == "incident":
                _date_notices(change["record"], device, lang)
    finally:
        ws.close()
        shutil.rmtree(scratch)
    return made


def _date_notices(incident: dict, device: Path, lang: str) -> None:
    """Its notices as sent that day: the date line of the day (not the day the demo was
    made), the file in the coordinator's notices folder."""
    from fieldkit.model.base import iso_epoch
    from fieldkit.services.notices import NOTICES_DIR, day_words
    from fieldkit.store.atomic import atomic_write

    today = day_words(localtime.today(), lang)
    for entry in incident.get("timeline") or []:
        data = entry.get("data") or {}
        if entry.get("type") != "notice" or not data.get("file"):
            continue
        sent = localtime.local(iso_epoch(entry["at"]) or 0.0)
        entry["text"] = str(entry.get("text", "")).replace(today, day_words(sent.date(), lang))
        path = device / NOTICES_DIR / Path(data["file"]).name
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(path, (entry["text"] + "\n").encode("utf-8"))
        data["file"] = str(path)
