"""Two devices take statements for the same neighbour dispute while apart; through the real
office server (a ``fieldkit-server`` process on SQLite) both end with both sides' statements
and the referral, in time order, as the office does — and the patrol device holds the desk's
speaker's name only masked, as the office sent it."""

from __future__ import annotations

import orjson
import pytest
from sqlalchemy import select

from fieldkit.model import Target
from fieldkit.model.personal import mask
from fieldkit.services import disputes, intake
from fieldkit.services import lifecycle as lc
from fieldkit.services.workspace import Workspace
from fieldkit.store import Store
from fieldkit.sync.client import StoreAdapter, SyncClient, sync_round
from tests.sync.conftest import ServerProcess


@pytest.fixture
def server(tmp_path):
    folder = tmp_path / "server"
    folder.mkdir()
    process = ServerProcess(f"sqlite:///{folder / 'fieldkit-server.sqlite3'}", folder)
    process.start()
    yield process
    process.kill()


class Device:
    def __init__(self, server: ServerProcess, folder, role: str) -> None:
        enrolled = server.enroll(site="s1", role=role, name=role)
        self.ws = Workspace(folder, Store.open(folder, command=role))
        self.client = SyncClient(server.url, enrolled.token)

    def sync(self) -> None:
        report = sync_round(StoreAdapter(self.ws.store, "s1"), self.client)
        assert report.rejected == 0

    def said(self, case_id: str) -> list[tuple[str, str, str, str]]:
        case = self.ws.store.get_case(case_id)
        return [
            (e.id, e.data.get("side", ""), e.data.get("owner_name", ""), e.text)
            for e in case.events
            if e.type in (disputes.STATEMENT, disputes.REFERRAL)
        ]

    def close(self) -> None:
        self.client.close()
        self.ws.close()


def office_case(server: ServerProcess, case_id: str) -> dict:
    from fieldkit_server.db import Database
    from fieldkit_server.tables import Record

    db = Database(server.db_url)
    try:
        with db.engine.connect() as conn:
            row = conn.execute(select(Record).where(Record.record_id == case_id)).one()
    finally:
        db.dispose()
    return orjson.loads(row.body)


def test_statements_from_two_devices_converge(server, tmp_path):
    desk = Device(server, tmp_path / "desk", "office")
    guard = Device(server, tmp_path / "guard", "patrol")
    try:
        request = intake.Request(
            "dispute", Target("unit", "u-502"), "noise_dispute", "楼上深夜拖动家具",
            where="3-2-502", other=Target("unit", "u-602"), other_where="3-2-602",
        )  # fmt: skip
        case = intake.take(desk.ws.store, request, by="desk")
        case = intake.dispatch(desk.ws.store, case.id, "customer_service", "office")
        desk.sync()
        guard.sync()
        assert guard.ws.store.get_case(case.id).status == "investigating"
        # apart: the desk hears the flat below on the phone, the guard talks to the flat above
        disputes.add_statement(desk.ws.store, case.id, "a", "李秀兰", "每晚十一点后有拖椅子的声音",
                               when="2026-11-27 21:00", by="desk")  # fmt: skip
        disputes.add_statement(guard.ws.store, case.id, "b", "陈建国", "家里有老人，晚上九点就睡了",
                               relation="tenant", when="2026-11-27 21:30", by="guard")  # fmt: skip
        lc.move(guard.ws.store, case.id, "mediating", "patrol", by="guard")
        disputes.log_referral(desk.ws.store, case.id, "committee", "居委会王主任",
                              reference="JW-2026-118", when="2026-11-27 22:00")  # fmt: skip
        desk.sync()
        guard.sync()
        desk.sync()

        office = office_case(server, case.id)
        on_desk, on_guard = desk.said(case.id), guard.said(case.id)
        ids = [e["id"] for e in office["events"] if e["type"] in ("statement", "referral")]
        assert [e[0] for e in on_desk] == [e[0] for e in on_guard] == ids
        assert [(side, text) for _, side, _, text in on_guard] == [
            ("a", "每晚十一点后有拖椅子的声音"),
            ("b", "家里有老人，晚上九点就睡了"),
            ("", ""),  # the referral: its outcome is not known yet
        ]
        names = {side: who for _, side, who, _ in on_desk}
        assert names["a"] == "李秀兰" and names["b"] == "陈建国"  # the office sees names
        guard_names = {side: who for _, side, who, _ in on_guard}
        assert guard_names["a"] == mask("name", "李秀兰")  # sent to patrol masked
        desk_case, guard_case = desk.ws.store.get_case(case.id), guard.ws.store.get_case(case.id)
        assert desk_case.status == guard_case.status == office["status"] == "mediating"
        view = disputes.view(desk.ws, case.id)
        assert view.heard("a") and view.heard("b") and len(view.referrals) == 1
        assert desk.ws.store.outbox_count() == guard.ws.store.outbox_count() == 0
    finally:
        desk.close()
        guard.close()
