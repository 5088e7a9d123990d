"""Patrol rounds (巡更): every scan kept with its time; at the end the skipped checkpoint
is missed, a late one is late, one walked after a later one is out of order; the finished
round goes to the office and never changes."""

from __future__ import annotations

import pytest

from fieldkit.model import Checkpoint, ModelError, new_id
from fieldkit.model.patrol import PatrolRoute, PatrolStop
from fieldkit.model.qr import encode
from fieldkit.services import patrol
from fieldkit.services.demo import generate
from fieldkit.services.registry import RegistryError
from fieldkit.services.workspace import Workspace
from fieldkit.store import Store

T0 = 1_800_000_000.0
POINTS = ["CP-GATE", "CP-LOBBY", "CP-GARAGE", "CP-ROOF"]


def night_route(folder):
    """A compound with a night route over four checkpoints: gate 0', lobby 5', garage 10',
    roof 20' (± 5')."""
    generate(folder, cases=0, floors=2)
    with Store.open(folder) as store:
        site = store.reference("site")[0]
        points = [
            Checkpoint(id=new_id(), site_id=site.id, name=code, label=code) for code in POINTS
        ]
        store.put_reference("checkpoint", points)
        route = PatrolRoute(
            id=new_id(),
            site_id=site.id,
            name="夜间巡更",
            stops=[
                PatrolStop(p.id, after=minutes, tolerance=5)
                for p, minutes in zip(points, (0, 5, 10, 20), strict=True)
            ],
        )
        store.put_reference("patrol_route", [route])
    return route


@pytest.fixture
def night(tmp_path):
    route = night_route(tmp_path / "c")
    ws = Workspace.open(tmp_path / "c")
    yield ws, route
    ws.close()


def test_a_skipped_late_and_out_of_order_round(night):
    ws, route = night
    walk = patrol.start(ws, route.id, by="保安 王", now=T0)
    assert patrol.scan(ws, walk.id, encode("checkpoint", "CH", "CP-GATE"), T0 + 60).status == (
        "recorded"
    )
    third = patrol.scan(ws, walk.id, "CP-GARAGE", T0 + 9 * 60)
    assert (third.status, third.position) == ("recorded", 3)
    late = patrol.scan(ws, walk.id, "CP-LOBBY", T0 + 14 * 60)  # expected 5' ± 5'
    assert late.report.late == ("CP-LOBBY",) and late.report.out_of_order == ("CP-LOBBY",)
    assert [s.timing for s in late.report.stops] == ["on_time", "late", "on_time", "pending"]
    assert patrol.scan(ws, walk.id, "CP-GATE", T0 + 15 * 60).status == "again"
    stray = patrol.scan(ws, walk.id, "R-1-1", T0 + 16 * 60)  # a stairwell, not on this route
    assert stray.status == "not_on_route" and stray.position == 0
    outbox = ws.store.outbox_count()
    roof = encode("checkpoint", "CH", "CP-ROOF")
    misread = roof[:-1] + ("0" if roof[-1] != "0" else "1")
    for junk in ("3-2-201", misread, "nothing-here"):
        with pytest.raises(RegistryError) as caught:
            patrol.scan(ws, walk.id, junk, T0 + 17 * 60)
        assert caught.value.key == "registry.patrol.not_checkpoint"
    assert len(ws.store.get("patrol_round", walk.id).visits) == 5
    assert ws.store.outbox_count() == outbox  # a walk in progress stays on the device

    report = patrol.finish(ws, walk.id, now=T0 + 30 * 60)
    assert report.missed == ("CP-ROOF",)
    assert report.late == ("CP-LOBBY",)
    assert report.out_of_order == ("CP-LOBBY",)
    assert report.not_on_route == ("R-1-1",)
    sent = [e for e in ws.store.outbox_pending() if e.entity == "patrol_round"]
    assert len(sent) == 1 and sent[0].record["findings"]["missed"] == ["CP-ROOF"]
    with pytest.raises(RegistryError) as caught:
        patrol.scan(ws, walk.id, "CP-ROOF", T0 + 31 * 60)
    assert caught.value.key == "registry.patrol.finished"
    finished = ws.store.get("patrol_round", walk.id)
    finished.visits.clear()
    with pytest.raises(ModelError):
        ws.store.save_patrol_round(finished)


def test_a_round_survives_a_restart(night, tmp_path):
    ws, route = night
    walk = patrol.start(ws, route.id, now=T0)
    patrol.scan(ws, walk.id, "CP-GATE", T0 + 30)
    folder = ws.data_dir
    ws.close()
    again = Workspace.open(folder)
    try:
        patrol.scan(again, walk.id, "CP-LOBBY", T0 + 5 * 60)
        report = patrol.finish(again, walk.id, now=T0 + 25 * 60)
        assert report.missed == ("CP-GARAGE", "CP-ROOF")
        assert report.late == () and report.out_of_order == ()
    finally:
        again.close()


def test_routes_must_make_sense():
    with pytest.raises(ModelError):
        PatrolRoute.from_dict({"id": "r", "site_id": "s", "stops": []})
    with pytest.raises(ModelError):
        PatrolRoute.from_dict(
            {"id": "r", "site_id": "s", "stops": [{"checkpoint_id": "a"}, {"checkpoint_id": "a"}]}
        )
    with pytest.raises(ModelError):
        PatrolRoute.from_dict(
            {"id": "r", "site_id": "s", "stops": [{"checkpoint_id": "a", "after": -5}]}
        )
