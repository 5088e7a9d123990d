"""People in an English demo are named in English wherever the demo makes them (nc23):
the inspector's earlier site patrols read 李强 on their rounds, cases and history while his
device said Li Qiang. Every demo device's person has an English name for ``named``, and
the renovation past made in English names no one in Chinese."""

from __future__ import annotations

import re

from fieldkit.services import demo_renovation
from fieldkit.services.demo import generate
from fieldkit.services.demo_names import PEOPLE, named
from fieldkit.store import Store

HAN = re.compile(r"[\u4e00-\u9fff]")


def test_every_demo_person_has_an_english_name():
    for person in PEOPLE.values():
        assert named(person["zh"], "en") == person["en"]
        assert named(person["zh"], "zh") == person["zh"]


def test_the_renovation_past_of_an_english_demo_names_its_inspector_in_english(tmp_path):
    folder = tmp_path / "renovation"
    generate(folder, cases=0, floors=18, person="", lang="en")
    added = demo_renovation.add_to(folder, lang="en")
    assert added["renovation_patrol"] >= 4
    store = Store.open(folder, readonly=True)
    try:
        records = list(store.iter_records(("inspection", "case")))
    finally:
        store.close()
    people = set()
    for entity, doc in records:
        if entity == "inspection":
            people.add(doc.get("inspector") or "")
        else:
            people.add(doc.get("created_by") or "")
            people |= {e.get("by") or "" for e in doc.get("events") or ()}
            people.add(((doc.get("extra") or {}).get("finding") or {}).get("by") or "")
    assert "Li Qiang" in people
    assert not [p for p in people if HAN.search(p)], people
