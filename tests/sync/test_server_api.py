"""The office server's API on SQLite and PostgreSQL: enrolment, push, pull, attachments."""

from __future__ import annotations

import gc
from datetime import UTC, datetime, timedelta

import orjson
from sqlalchemy import func, select, update

from fieldkit.model import Case, new_id
from fieldkit_server.devices import add_device, revoke_device
from fieldkit_server.tables import Device, Op, Record, SeqGap
from tests.sync.records import add_event, case_body, inspection_body, op, sha, stamp


def push(api, dev, ops, **headers):
    answer = api.post("/v1/push", json={"ops": ops}, headers={**dev.headers, **headers})
    assert answer.status_code == 200, answer.text
    return answer.json()


def statuses(answer):
    return [r["status"] for r in answer["results"]]


def count(app, table):
    with app.state.db.sessions() as s:
        return s.execute(select(func.count()).select_from(table)).scalar_one()


def test_enrol_code_works_once_and_is_stored_hashed(app, api):
    new = add_device(app.state.db, site="s1", role="patrol", name="Laptop 1")
    first = api.post("/v1/enroll", json={"code": new.code.lower().replace("-", " ")})
    assert first.status_code == 200
    assert first.json()["site"] == "s1" and first.json()["role"] == "patrol"
    again = api.post("/v1/enroll", json={"code": new.code})
    assert again.status_code == 400 and again.json()["code"] == "code_invalid"
    with app.state.db.sessions() as s:
        device = s.get(Device, new.device_id)
        assert device.code_hash is None
        assert device.token_hash and first.json()["token"] not in device.token_hash


def test_expired_and_revoked_codes_are_refused(app, api):
    new = add_device(app.state.db, site="s1", role="patrol", name="x")
    with app.state.db.sessions() as s, s.begin():
        s.execute(
            update(Device)
            .where(Device.id == new.device_id)
            .values(code_expires_at=datetime.now(UTC) - timedelta(minutes=1))
        )
    assert api.post("/v1/enroll", json={"code": new.code}).json()["code"] == "code_expired"
    other = add_device(app.state.db, site="s1", role="patrol", name="y")
    revoke_device(app.state.db, other.device_id)
    assert api.post("/v1/enroll", json={"code": other.code}).json()["code"] == "code_invalid"


def test_push_applies_once_and_a_resent_batch_is_duplicates(app, api, enroll):
    dev = enroll()
    ids = [new_id() for _ in range(3)]
    ops = [op(i + 1, "case", rid, case_body(rid)) for i, rid in enumerate(ids)]
    assert statuses(push(api, dev, ops)) == ["applied"] * 3
    assert statuses(push(api, dev, ops)) == ["duplicate"] * 3
    assert count(app, Record) == 3 and count(app, Op) == 3


def test_a_resent_rejection_is_rejected_again_not_duplicate(api, enroll):
    dev = enroll(role="patrol")
    bad = [op(1, "unit", "u1", {"id": "u1", "site_id": "s1"})]
    first = push(api, dev, bad)
    assert first["results"][0]["status"] == "rejected"
    assert first["results"][0]["code"] == "kind_not_allowed"
    second = push(api, dev, bad)
    assert second["results"] == first["results"]


def test_sequence_gaps_are_reported_and_kept(app, api, enroll):
    dev = enroll()
    a, b = new_id(), new_id()
    push(api, dev, [op(1, "case", a, case_body(a))])
    answer = push(api, dev, [op(5, "case", b, case_body(b))])
    assert answer["gaps"] == [{"first": 2, "last": 4}]
    with app.state.db.sessions() as s:
        gap = s.execute(select(SeqGap)).scalar_one()
        assert (gap.first_seq, gap.last_seq) == (2, 4)


def test_case_edits_from_two_devices_merge(api, enroll):
    d1, d2 = enroll(name="a"), enroll(name="b")
    cid = new_id()
    base = case_body(cid, wall=1000, device="d1")
    push(api, d1, [op(1, "case", cid, base)])
    one = Case.from_dict(base)
    one.set_field("assignee", "wang", stamp(2000, "d1"))
    two = Case.from_dict(base)
    two.set_field("assignee", "li", stamp(2001, "d2"))
    two.set_status("resolved", stamp(2002, "d2"))
    push(api, d2, [op(1, "case", cid, add_event(two.to_dict(), "fixed", 2003, "d2"))])
    answer = push(api, d1, [op(2, "case", cid, add_event(one.to_dict(), "seen", 2004, "d1"))])
    assert statuses(answer) == ["merged"]
    change = api.post("/v1/pull", json={"cursor": 0}, headers=d1.headers).json()["changes"][0]
    body = change["body"]
    assert body["assignee"] == "li" and body["status"] == "resolved"
    assert {e["text"] for e in body["events"]} == {"fixed", "seen"}
    assert any(c["field"] == "assignee" and c["value"] == "wang" for c in body["conflicts"])
    office = enroll(role="office")
    log = api.get("/v1/conflicts", headers=office.headers).json()
    assert any(entry["detail"]["merge"]["value"] == "wang" for entry in log)


def test_submitted_inspections_are_immutable(api, enroll):
    dev = enroll()
    iid = new_id()
    body = inspection_body(iid)
    assert statuses(push(api, dev, [op(1, "inspection", iid, body)])) == ["applied"]
    assert statuses(push(api, dev, [op(2, "inspection", iid, body)])) == ["applied"]
    changed = inspection_body(iid, answer="fail")
    answer = push(api, dev, [op(3, "inspection", iid, changed)])
    assert answer["results"][0]["code"] == "immutable"
    draft = dict(body, status="draft", submitted_at=None, id=new_id())
    answer = push(api, dev, [op(4, "inspection", draft["id"], draft)])
    assert answer["results"][0]["code"] == "draft_not_accepted"


def test_invalid_record_is_refused_with_the_model_reason(api, enroll):
    dev = enroll()
    rid = new_id()
    answer = push(api, dev, [op(1, "case", rid, {"id": rid, "kind": "nonsense"})])
    assert answer["results"][0]["code"] == "invalid_record"
    assert answer["results"][0]["message"]


def test_pull_pages_in_order_and_a_repeated_page_is_the_same(api, enroll):
    dev = enroll()
    ids = [new_id() for _ in range(25)]
    push(api, dev, [op(i + 1, "case", rid, case_body(rid)) for i, rid in enumerate(ids)])
    seen, cursor, pages = [], 0, 0
    while True:
        page = api.post("/v1/pull", json={"cursor": cursor, "limit": 10}, headers=dev.headers)
        again = api.get(f"/v1/pull?cursor={cursor}&limit=10", headers=dev.headers)
        assert page.json() == again.json()
        body = page.json()
        seen += [c["record_id"] for c in body["changes"]]
        cursor, pages = body["next_cursor"], pages + 1
        if not body["has_more"]:
            break
    assert seen == ids and pages == 3
    empty = api.post("/v1/pull", json={"cursor": cursor}, headers=dev.headers).json()
    assert empty == {"version": 1, "changes": [], "next_cursor": cursor, "has_more": False}


def test_pull_sees_own_site_and_all_sites_only(api, enroll):
    s1, s2, office = enroll(site="s1"), enroll(site="s2"), enroll(site="*", role="office")
    a, b = new_id(), new_id()
    push(api, s1, [op(1, "case", a, case_body(a, site="s1"))])
    push(api, s2, [op(1, "case", b, case_body(b, site="s2"), site="s2")])
    push(api, office, [op(1, "site", "s1", {"id": "s1", "name": "Garden"}, site="s1")])
    push(api, office, [op(2, "notice", "n1", {"text": "all"}, site="*")])

    def kinds(dev):
        changes = api.post("/v1/pull", json={}, headers=dev.headers).json()["changes"]
        return sorted(c["record_id"] for c in changes)

    assert kinds(s1) == sorted([a, "s1", "n1"])
    assert kinds(s2) == sorted([b, "n1"])
    assert len(kinds(office)) == 4


def test_personal_data_is_masked_unless_the_role_needs_it(api, enroll):
    office, patrol, emergency = (
        enroll(role="office"),
        enroll(role="patrol"),
        enroll(role="emergency"),
    )
    unit = {"id": "u1", "site_id": "s1", "owner_name": "张伟", "owner_phone": "13812345678"}
    assert statuses(push(api, office, [op(1, "unit", "u1", unit)])) == ["applied"]

    def unit_for(dev):
        return api.post("/v1/pull", json={}, headers=dev.headers).json()["changes"][0]["body"]

    assert unit_for(office)["owner_phone"] == "13812345678"
    assert unit_for(patrol)["owner_phone"] == "138****5678"
    assert unit_for(patrol)["owner_name"] == "张*"
    assert unit_for(emergency)["owner_phone"] == "13812345678"


def test_residents_and_permits_leave_the_office_masked_for_each_role(api, enroll):
    office, patrol, renovation = (
        enroll(role="office"),
        enroll(role="patrol"),
        enroll(role="renovation"),
    )
    resident = {"id": "r1", "site_id": "s1", "unit_id": "u1", "name": "张伟",
                "phone": "13812345678", "id_number": "110101199003071234"}  # fmt: skip
    permit = {"id": "p1", "site_id": "s1", "unit_id": "u1", "start": "2027-01-01",
              "end": "2027-03-01", "applicant": "李娜", "applicant_phone": "13900001111",
              "workers": [{"name": "王强", "phone": "13700002222"}]}  # fmt: skip
    pushed = push(api, office, [op(1, "resident", "r1", resident),
                                op(2, "renovation_permit", "p1", permit)])  # fmt: skip
    assert statuses(pushed) == ["applied", "applied"]

    def bodies(dev):
        changes = api.post("/v1/pull", json={}, headers=dev.headers).json()["changes"]
        return {c["kind"]: c["body"] for c in changes}

    full = bodies(office)
    assert full["resident"]["name"] == "张伟" and full["renovation_permit"]["applicant"] == "李娜"
    seen = bodies(patrol)
    assert (seen["resident"]["name"], seen["resident"]["phone"]) == ("张*", "138****5678")
    assert seen["resident"]["id_number"] == "110***********1234"
    assert seen["renovation_permit"]["applicant"] == "李*"
    assert seen["renovation_permit"]["applicant_phone"] == "139****1111"
    assert seen["renovation_permit"]["workers"] == [{"name": "王*", "phone": "137****2222"}]
    inspector = bodies(renovation)
    assert inspector["resident"]["name"] == "张伟"  # names are the inspector's to know
    assert inspector["resident"]["phone"] == "138****5678"


def test_reference_data_last_writer_wins_and_the_loser_is_logged(api, enroll):
    office = enroll(role="office")
    newer = op(1, "unit", "u1", {"id": "u1", "site_id": "s1", "number": "new"}, hlc=stamp(5000))
    older = op(2, "unit", "u1", {"id": "u1", "site_id": "s1", "number": "old"}, hlc=stamp(4000))
    assert statuses(push(api, office, [newer, older])) == ["applied", "merged"]
    body = api.post("/v1/pull", json={}, headers=office.headers).json()["changes"][0]["body"]
    assert body["number"] == "new"
    log = api.get("/v1/conflicts", headers=office.headers).json()
    assert log[0]["detail"]["stale"]["number"] == "old"


def test_attachments_before_records_and_verified_on_arrival(app, api, enroll):
    dev, other = enroll(site="s1"), enroll(site="s2")
    data = b"jpg"
    digest = sha(data)
    iid = new_id()
    body = inspection_body(iid, photo=digest)
    answer = push(api, dev, [op(1, "inspection", iid, body)])
    assert answer["results"][0]["code"] == "attachment_missing"
    assert api.head(f"/v1/attachments/{digest}", headers=dev.headers).status_code == 404
    wrong = api.put(f"/v1/attachments/{digest}", content=b"jpX", headers=dev.headers)
    assert wrong.status_code == 422 and wrong.json()["code"] == "hash_mismatch"
    put = api.put(f"/v1/attachments/{digest}", content=data, headers=dev.headers)
    assert put.status_code == 201 and put.json()["created"] is True
    assert (
        api.put(f"/v1/attachments/{digest}", content=data, headers=dev.headers).status_code == 200
    )
    assert api.head(f"/v1/attachments/{digest}", headers=dev.headers).status_code == 200
    assert api.get(f"/v1/attachments/{digest}", headers=dev.headers).content == data
    ask = api.post("/v1/attachments/ask", json={"sha256": [digest, "0" * 64]}, headers=dev.headers)
    assert ask.json()["missing"] == ["0" * 64]
    # Another site cannot see the file, even though the server holds its bytes.
    assert api.get(f"/v1/attachments/{digest}", headers=other.headers).status_code == 404
    answer = push(api, dev, [op(2, "inspection", iid, body)])
    assert statuses(answer) == ["applied"]


def test_errors_are_coded_and_localised(api, enroll, monkeypatch):
    dev = enroll()
    bad = api.post("/v1/push", json={"ops": [{"seq": 0}]}, headers=dev.headers)
    assert bad.status_code == 422 and bad.json()["code"] == "invalid_request"
    zh = api.post("/v1/push", json={}, headers={"Accept-Language": "zh-CN,zh;q=0.9"})
    assert zh.json()["code"] == "token_missing" and "登记" in zh.json()["message"]
    version = api.post("/v1/push", json={"version": 99, "ops": []}, headers=dev.headers)
    assert version.json()["code"] == "unsupported_version"

    def boom(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr("fieldkit_server.app.push_ops", boom)
    crash = api.post("/v1/push", json={"ops": []}, headers=dev.headers)
    assert crash.status_code == 500
    assert crash.json()["code"] == "internal" and "disk" not in crash.json()["message"]


def test_health_and_openapi(api):
    assert api.get("/v1/health").json()["status"] == "ok"
    paths = api.get("/openapi.json").json()["paths"]
    assert {"/v1/push", "/v1/pull", "/v1/enroll", "/v1/attachments/{sha256}"} <= set(paths)


def test_found_by_schemathesis_huge_numbers_and_lone_surrogates_are_422(api, enroll):
    dev = enroll()
    rid = new_id()
    huge = op(2**70, "case", rid, case_body(rid), hlc=stamp(5))
    answer = api.post("/v1/push", json={"ops": [huge]}, headers=dev.headers)
    assert answer.status_code == 422 and answer.json()["code"] == "invalid_request"
    raw = (
        '{"ops": [{"op_id": "\\udaa0", "seq": 1, "hlc": "h", "kind": "x", '
        '"record_id": "r", "site": "s1"}]}'
    )
    answer = api.post(
        "/v1/push", content=raw, headers={**dev.headers, "Content-Type": "application/json"}
    )
    assert answer.status_code == 422
    assert api.get(f"/v1/pull?cursor={2**70}", headers=dev.headers).status_code == 422
    enrol = api.post(
        "/v1/enroll",
        content='{"code": "ab\\ud800cdef"}',
        headers={"Content-Type": "application/json"},
    )
    assert enrol.status_code == 422


def test_a_page_splices_stored_bodies_and_masks_only_personal_ones(app, api, enroll):
    from fieldkit.sync import protocol as p
    from fieldkit_server.pull import pull
    from fieldkit_server.push import Caller

    office, patrol = enroll(role="office"), enroll(role="patrol")
    ids = [new_id() for _ in range(5)]
    cases = [case_body(rid, title='quote " \\ 漏水 \u2028 \t end') for rid in ids]
    unit = {"id": "u1", "site_id": "s1", "owner_name": "张伟", "owner_phone": "13812345678"}
    sent = [("case", rid, body) for rid, body in zip(ids, cases, strict=True)]
    sent.insert(2, ("unit", "u1", unit))
    push(api, office, [op(i + 1, kind, rid, body) for i, (kind, rid, body) in enumerate(sent)])
    db = app.state.db
    pages = [
        p.PullResponse.model_validate_json(pull(db, Caller(patrol.device_id, "s1", "patrol"), c, 3))
        for c in (0, 3, 6)
    ]
    assert [(len(pg.changes), pg.has_more) for pg in pages] == [(3, True), (3, False), (0, False)]
    assert pages[0].next_cursor == pages[1].changes[0].seq - 1
    assert pages[2].next_cursor == pages[1].next_cursor == pages[1].changes[-1].seq
    changes = pages[0].changes + pages[1].changes
    assert [c.record_id for c in changes] == [*ids[:2], "u1", *ids[2:]]
    assert [c.body for c in changes if c.kind == "case"] == cases
    masked = next(c.body for c in changes if c.kind == "unit")
    assert (masked["owner_name"], masked["owner_phone"]) == ("张*", "138****5678")
    assert all(c.device == office.device_id and not c.deleted for c in changes)
    full = orjson.loads(pull(db, Caller(office.device_id, "s1", "office"), 0, 10))
    assert full["changes"][2]["body"] == unit
    assert gc.isenabled()  # paused only while the page was built


def test_the_api_description_needs_no_internet(api):
    """No page that loads its script from a CDN (blank on an office network): the OpenAPI
    description itself is served, for any viewer the office has."""
    for page in ("/docs", "/redoc"):
        answer = api.get(page)
        assert answer.status_code == 404 and "cdn" not in answer.text.lower()
    described = api.get("/openapi.json")
    assert described.status_code == 200 and "/v1/push" in described.json()["paths"]
