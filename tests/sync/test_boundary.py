"""What the office server accepts from a device (issue 14), on SQLite and PostgreSQL:
stamps bounded by the server's clock, record and request limits, the token before the
body, a feed with a poisoned record still pulled, enrolment that survives a lost answer."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import orjson
from sqlalchemy import func, select, update

from fieldkit.model import new_id
from fieldkit.sync import limits
from fieldkit_server.devices import add_device
from fieldkit_server.limits import DRAIN_BYTES
from fieldkit_server.tables import Device, Op, Record
from tests.sync.feed import insert_record
from tests.sync.records import case_body, op, stamp

DAY_MS = 24 * 3600 * 1000


def now_ms() -> int:
    return time.time_ns() // 1_000_000


def push(api, dev, ops, **headers):
    return api.post("/v1/push", json={"ops": ops}, headers={**dev.headers, **headers})


def results(answer):
    assert answer.status_code == 200, answer.text
    return [(r["status"], r.get("code")) for r in answer.json()["results"]]


def stored(app, record_id):
    with app.state.db.sessions() as s:
        row = s.execute(select(Record).where(Record.record_id == record_id)).scalar_one_or_none()
        return None if row is None else orjson.loads(row.body)


def nest(depth: int, leaf_key: str = "x", leaf="v") -> dict:
    value: dict = {leaf_key: leaf}
    for _ in range(depth - 1):
        value = {"n": value}
    return value


def with_extra(record_id: str, value) -> dict:
    body = case_body(record_id)
    body["extra_field"] = value
    return body


# --- stamps ---------------------------------------------------------------------------


def test_an_op_stamped_beyond_the_skew_is_refused_saying_how_far_ahead(app, api, enroll):
    dev = enroll()
    good, ahead = new_id(), new_id()
    future = stamp(now_ms() + DAY_MS + 3 * 3600 * 1000 + 300_000, dev.device_id)
    ops = [
        op(1, "case", good, case_body(good)),
        op(2, "case", ahead, case_body(ahead, wall=now_ms() + DAY_MS), hlc=future),
    ]
    answer = push(api, dev, ops)
    assert results(answer) == [("applied", None), ("rejected", "clock_ahead")]
    assert (
        "ahead of the office server's by 1 day(s) 3 hour(s)"
        in answer.json()["results"][1]["message"]
    )
    assert stored(app, ahead) is None and stored(app, good) is not None
    again = push(api, dev, ops, **{"Accept-Language": "zh-CN"})
    assert results(again) == [("duplicate", None), ("rejected", "clock_ahead")]
    assert "快了1天3小时" in again.json()["results"][1]["message"]


def test_a_stamp_within_the_skew_is_accepted(app, api, enroll):
    dev = enroll()
    rid = new_id()
    soon = now_ms() + 60_000
    assert results(push(api, dev, [op(1, "case", rid, case_body(rid, wall=soon))])) == [
        ("applied", None)
    ]


def test_forged_stamps_anywhere_in_the_record_are_refused(app, api, enroll):
    dev = enroll()
    forged, inner, broken = new_id(), new_id(), new_id()
    body = case_body(forged)
    body["stamps"]["status"] = "ffffffffffff-ffffff-" + dev.device_id
    deep = case_body(inner)
    deep["events"] = [{"id": "e1", "type": "note", "hlc": "fffffffffff0-000000-x", "text": "t"}]
    bad = case_body(broken)
    bad["stamps"]["status"] = "yesterday"
    answer = push(
        api,
        dev,
        [
            op(1, "case", forged, body),
            op(2, "case", inner, deep),
            op(3, "case", broken, bad),
            op(4, "case", new_id(), case_body(new_id()), hlc="not-a-stamp"),
        ],
    )
    assert [code for _, code in results(answer)] == [
        "clock_ahead",
        "clock_ahead",
        "bad_stamp",
        "bad_stamp",
    ]
    with app.state.db.sessions() as s:
        assert s.execute(select(func.count()).select_from(Record)).scalar_one() == 0


def test_after_a_poisoned_push_another_device_syncs_and_its_cursor_moves(app, api, enroll):
    poisoner, other = enroll(), enroll()
    rid = new_id()
    body = case_body(rid)
    body["stamps"]["status"] = "ffffffffffff-ffffff-" + poisoner.device_id
    push(api, poisoner, [op(1, "case", rid, body, hlc="ffffffffffff-ffffff-x")])
    mine = new_id()
    assert results(push(api, other, [op(1, "case", mine, case_body(mine))])) == [("applied", None)]
    page = api.post("/v1/pull", json={"cursor": 0}, headers=other.headers).json()
    assert [c["record_id"] for c in page["changes"]] == [mine] and page["next_cursor"] > 0


# --- record and request limits --------------------------------------------------------


def test_record_limits_are_refused_per_op_and_the_rest_applies(app, api, enroll):
    dev = enroll()
    ids = [new_id() for _ in range(6)]
    bodies = [
        with_extra(ids[0], nest(limits.MAX_DEPTH + 2)),
        case_body(ids[1], title="x" * (limits.MAX_STRING_CHARS + 1)),
        with_extra(ids[2], {str(i): i for i in range(limits.MAX_KEYS + 1)}),
        with_extra(ids[3], list(range(limits.MAX_LIST_ITEMS + 1))),
        with_extra(ids[4], ["y" * 60_000] * 5),
        case_body(ids[5]),
    ]
    answer = push(
        api,
        dev,
        [op(i + 1, "case", rid, b) for i, (rid, b) in enumerate(zip(ids, bodies, strict=True))],
    )
    assert results(answer) == [
        ("rejected", "record_too_deep"),
        ("rejected", "record_text_too_long"),
        ("rejected", "record_too_many_keys"),
        ("rejected", "record_list_too_long"),
        ("rejected", "record_too_large"),
        ("applied", None),
    ]
    assert "262144" in answer.json()["results"][4]["message"]
    assert [stored(app, rid) is not None for rid in ids] == [False] * 5 + [True]


def test_a_252_level_nest_is_refused_before_it_is_parsed(app, api, enroll):
    dev = enroll()
    rid = new_id()
    answer = push(api, dev, [op(1, "case", rid, with_extra(rid, nest(252)))])
    assert answer.status_code == 422 and answer.json()["code"] == "request_too_deep"
    raw = b'{"ops": ' + b"[" * 200_000 + b"]" * 200_000 + b"}"
    answer = api.post(
        "/v1/push", content=raw, headers={**dev.headers, "Content-Type": "application/json"}
    )
    assert answer.status_code == 422 and answer.json()["code"] == "request_too_deep"
    assert stored(app, rid) is None


def test_a_body_over_the_cap_is_refused_by_length_or_while_read(app, api, enroll):
    dev = enroll()
    headers = {**dev.headers, "Content-Type": "application/json"}
    big = b" " * (limits.MAX_REQUEST_BYTES + 1)
    answer = api.post("/v1/push", content=big, headers=headers)
    assert answer.status_code == 413 and answer.json()["code"] == "body_too_large"

    def chunks():  # no Content-Length: counted while it is read
        for _ in range(limits.MAX_REQUEST_BYTES // (1 << 20) + 2):
            yield b" " * (1 << 20)

    answer = api.post("/v1/push", content=chunks(), headers=headers)
    assert answer.status_code == 413 and answer.json()["code"] == "body_too_large"


def test_a_body_without_a_valid_token_is_refused_before_it_is_read(app, api, enroll):
    """Declared larger than what the gate drops for a proxy's sake (``DRAIN_BYTES``): the
    answer comes before one byte is read (a real process: ``test_gate_memory.py``)."""
    read = []
    size = DRAIN_BYTES + (1 << 20)

    def chunks():
        for _ in range(size >> 20):
            read.append(1)
            yield b" " * (1 << 20)

    for headers, code in (
        ({}, "token_missing"),
        ({"Authorization": "Bearer nope"}, "token_invalid"),
    ):
        read.clear()
        headers = {**headers, "Content-Length": str(size)}
        answer = api.post("/v1/push", content=chunks(), headers=headers)
        assert answer.status_code == 401 and answer.json()["code"] == code
        assert len(read) <= 1  # the client's generator was not drained by the server


# --- a feed that already holds a poisoned record ----------------------------------------


def test_pull_never_fails_on_a_stored_nest_ending_in_a_phone(app, api, enroll):
    rid, deeper, good = new_id(), new_id(), new_id()
    body = case_body(rid)
    body["extra_field"] = nest(252, "phone", "13812345678")
    insert_record(app.state.db, rid, orjson.dumps(body).decode())
    text = orjson.dumps(case_body(deeper)).decode()  # 600 levels: no JSON encoder follows it
    text = text[:-1] + ', "extra_field": ' + '{"n": ' * 599 + '{"phone": "13812345678"}' + "}" * 600
    insert_record(app.state.db, deeper, text)
    insert_record(app.state.db, good, orjson.dumps(case_body(good)).decode())
    for role in ("patrol", "emergency", "renovation"):
        dev = enroll(role=role)
        for answer in (
            api.post("/v1/pull", json={"cursor": 0}, headers=dev.headers),
            api.get("/v1/pull", headers=dev.headers),
        ):
            assert answer.status_code == 200, (role, answer.text)
            changes = answer.json()["changes"]
            assert [c["record_id"] for c in changes] == [rid, deeper, good]
            assert changes[1]["body"] == {}  # never the unmasked value
            if role != "emergency":
                assert "13812345678" not in answer.text


# --- enrolment ------------------------------------------------------------------------

KEY = "k" * 43


def test_a_retried_enrolment_with_the_same_key_gets_the_same_token(app, api):
    new = add_device(app.state.db, site="s1", role="patrol", name="Laptop 1")
    first = api.post("/v1/enroll", json={"code": new.code, "key": KEY})
    assert first.status_code == 200
    again = api.post("/v1/enroll", json={"code": new.code, "key": KEY})  # the answer was lost
    assert again.status_code == 200 and again.json() == first.json()
    assert (
        api.get("/v1/me", headers={"Authorization": f"Bearer {again.json()['token']}"}).json()[
            "device_id"
        ]
        == new.device_id
    )
    other = api.post("/v1/enroll", json={"code": new.code, "key": "o" * 43})
    assert other.status_code == 400 and other.json()["code"] == "code_invalid"
    plain = api.post("/v1/enroll", json={"code": new.code})
    assert plain.status_code == 400 and plain.json()["code"] == "code_invalid"
    with app.state.db.sessions() as s:
        device = s.get(Device, new.device_id)
        assert device.code_hash is None and first.json()["token"] not in device.token_hash
        assert s.execute(select(func.count()).select_from(Device)).scalar_one() == 1
    with app.state.db.sessions() as s, s.begin():
        s.execute(
            update(Device)
            .where(Device.id == new.device_id)
            .values(code_expires_at=datetime.now(UTC) - timedelta(minutes=1))
        )
    late = api.post("/v1/enroll", json={"code": new.code, "key": KEY})
    assert late.status_code == 400 and late.json()["code"] == "code_expired"


def test_failed_enrolments_are_rate_limited_per_address(app, api):
    for _ in range(10):
        answer = api.post("/v1/enroll", json={"code": "AAAA-BBBB-CC"})
        assert answer.status_code == 400
    refused = api.post(
        "/v1/enroll", json={"code": "AAAA-BBBB-CC"}, headers={"Accept-Language": "zh-CN"}
    )
    assert refused.status_code == 429 and refused.json()["code"] == "enroll_rate_limited"
    assert int(refused.headers["Retry-After"]) > 0 and "分钟" in refused.json()["message"]
    new = add_device(app.state.db, site="s1", role="patrol", name="x")
    assert api.post("/v1/enroll", json={"code": new.code}).status_code == 429
    with app.state.db.sessions() as s:
        assert s.execute(select(func.count()).select_from(Op)).scalar_one() == 0
