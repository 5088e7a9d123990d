"""A route has a kind — a stairwell's floors, the car park and fire lanes, the perimeter —
and a checklist for one kind (``applies_to: route:<kind>``) is offered and due on routes
of that kind only: the perimeter patrol is not due on every stairwell."""

from __future__ import annotations

import time

from fieldkit.checklists.describe import applies_to_words
from fieldkit.checklists.loader import load_text
from fieldkit.services.demo import generate
from fieldkit.services.workspace import Workspace
from tests.checklists.helpers import GOOD


def test_a_route_kind_is_a_target_a_checklist_applies_to():
    assert load_text(GOOD.replace("asset:extinguisher", "route:perimeter")).checklist
    wrong = load_text(GOOD.replace("asset:extinguisher", "route:perimiter"))
    (said,) = [d for d in wrong.diagnostics if d.code == "FK205"]
    assert "route:perimeter" in said.message("en")
    assert applies_to_words("route:carpark", "zh") == "巡查路线：停车场与消防车通道"
    assert applies_to_words("route:stairwell", "en") == "a route: a stairwell, floor by floor"


def test_each_route_offers_and_is_due_for_its_own_kind_only(tmp_path):
    generate(tmp_path / "c", cases=10, floors=3)
    ws = Workspace.open(tmp_path / "c")
    try:
        offered = {code: [c.id for c in ws.checklists_for(ws.places.by_code[code])]
                   for code in ("r-1-1", "r-park", "r-wall")}  # fmt: skip
        assert offered == {
            "r-1-1": ["fire.extinguisher.floor_round"],
            "r-park": ["security.carpark_fire_lanes.shift"],
            "r-wall": ["security.perimeter.shift"],
        }
        due = [(d.checklist_id, d.target.code) for d in ws.due(time.time(), limit=100)]
        assert [code for cid, code in due if cid == "security.perimeter.shift"] == ["R-WALL"]
        assert [code for cid, code in due if cid == "security.carpark_fire_lanes.shift"] == [
            "R-PARK"
        ]
    finally:
        ws.close()
