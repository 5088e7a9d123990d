"""The demo with every role, in a real terminal: ``fieldkit demo`` asks who you are, the title
names the person and the role, F12 switches to another role's device, and a case the
patroller raised has reached the service desk through the demo's office server."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
import uuid

import pytest
import requests

from fieldkit.model import Target
from fieldkit.services import demo_office as demo
from fieldkit.services.cases import iso
from fieldkit.services.workspace import Workspace
from tests.terminal import Pane

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")

WORDS = {
    "zh": {"picker": "选择岗位：以谁的身份使用演示", "patrol": "fieldkit 演示 — 巡逻岗 · 张伟",
           "desk": "fieldkit 演示 — 客服岗 · 刘洋", "line": "4  客服岗 — 刘洋",
           "title": "3号楼2单元消防通道被电动车堵住", "stopped": "演示办公室服务器已停止",
           "export": "export FIELDKIT_DATA_DIR=", "cases": "未完结工单", "lang": "zh_CN.UTF-8"},
    "en": {"picker": "Choose a role: who you are in the demo",
           "patrol": "fieldkit demo — Patrol · Zhang Wei",
           "desk": "fieldkit demo — Service desk · Liu Yang", "line": "4  Service desk — Liu Yang",
           "title": "Fire lane blocked by e-bikes",  # one line in the Problem column
           "stopped": "the demo office server has stopped", "export": "export FIELDKIT_DATA_DIR=",
           "cases": "Unfinished cases", "lang": "en_US.UTF-8"},
}  # fmt: skip


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_pick_a_role_switch_and_see_the_synced_case(tmp_path, make_demo, lang):
    words = WORDS[lang]
    folder = tmp_path / "demo"
    make_demo(folder, cases=10, lang=lang)
    patrol = Workspace.open(folder / "patrol")
    try:
        unit = patrol.store.reference("unit")[0]
        patrol.store.create_case(
            "finding", Target("unit", unit.id), by=patrol.actor, title=words["title"],
            severity="critical", department="security",
            due=iso(time.time() - 30 * 86400),  # the most overdue: first on every home
        )  # fmt: skip
    finally:
        patrol.close()

    socket, name = f"roles-{uuid.uuid4().hex[:8]}", "demo"
    env = {"FIELDKIT_DATA_DIR": str(tmp_path / "data"),
           "FIELDKIT_CONFIG": str(tmp_path / "no.toml"),
           "LANG": words["lang"], "TERM": "xterm-256color"}  # fmt: skip
    command = " ".join(f"{k}={v}" for k, v in env.items())
    command += f" {sys.executable} -m fieldkit demo --folder {folder}; sleep 30"
    subprocess.run(
        ["tmux", "-L", socket, "new-session", "-d", "-s", name, "-x", "120", "-y", "40", command],
        check=True, env={**os.environ, **env},
    )  # fmt: skip
    pane = Pane(name, socket, history=True, patience=60.0)
    try:
        screen = pane.wait_for(words["picker"])
        assert words["line"] in screen
        pane.keys("1")  # the patroller: the device it was already on
        screen = pane.wait_for(words["patrol"])
        pane.wait_for(words["title"])  # the case the patroller raised, on its own home
        pane.keys("F12")
        pane.wait_for(words["picker"])
        pane.keys("4")
        screen = pane.wait_for(words["desk"])
        screen = pane.wait_for(words["title"])  # reached the desk through the office
        assert words["cases"] in screen
        pane.keys("C-q")
        pane.wait_for(words["stopped"])
        screen = pane.wait_for(words["export"] + str(folder / "desk"))  # printed after it
        url = re.search(r"http://127\.0\.0\.1:\d+", screen).group(0)
        with pytest.raises(requests.ConnectionError):  # the office stopped with the demo
            requests.get(url + "/v1/health", timeout=2)
    finally:
        pane.tmux("kill-server")
    assert demo.read_layout(folder).last == "desk"
    # nc14: README says each device logs in its own folder; the logs went to the user's
    for log in (folder / "patrol", folder / "desk", folder):
        assert (log / "logs" / "fieldkit.log").is_file(), log
    # nc15: ~44 "GET /v1/health failed (refused)" warnings while the office server started
    assert "/v1/health failed" not in (folder / "logs" / "fieldkit.log").read_text("utf-8")
    pictures = sorted(p.name for p in (folder / "camera").iterdir())  # what c attaches
    assert pictures == ["IMG_0001.png", "IMG_0002.png", "IMG_0003.png"]
    assert all((folder / "camera" / p).read_bytes().startswith(b"\x89PNG") for p in pictures)
    desk = Workspace.open(folder / "desk")
    try:
        (case,) = [c for c in desk.store.open_cases() if c.title == words["title"]]
        assert case.created_by == demo.PEOPLE["patrol"][lang]
    finally:
        desk.close()


def _running(pattern: str) -> list[str]:
    found = subprocess.run(["pgrep", "-f", pattern], capture_output=True, text=True)
    return found.stdout.split()


def test_closing_the_terminal_stops_the_demo_and_its_office(tmp_path, make_demo):
    """A laptop's terminal window closed on the demo: the app, the demo and its office server
    all end (the app is asked to close, so nothing is left reading a dead terminal)."""
    folder = tmp_path / "demo"
    make_demo(folder, cases=5, lang="en")
    socket, name = f"hangup-{uuid.uuid4().hex[:8]}", "demo"
    env = {"FIELDKIT_DATA_DIR": str(tmp_path / "data"),
           "FIELDKIT_CONFIG": str(tmp_path / "no.toml"),
           "LANG": "en_US.UTF-8", "TERM": "xterm-256color"}  # fmt: skip
    command = " ".join(f"{k}={v}" for k, v in env.items())
    command += f" {sys.executable} -m fieldkit demo --folder {folder} --role patrol"
    subprocess.run(
        ["tmux", "-L", socket, "new-session", "-d", "-s", name, "-x", "120", "-y", "40", command],
        check=True, env={**os.environ, **env},
    )  # fmt: skip
    pane = Pane(name, socket, patience=60.0)
    try:
        pane.wait_for("fieldkit demo — Patrol")
        assert _running(str(folder))  # the demo and its office server
    finally:
        pane.tmux("kill-server")  # the window is closed: the terminal hangs up
    end = time.monotonic() + 30
    while time.monotonic() < end and _running(str(folder)):
        time.sleep(0.2)
    assert _running(str(folder)) == [], "something of the demo outlived its terminal"
