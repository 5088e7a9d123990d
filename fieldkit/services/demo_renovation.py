"""The demo's renovation history: earlier site patrols on a few flats under renovation, so
the inspector's card has a "last inspections" to read and a violation's whole path to
follow — one patrol that found all well, one whose debris in the corridor was put right,
one whose noisy work out of hours was put right, and one whose wiring (stopped on the spot)
is still open, its notice given and its deadline days ahead.

The showcase flat (``demo_registry.showcase``, the one the journeys walk) keeps no open
violation: it gets only a patrol that found all well. Everything is dated inside each
permit's term, in the compound's time, and written as if pulled from the office
(``apply_remote``), like the rest of the demo's past.
"""

from __future__ import annotations

import random
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from fieldkit.checklists.wording import answer_words, expected_words, failure_words
from fieldkit.i18n import t
from fieldkit.model import Case, ChecklistRef, Clock, Event, Inspection, localtime, new_id
from fieldkit.model import Target as ModelTarget
from fieldkit.model.inspection import Answer, answer_key
from fieldkit.services.cases import iso
from fieldkit.services.catalog import load_checklists
from fieldkit.services.demo import STREAM, all_well, iso_utc, past_id
from fieldkit.services.demo_names import PEOPLE, named
from fieldkit.services.demo_registry import showcase
from fieldkit.store import Store

PATROL = "renovation.site_patrol"
INSPECTOR = PEOPLE["renovation"]["zh"]  # the demo's inspector, named in the demo's language
#: What each flat's past holds: (days ago, failed item and its answer or None, days given
#: to put it right, days after the patrol it was re-inspected and put right or None: open).
STORIES: tuple[tuple[tuple[int, tuple[str, str] | None, int, int | None], ...], ...] = (
    ((9, None, 0, None), (4, ("debris", "in_corridor"), 1, 1)),
    ((6, ("wiring", "fail"), 10, None),),
    ((12, ("noise_hours", "fail"), 1, 1), (2, None, 0, None)),
)
ALL_WELL = ((3, None, 0, None),)  # the showcase flat: one patrol, nothing found


def add_to(
    data_dir: Path, now: float | None = None, seed: int = 7, lang: str = "zh"
) -> dict[str, int]:
    """Add the earlier site patrols and their violations to the demo in ``data_dir``;
    returns what was added."""
    now = time.time() if now is None else now
    checklist = load_checklists(data_dir).get(PATROL)
    store = Store.open(data_dir, command="fieldkit demo")
    try:
        permits = [p for p in store.reference("renovation_permit") if p.status == "active"]
        units = {u.id: u for u in store.reference("unit")}
        if checklist is None or not permits:
            return {}
        today = localtime.local(now).date()
        shown = showcase(list(units.values()))
        others = sorted((p for p in permits if p.unit_id != shown.id),
                        key=lambda p: units[p.unit_id].number)  # fmt: skip
        plan = [(p, story) for p, story in zip(others, STORIES, strict=False)]
        plan += [(p, ALL_WELL) for p in permits if p.unit_id == shown.id]
        rng = random.Random(seed * 2741)
        office = Clock("office0demo0")
        changes: list[dict] = []
        for permit, story in plan:
            unit = units[permit.unit_id]
            start = date.fromisoformat(permit.start)
            for days, fault, given, fixed in story:
                day = max(today - timedelta(days=days), start)
                changes += _patrol(checklist, unit, day, fault, given, fixed, now, rng,
                                   office, lang)  # fmt: skip
        store.apply_remote(changes, None, STREAM)
        made = [c["entity"] for c in changes]
        return {"renovation_patrol": made.count("inspection"),
                "renovation_violation": made.count("case")}  # fmt: skip
    finally:
        store.close()


def _patrol(checklist: Any, unit: Any, day: date, fault: tuple[str, str] | None, given: int,
            fixed: int | None, now: float, rng: random.Random, office: Clock,
            lang: str) -> list[dict]:  # fmt: skip
    """One past site patrol of ``unit`` on ``day`` and the violation it raised, if any."""
    at = localtime.epoch(day, 10) + rng.randint(0, 90) * 60
    started = at - (12 + rng.randint(0, 10)) * 60
    hlc = str(office.now())
    by = named(INSPECTOR, lang)
    answers = all_well(checklist, [], started, hlc)
    answers[answer_key("activities", None)] = Answer(["finishing"], hlc)  # work going on
    answers[answer_key("unregistered_workers", None)] = Answer(0, hlc)
    deadline = day + timedelta(days=given)
    if fault is not None:
        item_id, value = fault
        answers[answer_key(item_id, None)] = Answer(value, hlc)
        answers[answer_key("rectify_by", None)] = Answer(deadline.isoformat(), hlc)
        if item_id == "wiring":
            answers[answer_key("work_stopped", None)] = Answer("stopped", hlc)
    case_id = past_id(at, rng) if fault is not None else None
    inspection = Inspection(
        id=past_id(started, rng), cases=[case_id] if case_id else [],
        checklist=ChecklistRef(checklist.id, checklist.version, checklist.content_hash),
        target=ModelTarget("unit", unit.id), hlc=hlc, inspector=by, device="office0demo0",
        status="submitted", answers=answers, started_at=iso(started), submitted_at=iso(at),
    )  # fmt: skip
    out = [{"entity": "inspection", "record": inspection.to_dict()}]
    if fault is not None:
        out.append({"entity": "case", "record": _violation(
            checklist, inspection, case_id, unit, fault, at, deadline, fixed, now, rng, office,
            lang,
        )})  # fmt: skip
    return out


def _violation(checklist: Any, inspection: Inspection, case_id: str, unit: Any,
               fault: tuple[str, str],
               at: float, deadline: date, fixed: int | None, now: float, rng: random.Random,
               office: Clock, lang: str) -> dict:  # fmt: skip
    """The violation a past patrol raised: its finding as a round keeps it, the notice
    given that day, and — put right — its re-inspection closing it."""
    from fieldkit.services.renovation import end_of_day

    item_id, value = fault
    item = next(i for i in checklist.items() if i.id == item_id)
    langs = ("zh", "en")
    titles = {lang_: failure_words(item, value, lang_) for lang_ in langs}
    remarks = []
    if item_id == "wiring":
        stopped = next(i for i in checklist.items() if i.id == "work_stopped")
        said = {x: answer_words(stopped, "stopped", x) for x in langs}
        remarks.append({"label": stopped.label.to_dict(), "item": stopped.id,
                        "value": "stopped", "text": said})  # fmt: skip
    by = named(INSPECTOR, lang)
    finding = {
        "item": item_id, "key": answer_key(item_id, None), "type": item.type,
        "label": item.label.to_dict(), "wording": titles, "value": value, "note": "",
        "answer": {x: answer_words(item, value, x) for x in langs},
        "expected": {x: expected_words(item, x) for x in langs}, "remarks": remarks,
        "inspection": inspection.id, "by": by, "asset": None,
        "checklist": {"id": checklist.id, "version": checklist.version,
                      "title": checklist.title.to_dict()},
        "place": {"id": unit.id, "kind": "unit", "code": unit.number,
                  "name": dict((unit.extra or {}).get("names") or {})},
    }  # fmt: skip
    route = item.on_fail if item.on_fail is not None else None
    if route is None and item.options:
        route = next((o.on_fail for o in item.options if o.id == value), None)
    due = end_of_day(deadline)
    case = Case.new(
        case_id, "violation", ModelTarget("unit", unit.id), office.now(),
        device="office0demo0", created_at=iso_utc(at), created_by=by, category=PATROL,
        title=titles["zh"], department=route.department if route else "customer_service",
        severity=route.severity if route else "major", due=iso(due),
        source_inspection=inspection.id, source_item=answer_key(item_id, None),
        extra={"titles": titles, "finding": finding, "where": unit.number},
    )  # fmt: skip
    said = t("renovation.deadline.status_note", lang, due=f"{deadline.isoformat()} 24:00")
    steps = [(at + 20 * 60, "assigned", said)]
    if fixed is not None:
        back = localtime.epoch(deadline + timedelta(days=fixed - 1), 15) + rng.randint(0, 60) * 60
        note = t("renovation.demo.put_right", lang)
        case.add_event(Event(new_id(), "reinspection", str(office.now()), at=iso_utc(back),
                             by=by, text=note, data={"rectified": True}))  # fmt: skip
        steps += [(back, status, "") for status in ("in_progress", "resolved", "closed")]
    before = "open"
    for when, status, text in steps:
        if when > now:
            break
        case.set_status(status, office.now())
        case.add_event(Event(new_id(), "status", str(office.now()), at=iso_utc(when),
                             by=by, text=text, data={"from": before, "to": status}))  # fmt: skip
        before = status
    return case.to_dict()
