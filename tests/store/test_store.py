"""The Store API: records, outbox, pulled changes, archive, reference data, attachments."""

from __future__ import annotations

import orjson
import pytest

from fieldkit.model import (
    Case,
    ChecklistRef,
    Clock,
    ModelError,
    RecordLocked,
    Target,
    Unit,
    new_id,
)
from fieldkit.store import BlobError, NotFound, Store

CHECKLIST = ChecklistRef("fire.extinguisher.monthly", 3, "ab" * 32)


@pytest.fixture
def store(tmp_path):
    with Store.open(tmp_path / "data") as s:
        yield s


def test_record_and_outbox_entry_share_one_write(store):
    case = store.create_case(
        "repair", Target("unit", "u1"), by="wang", category="leak", department="engineering"
    )
    on_disk = orjson.loads((store.data_dir / "active.json").read_bytes())
    assert case.id in on_disk["case"]
    [entry] = on_disk["outbox"].values()
    assert entry["id"] == case.id and entry["entity"] == "case" and entry["seq"] == 1
    assert store.outbox_pending()[0].record["category"] == "leak"
    assert on_disk["device"]["state"]["seq"] == 1
    assert on_disk["device"]["state"]["clock"] == entry["hlc"]


def test_outbox_sequence_ack_reject_requeue(store):
    case = store.create_case("complaint", Target("unit", "u1"))
    store.add_case_event(case.id, "note", "owner called again")
    store.set_case_status(case.id, "assigned", by="li")
    pending = store.outbox_pending()
    assert [e.seq for e in pending] == [1, 2, 3]
    assert [e.action for e in pending] == ["create", "event", "status"]
    assert len({e.op for e in pending}) == 3
    assert pending[0].hlc < pending[1].hlc < pending[2].hlc
    assert store.ack([pending[0].op, "not-an-op"]) == 1
    assert store.reject(pending[1].op, "site not in scope", code="scope")
    assert [e.op for e in store.outbox_pending()] == [pending[2].op]
    [attention] = store.needs_attention()
    assert attention["reason"] == "site not in scope" and attention["entry"]["seq"] == 2
    assert store.requeue(pending[1].op)
    assert [e.seq for e in store.outbox_pending()] == [2, 3]
    assert store.needs_attention() == []


def test_drafts_are_not_queued_and_submitted_runs_are_locked(store):
    run = store.create_inspection(CHECKLIST, Target("asset", "ext-1"), inspector="wang")
    store.save_answer(run.id, "pressure@ext-1", 1.3)
    store.save_answer(run.id, "in_place", "pass")
    store.clear_answer(run.id, "in_place")
    assert store.outbox_count() == 0
    submitted = store.submit_inspection(run.id)
    assert submitted.status == "submitted"
    [entry] = store.outbox_pending()
    assert entry.action == "submit" and entry.record["answers"]["pressure@ext-1"]["value"] == 1.3
    with pytest.raises(RecordLocked):
        store.save_answer(run.id, "in_place", "fail")
    fix = store.correct_inspection(run.id)
    assert fix.supersedes == run.id and store.drafts() == [fix]
    with pytest.raises(NotFound):
        store.save_answer(new_id(), "x", 1)


def test_archive_moves_finished_records_and_they_read_back(tmp_path):
    data = tmp_path / "data"
    with Store.open(data) as store:
        run = store.create_inspection(CHECKLIST, Target("unit", "u1"))
        store.save_answer(run.id, "q", "yes")
        store.submit_inspection(run.id)
        case = store.create_case("repair", Target("unit", "u1"))
        store.set_case_status(case.id, "closed")
        still_open = store.create_case("repair", Target("unit", "u2"))
        assert store.archive() == 2
        active = orjson.loads((data / "active.json").read_bytes())
        assert set(active["inspection"]) == set()
        assert set(active["case"]) == {still_open.id}
        assert store.get_inspection(run.id).answers["q"].value == "yes"
    with Store.open(data) as store:
        assert store.get_case(case.id).status == "closed"
        reopened = store.reopen_case(case.id, note="leak is back")
        assert reopened.status_gen == 1
        assert {c.id for c in store.open_cases()} == {case.id, still_open.id}
        ids = [(e, d["id"]) for e, d in store.iter_records(["case"])]
        assert sorted(ids) == sorted([("case", case.id), ("case", still_open.id)])


def test_incident_timeline_and_links(store):
    incident = store.create_incident("rainstorm", place="B2 car park", severity="critical")
    store.add_timeline_entry(incident.id, "call", "called 119", at="2026-07-01T10:05:00.000Z")
    store.add_timeline_entry(incident.id, "note", "water rising", at="2026-07-01T10:00:00.000Z")
    run = store.create_inspection(CHECKLIST, Target("incident", incident.id))
    store.link_incident_inspection(incident.id, run.id)
    store.set_incident_status(incident.id, "contained")
    got = store.get_incident(incident.id)
    assert [e.text for e in got.timeline][:2] == ["water rising", "called 119"]
    assert got.inspections == [run.id] and got.status == "contained"
    with pytest.raises(ModelError):
        store.set_incident_status(incident.id, "active")


def test_apply_remote_merges_stores_cursor_and_is_idempotent(store):
    mine = store.create_case("repair", Target("unit", "u1"), category="leak")
    theirs = Case.from_dict(mine.to_dict())
    office = Clock("office", last=store.clock.last)
    theirs.set_field("assignee", "zhao", office.now())
    theirs.set_status("in_progress", office.now())
    store.update_case(mine.id, severity="critical")
    page = [
        {"entity": "case", "record": theirs.to_dict()},
        {"entity": "unit", "record": Unit(id="u9", site_id="s1", label="QR-9").to_dict()},
        {"entity": "checklist", "record": {"id": "fire.x", "version": 2, "hash": "h", "t": 1}},
        {"entity": "case", "record": {"id": "broken"}},
    ]
    result = store.apply_remote(page, "cursor-1")
    assert (result.merged, result.applied, len(result.refused)) == (1, 2, 1)
    assert store.cursor() == "cursor-1"
    merged = store.get_case(mine.id)
    assert (merged.assignee, merged.severity, merged.status) == ("zhao", "critical", "in_progress")
    assert store.get_reference("unit", "u9").label == "QR-9"
    assert store.get_checklist("fire.x")["t"] == 1
    assert store.clock.last > office.last  # the clock moved past what it saw
    again = store.apply_remote(page[:3], "cursor-1")
    assert (again.merged, again.unchanged) == (0, 1)
    assert store.get_case(mine.id).to_dict() == merged.to_dict()
    assert any(a["kind"] == "incoming" for a in store.needs_attention())


def test_apply_remote_refuses_a_changed_submitted_inspection(store):
    run = store.create_inspection(CHECKLIST, Target("unit", "u1"))
    store.save_answer(run.id, "q", "pass")
    done = store.submit_inspection(run.id)
    forged = done.to_dict()
    forged["answers"]["q"]["value"] = "fail"
    result = store.apply_remote([{"entity": "inspection", "record": forged}], "c")
    assert len(result.refused) == 1
    assert store.get_inspection(run.id).answers["q"].value == "pass"
    other = store.create_inspection(CHECKLIST, Target("unit", "u2")).to_dict()
    other["id"] = new_id()
    result = store.apply_remote([{"entity": "inspection", "record": other}], "d")
    assert "drafts" in result.refused[0]["reason"]
    assert len(store.drafts()) == 1


def test_reference_data_and_labels(tmp_path):
    with Store.open(tmp_path / "d") as store:
        store.put_reference("unit", [Unit(id="u1", site_id="s1", number="3-1201", label="U-1")])
        versions = [{"id": "fire.x", "version": v, "hash": h} for v, h in ((1, "a"), (10, "b"))]
        store.apply_remote([{"entity": "checklist", "record": r} for r in versions], "c1")
    with Store.open(tmp_path / "d") as store:
        unit = store.get_reference("unit", "u1")
        assert (unit.number, unit.label) == ("3-1201", "U-1")
        assert store.get_checklist("fire.x")["version"] == 10
        assert store.get_checklist("fire.x", 1)["hash"] == "a"
        store.apply_remote([{"entity": "unit", "id": "u1", "deleted": True}], "c2")
        assert store.get_reference("unit", "u1") is None


def test_blobs_by_hash_verified_and_required_before_reference(store, tmp_path):
    photo = tmp_path / "leak.jpg"
    photo.write_bytes(b"\xff\xd8 a photo of a leak")
    ref = store.put_blob(photo)
    assert ref.media_type == "image/jpeg" and ref.size == photo.stat().st_size
    assert store.read_blob(ref.sha256) == photo.read_bytes()
    case = store.create_case("repair", Target("unit", "u1"))
    store.add_case_event(case.id, "photo", attachments=[ref])
    ghost = type(ref)(sha256="0" * 64, size=1)
    with pytest.raises(BlobError):
        store.add_case_event(case.id, "photo", attachments=[ghost])
    assert len(store.get_case(case.id).events) == 1
    store.blob_path(ref.sha256).write_bytes(b"something else")
    with pytest.raises(BlobError) as err:
        store.read_blob(ref.sha256)
    assert err.value.key == "store.error.blob_corrupt"
    again = store.put_blob(photo)  # a good copy replaces the bad one
    assert store.read_blob(again.sha256) == photo.read_bytes()
    with pytest.raises(BlobError):
        store.put_blob(tmp_path / "missing.jpg")


def test_device_state_and_clock_persist(tmp_path):
    with Store.open(tmp_path / "d") as store:
        device = store.device_id
        store.create_case("repair", Target("unit", "u1"))
        last = store.clock.last
        store.set_device_state(server_url="https://office.example")
        with pytest.raises(ModelError):
            store.set_device_state(seq=0)
    with Store.open(tmp_path / "d") as store:
        assert store.device_id == device
        assert store.device_state()["server_url"] == "https://office.example"
        assert store.clock.now() > last


def test_transaction_groups_calls_into_one_write(store):
    run = store.create_inspection(CHECKLIST, Target("unit", "u1"))
    with pytest.raises(RuntimeError), store.transaction():
        store.save_answer(run.id, "a", 1)
        store.create_case("finding", Target("unit", "u1"), source_inspection=run.id)
        raise RuntimeError("stop")
    assert store.get_inspection(run.id).answers == {}
    assert store.open_cases() == [] and store.outbox_count() == 0
    with store.transaction():
        store.save_answer(run.id, "a", 1)
        case = store.create_case("finding", Target("unit", "u1"), source_inspection=run.id)
        store.link_case(run.id, case.id)
    assert store.get_inspection(run.id).cases == [case.id]
