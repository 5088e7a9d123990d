"""Two coordinators log the same incident offline; through the real office server (a
``fieldkit-server`` process on SQLite) both devices and the office end with every entry, in
time order."""

from __future__ import annotations

import time

import orjson
import pytest
from sqlalchemy import select

from fieldkit.services import incidents as inc
from fieldkit.services.workspace import Workspace
from fieldkit.store import Store
from fieldkit.sync.client import StoreAdapter, SyncClient, sync_round
from tests.sync.conftest import ServerProcess, db_url, pg_cluster  # noqa: F401 - fixtures


@pytest.fixture
def server(tmp_path):
    folder = tmp_path / "server"
    folder.mkdir()
    process = ServerProcess(f"sqlite:///{folder / 'fieldkit-server.sqlite3'}", folder)
    process.start()
    yield process
    process.kill()


class Device:
    def __init__(self, server: ServerProcess, folder, name: str) -> None:
        enrolled = server.enroll(site="s1", role="emergency", name=name)
        self.ws = Workspace(folder, Store.open(folder, command=name))
        self.client = SyncClient(server.url, enrolled.token)

    def sync(self) -> None:
        report = sync_round(StoreAdapter(self.ws.store, "s1"), self.client)
        assert report.rejected == 0

    def timeline(self, incident_id: str) -> list[tuple[str, str]]:
        return [(e.id, e.text) for e in self.ws.store.get_incident(incident_id).timeline]

    def close(self) -> None:
        self.client.close()
        self.ws.close()


def office_timeline(server: ServerProcess, incident_id: str) -> list[tuple[str, str]]:
    from fieldkit_server.db import Database
    from fieldkit_server.tables import Record

    db = Database(server.db_url)
    try:
        with db.engine.connect() as conn:
            row = conn.execute(select(Record).where(Record.record_id == incident_id)).one()
    finally:
        db.dispose()
    body = orjson.loads(row.body)
    return [(e["id"], e["text"]) for e in body["timeline"]]


def test_two_devices_offline_keep_every_entry_in_order(server, tmp_path):
    a = Device(server, tmp_path / "a", "coordinator A")
    b = Device(server, tmp_path / "b", "coordinator B")
    try:
        incident = inc.open_incident(a.ws, "flooding", None, place_text="3-2-1502")
        inc.add_entry(a.ws, incident.id, "A: water through the ceiling")
        a.sync()
        b.sync()
        assert b.ws.store.get_incident(incident.id) is not None
        # both offline now, writing in turns
        for n in range(5):
            inc.add_entry(a.ws, incident.id, f"A{n}")
            time.sleep(0.003)  # distinct milliseconds, so the expected order is unambiguous
            inc.add_entry(b.ws, incident.id, f"B{n}", "action")
            time.sleep(0.003)
        inc.hand_over(b.ws, incident.id, "Wang")
        a.sync()
        b.sync()
        a.sync()
        mine, theirs = a.timeline(incident.id), b.timeline(incident.id)
        office = office_timeline(server, incident.id)
        assert mine == theirs == office
        texts = [text for _, text in mine]
        assert texts[1:11] == [x for n in range(5) for x in (f"A{n}", f"B{n}")]
        stored = a.ws.store.get_incident(incident.id).timeline
        assert [e.at for e in stored] == sorted(e.at for e in stored)
        assert inc.coordinator_of(a.ws.store.get_incident(incident.id)) == "Wang"
        assert a.ws.store.outbox_count() == b.ws.store.outbox_count() == 0
    finally:
        a.close()
        b.close()


def test_places_added_offline_on_two_devices_and_a_close_reach_everyone(server, tmp_path):
    from fieldkit.model.records import REFERENCE_ENTITIES
    from fieldkit.services import incident_close
    from tests.incidents.helpers import make_compound

    refs = make_compound(tmp_path / "a")
    with Store.open(tmp_path / "a") as first, Store.open(tmp_path / "b") as store:
        for entity in REFERENCE_ENTITIES:  # the same compound and registry on the second device
            store.put_reference(entity, first.reference(entity))
    a = Device(server, tmp_path / "a", "coordinator A")
    b = Device(server, tmp_path / "b", "coordinator B")
    try:
        compound = inc.compound_of(a.ws)
        incident = inc.open_incident(a.ws, "typhoon", places=[compound.building("1")])
        a.sync()
        b.sync()
        inc.add_place(a.ws, incident.id, "2-1")  # both offline, each widens it
        inc.add_place(b.ws, incident.id, "2-2")
        a.sync()
        b.sync()
        a.sync()
        for device in (a, b):
            where = inc.places_of(device.ws, device.ws.store.get_incident(incident.id))
            assert sorted(p.code for p in where) == ["1", "2-1", "2-2"]
        points = incident_close.open_points(b.ws, incident.id)
        flats = {p.ref for p in points if p.point == "person"}
        assert any(refs_unit.startswith("2-2-") for refs_unit in
                   (u.number for u in refs["unit"] if u.id in flats))  # fmt: skip
        incident_close.close(b.ws, incident.id, "all clear", {p.key: p.choices[0] for p in points})
        b.sync()
        a.sync()
        assert a.ws.store.get_incident(incident.id).status == "closed"
        assert (
            a.timeline(incident.id)
            == b.timeline(incident.id)
            == office_timeline(server, incident.id)
        )
        kinds = [e.type for e in a.ws.store.get_incident(incident.id).timeline]
        assert kinds.count("decision") == len(points) and kinds.count("place") == 2
    finally:
        a.close()
        b.close()


@pytest.fixture
def any_server(tmp_path, db_url):  # noqa: F811 - the fixture imported above
    """The office server on SQLite and on a real PostgreSQL."""
    folder = tmp_path / "server"
    folder.mkdir(exist_ok=True)
    process = ServerProcess(db_url, folder)
    process.start()
    yield process
    process.kill()


def office_began(server: ServerProcess, incident_id: str) -> str:
    from fieldkit.model.incident import began_of
    from fieldkit_server.db import Database
    from fieldkit_server.tables import Record

    db = Database(server.db_url)
    try:
        with db.engine.connect() as conn:
            row = conn.execute(select(Record).where(Record.record_id == incident_id)).one()
    finally:
        db.dispose()
    return began_of(orjson.loads(row.body))


def test_when_it_began_reaches_the_office_and_the_other_device(any_server, tmp_path):
    """The alarm time given at opening on one device, said again on the other offline:
    every copy — both devices and the office, on SQLite and PostgreSQL — ends with the time
    said last."""
    from fieldkit.services import incident_began

    a = Device(any_server, tmp_path / "a", "coordinator A")
    b = Device(any_server, tmp_path / "b", "coordinator B")
    try:
        began = time.time() - 40 * 60
        incident = incident_began.open_incident(a.ws, "lift_entrapment", None,
                                                place_text="1号楼电梯", began=began)  # fmt: skip
        a.sync()
        b.sync()
        assert b.ws.store.get_incident(incident.id).began_at == incident_began.iso(began)
        incident_began.set_began(b.ws, incident.id, "50分钟前")
        said = b.ws.store.get_incident(incident.id).began_at
        assert said < incident_began.iso(began)
        b.sync()
        a.sync()
        assert a.ws.store.get_incident(incident.id).began_at == said
        assert office_began(any_server, incident.id) == said
        assert inc.view(a.ws, incident.id).began_at == said
    finally:
        a.close()
        b.close()
