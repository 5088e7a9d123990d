"""End to end in a real terminal: tmux runs bare ``fieldkit`` on a demo folder; a scanner-style
burst opens an extinguisher, the round is answered by keys (the failed item's note pasted in
one burst, as an input method commits a phrase: text, never a scan), submitted, and the store
checked."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from fieldkit.checklists.runtime import evaluate_run
from fieldkit.services.catalog import load_checklists
from fieldkit.services.demo import generate
from fieldkit.store import Store
from tests.terminal import Pane

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")
CHECKLIST = "fire.extinguisher.monthly"
ASSET = "EXT-1-1-1"
FAILING = "access_visible"
NOTE = "Bikes parked in front, moved 21:40"


def plan(checklist, asset, photo: Path) -> list[tuple[str, list[str]]]:
    """The keys a patroller presses, step by step, as the runner will walk the checklist."""
    answers: dict[str, dict[str, object]] = {}
    out = []
    visited: set[tuple[str, str]] = set()
    current = None
    while True:
        state = evaluate_run(checklist, answers, [asset])
        shown = [s for s in state.items if s.visible]
        keys = [(s.pass_key, s.item.id) for s in shown]
        start = keys.index(current) + 1 if current in keys else 0
        todo = [
            s for s in shown[start:] if not s.answered and (s.pass_key, s.item.id) not in visited
        ]
        if not todo:
            return out
        s = todo[0]
        item = s.item
        current = (s.pass_key, item.id)
        visited.add(current)
        bucket = answers.setdefault(s.pass_key, {})
        if item.type == "check":
            bucket[item.id] = "fail" if item.id == FAILING else "pass"
            out.append((item.id, ["t", "burst:" + NOTE, "f"] if item.id == FAILING else ["p"]))
        elif item.type == "choice":
            bucket[item.id] = item.options[0].id
            out.append((item.id, ["1"]))
        elif item.type == "multi":
            bucket[item.id] = [item.options[0].id]
            out.append((item.id, ["1", "Enter"]))
        elif item.type == "photo":
            bucket[item.id] = "x"
            out.append((item.id, ["c", "Enter"]))  # the newest in the camera folder; on
        elif item.type == "date":
            bucket[item.id] = "2026-01-05"
            out.append((item.id, ["text:2026-01-05"]))
        elif item.type == "number":
            low, high = item.expect or item.range or (0, 0)
            value = low if low is not None else (high or 0)
            bucket[item.id] = value
            out.append((item.id, [f"text:{value:g}"]))
        else:
            bucket[item.id] = "bikes parked in front"
            out.append((item.id, ["text:bikes parked in front"]))


def test_round_in_a_real_terminal(tmp_path):
    data = tmp_path / "compound"
    generate(data, cases=5, floors=2)
    photo = tmp_path / "camera" / "IMG_0001.jpg"
    photo.parent.mkdir()
    photo.write_bytes(b"\xff\xd8fake jpeg bytes")
    checklist = load_checklists(data)[CHECKLIST]
    store = Store.open(data)
    asset = next(a for a in store.reference("asset") if a.label == ASSET)
    store.close()
    steps = plan(checklist, {**asset.extra, "id": asset.id, "kind": asset.kind}, photo)

    name = f"fk-{uuid.uuid4().hex[:8]}"
    config = tmp_path / "config.toml"
    config.write_text(f'watch_folder = "{photo.parent}"\n', "utf-8")
    env = {"FIELDKIT_DATA_DIR": str(data), "FIELDKIT_CONFIG": str(config),
           "LANG": "en_US.UTF-8", "TERM": "xterm-256color"}  # fmt: skip
    command = " ".join(f"{k}={v}" for k, v in env.items())
    command += f" {sys.executable} -m fieldkit"  # bare: a terminal opens the app
    subprocess.run(
        ["tmux", "new-session", "-d", "-s", name, "-x", "120", "-y", "40", command],
        check=True, env={**os.environ, **env},
    )  # fmt: skip
    pane = Pane(name)
    try:
        pane.wait_for("Unfinished cases")
        # a scanner: the whole code and Enter in one write
        pane.tmux("send-keys", "-t", name, "-l", ASSET + "\r")
        pane.wait_for("Checklists for this place")
        screen = pane.wait_for(checklist.title.get("en"))
        assert ASSET in screen
        pane.keys("Enter")
        pane.wait_for("answered")
        for _item_id, keys in steps:
            for key in keys:
                if key.startswith("text:"):
                    pane.typed(key[5:])
                elif key.startswith("burst:"):
                    pane.scan(key[6:])  # the line and Enter in one write
                    pane.wait_for(key[6:])  # the note under its item, not a scan message
                else:
                    pane.keys(key)
        screen = pane.wait_for("Submitting raises 1 case")
        assert "Security" in screen
        pane.keys("C-s")
        pane.wait_for("Submitted. 1 case raised.")
        pane.keys("C-q")
        end = time.monotonic() + 10
        while time.monotonic() < end and pane.alive():
            time.sleep(0.1)
        assert not pane.alive(), "ctrl+q did not quit the app"
    finally:
        subprocess.run(["tmux", "kill-session", "-t", name], capture_output=True)

    store = Store.open(data)
    try:
        (inspection,) = [
            doc for _, doc in store.iter_records(["inspection"]) if doc["target"]["id"] == asset.id
        ]
        assert inspection["status"] == "submitted"
        assert inspection["answers"][FAILING]["value"] == "fail"
        assert inspection["answers"][FAILING]["note"] == NOTE
        assert store.read_blob(inspection["answers"]["photo"]["value"][0]) == photo.read_bytes()
        (case_id,) = inspection["cases"]
        case = store.get_case(case_id)
        assert (case.department, case.source_item, case.status) == ("security", FAILING, "open")
    finally:
        store.close()
