"""The reveal log reaches the office: a field device's reveal is accepted by the server
(every role may push it), ``fieldkit-server reveals`` lists every device's, and a registry
record only the office may write."""

from __future__ import annotations

import pytest

from fieldkit.model import new_id
from fieldkit.model.registry import Resident
from fieldkit.model.reveal import Reveal
from tests.sync.records import op

pytest.importorskip("fastapi")


@pytest.fixture
def api(tmp_path):
    from fastapi.testclient import TestClient

    from fieldkit_server.app import create_app

    app = create_app(f"sqlite:///{tmp_path / 'server.sqlite3'}", run_migrations=True)
    with TestClient(app, raise_server_exceptions=False) as client:
        client.app_state = app.state
        yield client
    app.state.db.dispose()


def enroll(api, role: str) -> dict[str, str]:
    from fieldkit_server.devices import add_device

    new = add_device(api.app_state.db, site="s1", role=role, name=role)
    body = api.post("/v1/enroll", json={"code": new.code}).json()
    return {"Authorization": f"Bearer {body['token']}"}


@pytest.mark.parametrize("role", ["patrol", "renovation", "emergency", "office"])
def test_every_role_sends_its_reveals(api, role):
    reveal = Reveal(new_id(), "r1", "phone", role, unit_id="u1", site_id="s1", by="li")
    answer = api.post(
        "/v1/push",
        json={"ops": [op(1, "reveal", reveal.id, reveal.to_dict())]},
        headers=enroll(api, role),
    )
    assert answer.status_code == 200, answer.text
    assert answer.json()["results"][0]["status"] == "applied"


def test_only_the_office_writes_residents(api):
    resident = Resident(new_id(), "s1", "u1", phone="13812345678").to_dict()
    for role, expected in (("renovation", "rejected"), ("office", "applied")):
        answer = api.post(
            "/v1/push",
            json={"ops": [op(1, "resident", resident["id"], resident)]},
            headers=enroll(api, role),
        )
        assert answer.json()["results"][0]["status"] == expected, role


def test_patrol_devices_send_finished_rounds(api):
    from fieldkit.model.patrol import PatrolRound

    walk = PatrolRound(
        new_id(), "route1", "2027-01-15T00:00:00Z", site_id="s1", status="finished",
        findings={"missed": ["CP-ROOF"]},
    ).to_dict()  # fmt: skip
    for role, expected in (("patrol", "applied"), ("renovation", "rejected")):
        answer = api.post(
            "/v1/push",
            json={"ops": [op(1, "patrol_round", walk["id"], walk)]},
            headers=enroll(api, role),
        )
        assert answer.json()["results"][0]["status"] == expected, role


def test_the_office_server_lists_every_devices_reveals(api, tmp_path, capsys):
    from fieldkit.model import Unit
    from fieldkit_server.cli import main

    resident = Resident(new_id(), "s1", "u1", name="周玉兰", phone="13812345678").to_dict()
    unit = Unit(id="u1", site_id="s1", number="3-2-302").to_dict()
    office = enroll(api, "office")
    for seq, (kind, body) in enumerate((("unit", unit), ("resident", resident)), 1):
        answer = api.post("/v1/push", json={"ops": [op(seq, kind, body["id"], body)]},
                          headers=office)  # fmt: skip
        assert answer.json()["results"][0]["status"] == "applied", answer.text
    seen = Reveal(new_id(), resident["id"], "phone", "emergency", unit_id="u1", site_id="s1",
                  by="王敏", reason_code="emergency_contact",
                  incident_id="0190abcdef123456")  # fmt: skip
    answer = api.post("/v1/push", json={"ops": [op(1, "reveal", seen.id, seen.to_dict())]},
                      headers=enroll(api, "emergency"))  # fmt: skip
    assert answer.json()["results"][0]["status"] == "applied", answer.text
    url = f"sqlite:///{tmp_path / 'server.sqlite3'}"
    assert main(["--db", url, "--lang", "zh", "reveals"]) == 0
    out = capsys.readouterr()
    assert "王敏（应急岗）  查看 3-2-302 周** 的电话  原因：应急联系  事件 #123456" in out.out
    assert "13812345678" not in out.out and "周玉兰" not in out.out
    assert "共 1 条查看记录" in out.err
    elsewhere = Reveal(new_id(), "r-x", "name", "desk", unit_id="u9", site_id="s1", by="刘洋",
                       reason_code="follow_up", unit_code="1-1-101")  # fmt: skip
    answer = api.post("/v1/push", json={"ops": [op(1, "reveal", elsewhere.id,
                      elsewhere.to_dict())]}, headers=enroll(api, "desk"))  # fmt: skip
    assert main(["--db", url, "--lang", "en", "reveals", "--site", "s1"]) == 0
    out = capsys.readouterr().out.splitlines()  # a flat the office's registry lacks: its code
    assert "刘洋 (service desk)  saw a resident's name at 1-1-101  Reason: Call-back" in out[0]
    assert main(["--db", url, "reveals", "--since", "2999-01-01"]) == 0
    assert capsys.readouterr().out == ""
    assert main(["--db", url, "reveals", "--since", "soon"]) == 2
    assert "is not a date" in capsys.readouterr().err


def test_only_the_office_pulls_the_reveal_log(api):
    seen = Reveal(new_id(), "r1", "phone", "desk", unit_id="u1", site_id="s1", by="刘洋",
                  reason_code="follow_up")  # fmt: skip
    answer = api.post("/v1/push", json={"ops": [op(1, "reveal", seen.id, seen.to_dict())]},
                      headers=enroll(api, "desk"))  # fmt: skip
    assert answer.json()["results"][0]["status"] == "applied"
    for role, expected in (("patrol", []), ("desk", []), ("emergency", []),
                           ("office", [seen.id])):  # fmt: skip
        body = api.get("/v1/pull", params={"cursor": 0}, headers=enroll(api, role)).json()
        assert [c["record_id"] for c in body["changes"] if c["kind"] == "reveal"] == expected
