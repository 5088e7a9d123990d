"""Valid record bodies and operations for the sync tests, made with fieldkit.model."""

from __future__ import annotations

import hashlib
from typing import Any

from fieldkit.model import HLC, Case, ChecklistRef, Event, Inspection, Target, new_id


def stamp(wall: int, device: str = "d1", counter: int = 0) -> str:
    return str(HLC(wall, counter, device))


def case_body(
    case_id: str, site: str = "s1", wall: int = 1000, device: str = "d1", **values
) -> dict:
    case = Case.new(
        case_id, "repair", Target("unit", "u1"), stamp(wall, device), site_id=site, **values
    )
    return case.to_dict()


def inspection_body(
    insp_id: str, site: str = "s1", answer: Any = "pass", photo: str | None = None
) -> dict:
    h = stamp(1000)
    insp = Inspection(
        id=insp_id,
        checklist=ChecklistRef("fire.extinguisher.monthly", 3, "ab" * 32),
        target=Target("unit", "u1"),
        hlc=h,
        site_id=site,
    )
    insp.set_answer("in_place", answer, stamp(1001))
    if photo:
        insp.answers["in_place"].attachments = []
        from fieldkit.model import AttachmentRef

        insp.set_answer("photo", None, stamp(1002), attachments=[AttachmentRef(photo, 3)])
    insp.submit(stamp(1003))
    return insp.to_dict()


def add_event(body: dict, text: str, wall: int, device: str = "d1") -> dict:
    case = Case.from_dict(body)
    case.add_event(Event(new_id(), "note", stamp(wall, device), text=text))
    return case.to_dict()


def op(
    seq: int, kind: str, record_id: str, body: dict, site: str = "s1", hlc: str | None = None, **kw
) -> dict:
    return {
        "op_id": kw.pop("op_id", new_id()),
        "seq": seq,
        "hlc": hlc or stamp(1000 + seq),
        "kind": kind,
        "record_id": record_id,
        "site": site,
        "body": body,
        **kw,
    }


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
