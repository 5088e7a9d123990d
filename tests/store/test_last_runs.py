"""The last-run index: kept in the write that stores the run, rebuilt when missing or stale,
and after a kill always what a rebuild from the records gives."""

from __future__ import annotations

import random
import time

import orjson
import pytest

from fieldkit.model import Clock, Inspection, Target, new_id
from fieldkit.store import Store
from fieldkit.store.last_runs import LAST_RUN, LAST_RUN_STATE, build, pair_key
from tests.store.test_crash import CHECKLIST, _open_after_crash, _run_and_kill


def recomputed(store: Store) -> dict[tuple[str, str], str | None]:
    """The index as a rebuild from every record gives it, without touching the store's."""
    index = build(doc for _, doc in store.iter_records(["inspection"]))
    return {(e["checklist"], e["target"]): e["at"] for e in index.values()}


def submit(store: Store, target: str) -> Inspection:
    run = store.create_inspection(CHECKLIST, Target("route", target))
    store.save_answer(run.id, "q", "pass")
    return store.submit_inspection(run.id)


def pulled(target: str, at: str, clock: Clock) -> dict:
    run = Inspection(id=new_id(), checklist=CHECKLIST, target=Target("route", target),
                     hlc=str(clock.now()), device="other")  # fmt: skip
    run.submit(clock.now(), at=at)
    return {"entity": "inspection", "record": run.to_dict()}


def on_disk(data) -> dict:
    return orjson.loads((data / "active.json").read_bytes())


def test_a_submit_writes_its_run_to_the_index_in_the_same_write(tmp_path):
    data = tmp_path / "d"
    with Store.open(data) as store:
        draft = store.create_inspection(CHECKLIST, Target("route", "r1"))
        assert store.last_runs() == {}
        done = store.submit_inspection(draft.id)
        written = on_disk(data)
        assert written["inspection"][done.id]["status"] == "submitted"
        entry = written[LAST_RUN][pair_key(CHECKLIST.id, "r1")]
        assert (entry["id"], entry["at"]) == (done.id, done.submitted_at)
        assert store.last_runs() == {(CHECKLIST.id, "r1"): done.submitted_at}
        assert store.last_runs_current


def test_pulled_runs_count_and_an_older_one_never_replaces_a_newer(tmp_path):
    with Store.open(tmp_path / "d") as store:
        office = Clock("office")
        store.apply_remote([pulled("r1", "2026-10-01T08:00:00.000Z", office),
                            pulled("r1", "2026-09-01T08:00:00.000Z", office),
                            pulled("r2", "2026-08-01T08:00:00+00:00", office)], "c1")  # fmt: skip
        assert store.last_runs() == {
            (CHECKLIST.id, "r1"): "2026-10-01T08:00:00.000Z",
            (CHECKLIST.id, "r2"): "2026-08-01T08:00:00+00:00",
        }
        mine = submit(store, "r2")
        assert store.last_runs()[(CHECKLIST.id, "r2")] == mine.submitted_at
        assert store.last_runs() == recomputed(store)


def test_archiving_and_reopening_keep_the_index_current(tmp_path):
    data = tmp_path / "d"
    with Store.open(data) as store:
        runs = [submit(store, f"r{n % 3}") for n in range(7)]
        assert store.archive() == 7
        assert store.last_runs_current
    with Store.open(data) as store:
        assert store.last_runs_current  # no rebuild needed
        assert store.last_runs() == recomputed(store)
        assert store.last_runs()[(CHECKLIST.id, "r0")] == runs[6].submitted_at


def test_a_folder_from_before_the_index_is_rebuilt_once(tmp_path):
    data = tmp_path / "d"
    with Store.open(data) as store:
        for n in range(5):
            submit(store, f"r{n % 2}")
        store.archive()
        submit(store, "r9")  # one in the active file, the rest archived
        expected = store.last_runs()
    for path in (data / "active.json", data / "active.json.prev"):
        doc = orjson.loads(path.read_bytes())
        doc.pop(LAST_RUN, None)
        doc.pop(LAST_RUN_STATE, None)
        path.write_bytes(orjson.dumps(doc))
    with Store.open(data) as store:
        assert not store.last_runs_current
        assert store.last_runs() == expected
        assert store.last_runs_current
    with Store.open(data) as store:
        assert store.last_runs_current
        assert store.last_runs() == expected


def test_a_month_changed_behind_the_stores_back_makes_it_stale(tmp_path):
    data = tmp_path / "d"
    with Store.open(data) as store:
        old = submit(store, "r1")
        store.archive()
    [month] = (data / "archive").glob("*.json")
    kept = month.read_bytes()
    with Store.open(data) as store:
        submit(store, "r1")
        store.archive()
    month.write_bytes(kept)  # a month restored from an older copy: the newer run is gone
    month.with_name(month.name + ".prev").unlink()
    with Store.open(data) as store:
        assert not store.last_runs_current
        assert store.last_runs() == {(CHECKLIST.id, "r1"): old.submitted_at}
        assert store.last_runs() == recomputed(store)


def test_read_only_computes_without_writing(tmp_path):
    data = tmp_path / "d"
    with Store.open(data) as store:
        submit(store, "r1")
        expected = store.last_runs()
    for path in (data / "active.json", data / "active.json.prev"):
        doc = orjson.loads(path.read_bytes())
        doc.pop(LAST_RUN_STATE, None)
        path.write_bytes(orjson.dumps(doc))
    before = (data / "active.json").read_bytes()
    snapshot = Store.open(data, readonly=True)
    assert snapshot.last_runs() == expected
    assert (data / "active.json").read_bytes() == before


def crash_runs(tmp_path, kills: int, seed: int) -> dict:
    """Kill a process that submits runs on a few routes and archives; after every kill the
    index must be current (no rebuild pending) and equal to a rebuild from the records."""
    rng = random.Random(seed)
    stats = {"kills": 0, "acked": 0, "temps_left": 0, "used_previous": 0}
    data = tmp_path / "runs"
    with Store.open(data) as store, store.transaction():
        for n in range(1500):  # history, so archive writes take long enough to be hit
            submit(store, f"r{n % 11}")
    acked: dict[str, str] = {}
    for _ in range(kills):
        lines = _run_and_kill(["runs", str(data)], rng, 0.3)
        stats["kills"] += 1
        for line in lines:
            _, run_id, target = line.split()
            acked[run_id] = target
        store = _open_after_crash(data, stats)
        try:
            assert store.last_runs_current
            index = store.last_runs()
            assert index == recomputed(store)
            for run_id, target in acked.items():
                at = store.get_inspection(run_id).submitted_at
                assert index[(CHECKLIST.id, target)] >= at
        finally:
            store.close()
    stats["acked"] = len(acked)
    return stats


def test_kill_while_submitting_and_archiving_leaves_the_index_true(tmp_path):
    stats = crash_runs(tmp_path, kills=12, seed=3)
    assert stats["acked"] >= 10, stats
    assert stats["temps_left"] > 0, "no kill landed inside a write: the test proves nothing"


@pytest.mark.soak
def test_soak_kill_while_submitting_leaves_the_index_true(tmp_path):
    print(crash_runs(tmp_path, kills=200, seed=int(time.time())))


def test_doctor_checks_the_index_against_the_records_and_rebuilds_it(tmp_path):
    from fieldkit.store.doctor import diagnose

    data = tmp_path / "d"
    with Store.open(data) as store:
        for n in range(4):
            submit(store, f"r{n % 2}")
        store.archive()
        submit(store, "r1")
    assert "store.doctor.last_runs_ok" in [f.key for f in diagnose(data).findings]
    doc = orjson.loads((data / "active.json").read_bytes())  # an index edited by hand
    doc[LAST_RUN][pair_key(CHECKLIST.id, "r0")]["at"] = "2000-01-01T00:00:00.000Z"
    (data / "active.json").write_bytes(orjson.dumps(doc))
    found = {f.key: f.level for f in diagnose(data).findings}
    assert found["store.doctor.last_runs_differ"] == "problem"
    assert found["store.doctor.last_runs_rebuilt"] == "fixed"
    with Store.open(data) as store:
        assert store.last_runs() == recomputed(store)
    assert "store.doctor.last_runs_ok" in [f.key for f in diagnose(data).findings]
