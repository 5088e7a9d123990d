"""The demo compound's cases carry categories like a real desk's: every kind, each case's
category on its kind's list in the lifecycle file, disputes on two real flats with both
sides heard, moves spread over days; the trends name labelled top problems and each
building's own recurring one."""

from __future__ import annotations

from collections import Counter
from datetime import datetime

import pytest

from fieldkit.services import lifecycle as lc
from fieldkit.services import trends as tr
from fieldkit.services.demo import generate
from fieldkit.services.trends import UNKNOWN
from fieldkit.store import Store

NOW = 1_800_000_000.0


@pytest.fixture(scope="module")
def docs(tmp_path_factory):
    folder = tmp_path_factory.mktemp("demo") / "compound"
    generate(folder, cases=600, now=NOW)
    with Store.open(folder, command="tests") as store:
        units = {u.id: u for u in store.reference("unit")}
        found = [doc for _, doc in store.iter_records(["case"])]
    return found, units


def test_every_kind_with_its_categories(docs):
    found, _ = docs
    mine = [d for d in found if d["kind"] != "violation"]  # violations: the registry's
    kinds = Counter(d["kind"] for d in mine)
    assert set(kinds) == {"repair", "complaint", "finding", "dispute"}
    assert 0 < kinds["dispute"] < kinds["complaint"] < kinds["repair"]
    for doc in mine:
        listed = [c.id for c in lc.for_kind(doc["kind"]).categories]
        assert doc["category"] in listed, doc
        assert doc["titles"]["zh"] and doc["titles"]["en"]


def test_disputes_name_two_flats_and_hear_both(docs):
    found, units = docs
    disputes = [d for d in found if d["kind"] == "dispute"]
    assert disputes
    for doc in disputes:
        a, b = doc["dispute"]["a"], doc["dispute"]["b"]
        assert a["unit"] == doc["target"]["id"] and a["unit"] != b["unit"]
        assert units[b["unit"]].number == b["where"]
        sides = [e["data"]["side"] for e in doc["events"] if e["type"] == "statement"]
        assert sides == (["a", "b"] if doc["status"] != "received" else [])
        assert all(e["data"]["owner_name"] for e in doc["events"] if e["type"] == "statement")


def test_moves_happen_after_the_case_and_before_now(docs):
    found, _ = docs
    closed = [d for d in found if d["status"] == "closed" and d["kind"] != "violation"]
    assert len(closed) > 400
    for doc in closed:
        created = datetime.fromisoformat(doc["created_at"].replace("Z", "+00:00")).timestamp()
        done = tr.closed_at(doc).timestamp()
        assert 0 < (done - created) / 86400 <= 15 and done <= NOW, doc["id"]
        if doc["kind"] != "finding" or "followed_up" in [
            e["data"].get("to") for e in doc["events"] if e["type"] == "status"
        ]:
            assert any(e["type"] == "followup" for e in doc["events"])


def test_trends_name_real_top_problems(docs):
    found, _ = docs
    names = tr.category_names("zh")
    by_category = tr.trends(found, "category")
    top = [g.key for g in by_category.groups[:5]]
    assert UNKNOWN not in top and all(key in names for key in top)
    assert "water_leak" in top
    assert any(g.key.endswith("_dispute") for g in by_category.groups)
    by_building = {g.key: g for g in tr.trends(found, "building").groups}
    assert by_building["1"].problems["lift"] > 2 * by_building["3"].problems["lift"]
    assert by_building["2"].top(2)[0][0] in ("drain_blocked", "water_leak")


def test_a_quiet_compound_has_no_cases(tmp_path):
    generate(tmp_path / "c", cases=0, floors=2)
    with Store.open(tmp_path / "c", command="tests") as store:
        kinds = {doc["kind"] for _, doc in store.iter_records(["case"])}
    assert kinds <= {"violation"}
