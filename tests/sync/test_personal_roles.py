"""Every declared personal field, for every role: pushed real, pulled masked unless the role
may see it, written back by the role, and still real on the server and for the office.

The fields come from the model's declaration (``fieldkit.model.personal.declared_fields``:
typed fields and event types' data keys), so a field declared tomorrow is walked too.
"""

from __future__ import annotations

import pytest

from fieldkit.model import Case, Event, Incident, Target
from fieldkit.model.personal import (
    ITEMS,
    PERSON,
    declared_fields,
    mask_value,
    may_reveal,
    personal_values,
    value_at,
)
from fieldkit.sync.protocol import ROLES
from fieldkit_server.access import may_write
from tests.sync.records import op, stamp

pytest.importorskip("fastapi")

REAL = {"name": "王秀英", "phone": "13812345678", "id_number": "110101199003071234"}
PEOPLE = [{"name": "张伟", "phone": "13700002222", "id_number": "110101198001011235"}]
REQUIRED = {
    "unit": {"number": "1502"},
    "resident": {"unit_id": "u1"},
    "renovation_permit": {"unit_id": "u1", "start": "2027-01-01", "end": "2027-03-01"},
}
# Free-form keys a case or incident may carry (extra keys, event data), one of each form.
FREE = {
    "owner_phone": 13812345678,
    "phones": ["13812345678", "13900001111"],
    "mobile": "13712345678",
    "contact_phone": "021-62345678",
    "tenant_name": "李娜",
    "resident": {"name": "张伟", "phone": "13812345678", "id_number": "110101199003071234"},
    "callers": [{"name": "赵敏", "tel": "13598765432"}],
    "业主电话": "13812345678",
    "owner": "王秀英",
}


def reference_body(kind: str) -> dict:
    body = {"id": f"{kind}-1", "site_id": "s1", **REQUIRED.get(kind, {})}
    for name, item in declared_fields()[kind].items():
        body[name] = PEOPLE if item == PERSON else REAL[item]
    return body


def events_with_declared_data() -> list[Event]:
    out = []
    for n, (key, declared) in enumerate(sorted(declared_fields().items())):
        if not key.startswith("event:"):
            continue
        data = {name: REAL[item] for name, item in declared.items()}
        out.append(Event(f"e{n}", key.removeprefix("event:"), stamp(1100 + n, "o"), data=data))
    out.append(Event("e-free", "note", stamp(1200, "o"), data=dict(FREE)))
    return out


def mergeable_body(kind: str) -> dict:
    if kind == "case":
        record = Case.new("case-1", "dispute", Target("unit", "u1"), stamp(1000, "o"),
                          site_id="s1", extra=dict(FREE))  # fmt: skip
    else:
        record = Incident.new("incident-1", "fire", stamp(1000, "o"), site_id="s1",
                              extra=dict(FREE))  # fmt: skip
    for event in events_with_declared_data():
        record.add_event(event)
    return record.to_dict()


def written_back(kind: str, body: dict, wall: int) -> dict:
    """The pulled copy with one field the role may change, changed (the rest as received)."""
    if kind == "case":
        case = Case.from_dict(body)
        case.set_field("assignee", "李师傅", stamp(wall, "dev"))
        return case.to_dict()
    if kind == "incident":
        incident = Incident.from_dict(body)
        incident.set_field("title", "已到场", stamp(wall, "dev"))
        return incident.to_dict()
    return {**body, "extra_note": "checked"}


KINDS = [*(k for k in declared_fields() if not k.startswith("event:")), "case", "incident"]


def test_the_walk_covers_every_declared_field():
    body = mergeable_body("case")
    items = {item for _, item, _ in personal_values("case", body)}
    assert items == set(ITEMS)
    declared_paths = {p[-1] for p, _, _ in personal_values("case", body) if "data" in p}
    for key, names in declared_fields().items():
        if key.startswith("event:"):
            assert set(names) <= declared_paths, key
    for kind in KINDS[:-2]:
        found = {p[0] for p, _, _ in personal_values(kind, reference_body(kind))}
        assert found == set(declared_fields()[kind]), kind


@pytest.mark.parametrize("kind", KINDS)
def test_every_personal_field_through_push_pull_and_write_back_for_every_role(api, enroll, kind):
    office = enroll(role="office", name="office")
    body = reference_body(kind) if kind in REQUIRED else mergeable_body(kind)
    record_id = body["id"]
    answer = api.post("/v1/push", json={"ops": [op(1, kind, record_id, body)]},
                      headers=office.headers)  # fmt: skip
    assert answer.json()["results"][0]["status"] == "applied", answer.text
    real = personal_values(kind, body)
    assert len(real) >= 2

    def pulled(device) -> dict:
        changes = api.post("/v1/pull", json={}, headers=device.headers).json()["changes"]
        return next(c["body"] for c in changes if c["record_id"] == record_id)

    for n, role in enumerate(ROLES):
        device = office if role == "office" else enroll(role=role, name=role)
        seen = pulled(device)
        for path, item, value in real:
            expected = value if may_reveal(role, item) else mask_value(item, value)
            assert value_at(seen, path) == expected, (role, path)

        back = written_back(kind, seen, 5000 + n)
        answer = api.post("/v1/push", json={"ops": [op(2, kind, record_id, back,
                          hlc=stamp(5000 + n, "dev"))]}, headers=device.headers)  # fmt: skip
        result = answer.json()["results"][0]
        assert result["status"] == ("rejected" if not may_write(role, kind) else
                                    result["status"]), result  # fmt: skip
        if may_write(role, kind):
            assert result["status"] in ("applied", "merged"), (role, result)

        full = pulled(office)
        for path, _item, value in real:
            assert value_at(full, path) == value, (role, path)
