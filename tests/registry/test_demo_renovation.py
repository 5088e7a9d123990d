"""The demo's earlier site patrols: a few flats under renovation have a past to read on
their card — patrols that found all well, violations put right on re-inspection, and one
still open with its notice given and its deadline ahead — dated inside each permit's term,
worded in both languages; the showcase flat the journeys walk has no open violation."""

from __future__ import annotations

import time
from datetime import date

import pytest

from fieldkit.model import localtime
from fieldkit.services import cases as case_rules
from fieldkit.services import demo_renovation, renovation
from fieldkit.services.demo import generate
from fieldkit.services.registry import index_for, target_history
from fieldkit.services.workspace import Workspace


@pytest.fixture(scope="module")
def ws(tmp_path_factory):
    folder = tmp_path_factory.mktemp("renovation-past") / "renovation"
    generate(folder, cases=5, floors=18, person="李强")
    added = demo_renovation.add_to(folder)
    assert added["renovation_patrol"] >= 4 and added["renovation_violation"] >= 2
    workspace = Workspace.open(folder)
    workspace.store.set_device_state(role="renovation")
    yield workspace
    workspace.close()


def test_flats_under_renovation_have_a_past_to_read(ws):
    now = time.time()
    index = index_for(ws)
    histories = {}
    for flat in renovation.under_way(ws, now):
        rows, _ = target_history(ws, flat.target.id)
        if rows:
            histories[flat.target.code] = (flat, rows)
    assert len(histories) >= 3
    put_right = [r for _, rows in histories.values() for r in rows if r.said]
    assert put_right and all("已整改" in r.said["zh"] and "put right" in r.said["en"]
                             for r in put_right)  # fmt: skip
    for flat, rows in histories.values():
        permit = index.permits[flat.target.id][0]
        for row in rows:
            day = localtime.local(row.submitted).date()
            assert date.fromisoformat(permit.start) <= day <= localtime.today()
            assert row.submitted < now
    (open_one,) = [c for c in ws.store.open_cases() if c.kind == "violation"]
    assert open_one.status == "assigned"  # notice given
    assert renovation.stopped_on_site(open_one)
    days = (renovation.deadline_day(case_rules.epoch(open_one.due)) - localtime.today()).days
    assert 0 < days <= renovation.RECTIFY_DAYS["wiring"][1]
    assert open_one.extra["titles"] == {
        "zh": "电线未穿管或未按图施工",
        "en": "Wiring not in conduit, or not as drawn",
    }
    raised = [r for _, rows in histories.values() for r in rows if r.cases]
    assert len(raised) == 3  # the debris, the noise, the wiring


def test_the_showcase_flat_keeps_no_open_violation(ws):
    from fieldkit.services.demo_registry import showcase

    shown = showcase(ws.store.reference("unit"))
    assert not renovation.open_violations_of(ws, shown.id)
    rows, _ = target_history(ws, shown.id)
    assert [r.cases for r in rows] == [0]  # one patrol, all well
