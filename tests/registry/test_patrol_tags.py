"""NFC checkpoint tags on the demo's night route: a reader types each tag's id and Enter; a
burst of ids is read in order through the app's scan capture, each recorded as its
checkpoint; an unknown tag says so and records nothing."""

from __future__ import annotations

import pytest

from fieldkit.i18n import set_language
from fieldkit.services import patrol, tags
from fieldkit.services.demo import generate
from fieldkit.services.registry import RegistryError
from fieldkit.services.workspace import Workspace
from fieldkit.ui.app import FieldkitApp
from fieldkit.ui.screens.patrol import PatrolScreen
from tests.keys import one_read
from tests.waits import shown

T0 = 1_800_000_000.0


@pytest.fixture
def demo(tmp_path):
    generate(tmp_path / "c", cases=0, floors=2)
    ws = Workspace.open(tmp_path / "c")
    ws.sign_in("张伟")
    yield ws
    ws.close()


def night_tags(ws) -> dict[str, str]:
    return {c.label: c.extra["tag"] for c in ws.store.reference("checkpoint") if c.extra.get("tag")}


def test_the_demo_has_night_routes_over_its_gates_car_park_pump_room_and_roofs(demo):
    names = [patrol.route_name(r)["en"] for r in patrol.routes(demo)]
    assert names == ["Night route 1: gates and car park", "Night route 2: roof doors"]
    codes = {c: demo.target(s.checkpoint_id).code for r in patrol.routes(demo)
             for c, s in enumerate(r.stops)}  # fmt: skip
    assert set(night_tags(demo)) == {"GATE-N", "GATE-S", "PARK-B1", "PARK-B1-E", "PUMP",
                                     "ROOF-1", "ROOF-2", "ROOF-3"}  # fmt: skip
    assert codes  # every stop names a checkpoint the device knows
    assert len(set(night_tags(demo).values())) == 8


def test_a_tag_names_its_checkpoint_and_an_unknown_one_changes_nothing(demo):
    ids = night_tags(demo)
    spaced = ":".join(ids["PUMP"][i : i + 2] for i in range(0, 14, 2)).lower()
    for typed in (ids["PUMP"], spaced):
        found = demo.lookup_scan(typed)
        assert found.status == "found" and found.target.code == "PUMP"
    unknown = demo.lookup_scan("04DEADBEEF0001")
    assert unknown.status == "unknown" and "04DEADBEEF0001" in unknown.message
    assert tags.lookup(lambda key: None, "3-2-1502") is None  # a flat's code is not tag-shaped
    route = patrol.routes(demo)[1]
    walk = patrol.start(demo, route.id, by=demo.actor, now=T0)
    with pytest.raises(RegistryError) as caught:
        patrol.scan(demo, walk.id, "04DEADBEEF0001", T0 + 60)
    assert caught.value.key == "rules.tag.unknown"
    assert demo.store.get("patrol_round", walk.id).visits == []


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_a_burst_of_tag_ids_is_read_in_order(demo, lang):
    ids = night_tags(demo)
    burst = [ids["PUMP"], ids["ROOF-1"], "04DEADBEEF0001", ids["ROOF-2"], ids["ROOF-3"]]
    try:
        app = FieldkitApp(demo, lang=lang)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            app.action_patrol()
            await shown(pilot, lambda: isinstance(app.screen, PatrolScreen))
            screen = app.screen
            await shown(pilot, lambda: screen.routes)
            await pilot.press("down", "enter")  # route 2: the roof doors
            await shown(pilot, lambda: screen.round_id is not None)
            one_read(app, "".join(f"{code}\r" for code in burst))  # a fast reader's burst
            walk = lambda: demo.store.get("patrol_round", screen.round_id)  # noqa: E731
            await shown(pilot, lambda: len(walk().visits) == 4)
            await shown(pilot, lambda: any("04DEADBEEF0001" in n.message
                                              for n in app._notifications))  # fmt: skip
            assert [v.code for v in walk().visits] == ["PUMP", "ROOF-1", "ROOF-2", "ROOF-3"]
            await shown(pilot, lambda: all(s.visited for s in screen.report.stops))
    finally:
        set_language("en")
