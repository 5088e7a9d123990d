"""``fieldkit export`` and ``fieldkit doctor`` on a real data folder, run as a user would."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
from pathlib import Path

import orjson
import pytest

from fieldkit.model import ChecklistRef, Target, Unit
from fieldkit.store import Store

CHECKLIST = ChecklistRef("fire.extinguisher.monthly", 3, "ab" * 32)


def fieldkit(data: Path, *args: str, lang: str = "en") -> subprocess.CompletedProcess:
    env = {**os.environ, "FIELDKIT_DATA_DIR": str(data), "LANG": f"{lang}.UTF-8"}
    return subprocess.run(
        [sys.executable, "-m", "fieldkit", *args], capture_output=True, text=True, env=env
    )


@pytest.fixture
def data(tmp_path) -> Path:
    folder = tmp_path / "data"
    with Store.open(folder) as store:
        photo = store.put_blob(b"\xff\xd8 extinguisher photo", name="ext.jpg")
        run = store.create_inspection(CHECKLIST, Target("asset", "ext-1"))
        store.save_answer(run.id, "pressure", 0.8, attachments=[photo])
        store.submit_inspection(run.id)
        draft = store.create_inspection(CHECKLIST, Target("asset", "ext-2"))
        store.save_answer(draft.id, "note", "灭火器被遮挡")
        case = store.create_case("finding", Target("asset", "ext-1"), title="low pressure")
        store.add_case_event(case.id, "photo", attachments=[photo])
        store.put_reference("unit", [Unit(id="u1", site_id="s1", number="3-1201")])
        checklist = {"id": CHECKLIST.id, "version": 3, "hash": CHECKLIST.hash}
        store.apply_remote([{"entity": "checklist", "record": checklist}], "c1")
    return folder


def test_export_jsonl_has_every_record_once(data):
    out = fieldkit(data, "export")
    assert out.returncode == 0, out.stderr
    rows = [orjson.loads(line) for line in out.stdout.splitlines()]
    kinds = sorted(r["entity"] for r in rows)
    assert kinds == ["case", "checklist", "inspection", "inspection", "unit"]
    assert len({r["record"]["id"] for r in rows}) == 5
    assert "Exported 5 records." in out.stderr


def test_export_csv_by_kind_to_a_file(data, tmp_path):
    target = tmp_path / "out.csv"
    out = fieldkit(data, "export", "--format", "csv", "--kind", "inspection", "--out", str(target))
    assert out.returncode == 0, out.stderr
    assert out.stdout == ""
    raw = target.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # the BOM: Excel reads it as UTF-8
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert sorted(r["Status"] for r in rows) == ["Draft", "Submitted"]
    assert sorted(r["Items answered"] for r in rows) == ["1", "1"]


def test_export_refuses_unknown_kind_and_missing_store(data, tmp_path):
    out = fieldkit(data, "export", "--kind", "cases")
    assert out.returncode == 2 and "Unknown kind 'cases'" in out.stderr
    assert "Traceback" not in out.stderr
    out = fieldkit(tmp_path / "nowhere", "export", lang="zh")
    assert out.returncode == 2 and "还没有 fieldkit 数据" in out.stderr


def test_doctor_clean_folder(data):
    out = fieldkit(data, "doctor")
    assert out.returncode == 0, out.stdout + out.stderr
    assert "No problems found." in out.stdout
    assert "attachments: 1 file(s)" in out.stdout


def test_doctor_finds_a_damaged_blob_and_a_missing_one(data):
    blobs = [p for p in (data / "blobs").rglob("*") if p.is_file()]
    blobs[0].write_bytes(b"not the photo")
    out = fieldkit(data, "doctor")
    assert out.returncode == 1
    assert "is damaged" in out.stdout and "1 problem found." in out.stdout
    blobs[0].unlink()
    out = fieldkit(data, "doctor", lang="zh")
    assert out.returncode == 1
    # Named by changes not sent yet: the office may not have it either, so it is lost.
    assert "已丢失" in out.stdout and "待发送的修改用到了它" in out.stdout


def test_doctor_reports_a_damaged_file_and_recovers_the_previous(data):
    (data / "active.json").write_bytes(b"{ torn")
    out = fieldkit(data, "doctor")
    assert out.returncode == 1
    assert "was damaged" in out.stdout
    out = fieldkit(data, "doctor")  # a fallback stays a problem until a person confirms it
    assert out.returncode == 1 and "was damaged" in out.stdout, out.stdout


def test_doctor_finds_an_inconsistent_outbox(data):
    doc = orjson.loads((data / "active.json").read_bytes())
    entry = next(iter(doc["outbox"].values()))
    entry["seq"] = 999
    (data / "active.json").write_bytes(orjson.dumps(doc))
    out = fieldkit(data, "doctor")
    assert out.returncode == 1 and "outbox entry" in out.stdout


def test_doctor_and_export_read_a_snapshot_while_the_app_runs(data):
    with Store.open(data, command="fieldkit app"):
        out = fieldkit(data, "doctor")
        assert out.returncode == 0, out.stdout
        assert "reading a snapshot" in out.stdout
        out = fieldkit(data, "export", "--kind", "case")
        assert out.returncode == 0 and len(out.stdout.splitlines()) == 1


def test_export_says_which_file_is_ruined(data):
    [month] = (data / "archive").glob("*.json")
    month.write_bytes(b"\x00ruined")
    out = fieldkit(data, "export")
    assert out.returncode == 1
    assert "cannot be read" in out.stderr and month.name in out.stderr
    assert "Traceback" not in out.stderr
    out = fieldkit(data, "doctor")
    assert out.returncode == 1 and "Traceback" not in out.stderr, out.stderr
    assert month.name in out.stdout
