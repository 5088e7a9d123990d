"""The demo's data read as the service desk reads it: a dispute's sides speak by the names of
their flats' owners in the registry; a case's moves are spread over its life, never all
made the moment the demo was generated; places are named one way in English; and a demo
person keeps the one name the demo was made with, whatever language the app is switched to
later (a zh report never shows "Liu Yang")."""

from __future__ import annotations

import re

import pytest

from fieldkit.model.personal import mask
from fieldkit.services import demo_office
from fieldkit.services.demo import generate
from fieldkit.services.workspace import Workspace

NOW = 1_800_000_000.0


@pytest.fixture(scope="module", params=["zh", "en"])
def made(request, tmp_path_factory):
    folder = tmp_path_factory.mktemp(f"demo-{request.param}") / "d"
    generate(folder, cases=400, floors=6, now=NOW, person="", lang=request.param)
    ws = Workspace.open(folder)
    yield request.param, ws
    ws.close()


def _cases(ws: Workspace) -> list[dict]:
    return [doc for _, doc in ws.store.iter_records(["case"])]


def test_a_dispute_is_spoken_for_by_the_owners_of_its_flats(made):
    lang, ws = made
    owners = {r.unit_id: r.name for r in ws.store.reference("resident") if r.role == "owner"}
    statements = [
        ev for doc in _cases(ws) if doc["kind"] == "dispute"
        for ev in doc.get("events", []) if ev.get("type") == "statement"
    ]  # fmt: skip
    assert len(statements) >= 4
    for ev in statements:
        assert ev["data"]["owner_name"] == owners[ev["data"]["unit"]], ev
    for doc in _cases(ws):
        events = sorted(doc.get("events", []), key=lambda ev: ev["at"])
        kinds = [ev["type"] for ev in events]
        if doc["kind"] == "dispute" and "statement" in kinds:  # sent on, then both heard
            assert kinds.index("status") < kinds.index("statement"), kinds
    if lang == "en":  # masked as an English name is: initials, never G******
        name = statements[0]["data"]["owner_name"]
        assert mask("name", name) == f"{name.split()[0]} {name.split()[-1][0]}***"


def test_a_cases_moves_are_spread_over_its_life(made):
    _, ws = made
    from fieldkit.model import iso_epoch

    moved = 0
    for doc in _cases(ws):
        created = iso_epoch(doc["created_at"])
        times = [iso_epoch(ev["at"]) for ev in doc.get("events", []) if ev.get("at")]
        assert all(created <= at < NOW for at in times), doc["id"]
        moves = [iso_epoch(ev["at"]) for ev in doc.get("events", []) if ev["type"] == "status"]
        if len(moves) >= 2:
            moved += 1
            assert len(set(moves)) == len(moves), doc["id"]  # each its own time
    assert moved > 50


def test_places_are_named_one_way_in_english(made):
    lang, ws = made
    if lang != "en":
        pytest.skip("English names")
    for entity in ("asset", "checkpoint", "unit"):
        for record in ws.store.reference(entity):
            name = (record.extra.get("names") or {}).get("en", "")
            assert not re.search(r"\b(building|entrance|floor) \d", name), name


def test_a_demo_person_keeps_the_name_the_demo_was_made_with(tmp_path):
    folder = tmp_path / "demo"
    demo_office.make(folder, cases=0, lang="zh", floors=2)
    layout = demo_office.read_layout(folder)
    assert layout is not None and layout.lang == "zh"
    assert layout.person("desk", "en") == "刘洋"  # the app switched to English: still 刘洋
    demo_office.open_device(layout, "desk", "en", None)
    from fieldkit.services import signin
    from fieldkit.store import Store

    store = Store.open(layout.device("desk"), readonly=True)
    try:
        assert signin.signed_in(store).name == "刘洋"
    finally:
        store.close()
    old = demo_office.Layout(folder, 0, 7, layout.site)  # a demo made before the language
    assert old.person("desk", "en") == "Liu Yang"  # was kept: named in the app's language
