"""``checked_dict`` (a pulled record checked and kept without building it) is
``from_dict(...).to_dict()`` exactly: the same stored dict, the same bytes, the same refusal
word for word, for a demo compound's every record and for odd and hostile changes to them.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import orjson
import pytest
from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st

from fieldkit.model import (
    INCIDENT_TYPES,
    AttachmentRef,
    Case,
    Event,
    Incident,
    ModelError,
    checked_dict,
    merge_case,
    new_id,
    now_iso,
    record_from_dict,
)
from fieldkit.model.base import copy_value
from fieldkit.model.records import RECORD_TYPES
from fieldkit.services import demo
from fieldkit.store import Store


def old_way(entity: str, data: Any) -> tuple[str, Any]:
    try:
        return "kept", record_from_dict(entity, data).to_dict()
    except Exception as exc:  # a check failing with another error (a bug) must fail alike
        return type(exc).__name__, str(exc)


def new_way(entity: str, data: Any) -> tuple[str, Any]:
    try:
        return "kept", checked_dict(entity, data)
    except Exception as exc:
        return type(exc).__name__, str(exc)


def encoded(doc: Any) -> bytes | str:
    """The bytes a store writes for ``doc`` (or why it cannot: an integer past 64 bits)."""
    try:
        return orjson.dumps(doc)
    except orjson.JSONEncodeError as exc:
        return str(exc)


def same(entity: str, data: Any) -> tuple[str, Any]:
    before = repr(data)
    old, new = old_way(entity, data), new_way(entity, data)
    assert new == old
    if old[0] == "kept":
        assert encoded(new[1]) == encoded(old[1])
        assert list(new[1]) == list(old[1])  # the same order of keys, so the same bytes
    assert repr(data) == before  # the input is left as it came
    return new


@pytest.fixture(scope="module")
def compound(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[str, dict]]:
    """Every record of a demo compound with its year's patterns (cases in every kind and
    status, rounds, incidents, residents, permits, patrol routes), as stored."""
    folder: Path = tmp_path_factory.mktemp("checked") / "device"
    demo.generate(folder, cases=400, patterns=True, person="", now=1_796_601_600.0)
    store = Store.open(folder, command="test")
    try:
        records = [(e, copy_value(d)) for e, d in store.iter_records() if e in RECORD_TYPES]
    finally:
        store.close()
    return records + merged_records(next(d for e, d in records if e == "case"))


def merged_records(case_doc: dict) -> list[tuple[str, dict]]:
    """What the demo has none of: an incident with its timeline (a photo on an entry), and
    a case two devices changed at once (its conflict log)."""
    incident = Incident.new(new_id(), INCIDENT_TYPES[0], "0190f0000000-000000-d1", place="3号楼")
    incident.add_event(
        Event(id=new_id(), type="photo", hlc="0190f0000001-000000-d1", text="水漫到二楼",
              attachments=[AttachmentRef(sha256="a" * 64, size=10, media_type="image/jpeg")],
              data={"floor": 2, "who": ["张伟"]})
    )  # fmt: skip
    incident.link_inspection(new_id())
    ours, theirs = Case.from_dict(case_doc), Case.from_dict(case_doc)
    ours.set_field("title", "漏水", "ffff00000000-000000-d1")
    theirs.set_field("title", "Leak", "ffff00000000-000000-d2")
    return [("incident", incident.to_dict()), ("case", merge_case(ours, theirs).to_dict())]


def test_every_record_of_a_demo_compound_is_kept_as_before(compound):
    kinds: dict[str, int] = {}
    for entity, doc in compound:
        assert same(entity, doc)[0] == "kept"
        kinds[entity] = kinds.get(entity, 0) + 1
    assert {"case", "inspection", "incident", "unit", "resident"} <= set(kinds)
    assert kinds["case"] >= 400


def test_what_this_app_stores_takes_the_one_pass(compound):
    """The fast path is the one taken for the app's own records (every assertion above
    would hold if it silently fell back to ``from_dict`` each time), a permit's hours
    included."""
    from fieldkit.model import base

    seen = set()
    for entity, doc in compound:
        if entity == "patrol_route":  # its validate reads its stops: the whole way (a few)
            continue
        base._checked(RECORD_TYPES[entity], doc)  # raises where it would fall back
        seen.add(entity)
    assert {"case", "inspection", "incident", "unit", "resident", "renovation_permit"} <= seen


#: Fields whose default is made when a record is read (the time it was read): a record
#: without one is not compared, as two reads a moment apart differ.
_TIMED = {
    (cls, f.name)
    for cls in RECORD_TYPES.values()
    for f in dataclasses.fields(cls)
    if f.default_factory is now_iso
}

_JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**70), 2**70) | st.floats() | st.text(max_size=8)
    | st.sampled_from(["", "closed", "submitted", "major", "unit", "repair", "engineering",
                       "0190f00000aa-000000-office", "zzzz", "2026-13-40"]),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner,
                                                                max_size=3)
    | st.tuples(inner, inner),
    max_leaves=6,
)  # fmt: skip


@st.composite
def odd_changes(draw: st.DrawFn, compound: list[tuple[str, dict]]) -> tuple[str, Any]:
    """A record of the compound with a few of its keys dropped, replaced, moved or added,
    at its top or inside a nested record (its target, an event, an answer)."""
    entity, doc = draw(st.sampled_from(compound))
    data: Any = copy_value(doc)
    for _ in range(draw(st.integers(1, 3))):
        place = data
        nested = [k for k, v in data.items() if isinstance(v, dict | list) and v]
        if nested and draw(st.booleans()):
            inner = data[draw(st.sampled_from(nested))]
            if isinstance(inner, list):
                inner = inner[draw(st.integers(0, len(inner) - 1))]
            elif inner and draw(st.booleans()):
                key = draw(st.sampled_from(sorted(inner)))
                inner = inner[key] if isinstance(inner[key], dict) else inner
            if isinstance(inner, dict) and inner:
                place = inner
        if not place:
            continue
        key = draw(st.sampled_from(sorted(place)))
        move = draw(st.sampled_from(["drop", "value", "last", "add", "extra", "none"]))
        if move == "drop" and (RECORD_TYPES[entity], key) not in _TIMED:
            del place[key]
        elif move == "value":
            place[key] = draw(_JSON)
        elif move == "last":
            place[key] = place.pop(key)  # the same keys in another order
        elif move == "add":
            place[draw(st.text(min_size=1, max_size=6))] = draw(_JSON)
        elif move == "extra":
            place["extra"] = draw(_JSON)
        else:
            place[key] = None
    if draw(st.integers(0, 20)) == 0:
        data = draw(_JSON)  # not a record at all
    return entity, data


@seed(20261207)
@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_odd_and_hostile_records_are_kept_or_refused_as_before(compound, data):
    entity, record = data.draw(odd_changes(compound))
    same(entity, record)


def test_a_kept_record_shares_nothing_with_what_came_in(compound):
    entity, doc = next((e, d) for e, d in compound if e == "case" and d["events"])
    data = copy_value(doc)
    kept = checked_dict(entity, data)
    data["stamps"]["title"] = "ffffffffffff-000000-x"
    data["events"][0]["data"]["new"] = 1
    data["target"]["id"] = "elsewhere"
    assert kept == record_from_dict(entity, doc).to_dict()


def test_a_refusal_names_what_from_dict_names(compound):
    entity, doc = next((e, d) for e, d in compound if e == "case")
    bad = {**doc, "stamps": {**doc["stamps"], "title": "not a stamp"}}
    with pytest.raises(ModelError) as new:
        checked_dict(entity, bad)
    with pytest.raises(ModelError) as old:
        record_from_dict(entity, bad)
    assert str(new.value) == str(old.value)
    assert "Case.stamps.title" in str(new.value)
    with pytest.raises(ModelError, match="unknown record kind"):
        checked_dict("spaceship", doc)
