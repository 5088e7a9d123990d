"""Trends on the office server: the hand-counted fixture, and the same numbers as the device
report — cases pushed from two devices, counted on the server (endpoint and
``fieldkit-server report trends``) and by ``fieldkit report trends`` on a device holding
the union. On SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import io

import pytest

from fieldkit.cli import main as device_main
from fieldkit.store import Store
from fieldkit_server.cli import main as server_main
from fieldkit_server.reports import compute_trends
from tests.sync.records import op
from tests.trends.cases import fixture_records, generated_year


def push_all(api, device, records: list[tuple[str, dict]]) -> None:
    """Push (kind, body) pairs in batches, each acknowledged."""
    seq = 0
    for start in range(0, len(records), 200):
        ops = []
        for kind, body in records[start : start + 200]:
            seq += 1
            ops.append(op(seq, kind, body["id"], body, site=body.get("site_id") or "s1"))
        answer = api.post("/v1/push", json={"ops": ops}, headers=device.headers)
        assert answer.status_code == 200, answer.text
        statuses = {r["status"] for r in answer.json()["results"]}
        assert statuses <= {"applied", "duplicate", "merged"}, answer.json()


def server_report(db_url, capsys, *args: str) -> str:
    capsys.readouterr()
    assert server_main(["--db", db_url, "--lang", "en", "report", "trends", *args]) == 0
    return capsys.readouterr().out


def device_report(capsys, *args: str) -> str:
    capsys.readouterr()
    assert device_main(["--lang", "en", "report", "trends", *args]) == 0
    return capsys.readouterr().out


def test_the_hand_counted_fixture_on_the_server(app, api, enroll, db_url, capsys):
    office, patrol = enroll(role="office"), enroll(role="patrol")
    push_all(api, patrol, [("case", d) for d in fixture_records()])

    answer = api.get(
        "/v1/reports/trends", params={"since": "2026-01-01"}, headers=office.headers
    ).json()
    got = {
        g["key"]: (g["cases"], g["closed"], g["open"], g["avg_days_to_close"])
        for g in answer["groups"]
    }
    assert got == {"leak": (4, 3, 1, 4.0), "lift": (2, 1, 1, 3.0), "noise": (2, 1, 1, 1.0)}
    assert [g["key"] for g in answer["groups"]] == ["leak", "lift", "noise"]
    total = answer["total"]
    assert (total["cases"], total["closed"], total["avg_days_to_close"]) == (8, 5, 3.2)
    assert answer["months"] == ["2026-01", "2026-02", "2026-03"]
    assert total["months"] == [3, 2, 3]
    assert [(p["category"], p["cases"]) for p in total["top"]] == [
        ("leak", 4),
        ("lift", 2),
        ("noise", 2),
    ]

    tr = compute_trends(app.state.db, "building")
    a, b = tr.groups
    assert (a.key, a.cases, a.closed, a.avg_days_to_close) == ("A", 5, 4, 4.2)
    assert (b.key, b.cases, b.closed, b.avg_days_to_close) == ("B", 4, 2, 4.5)
    assert b.top() == [("lift", 2), ("leak", 1), ("noise", 1)]

    rows = list(csv.reader(io.StringIO(server_report(db_url, capsys, "--format", "csv"))))
    assert rows[1][:6] == ["leak", "leak", "5", "4", "1", "5.5"]  # (10+2+4+6)/4
    text = server_report(db_url, capsys, "--by", "month")
    assert "Cases by month: 9 in all" in text


@pytest.mark.parametrize("by", ["category", "building", "month"])
def test_two_devices_give_the_server_the_device_numbers_of_the_union(
    app, api, enroll, db_url, _isolated_home, capsys, by
):
    places, cases = generated_year()
    office, first, second = enroll(role="office"), enroll(), enroll()
    push_all(api, office, places)
    push_all(api, first, [("case", d) for d in cases[:200]])
    push_all(api, second, [("case", d) for d in cases[150:]])  # 50 cases from both

    with Store.open(_isolated_home) as store:
        changes = [{"entity": kind, "record": doc} for kind, doc in places]
        changes += [{"entity": "case", "record": doc} for doc in cases]
        result = store.apply_remote(changes, None)
        assert not result.refused

    for args in (["--by", by, "--format", "csv"], ["--by", by, "--since", "2025-07-01"]):
        on_device = device_report(capsys, *args)
        assert server_report(db_url, capsys, *args) == on_device, args
    csv_args = {"by": by, "format": "csv"}
    endpoint = api.get("/v1/reports/trends", params=csv_args, headers=office.headers)
    assert endpoint.headers["content-type"].startswith("text/csv")
    assert endpoint.text == device_report(capsys, "--by", by, "--format", "csv")
    zh = api.get(
        "/v1/reports/trends",
        params={"by": by, "format": "html"},
        headers={**office.headers, "Accept-Language": "zh"},
    ).text
    capsys.readouterr()
    assert device_main(["--lang", "zh", "report", "trends", "--by", by, "--format", "html"]) == 0
    assert zh == capsys.readouterr().out

    numbers = api.get("/v1/reports/trends", params={"by": by}, headers=office.headers).json()
    counted = [d for d in cases if d["status"] != "cancelled"]
    assert numbers["total"]["cases"] == len(counted)  # the 50 pushed twice count once
    if by == "category":
        keys = {g["key"] for g in numbers["groups"]}
        assert {"neighbour_dispute", "-"} <= keys  # unlisted and missing categories count
    if by == "building":
        keys = [g["key"] for g in numbers["groups"]]
        assert sorted(keys) == ["-", "1栋", "2栋", "3栋"]


def test_an_office_device_sees_its_own_sites_cases(api, enroll):
    _, cases_s1 = generated_year(40, seed=3, site="s1")
    _, cases_s2 = generated_year(25, seed=4, site="s2")
    push_all(api, enroll(site="s1"), [("case", d) for d in cases_s1])
    push_all(api, enroll(site="s2"), [("case", d) for d in cases_s2])
    office_s2, everywhere = enroll(site="s2", role="office"), enroll(site="*", role="office")

    def total(headers, **params) -> int:
        answer = api.get("/v1/reports/trends", params=params, headers=headers)
        assert answer.status_code == 200, answer.text
        return answer.json()["total"]["cases"]

    live = {
        s: sum(d["status"] != "cancelled" for d in c)
        for s, c in (("s1", cases_s1), ("s2", cases_s2))
    }
    assert total(office_s2.headers) == live["s2"]
    assert total(everywhere.headers) == live["s1"] + live["s2"]
    assert total(everywhere.headers, site="s1") == live["s1"]
    refused = api.get("/v1/reports/trends", params={"site": "s1"}, headers=office_s2.headers)
    assert refused.status_code == 403 and refused.json()["code"] == "report_site"


def test_bad_input_is_a_sentence(api, enroll, db_url, capsys):
    office = enroll(role="office")
    bad = api.get("/v1/reports/trends", params={"since": "2026-13-01"}, headers=office.headers)
    assert bad.status_code == 422 and bad.json()["code"] == "invalid_request"
    assert server_main(["--db", db_url, "--lang", "zh", "report", "trends", "--since", "x"]) == 2
    assert "不是日期" in capsys.readouterr().err


def test_report_to_a_file(db_url, tmp_path, capsys):
    out = tmp_path / "trends.html"
    args = ["--db", db_url, "--lang", "zh", "report", "trends", "--format", "html", "-o", str(out)]
    assert server_main(args) == 0
    assert str(out) in capsys.readouterr().out
    assert "高发问题统计（按类别）" in out.read_text("utf-8")
