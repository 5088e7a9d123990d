"""A night guard walks route 1 of the demo compound in a real terminal (tmux), in zh and en.

The round was begun 45 minutes ago and the first three checkpoints were scanned then (the
device restarted since: the guard carries the round on). On screen the pump room and the
south gate are past their time; an unknown NFC tag is refused and changes nothing; the south
gate's tag is read (late) by the scan that opens the patrol screen; the pump room is never
scanned (missed). ``fieldkit report handover`` then lists the round with both."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import uuid

import pytest

from fieldkit.model.qr import encode
from fieldkit.services import patrol
from fieldkit.services.demo import generate
from fieldkit.services.workspace import Workspace
from fieldkit.store import Store
from tests.terminal import Pane

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")

WORDS = {
    "en": {
        "home": "Unfinished cases",
        "resume": "Carry on: Night route 1",
        "overdue": "not scanned yet",
        "unknown": "is not registered to any checkpoint",
        "late": "min late",
        "missed": "Missed: PUMP",
        "handover": "missed: PUMP · off time: GATE-S +",
        "rounds": "Patrol rounds this shift (1)",
    },
    "zh": {
        "home": "未完结工单",
        "resume": "继续巡更：夜间巡更一线",
        "overdue": "还没打卡",
        "unknown": "没有哪个巡更点登记了标签",
        "late": "迟到",
        "missed": "漏检：PUMP",
        "handover": "漏检：PUMP · 未按时：GATE-S 迟到",
        "rounds": "本班巡更（1 次）",
    },
}


def begun_round(data) -> tuple[str, dict[str, str]]:
    """Route 1 begun 45' ago; gate, car park entrance (by its tag) and east bay scanned."""
    ws = Workspace.open(data)
    try:
        ws.sign_in("张伟")
        route = next(
            r for r in patrol.routes(ws) if r.extra["names"]["en"].startswith("Night route 1")
        )
        tags = {
            c.label: c.extra["tag"] for c in ws.store.reference("checkpoint") if c.extra.get("tag")
        }
        now = time.time()
        walk = patrol.start(ws, route.id, by=ws.actor, now=now - 45 * 60)
        patrol.scan(ws, walk.id, encode("checkpoint", "CH", "GATE-N"), now - 44 * 60)
        patrol.scan(ws, walk.id, tags["PARK-B1"], now - 36 * 60)
        patrol.scan(ws, walk.id, "PARK-B1-E", now - 30 * 60)
        return walk.id, tags
    finally:
        ws.close()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_night_round_with_one_point_missed_and_one_late(tmp_path, lang):
    words = WORDS[lang]
    data = tmp_path / "compound"
    generate(data, cases=5, floors=2)
    round_id, tags = begun_round(data)
    socket = f"rules-{uuid.uuid4().hex[:8]}"
    name = "night"
    env = {"FIELDKIT_DATA_DIR": str(data), "FIELDKIT_CONFIG": str(tmp_path / "none.toml"),
           "LANG": "en_US.UTF-8", "TERM": "xterm-256color"}  # fmt: skip
    command = " ".join(f"{k}={v}" for k, v in env.items())
    command += f" {sys.executable} -m fieldkit --lang {lang} app"
    subprocess.run(
        ["tmux", "-L", socket, "new-session", "-d", "-s", name, "-x", "130", "-y", "40", command],
        check=True, env={**os.environ, **env},
    )  # fmt: skip
    pane = Pane(name, socket)
    try:
        pane.wait_for(words["home"])
        pane.scan(tags["GATE-S"])  # any checkpoint's tag opens the patrol screen
        pane.wait_for(words["resume"])
        pane.keys("Enter")  # carry on: the scan that opened the screen is the south gate's
        screen = pane.wait_for(words["late"])
        pump = next(ln for ln in screen.splitlines() if "PUMP" in ln)
        assert words["overdue"] in pump
        with Store.open(data, readonly=True) as store:
            before = len(store.get("patrol_round", round_id).visits)
        pane.scan("04DEADBEEF0001")
        pane.wait_for(words["unknown"])
        pane.keys("f")
        pane.wait_for(words["missed"])
        pane.keys("C-q")
    finally:
        subprocess.run(["tmux", "-L", socket, "kill-server"], capture_output=True)

    with Store.open(data, readonly=True) as store:
        walked = store.get("patrol_round", round_id)
    assert before == 4 and [v.code for v in walked.visits] == [
        "GATE-N", "PARK-B1", "PARK-B1-E", "GATE-S",
    ]  # fmt: skip
    assert walked.status == "finished"
    assert walked.findings["missed"] == ["PUMP"] and walked.findings["late"] == ["GATE-S"]
    report = subprocess.run(
        [sys.executable, "-m", "fieldkit", "--lang", lang, "report", "handover"],
        capture_output=True, text=True, env={**os.environ, **env}, check=True,
    )  # fmt: skip
    assert words["rounds"] in report.stdout
    line = next(ln for ln in report.stdout.splitlines() if "PUMP" in ln)
    assert words["handover"] in line and "(张伟)" in line
