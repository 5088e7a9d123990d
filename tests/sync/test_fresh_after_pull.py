"""What the office adds is on the device's screens right after the pull that brings it:
a resident the office registers appears on the unit card without a restart."""

from __future__ import annotations

from fieldkit.cli import main
from fieldkit.model import new_id
from fieldkit.model.registry import Resident
from fieldkit.services.demo import generate
from fieldkit.services.registry import unit_card
from fieldkit.services.workspace import Workspace
from fieldkit_server.db import Database
from fieldkit_server.devices import add_device
from tests.sync.records import op


def _enrol(server, role: str) -> None:
    db = Database(server.db_url)
    new = add_device(db, site="CH", role=role, name=role)
    db.dispose()
    assert main(["enroll", server.url, new.code]) == 0


def test_a_resident_the_office_adds_is_on_the_card_after_the_pull(server_process, _isolated_home):
    import requests

    folder = _isolated_home
    generate(folder, cases=5, floors=2)
    _enrol(server_process, "patrol")
    ws = Workspace.open(folder)
    try:
        target = next(t for t in ws.search("101", kinds=("unit",)))
        before = unit_card(ws, target)
        assert "王秀英" not in str(before.residents)
        office = server_process.enroll(site="CH", role="office", name="office")
        resident = Resident(new_id(), "CH", target.id, name="王秀英", phone="13812345678")
        answer = requests.post(
            f"{server_process.url}/v1/push",
            json={"ops": [op(1, "resident", resident.id, resident.to_dict(), site="CH")]},
            headers={"Authorization": f"Bearer {office.token}"},
            timeout=10,
        )
        assert answer.json()["results"][0]["status"] == "applied", answer.text
        ws.sync_now()
        after = unit_card(ws, target)
        assert len(after.residents) == len(before.residents) + 1
        assert any(r.name.startswith("王") for r in after.residents)
    finally:
        ws.close()
