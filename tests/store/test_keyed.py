"""The keyed index each store file carries in its own write (``fieldkit.store.keyed``): a
label, a printed code, a tag and a flat's registry records in ``reference.json``, a
target's inspections in each archive month. What it answers is what the records say, after
any change and any kill; a file from before it is indexed once; doctor finds one that
disagrees and writes it again."""

from __future__ import annotations

import random

import orjson

from fieldkit.model import ChecklistRef, Target, new_id
from fieldkit.model.reference import Building, Checkpoint, Site, Unit
from fieldkit.model.registry import RenovationPermit, Resident
from fieldkit.store import Store, keyed
from fieldkit.store import months as month_files
from fieldkit.store.layout import ARCHIVE_DIR, REFERENCE
from fieldkit.store.schema import META
from tests.store.test_crash import _open_after_crash, _run_and_kill

CHECKLIST = ChecklistRef("renovation.site", 1, "ab" * 32)


def compound(store: Store) -> dict[str, str]:
    site, building = new_id(), new_id()
    flat, other, gate = new_id(), new_id(), new_id()
    store.put_reference("site", [Site(site, name="翠湖苑", code="CH")])
    store.put_reference("building", [Building(building, site, name="3号楼", code="3")])
    store.put_reference("unit", [Unit(flat, site, building, number="3-2-1502", label="3-2-1502"),
                                 Unit(other, site, building, number="3-2-1501")])  # fmt: skip
    store.put_reference("checkpoint", [Checkpoint(gate, site, name="东门", label="GATE-E",
                                                  extra={"tag": "04:a1:b2:c3"})])  # fmt: skip
    store.put_reference("resident", [Resident(new_id(), site, flat, role="owner", name="李娜")])
    store.put_reference("resident", [Resident(new_id(), site, other, role="owner", name="王伟")])
    store.put_reference("renovation_permit", [
        RenovationPermit(new_id(), site, flat, number="ZX-1", start="2026-01-01",
                         end="2026-12-31")])  # fmt: skip
    return {"site": site, "building": building, "flat": flat, "other": other, "gate": gate}


def ids(found: list[tuple[str, dict]]) -> set[tuple[str, str]]:
    return {(table, doc["id"]) for table, doc in found}


def tables_of(path) -> dict[str, dict]:
    """Every table of a store file, read whole (as any JSON reader reads it)."""
    data = orjson.loads(path.read_bytes())
    return {k: v for k, v in data.items() if not k.startswith("_")}


def keys_true(path, kind: str) -> bool | None:
    return month_files.check_keys(path, kind, tables_of(path))


def old_format(path) -> None:
    """Write a store file again as files were before they carried any index: its tables
    and ``_meta`` as one JSON object."""
    data = orjson.loads(path.read_bytes())
    path.write_bytes(orjson.dumps({k: v for k, v in data.items()
                                   if k == META or not k.startswith("_")}))  # fmt: skip


def test_reference_answers_a_label_a_code_a_tag_and_a_flat_from_its_index(tmp_path):
    with Store.open(tmp_path) as store:
        made = compound(store)
    assert keys_true(tmp_path / REFERENCE, "reference") is True
    with Store.open(tmp_path) as store:  # a fresh open: nothing in memory but the index
        flat, site = made["flat"], made["site"]
        assert ids(store.reference_keyed(keyed.label_key("unit", site, "3-2-1502"))) == {
            ("unit", flat)
        }
        assert ids(store.reference_keyed(keyed.code_key("3-2-1501"))) == {("unit", made["other"])}
        gate = {("checkpoint", made["gate"])}
        assert ids(store.reference_keyed(keyed.code_key("gate-e"))) == gate
        assert ids(store.reference_keyed(keyed.tag_key("04A1B2C3"))) == {
            ("checkpoint", made["gate"])
        }
        found = store.reference_keyed(keyed.unit_key(flat))
        assert sorted(table for table, _ in found) == ["renovation_permit", "resident"]
        assert store.reference_keyed(keyed.code_key("9-9-999")) == []


def test_the_reference_index_follows_a_changed_record(tmp_path):
    with Store.open(tmp_path) as store:
        made = compound(store)
        (resident,) = [d for t, d in store.reference_keyed(keyed.unit_key(made["flat"]))
                       if t == "resident"]  # fmt: skip
        moved = Resident.from_dict({**resident, "unit_id": made["other"]})
        store.put_reference("resident", [moved])
        assert "resident" not in {t for t, _ in store.reference_keyed(keyed.unit_key(made["flat"]))}
    with Store.open(tmp_path) as store:
        there = ids(store.reference_keyed(keyed.unit_key(made["other"])))
        assert ("resident", moved.id) in there
    assert keys_true(tmp_path / REFERENCE, "reference") is True


def test_a_reference_file_from_before_the_index_is_indexed_once(tmp_path):
    with Store.open(tmp_path) as store:
        made = compound(store)
    old_format(tmp_path / REFERENCE)
    assert keys_true(tmp_path / REFERENCE, "reference") is None
    with Store.open(tmp_path) as store:
        assert ids(store.reference_keyed(keyed.code_key("3-2-1502"))) == {("unit", made["flat"])}
    assert keys_true(tmp_path / REFERENCE, "reference") is True
    with Store.open(tmp_path, readonly=True) as snapshot:  # a snapshot reads the file whole
        assert ids(snapshot.reference_keyed(keyed.code_key("3-2-1502"))) == {("unit", made["flat"])}


def submit(store: Store, unit: str) -> str:
    draft = store.create_inspection(CHECKLIST, Target("unit", unit))
    return store.submit_inspection(draft.id).id


def test_a_targets_inspections_come_from_the_months_and_the_active_file(tmp_path):
    with Store.open(tmp_path) as store:
        archived = [submit(store, "u1") for _ in range(3)]
        submit(store, "u2")
        store.archive()
        live = submit(store, "u1")
        draft = store.create_inspection(CHECKLIST, Target("unit", "u1"))  # not submitted
        found = store.target_history("u1")
        assert {e[1] for e in found} == {*archived, live}
        assert draft.id not in {e[1] for e in found}
        assert all(e[0] == "inspection" and e[2] == "renovation.site" for e in found)
    for path in (tmp_path / ARCHIVE_DIR).glob("*.json"):
        assert keys_true(path, "archive") is True


def test_a_month_from_before_the_index_is_indexed_when_first_asked(tmp_path):
    with Store.open(tmp_path) as store:
        archived = [submit(store, "u1") for _ in range(2)]
        store.archive()
    (path,) = (tmp_path / ARCHIVE_DIR).glob("*.json")
    old_format(path)
    with Store.open(tmp_path) as store:
        assert {e[1] for e in store.target_history("u1")} == set(archived)
    assert keys_true(path, "archive") is True


def test_a_violations_reinspections_are_filed_under_its_flat(tmp_path):
    with Store.open(tmp_path) as store:
        case = store.create_case("violation", Target("unit", "u7"), title="擅自改动承重墙")
        store.add_case_event(case.id, "reinspection", text="已整改", data={"level": 1})
        store.add_case_event(case.id, "note", text="业主已联系")
        store.set_case_status(case.id, "closed")
        store.archive()
        (entry,) = store.target_history("u7")
    assert entry[:2] == ["case", case.id] and entry[3] == "擅自改动承重墙"
    assert [(e[1], e[4]) for e in entry[4]] == [("reinspection", "已整改")]


def test_doctor_writes_again_an_index_that_is_missing_or_disagrees(tmp_path):
    from fieldkit.store.doctor import diagnose

    with Store.open(tmp_path) as store:
        made = compound(store)
        submit(store, made["flat"])
        store.archive()
    (month,) = (tmp_path / ARCHIVE_DIR).glob("*.json")
    old_format(tmp_path / REFERENCE)
    raw = month.read_bytes()
    month.write_bytes(raw.replace(made["flat"].encode(), made["other"].encode(), 1))
    found = {(f.level, f.key, f.params.get("path")) for f in diagnose(tmp_path).findings}
    assert ("fixed", "store.doctor.keys_rebuilt", REFERENCE) in found
    assert keys_true(tmp_path / REFERENCE, "reference") is True
    assert keys_true(month, "archive") is True
    again = diagnose(tmp_path)
    assert [f for f in again.findings if f.key.startswith("store.doctor.keys_")] == []


def test_doctor_finds_a_month_whose_index_names_another_flat(tmp_path):
    from fieldkit.store.doctor import diagnose

    with Store.open(tmp_path) as store:
        made = compound(store)
        submit(store, made["flat"])
        store.archive()
    (month,) = (tmp_path / ARCHIVE_DIR).glob("*.json")
    raw = month.read_bytes()
    keys_at = raw.rindex(b'"_keys":')
    flat, other = (orjson.dumps(keyed.target_key(made[k])) for k in ("flat", "other"))
    wrong = raw[keys_at:].replace(flat, other)
    month.write_bytes(raw[:keys_at] + wrong)
    assert keys_true(month, "archive") is False
    found = {(f.level, f.key) for f in diagnose(tmp_path).findings}
    assert ("fixed", "store.doctor.keys_rebuilt") in found
    assert keys_true(month, "archive") is True
    with Store.open(tmp_path) as store:
        assert len(store.target_history(made["flat"])) == 1
        assert store.target_history(made["other"]) == []


def test_kill_while_writing_leaves_every_keyed_index_true(tmp_path):
    data = tmp_path / "data"
    Store.open(data).close()
    rng = random.Random(17)
    stats = {"kills": 0, "temps_left": 0}
    residents: dict[str, str] = {}
    runs: dict[str, str] = {}
    for _ in range(6):
        for line in _run_and_kill(["keyed", str(data)], rng, 0.8):
            kind, record_id, unit = line.split()
            (residents if kind == "r" else runs)[record_id] = unit
        stats["kills"] += 1
        store = _open_after_crash(data, stats)
        try:
            if (data / REFERENCE).exists():
                assert keys_true(data / REFERENCE, "reference") is True
            for path in (data / ARCHIVE_DIR).glob("*.json"):
                assert keys_true(path, "archive") is True, path
            for resident, unit in residents.items():
                assert ("resident", resident) in ids(store.reference_keyed(keyed.unit_key(unit)))
            for unit in set(runs.values()):
                shown = {e[1] for e in store.target_history(unit)}
                assert {r for r, u in runs.items() if u == unit} <= shown
        finally:
            store.close()
    assert stats["kills"] == 6 and residents and runs
