"""The renovation inspector's own work on his home, and the patrol's rounds kept to the roles
that walk them: the flats under renovation (permit, today's hours, open violations, the
next deadline), found with 装修 / zx / renovation too; the due rounds only on the patrol's
and the office's homes."""

from __future__ import annotations

import time

import pytest

from fieldkit.model import Target
from fieldkit.services import renovation
from fieldkit.services.cases import iso
from fieldkit.services.demo import generate
from fieldkit.services.workspace import Workspace


@pytest.fixture
def ws(tmp_path):
    generate(tmp_path / "c", cases=5, floors=2)
    workspace = Workspace.open(tmp_path / "c")
    yield workspace
    workspace.close()


def test_the_rounds_are_the_patrols_and_the_offices(ws):
    now = time.time()
    assert ws.role == "patrol" and ws.due(now)
    ws.store.set_device_state(role="office")
    assert ws.due(now)
    for role in ("renovation", "emergency", "desk"):
        ws.store.set_device_state(role=role)
        assert ws.due(now, note_missed=True) == [], role
        assert ws.home(now).due == ()


def test_the_inspectors_home_lists_the_flats_under_renovation(ws):
    ws.store.set_device_state(role="renovation")
    flat = ws.lookup_scan("3-2-202").target  # the demo's flat with a permit in force
    due = time.time() + 5 * 3600
    ws.store.create_case("violation", Target("unit", flat.id), title="楼道堆放装修垃圾",
                         department="cleaning", due=iso(due))  # fmt: skip
    ws.invalidate()
    rows = ws.home().renovations
    assert rows and rows[0].target.id == flat.id  # open violations first
    first = rows[0]
    assert first.permit.startswith("ZX") and first.open_violations == 1
    assert abs(first.next_due - due) < 1
    assert all(r.open_violations == 0 for r in rows[1:])
    ws.store.set_device_state(role="patrol")
    assert ws.home().renovations == ()  # not the patrol's work


@pytest.mark.parametrize("query", ["装修", "zx", "ZX", "renov", "renovation", "装修中"])
def test_renovation_finds_the_flats_under_renovation(ws, query):
    flats = {r.target.id for r in renovation.under_way(ws)}
    found = ws.search(query)
    assert flats and {t.id for t in found[: len(flats)]} == flats


@pytest.mark.parametrize("query", ["z", "装", "3-2-202x", "reno vation"])
def test_other_searches_are_not_taken_for_it(ws, query):
    assert not renovation.asks_for_renovations(query)


def _raise(ws, kind, category, department, title):
    flat = ws.lookup_scan("3-2-202").target
    return ws.store.create_case(kind, Target("unit", flat.id), title=title, category=category,
                                department=department, due=iso(time.time() + 3600)).id  # fmt: skip


def test_each_home_lists_its_posts_own_cases_and_the_case_list_every_one(ws):
    """The inspector's home: renovation violations and the findings of renovation rounds,
    never the lawn or the bins; the patroller's: the findings of rounds; the coordinator's:
    an incident's follow-ups; the desk and the office: every open case. What a home leaves
    out is still in the case list (c) and its search."""
    from fieldkit.services.types import UNFINISHED, CaseFilter

    site = "renovation.site_patrol"
    made = {
        "violation": _raise(ws, "violation", site, "engineering", "擅自改动承重墙"),
        "stopped": _raise(ws, "finding", site, "security", "违规施工未能制止"),
        "lawn": _raise(ws, "finding", "patrol.landscaping", "landscaping", "草坪枯黄"),
        "bins": _raise(ws, "repair", "garbage", "cleaning", "垃圾桶满溢"),
        "incident": _raise(ws, "finding", "emergency.burst_pipe", "engineering", "积水未清理"),
    }  # fmt: skip
    ws.invalidate()
    wanted = {
        "renovation": {"violation", "stopped"},
        "patrol": {"stopped", "lawn"},
        "emergency": {"incident"},
        "desk": set(made),
        "office": set(made),
    }
    for role, mine in wanted.items():
        ws.store.set_device_state(role=role)
        listed = {r.id for r in ws.open_cases_page(10_000, role=ws.role).rows}
        assert {k for k, i in made.items() if i in listed} == mine, role
        home = ws.home()
        assert home.role == role and home.cases_total == len(listed)
        everything = ws.cases_page(CaseFilter(status=UNFINISHED), 0, 10_000)
        assert set(made.values()) <= {r.id for r in everything.rows}, role
