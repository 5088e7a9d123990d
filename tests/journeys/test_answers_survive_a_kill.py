"""Answers the runner counted survive the laptop's process being killed, in zh and en, on
the demo in a real terminal (tmux, 120x40).

Zhang Wei (巡逻岗 张伟) opens the first due round and answers three items; the runner's head
counts each once it is saved (each one line of the answer journal, ``store/journal.py``, not
yet folded into ``active.json``). The app is then killed with SIGKILL — a flat battery, a
crash — and started again: home offers the round as in progress with its three answers, and
the store holds each once, with its value, and the journal folded."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import uuid

import pytest

from fieldkit.i18n import t
from fieldkit.store import Store, journal
from tests.journeys.demo_pane import LANG, PICKER, answer, demo_pane, in_runner
from tests.terminal import Pane

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")

TITLE = {"zh": "fieldkit 演示 — 巡逻岗 · 张伟", "en": "fieldkit demo — Patrol · Zhang Wei"}


def _children(pid: int) -> list[int]:
    out = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout
    return [int(p) for p in out.split()]


def _kill_app(pane: Pane) -> None:
    """SIGKILL the app (the pane's shell's child); then end the demo office server it had
    started, which a killed app cannot stop."""
    shell = int(pane.tmux("display", "-p", "-t", pane.name, "#{pane_pid}").strip())
    (app,) = _children(shell)
    helpers = _children(app)
    os.kill(app, signal.SIGKILL)
    for pid in helpers:
        os.kill(pid, signal.SIGTERM)


def _first_launch(tmp_path, folder, lang: str) -> Pane:
    """The demo in its own tmux server, with nothing after it: the kill is its end."""
    socket = f"journey-{uuid.uuid4().hex[:8]}"
    env = {"FIELDKIT_DATA_DIR": str(tmp_path / "data"),
           "FIELDKIT_CONFIG": str(tmp_path / "no.toml"),
           "LANG": LANG[lang], "TERM": "xterm-256color"}  # fmt: skip
    command = " ".join(f"{k}={v}" for k, v in env.items())
    command += f" {sys.executable} -m fieldkit demo --folder {folder}; sleep 30"
    subprocess.run(
        ["tmux", "-L", socket, "new-session", "-d", "-s", "demo", "-x", "120", "-y", "40",
         command],
        check=True, env={**os.environ, **env},
    )  # fmt: skip
    return Pane("demo", socket, history=False, patience=60.0)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_answers_counted_as_saved_survive_a_kill(tmp_path, make_demo, lang):
    folder = tmp_path / "demo"
    make_demo(folder, cases=5, lang=lang, floors=2)
    pane = _first_launch(tmp_path, folder, lang)
    try:
        pane.wait_for(PICKER[lang])
        pane.keys("1")
        pane.wait_for(TITLE[lang])
        pane.wait_for(t("ui.home.overdue", lang))
        pane.keys("Enter")  # the first due round
        in_runner(pane, lang)
        answer(pane, lang, "1", "1", "f")  # in its place, portable, not easy to reach
        assert in_runner(pane, lang) == 3
        lines = journal.path_of(folder / "patrol" / "active.json").read_bytes().splitlines()
        assert len(lines) == 3, "the answers were not journaled"
        _kill_app(pane)
    finally:
        pane.tmux("kill-server", check=False)

    with demo_pane(tmp_path, folder, lang, "1") as pane:
        pane.wait_for(TITLE[lang])
        line = t("ui.home.draft_line", lang, title="", target="", done=3, total=0)
        heading, counted = t("ui.home.drafts", lang), line[3 : line.index("/0") + 1]
        screen = pane.wait_for(counted)  # "(3/" of "(3/22 answered)", "（已答 3/" in zh
        carried = re.findall(r"(\d+)/\d+", screen.split(heading)[1].split("\n\n")[0])
        assert carried == ["3"], screen

    store = Store.open(folder / "patrol")
    try:
        (draft,) = store.drafts()
        answers = {k.split("@")[0]: a.value for k, a in draft.answers.items()}
        assert answers == {"in_place": "here", "unit_type": "portable", "access_visible": "fail"}
    finally:
        store.close()
