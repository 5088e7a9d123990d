"""An older fieldkit on a folder this one wrote: it refuses the folder and loses nothing; and
upgrading a folder an older fieldkit wrote rewrites ``active.json`` only.

The older release is the tree just before the answer journal (:data:`OLDER`, the parent of
8a5668d), exported from this checkout's git history and run as its own process, its
``fieldkit`` package first on the path. It reads ``active.json`` alone: a draft whose
answers wait in the journal would look empty to it. What stops it is the schema number of
``active.json`` (2 since the journal), which every release checks before reading a record.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
import tarfile
from pathlib import Path

import orjson
import pytest

from fieldkit.model import ChecklistRef, Target
from fieldkit.store import Store, journal
from fieldkit.store.doctor import diagnose

OLDER = "7c0d334a19af78a066420caf58f55c0365313ecc"
ROOT = Path(__file__).resolve().parents[2]
CHECKLIST = ChecklistRef("fire.extinguisher.monthly", 3, "ab" * 32)
REFUSAL = (
    "was written by a newer fieldkit (data version 2; this one knows up to 1). "
    "Update fieldkit on this device."
)


def export_older(dest: Path) -> Path:
    """The older release's ``fieldkit`` package under ``dest`` (skips the test when this
    checkout has no such history, e.g. a shallow clone)."""
    try:
        tar = subprocess.run(
            ["git", "-C", str(ROOT), "archive", OLDER, "fieldkit"],
            capture_output=True,
            check=True,
        ).stdout
    except (OSError, subprocess.CalledProcessError) as exc:
        pytest.skip(f"the release before the journal is not in this checkout's history: {exc}")
    with tarfile.open(fileobj=io.BytesIO(tar)) as archive:
        archive.extractall(dest, filter="data")
    return dest


@pytest.fixture(scope="module")
def older(tmp_path_factory) -> Path:
    return export_older(tmp_path_factory.mktemp("older"))


def _run_older(tree: Path, data: Path, *args: str, code: str | None = None):
    env = {
        **os.environ,
        "PYTHONPATH": str(tree),
        "FIELDKIT_DATA_DIR": str(data),
        "LANG": "en_US.UTF-8",
    }
    command = ["-c", code, str(data)] if code else ["-m", "fieldkit", "--lang", "en", *args]
    done = subprocess.run(
        [sys.executable, *command], cwd=tree, env=env, capture_output=True, text=True, timeout=300
    )
    return done


# Run by the older release: open the store as its app does, say what the drafts hold.
OPEN_AND_LIST = """
import os, sys, fieldkit
from fieldkit.store import Store, StoreError
assert fieldkit.__file__.startswith(os.getcwd()), fieldkit.__file__  # the older tree's
try:
    store = Store.open(sys.argv[1])
except StoreError as exc:
    print('refused', exc.key)
    raise SystemExit(3)
print('drafts', *sorted(f'{d.id}:{len(d.answers)}' for d in store.drafts()))
store.close()
"""

# Run by the older release: a folder with a submitted run and a closed case archived by
# month, and reference data.
MAKE_HISTORY = """
import os, sys, fieldkit
from fieldkit.model import ChecklistRef, Target
from fieldkit.store import Store
assert fieldkit.__file__.startswith(os.getcwd()), fieldkit.__file__
store = Store.open(sys.argv[1])
ref = ChecklistRef("fire.extinguisher.monthly", 3, "ab" * 32)
run = store.create_inspection(ref, Target("unit", "u1"))
store.save_answer(run.id, "pressure", 1.2)
store.submit_inspection(run.id)
case = store.create_case("repair", Target("unit", "u1"), title="漏水")
store.set_case_status(case.id, "closed")
store.put_reference("site", [{"id": "s1", "name": "Garden Court"}])
store.archive()
store.close()
print(run.id, case.id)
"""


def _stamps(data: Path, pattern: str) -> dict[str, tuple]:
    """Every file matching ``pattern``: inode, modification time, bytes (a rewrite changes
    the first two even when the bytes come out the same)."""
    return {
        str(p.relative_to(data)): (p.stat().st_ino, p.stat().st_mtime_ns, p.read_bytes())
        for p in data.glob(pattern)
    }


def test_an_older_release_refuses_a_folder_with_answers_in_the_journal(older, tmp_path):
    data = tmp_path / "d"
    with Store.open(data) as store:
        run = store.create_inspection(CHECKLIST, Target("unit", "u1")).id
        for key in ("q1", "q2", "q3"):
            store.save_answer(run, key, "pass")
    assert len(journal.path_of(data / "active.json").read_bytes().splitlines()) == 3
    before = _stamps(data, "active.json*")

    opened = _run_older(older, data, code=OPEN_AND_LIST)
    assert (opened.returncode, opened.stdout.strip()) == (3, "refused store.error.newer_schema")
    doctor = _run_older(older, data, "doctor")
    assert REFUSAL in doctor.stdout, doctor.stdout + doctor.stderr
    export = _run_older(older, data, "export")
    assert export.returncode != 0 and REFUSAL in export.stderr, export.stderr
    assert "Traceback" not in doctor.stderr + export.stderr

    assert _stamps(data, "active.json*") == before  # the older release changed nothing
    with Store.open(data) as store:
        assert set(store.get_inspection(run).answers) == {"q1", "q2", "q3"}

    # What the number prevents: with schema 1 the older release opens the folder and shows
    # the draft without the journal's answers.
    doc = orjson.loads((data / "active.json").read_bytes())
    doc["_meta"]["1"]["schema"] = 1
    (data / "active.json").write_bytes(orjson.dumps(doc))
    assert journal.path_of(data / "active.json").read_bytes()  # the answers still wait there
    opened = _run_older(older, data, code=OPEN_AND_LIST)
    assert opened.stdout.split() == ["drafts", f"{run}:0"], opened.stdout + opened.stderr


def test_upgrading_a_folder_an_older_release_wrote_rewrites_only_active_json(older, tmp_path):
    data = tmp_path / "d"
    made = _run_older(older, data, code=MAKE_HISTORY)
    assert made.returncode == 0, made.stderr
    run, case = made.stdout.split()
    history = {**_stamps(data, "archive/*"), **_stamps(data, "reference.json*")}
    assert any(name.startswith("archive/") for name in history)
    assert "reference.json" in history
    assert orjson.loads((data / "active.json").read_bytes())["_meta"]["1"]["schema"] == 1

    with Store.open(data) as store:  # the upgrade: active.json written with version 2
        assert store.notices == []
        assert store.get_inspection(run).status == "submitted"
        assert store.get_case(case).status == "closed"
    assert orjson.loads((data / "active.json").read_bytes())["_meta"]["1"]["schema"] == 2
    report = diagnose(data)  # opens every month and the reference data
    assert report.problems == []
    assert {**_stamps(data, "archive/*"), **_stamps(data, "reference.json*")} == history

    opened = _run_older(older, data, code=OPEN_AND_LIST)
    assert opened.stdout.strip() == "refused store.error.newer_schema"
