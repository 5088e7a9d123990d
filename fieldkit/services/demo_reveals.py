"""The demo's past week of personal-data reveals, each by the person of its role with the
reason they gave: the coordinator phoning a flat on the residents-to-help list during the
rainstorm, the inspector checking a renovating flat's owner by name, the desk calling an
owner back about a repair. Each is the record the app keeps (:class:`~fieldkit.model.reveal.
Reveal`), on the device that made it and, as after its sync, on the office's.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fieldkit.model.base import iso_epoch
from fieldkit.model.reveal import Reveal
from fieldkit.services.demo import DAY, STREAM, iso_utc, past_id

MINUTE = 60.0


def _owner(residents: list[dict], unit_id: str) -> dict | None:
    return next((r for r in residents if r.get("unit_id") == unit_id and r.get("phone")), None)


def plan(reference: dict[str, list[dict]], history: list[dict], now: float,
         lang: str) -> list[tuple[str, dict[str, Any]]]:  # fmt: skip
    """(role, reveal fields) of the week's reveals, from the demo's records."""
    import random

    rng = random.Random(int(now // DAY))
    zh = lang != "en"
    residents = reference.get("resident") or []
    units = {u["id"]: u for u in reference.get("unit") or []}
    out: list[tuple[str, dict[str, Any]]] = []
    storm = next((c["record"] for c in history if c["entity"] == "incident"
                  and c["record"].get("type") == "rainstorm"), None)  # fmt: skip
    if storm is not None:
        checked = [e for e in storm.get("timeline") or [] if e.get("type") == "people_checked"]
        for entry in checked[:1]:
            person = _owner(residents, entry["data"]["unit"])
            if person is not None:
                out.append(("emergency", {
                    "resident": person, "item": "phone", "reason_code": "emergency_contact",
                    "incident_id": storm["id"],
                    "at": (iso_epoch(entry["at"]) or now) - 2 * MINUTE}))  # fmt: skip
    permits = [p for p in reference.get("renovation_permit") or [] if p.get("status") == "active"]
    if permits:
        person = _owner(residents, sorted(permits, key=lambda p: p["id"])[0]["unit_id"])
        if person is not None:
            out.append(("renovation", {
                "resident": person, "item": "name",
                "reason": "核对装修申请人是否为业主本人" if zh else
                          "Checking the renovation applicant is the owner",
                "at": now - 2 * DAY - rng.random() * 3 * 3600}))  # fmt: skip
    repairs = sorted((c["record"] for c in history if c["entity"] == "case"
                      and c["record"].get("kind") == "repair"
                      and (c["record"].get("target") or {}).get("kind") == "unit"
                      and c["record"].get("status") not in ("closed", "followed_up")),
                     key=lambda r: r["id"], reverse=True)  # fmt: skip
    for case in repairs:
        person = _owner(residents, case["target"]["id"])
        if person is not None:
            out.append(("desk", {
                "resident": person, "item": "phone",
                "reason": "回电业主，约维修上门时间" if zh else
                          "Calling the owner back to book the repair visit",
                "at": now - DAY - rng.random() * 3 * 3600}))  # fmt: skip
            break
    for _, fields in out:
        unit = units.get(fields["resident"]["unit_id"]) or {}
        fields["unit_code"] = unit.get("label") or unit.get("number") or ""
    return out


def add_to(folder: Path, reference: dict[str, list[dict]], history: list[dict], now: float,
           lang: str, people: dict[str, str]) -> int:  # fmt: skip
    """Write the week's reveals on each revealing device (``folder/<role>``) and on the
    office's; ``people``: role → the person signed in on it. Returns how many."""
    import random

    from fieldkit.store import Store

    rng = random.Random(int(now // DAY) + 1)
    made: dict[str, list[dict]] = {"office": []}
    for role, fields in plan(reference, history, now, lang):
        store = Store.open(folder / role, command="fieldkit demo")
        try:
            device = store.device_id
        finally:
            store.close()
        person = fields["resident"]
        reveal = Reveal(
            id=past_id(fields["at"], rng), resident_id=person["id"], item=fields["item"],
            role=role, unit_id=person["unit_id"], site_id=person.get("site_id"),
            by=people[role], device=device, reason=fields.get("reason", ""),
            reason_code=fields.get("reason_code", ""), unit_code=fields["unit_code"],
            incident_id=fields.get("incident_id", ""), at=iso_utc(fields["at"]),
        )  # fmt: skip
        reveal.validate()
        change = {"entity": "reveal", "record": reveal.to_dict()}
        made.setdefault(role, []).append(change)
        made["office"].append(change)
    for role, changes in made.items():
        store = Store.open(folder / role, command="fieldkit demo")
        try:
            store.apply_remote(changes, None, stream=STREAM)
        finally:
            store.close()
    return len(made["office"])
