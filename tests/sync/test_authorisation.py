"""Every endpoint × no token / revoked token / other site / role without the right."""

from __future__ import annotations

import pytest

from fieldkit.model import new_id
from fieldkit_server.devices import revoke_device
from tests.sync.records import case_body, op, sha

DATA = b"photo"
DIGEST = sha(DATA)
ENDPOINTS = [
    ("post", "/v1/push", {"json": {"ops": []}}),
    ("post", "/v1/pull", {"json": {"cursor": 0}}),
    ("get", "/v1/pull", {}),
    ("get", "/v1/me", {}),
    ("post", "/v1/attachments/ask", {"json": {"sha256": [DIGEST]}}),
    ("head", f"/v1/attachments/{DIGEST}", {}),
    ("get", f"/v1/attachments/{DIGEST}", {}),
    ("put", f"/v1/attachments/{DIGEST}", {"content": DATA}),
    ("get", "/v1/conflicts", {}),
    ("get", "/v1/reports/trends", {}),
    ("get", "/v1/reports/trends", {"params": {"format": "csv"}}),
]


@pytest.mark.parametrize(("method", "path", "kwargs"), ENDPOINTS)
def test_no_token_bad_token_and_revoked_token_are_refused(app, api, enroll, method, path, kwargs):
    dev = enroll()
    revoked = enroll()
    revoke_device(app.state.db, revoked.device_id)
    for headers, code in (
        ({}, "token_missing"),
        ({"Authorization": "Bearer not-a-token"}, "token_invalid"),
        ({"Authorization": "Basic abc"}, "token_missing"),
        (revoked.headers, "device_revoked"),
    ):
        answer = getattr(api, method)(path, headers=headers, **kwargs)
        assert answer.status_code == 401, (path, headers)
        if method != "head":
            assert answer.json()["code"] == code
    assert getattr(api, method)(path, headers=dev.headers, **kwargs).status_code < 500


def test_other_site_is_refused_everywhere(api, enroll):
    mine, theirs = enroll(site="s1"), enroll(site="s2")
    api.put(f"/v1/attachments/{DIGEST}", content=DATA, headers=mine.headers)
    rid = new_id()
    assert (
        api.post(
            "/v1/push", json={"ops": [op(1, "case", rid, case_body(rid))]}, headers=mine.headers
        ).status_code
        == 200
    )
    pushed = api.post(
        "/v1/push",
        json={"ops": [op(1, "case", rid, case_body(rid), site="s1")]},
        headers=theirs.headers,
    ).json()["results"][0]
    assert pushed["status"] == "rejected" and pushed["code"] == "site_not_allowed"
    # Claiming its own site for a record that lives in another site is refused too.
    moved = api.post(
        "/v1/push",
        json={"ops": [op(2, "case", rid, case_body(rid, site="s2"), site="s2")]},
        headers=theirs.headers,
    ).json()["results"][0]
    assert moved["code"] == "site_mismatch"
    pulled = api.post("/v1/pull", json={}, headers=theirs.headers).json()["changes"]
    assert pulled == []
    assert api.head(f"/v1/attachments/{DIGEST}", headers=theirs.headers).status_code == 404
    assert api.get(f"/v1/attachments/{DIGEST}", headers=theirs.headers).status_code == 404
    ask = api.post("/v1/attachments/ask", json={"sha256": [DIGEST]}, headers=theirs.headers)
    assert ask.json()["missing"] == [DIGEST]


@pytest.mark.parametrize(
    ("role", "kind", "allowed"),
    [
        ("patrol", "unit", False),
        ("patrol", "checklist", False),
        ("renovation", "incident", False),
        ("emergency", "site", False),
        ("patrol", "case", True),
        ("emergency", "incident", True),
        ("office", "unit", True),
    ],
)
def test_roles_write_only_their_kinds(api, enroll, role, kind, allowed):
    dev = enroll(role=role)
    rid = new_id()
    body = case_body(rid) if kind == "case" else {"id": rid, "site_id": "s1"}
    if kind == "incident":
        from fieldkit.model import Incident

        body = Incident.new(rid, "fire", "0000000003e8-000000-d1", site_id="s1").to_dict()
    result = api.post("/v1/push", json={"ops": [op(1, kind, rid, body)]}, headers=dev.headers)
    status = result.json()["results"][0]
    assert (status["status"] != "rejected") is allowed, status
    if not allowed:
        assert status["code"] == "kind_not_allowed"


@pytest.mark.parametrize("role", ["patrol", "renovation", "emergency"])
def test_only_office_devices_read_reports(api, enroll, role):
    for fmt in ("json", "csv", "html"):
        answer = api.get(
            "/v1/reports/trends", params={"format": fmt}, headers=enroll(role=role).headers
        )
        assert answer.status_code == 403 and answer.json()["code"] == "office_only"


def test_reports_count_only_the_office_devices_site(api, enroll):
    rid = new_id()
    patrol = enroll(site="s1")
    api.post("/v1/push", json={"ops": [op(1, "case", rid, case_body(rid))]}, headers=patrol.headers)
    for site, counted in (("s1", 1), ("s2", 0)):
        office = enroll(site=site, role="office")
        answer = api.get("/v1/reports/trends", headers=office.headers).json()
        assert answer["total"]["cases"] == counted, site
    other = api.get("/v1/reports/trends", params={"site": "s1"}, headers=office.headers)
    assert other.status_code == 403 and other.json()["code"] == "report_site"


def test_only_office_deletes_and_reads_the_conflict_log(api, enroll):
    patrol, office = enroll(role="patrol"), enroll(role="office")
    rid = new_id()
    api.post("/v1/push", json={"ops": [op(1, "case", rid, case_body(rid))]}, headers=patrol.headers)
    delete = op(2, "case", rid, {}, op="delete", hlc="0000000fffff-000000-d1")
    refused = api.post("/v1/push", json={"ops": [delete]}, headers=patrol.headers).json()
    assert refused["results"][0]["code"] == "delete_not_allowed"
    assert api.get("/v1/conflicts", headers=patrol.headers).json()["code"] == "office_only"
    delete["op_id"] = new_id()
    done = api.post("/v1/push", json={"ops": [delete]}, headers=office.headers).json()
    assert done["results"][0]["status"] == "applied"
    change = api.post("/v1/pull", json={}, headers=patrol.headers).json()["changes"][0]
    assert change["deleted"] is True
