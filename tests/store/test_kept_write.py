"""A write of a month file or ``reference.json`` copies what it does not change: every
table no record of the write touches keeps its bytes, the rest are re-encoded only where
they changed, and the file's table of contents, lookup buckets, case index and keyed index
say what its records say (``fieldkit.store.months.encode`` with ``Kept`` tables)."""

from __future__ import annotations

import random

import orjson

from fieldkit.model import Case, Clock, Target, new_id
from fieldkit.model.registry import Resident
from fieldkit.store import Store
from fieldkit.store import months as month_files
from fieldkit.store.doctor import diagnose
from fieldkit.store.files import StoreFile
from fieldkit.store.layout import REFERENCE
from tests.store.test_keyed import compound, tables_of


def table_bytes(path) -> dict[str, bytes]:
    """Each table's whole JSON object as the file holds it, found through ``_dir``."""
    raw = path.read_bytes()
    at = month_files._tail(lambda s, e: raw[s:e], len(raw))
    directory = orjson.loads(raw[at[6] : at[7]])["tables"]
    return {name: raw[t["table"][0] : t["table"][1]] for name, t in directory.items()}


def every_record_found(path, kind: str, expected: dict[str, dict]) -> None:
    """A fresh open finds every record by id through the lookup buckets, and the file read
    whole (any JSON reader) holds exactly ``expected``."""
    assert tables_of(path) == expected
    file = StoreFile(path, kind)
    tables = file.storage.read()
    for name, docs in expected.items():
        for doc_id, doc in docs.items():
            assert tables[name][doc_id] == doc
        assert sorted(tables[name]) == sorted(docs)
    assert month_files.check(path) == (True, True)
    assert month_files.check_keys(path, kind, tables_of(path)) is True


def test_one_changed_resident_leaves_every_other_table_byte_for_byte(tmp_path):
    rng = random.Random(3)
    with Store.open(tmp_path) as store:
        made = compound(store)
        store.put_reference("resident", [
            Resident(new_id(), made["site"], rng.choice([made["flat"], made["other"]]),
                     role="household", name=f"住户{n}", phone=f"1390000{n:04d}")
            for n in range(300)])  # fmt: skip
    path = tmp_path / REFERENCE
    before = table_bytes(path)
    with Store.open(tmp_path) as store:
        resident = store.reference("resident")[150]
        moved = Resident.from_dict({**resident.to_dict(), "unit_id": made["other"], "phone": "1"})
        store.put_reference("resident", [moved])
    after = table_bytes(path)
    assert set(after) == set(before)
    assert [n for n in before if before[n] != after[n]] == ["resident"]
    assert month_files.check(path) == (True, True)
    assert month_files.check_keys(path, "reference", tables_of(path)) is True
    with Store.open(tmp_path) as store:
        assert store.get_reference("resident", moved.id).to_dict() == moved.to_dict()
        assert len(store.reference("resident")) == 302
        assert diagnose(tmp_path).problems == []
    assert table_bytes(path) == after  # opening and checking wrote nothing


def test_months_written_again_and_again_say_what_their_records_say(tmp_path):
    """Random puts (new, changed, a page of many) and deletes into a month of cases and
    inspections; after each write the file, read whole and by id, is the model's."""
    rng = random.Random(17)
    clock = Clock("device0kept")
    path = tmp_path / "2026-11.json"
    model: dict[str, dict[str, dict]] = {"case": {}, "inspection": {}}
    flats = [new_id() for _ in range(6)]

    def case(case_id: str) -> dict:
        doc = Case.new(case_id, rng.choice(["complaint", "violation"]),
                       Target("unit", rng.choice(flats)), clock.now(), title=f"漏水{rng.random()}",
                       status=rng.choice(["closed", "cancelled"])).to_dict()  # fmt: skip
        doc["events"] = [{"id": new_id(), "type": "reinspection", "at": "2026-11-02T10:00:00+08:00",
                          "text": "已整改", "data": {"level": 1}}]  # fmt: skip
        return doc

    def inspection(doc_id: str) -> dict:
        return {"id": doc_id, "status": "submitted", "submitted_at": "2026-11-03T09:00:00+08:00",
                "target": {"kind": "unit", "id": rng.choice(flats)},
                "checklist": {"id": "renovation.site"}, "cases": []}  # fmt: skip

    file = StoreFile(path, "archive")
    with file.transaction():
        for _ in range(120):
            c, i = case(new_id()), inspection(new_id())
            model["case"][c["id"]], model["inspection"][i["id"]] = c, i
            file.table("case").put(c["id"], c)
            file.table("inspection").put(i["id"], i)
    for step in range(24):
        file = StoreFile(path, "archive")  # each write from a fresh open, as the store's are
        what = step % 4
        if what == 0:  # one new case
            c = case(new_id())
            model["case"][c["id"]] = c
            file.table("case").put_many({c["id"]: c})
        elif what == 1:  # one changed case: the inspections' bytes stay as they were
            before = table_bytes(path)
            doc_id = rng.choice(list(model["case"]))
            c = case(doc_id)
            model["case"][doc_id] = c
            file.table("case").put_many({doc_id: c})
            assert table_bytes(path)["inspection"] == before["inspection"]
        elif what == 2:  # a page: many changed and new, in both tables, in one write
            with file.transaction():
                for name, make in (("case", case), ("inspection", inspection)):
                    page = {i: make(i) for i in rng.sample(list(model[name]), 40)}
                    page.update((d["id"], d) for d in (make(new_id()) for _ in range(5)))
                    model[name].update(page)
                    file.table(name).put_many(page)
        else:  # removed, the first record of a table among them
            gone = [next(iter(model["case"])), *rng.sample(list(model["case"]), 3)]
            file.table("case").delete(gone)
            for doc_id in gone:
                model["case"].pop(doc_id, None)
        every_record_found(path, "archive", model)
