"""An error that ends the app is kept in the device's log, not only printed on the terminal
as the app closes (nc17: a crash left no line in any log). The fault is put in on purpose: a
screen that raises, in the real app in a real terminal."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
import uuid

import pytest

from fieldkit.services.demo import generate
from tests.terminal import Pane

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")

SCRIPT = """
import sys
from pathlib import Path

from fieldkit.logs import setup_logging
from fieldkit.ui import app as fk
from fieldkit.ui.screens.home import HomeScreen


def broken(self):
    raise RuntimeError("a fault put in by the test")


HomeScreen.on_mount = broken
folder = Path(sys.argv[1])
setup_logging(folder)
fk.run_app(folder, lang="en")
print("APP ENDED")
"""


def test_an_error_that_ends_the_app_is_in_the_log(tmp_path):
    folder = tmp_path / "device"
    generate(folder, cases=0, floors=2)
    script = tmp_path / "broken_app.py"
    script.write_text(SCRIPT, "utf-8")
    socket = f"crash-{uuid.uuid4().hex[:8]}"
    command = f"{sys.executable} {script} {folder}; sleep 30"
    subprocess.run(["tmux", "-L", socket, "new-session", "-d", "-s", "app", "-x", "120", "-y",
                    "40", command], check=True)  # fmt: skip
    pane = Pane("app", socket, history=True, patience=60.0)
    try:
        pane.wait_for("APP ENDED")
    finally:
        pane.tmux("kill-server", check=False)
    log = folder / "logs" / "fieldkit.log"
    end = time.monotonic() + 10
    while "a fault put in by the test" not in log.read_text("utf-8") and time.monotonic() < end:
        time.sleep(0.1)
    text = log.read_text("utf-8")
    assert "the app ended on an error" in text and "RuntimeError" in text, text
