"""Personal data through a real server: declared once in the model, masked on the way out
whatever its nesting or type, and never overwritten by a role that received it masked.

Each device here is the real store syncing with a ``fieldkit-server serve`` process on
SQLite and on PostgreSQL.
"""

from __future__ import annotations

import orjson
import pytest
from sqlalchemy import select

from fieldkit.model import Target
from fieldkit_server.db import Database
from fieldkit_server.tables import Record
from tests.sync.feed import conflict_log
from tests.sync.live import LiveDevice

pytest.importorskip("fastapi")


@pytest.fixture
def devices(server, tmp_path):
    made: list[LiveDevice] = []

    def _device(role: str) -> LiveDevice:
        device = LiveDevice(server, tmp_path / f"{role}{len(made)}", role)
        made.append(device)
        return device

    yield _device
    for device in made:
        device.close()


def stored(server, kind: str, record_id: str) -> dict:
    db = Database(server.db_url)
    try:
        with db.engine.connect() as conn:
            body = conn.execute(
                select(Record.body).where(Record.kind == kind, Record.record_id == record_id)
            ).scalar_one()
        return orjson.loads(body)
    finally:
        db.dispose()


SHAPES = {
    "owner_phone": 13812345678,  # a phone stored as a number
    "phones": ["13812345678", "13900001111"],  # phones in a list
    "mobile": "13712345678",  # a mobile field
    "resident": {"name": "张伟", "phone": "13812345678", "id_number": "110101199003071234"},
    "parties": [{"name": "王秀英", "mobile": "13600001111"}, {"name": "李娜"}],
    "contact": "phone",  # how to reach them: a channel, not a person
    "where": "3-2-1502",
}


def test_a_patrol_device_receives_every_shape_of_personal_value_masked(devices):
    office, patrol = devices("office"), devices("patrol")
    case = office.store.create_case(
        "complaint", Target("unit", "u1"), title="噪音", site_id="s1", extra=dict(SHAPES)
    )
    office.store.add_case_event(
        case.id, "note", "回电", data={"caller": {"name": "赵敏", "tel": 13598765432},
                                      "owner_id_number": "110101199003071234"},
    )  # fmt: skip
    office.sync()
    patrol.sync()

    seen = patrol.store.get_case(case.id).to_dict()
    assert seen["owner_phone"] == "138****5678"
    assert seen["phones"] == ["138****5678", "139****1111"]
    assert seen["mobile"] == "137****5678"
    assert seen["resident"] == {"name": "张*", "phone": "138****5678",
                                "id_number": "110***********1234"}  # fmt: skip
    assert seen["parties"] == [{"name": "王**", "mobile": "136****1111"}, {"name": "李*"}]
    assert (seen["contact"], seen["where"]) == ("phone", "3-2-1502")
    note = seen["events"][0]["data"]
    assert note == {"caller": {"name": "赵*", "tel": "135****5432"},
                    "owner_id_number": "110***********1234"}  # fmt: skip
    assert "13812345678" not in orjson.dumps(seen).decode()


def test_a_masked_copy_written_back_never_replaces_the_real_values(devices, server):
    """Issue 14 item 3: the emergency device's statement and call survive a patrol device
    that pulled them masked, changed the assignee and synced."""
    emergency, patrol, office = devices("emergency"), devices("patrol"), devices("office")
    dispute = emergency.store.create_case(
        "dispute", Target("unit", "u1"), title="漏水", site_id="s1"
    )
    emergency.store.add_case_event(
        dispute.id, "statement", "楼上漏水三天了", data={"side": "a", "owner_name": "王秀英"}
    )
    fire = emergency.store.create_incident("fire", site_id="s1", title="3栋冒烟")
    emergency.store.add_timeline_entry(
        fire.id, "call", "已报119", data={"service": "119", "phone": "13812345678",
                                          "answered_by": "刘建国"},
    )  # fmt: skip
    emergency.sync()

    patrol.sync()
    held = patrol.store.get_case(dispute.id)
    assert held.events[0].data["owner_name"] == "王**"
    call = patrol.store.get_incident(fire.id).timeline[0].data
    assert (call["phone"], call["answered_by"]) == ("138****5678", "刘**")
    patrol.store.update_case(dispute.id, assignee="李师傅")
    patrol.store.update_incident(fire.id, title="3栋冒烟 已到场")
    report = patrol.sync()
    assert report.rejected == 0 and patrol.store.outbox_count() == 0

    on_server = stored(server, "case", dispute.id)
    assert on_server["assignee"] == "李师傅"
    assert on_server["events"][0]["data"]["owner_name"] == "王秀英"
    incident = stored(server, "incident", fire.id)
    assert incident["title"] == "3栋冒烟 已到场"
    assert incident["timeline"][0]["data"]["phone"] == "13812345678"
    assert incident["timeline"][0]["data"]["answered_by"] == "刘建国"
    # it sent back only what it was given: nothing personal to log
    assert not [c for c in conflict_log(server.db_url) if "personal_kept" in c]

    for device in (emergency, office):
        device.sync()
        case = device.store.get_case(dispute.id)
        assert case.assignee == "李师傅"
        assert case.events[0].data["owner_name"] == "王秀英"
        entry = device.store.get_incident(fire.id).timeline[0].data
        assert entry["phone"] == "13812345678"


def test_a_role_that_sees_a_value_masked_cannot_replace_it_and_the_office_sees_the_try(
    devices, server
):
    office, patrol = devices("office"), devices("patrol")
    case = office.store.create_case(
        "repair", Target("unit", "u1"), title="漏水", site_id="s1",
        extra={"owner_phone": "13812345678", "contact_phone": ""},
    )  # fmt: skip
    office.sync()
    patrol.sync()
    with patrol.store.transaction():  # a device that edits its copy behind the app's back
        doc = patrol.store.get_case(case.id).to_dict()
        doc["owner_phone"], doc["contact_phone"] = "13000000000", "13711112222"
        from fieldkit.model import Case

        patrol.store._put("case", Case.from_dict(doc))
    patrol.store.update_case(case.id, assignee="李师傅")
    patrol.sync()

    on_server = stored(server, "case", case.id)
    assert on_server["owner_phone"] == "13812345678"
    assert on_server["contact_phone"] == "13711112222"  # an empty one is the device's to fill
    assert on_server["assignee"] == "李师傅"
    [logged] = [c for c in conflict_log(server.db_url) if "personal_kept" in c]
    assert logged == {"personal_kept": ["owner_phone"], "sent": {"owner_phone": "13000000000"}}
