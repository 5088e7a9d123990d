"""A repair's caller (a tenant or relative, not the owner) through the office server: the desk
pushes the case as its intake saved it, the desk and the office pull the caller in full, the
other roles masked as the registry's phones are, a role that received it masked writes the
case back without changing it, and a case pushed before callers were kept pulls as it was."""

from __future__ import annotations

import time
from datetime import UTC, datetime

import pytest

from fieldkit.model import Case, Target
from fieldkit.model.personal import mask_value, may_reveal
from fieldkit.services import callback, intake
from fieldkit.store import Store
from fieldkit.sync.protocol import ROLES
from tests.sync.records import case_body, op, stamp

pytest.importorskip("fastapi")

CALLER = {"name": "陈丽", "phone": "13812345678"}


def taken_at_the_desk(folder) -> dict:
    """A repair as the desk's intake saves it, with its caller, on a real store."""
    with Store.open(folder) as store:
        request = intake.Request(
            "repair", Target("unit", "u1"), "water_leak", "卫生间顶上滴水", where="1-1-602",
            caller_name="陈丽", caller_phone="138 1234 5678",
        )  # fmt: skip
        case = intake.take(store, request, by="刘洋", now=datetime(2026, 12, 7, 2, tzinfo=UTC))
        body = case.to_dict()
    body["site_id"] = "s1"
    return body


def pulled(api, device, record_id: str) -> dict:
    changes = api.post("/v1/pull", json={}, headers=device.headers).json()["changes"]
    return next(c["body"] for c in changes if c["record_id"] == record_id)


def test_the_caller_round_trips_masked_for_the_roles_that_may_not_see_it(api, enroll, tmp_path):
    desk = enroll(role="desk", name="desk")
    office = enroll(role="office", name="office")
    body = taken_at_the_desk(tmp_path / "desk")
    assert body["caller"] == CALLER
    answer = api.post("/v1/push", json={"ops": [op(1, "case", body["id"], body)]},
                      headers=desk.headers)  # fmt: skip
    assert answer.json()["results"][0]["status"] == "applied", answer.text

    later = int(time.time() * 1000) + 60_000  # after the desk's own stamps (real time)
    for n, role in enumerate(ROLES):
        device = {"desk": desk, "office": office}.get(role) or enroll(role=role, name=role)
        seen = pulled(api, device, body["id"])
        expected = {k: v if may_reveal(role, k) else mask_value(k, v) for k, v in CALLER.items()}
        assert seen["caller"] == expected, role
        back = Case.from_dict(seen)
        back.set_field("assignee", "李师傅", stamp(later + n, role))
        pushed = api.post("/v1/push", json={"ops": [op(2, "case", body["id"], back.to_dict(),
                          hlc=stamp(later + n, role))]}, headers=device.headers)  # fmt: skip
        assert pushed.json()["results"][0]["status"] in ("applied", "merged"), pushed.text
        assert pulled(api, office, body["id"])["caller"] == CALLER, role


def test_a_case_from_before_callers_pulls_without_one(api, enroll):
    desk = enroll(role="desk", name="desk")
    body = case_body("old-1", extra={"urgency": "high", "contact": "phone"})
    answer = api.post("/v1/push", json={"ops": [op(1, "case", "old-1", body)]},
                      headers=desk.headers)  # fmt: skip
    assert answer.json()["results"][0]["status"] == "applied", answer.text
    seen = Case.from_dict(pulled(api, desk, "old-1"))
    assert "caller" not in seen.extra and callback.caller_of(seen) == {}
