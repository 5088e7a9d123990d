"""The atomic storage and the folder around it: damage, leftovers, schema, lock."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import orjson
import pytest

from fieldkit.model import ChecklistRef, Target
from fieldkit.store import Store, StoreDamaged, StoreError, StoreLocked
from fieldkit.store import schema as store_schema
from fieldkit.store.atomic import atomic_write, is_temp, temp_path
from fieldkit.store.files import StoreFile

CHECKLIST = ChecklistRef("fire.extinguisher.monthly", 3, "ab" * 32)


def _draft_with_answer(data: Path, value: object) -> str:
    with Store.open(data) as store:
        run = store.create_inspection(CHECKLIST, Target("unit", "u1"))
        store.save_answer(run.id, "q", value)
        return run.id


def test_transaction_is_one_write_and_rolls_back_on_error(tmp_path, monkeypatch):
    file = StoreFile(tmp_path / "f.json", "active")
    writes = []
    real = atomic_write
    monkeypatch.setattr(
        "fieldkit.store.storage.atomic_write",
        lambda *a, **k: (writes.append(a[0]), real(*a, **k)),
    )
    with file.transaction():
        file.table("a").put("1", {"x": 1})
        file.table("b").put("2", {"y": 2})
    assert len(writes) == 1
    on_disk = orjson.loads((tmp_path / "f.json").read_bytes())
    assert on_disk["a"] == {"1": {"x": 1}} and on_disk["b"] == {"2": {"y": 2}}
    with pytest.raises(RuntimeError), file.transaction():
        file.table("a").put("1", {"x": "changed"})
        raise RuntimeError("a service failed half-way")
    assert len(writes) == 1
    assert file.table("a").doc("1") == {"x": 1}
    assert orjson.loads((tmp_path / "f.json").read_bytes())["a"]["1"] == {"x": 1}


def test_damaged_file_uses_previous_generation_and_keeps_the_damaged_one(tmp_path):
    data = tmp_path / "d"
    run_id = _draft_with_answer(data, "first")
    with Store.open(data) as store:
        store.save_answer(run_id, "q", "second")
    (data / "active.json").write_bytes(b'{"_meta": {"1": {"schema": 1, "ki')  # torn
    with Store.open(data) as store:
        assert [n.key for n in store.notices] == ["store.notice.damaged"]
        assert "kept" in store.notices[0].params and "reason" in store.notices[0].params
        assert store.get_inspection(run_id).answers["q"].value in ("first", "second")
    kept = [p for p in data.iterdir() if ".damaged-" in p.name]
    assert len(kept) == 1 and kept[0].read_bytes().startswith(b'{"_meta"')


def test_damaged_file_without_a_good_previous_is_refused_not_emptied(tmp_path):
    data = tmp_path / "d"
    _draft_with_answer(data, "x")
    (data / "active.json").write_bytes(b"\x00\x00garbage")
    (data / "active.json.prev").write_bytes(b"[1, 2")
    with pytest.raises(StoreDamaged) as err:
        Store.open(data)
    assert err.value.key == "store.error.damaged_previous_too"
    assert "active.json" in err.value.message()
    (data / "active.json.prev").unlink()
    with pytest.raises(StoreDamaged) as err:
        Store.open(data)
    assert err.value.key == "store.error.damaged_no_previous"


def test_a_missing_file_falls_back_to_its_previous_copy(tmp_path):
    data = tmp_path / "d"
    run_id = _draft_with_answer(data, "kept")
    os.replace(data / "active.json", data / "active.json.prev")
    with Store.open(data) as store:
        assert [n.key for n in store.notices] == ["store.notice.used_previous"]
        assert store.get_inspection(run_id).answers["q"].value == "kept"


def test_active_missing_beside_history_is_refused(tmp_path):
    data = tmp_path / "d"
    with Store.open(data) as store:
        run = store.create_inspection(CHECKLIST, Target("unit", "u1"))
        store.submit_inspection(run.id)
    for name in ("active.json", "active.json.prev"):
        (data / name).unlink(missing_ok=True)
    with pytest.raises(StoreDamaged) as err:
        Store.open(data)
    assert err.value.key == "store.error.active_missing"


def test_stale_temp_files_are_removed_at_start(tmp_path):
    data = tmp_path / "d"
    _draft_with_answer(data, 1)
    leftovers = [temp_path(data / "active.json"), temp_path(data / "archive" / "2026-01.json")]
    (data / "archive").mkdir(exist_ok=True)
    for path in leftovers:
        path.write_bytes(b'{"half": ')
    blob_tmp = temp_path(data / "blobs" / "incoming")
    blob_tmp.parent.mkdir(exist_ok=True)
    blob_tmp.write_bytes(b"partial photo")
    with Store.open(data) as store:
        assert store.notices[0].key == "store.notice.temps_removed"
        assert store.notices[0].params == {"count": 3}
    assert not [p for p in data.rglob("*") if is_temp(p)]


def test_schema_version_in_every_file_and_newer_refused(tmp_path):
    data = tmp_path / "d"
    with Store.open(data) as store:
        run = store.create_inspection(CHECKLIST, Target("unit", "u1"))
        store.submit_inspection(run.id)
        store.put_reference("site", [{"id": "s1", "name": "Garden Court"}])
    files = [data / "active.json", data / "reference.json", *(data / "archive").glob("*.json")]
    assert len(files) == 3
    for path in files:
        meta = orjson.loads(path.read_bytes())["_meta"]["1"]
        assert meta["schema"] == {"active": 2, "archive": 1, "reference": 1}[meta["kind"]]
    doc = orjson.loads((data / "active.json").read_bytes())
    doc["_meta"]["1"]["schema"] = 99
    (data / "active.json").write_bytes(orjson.dumps(doc))
    with pytest.raises(StoreError) as err:
        Store.open(data)
    assert err.value.key == "store.error.newer_schema"


def test_migration_hook_upgrades_files_in_place(tmp_path, monkeypatch):
    data = tmp_path / "d"
    run_id = _draft_with_answer(data, "v1")

    def to_v2(doc: dict, kind: str) -> dict:
        for run in doc.get("inspection", {}).values():
            run["inspector"] = run["inspector"] or "migrated"
        return doc

    monkeypatch.setitem(store_schema.SCHEMA_VERSIONS, "active", 3)
    monkeypatch.setitem(store_schema.MIGRATIONS, ("active", 2), to_v2)
    with Store.open(data) as store:
        assert store.get_inspection(run_id).inspector == "migrated"
    on_disk = orjson.loads((data / "active.json").read_bytes())
    meta = on_disk["_meta"]["1"]  # and the answer journal's generation
    assert (meta["schema"], meta["kind"]) == (3, "active")


def test_wrong_kind_of_file_is_refused(tmp_path):
    StoreFile(tmp_path / "active.json", "archive")
    with pytest.raises(StoreDamaged):
        Store.open(tmp_path)


def test_second_process_is_refused_with_a_message_naming_the_first(tmp_path):
    data = tmp_path / "d"
    with Store.open(data, command="fieldkit app") as store:
        probe = (
            "import sys\n"
            "from fieldkit.store import Store, StoreLocked\n"
            "try:\n"
            f"    Store.open({str(data)!r})\n"
            "except StoreLocked as exc:\n"
            "    print(exc.message()); sys.exit(3)\n"
        )
        out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
        assert out.returncode == 3, out.stderr
        assert str(os.getpid()) in out.stdout and "fieldkit app" in out.stdout
        with pytest.raises(StoreLocked):
            Store.open(data)
        snapshot = Store.open(data, readonly=True)
        assert snapshot.readonly and snapshot.drafts() == store.drafts()
        with pytest.raises(StoreError):
            snapshot.create_inspection(CHECKLIST, Target("unit", "u1"))
    Store.open(data).close()  # released on close


def test_a_ruined_archive_month_never_fails_a_submit(tmp_path):
    data = tmp_path / "d"
    with Store.open(data) as store:
        first = store.create_inspection(CHECKLIST, Target("unit", "u1"))
        store.submit_inspection(first.id)
    [month] = (data / "archive").glob("*.json")
    month.write_bytes(b"ruined")  # and there is no .prev for a month written once
    with Store.open(data) as store:
        run = store.create_inspection(CHECKLIST, Target("unit", "u1"))
        store.save_answer(run.id, "q", 1)
        assert store.submit_inspection(run.id).status == "submitted"
        store._archive_if_due(force=True)
        assert store.notices[-1].key == "store.notice.archive_failed"
        assert store.get_inspection(run.id).status == "submitted"  # still in active.json
        pending = store.outbox_pending()
        assert [e.id for e in pending] == [first.id, run.id]
        assert pending[0].record == {} and pending[1].record["id"] == run.id


def test_a_write_the_disk_refuses_leaves_the_table_as_it_was(tmp_path, monkeypatch):
    """Tables are changed in place (RecordTable._update_table): a failed write must still
    roll the cache back to the last written generation."""
    file = StoreFile(tmp_path / "f.json", "active")
    table = file.table("a")
    table.put_many({"1": {"x": 1}, "2": {"x": 2}})

    def full_disk(*_args, **_kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("fieldkit.store.storage.atomic_write", full_disk)
    for change in (
        lambda: table.put("3", {"x": 3}),
        lambda: table.put("1", {"x": "changed"}),
        lambda: table.delete(["2"]),
    ):
        with pytest.raises(OSError):
            change()
        assert dict(file.table("a").docs()) == {"1": {"x": 1}, "2": {"x": 2}}
