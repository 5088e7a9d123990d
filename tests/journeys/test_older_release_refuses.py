"""A laptop's fieldkit is put back to a release from before the answer journal while a
round's answers wait in the journal: the older release refuses the folder, in zh and en, and
the answers are there when the current release opens it again. Then the office runs
``fieldkit doctor`` on the laptop's folder while the app is open: it reads a snapshot and
finds nothing wrong.

Zhang Wei (巡逻岗 张伟) answers three items of the first due round on the demo (tmux,
120x40); the app is killed (a flat battery), so the answers are lines of
``active.json.journal`` not yet folded into ``active.json``. The older release is this
repository's tree before the journal (``tests/store/test_older_release.py``), started on the
patrol device's folder as its own app."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
import uuid

import pytest

from fieldkit.i18n import t
from fieldkit.store import journal
from tests.journeys.demo_pane import LANG, PICKER, answer, demo_pane, in_runner
from tests.journeys.test_answers_survive_a_kill import TITLE, _first_launch, _kill_app
from tests.store.test_older_release import export_older
from tests.terminal import Pane

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")


def _wait_for_wrapped(pane: Pane, message: str) -> str:
    """Until ``message`` is on the screen, however a notification wraps it (a long path is
    cut mid-word): screen and message are compared without their whitespace."""
    bare = "".join(message.split())
    end = time.monotonic() + pane.patience
    while time.monotonic() < end:
        screen = pane.text()
        if bare in "".join(line.strip(" ▌") for line in screen.splitlines()).replace(" ", ""):
            return screen
        time.sleep(0.1)
    raise AssertionError(f"{message!r} never appeared:\n{pane.text()}")


def _doctor(device, lang: str) -> str:
    env = {**os.environ, "FIELDKIT_DATA_DIR": str(device), "LANG": LANG[lang]}
    done = subprocess.run(
        [sys.executable, "-m", "fieldkit", "doctor"],
        env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout + done.stderr


def _older_app(tree, device, lang: str) -> Pane:
    socket = f"journey-{uuid.uuid4().hex[:8]}"
    env = {"FIELDKIT_DATA_DIR": str(device), "LANG": LANG[lang], "TERM": "xterm-256color",
           "PYTHONPATH": str(tree)}  # fmt: skip
    command = " ".join(f"{k}={v}" for k, v in env.items())
    command = f"cd {tree} && {command} {sys.executable} -m fieldkit; sleep 30"
    subprocess.run(
        ["tmux", "-L", socket, "new-session", "-d", "-s", "old", "-x", "120", "-y", "40",
         command],
        check=True, env={**os.environ, **env},
    )  # fmt: skip
    return Pane("old", socket, history=False, patience=60.0)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_an_older_release_refuses_a_laptop_with_answers_waiting(tmp_path, make_demo, lang):
    folder = tmp_path / "demo"
    device = folder / "patrol"
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
        _kill_app(pane)
    finally:
        pane.tmux("kill-server", check=False)
    waiting = journal.path_of(device / "active.json").read_bytes()
    assert len(waiting.splitlines()) == 3, "the answers are not waiting in the journal"

    old = _older_app(export_older(tmp_path / "older"), device, lang)
    try:
        # the older release's own words (its catalogue had the same message)
        refusal = t("store.error.newer_schema", lang, path=str(device / "active.json"),
                    found=2, known=1)  # fmt: skip
        screen = _wait_for_wrapped(old, refusal)
        assert "Traceback" not in screen
        old.keys("C-q")
    finally:
        old.tmux("kill-server", check=False)
    assert journal.path_of(device / "active.json").read_bytes() == waiting

    with demo_pane(tmp_path, folder, lang, "1") as pane:
        pane.wait_for(TITLE[lang])
        line = t("ui.home.draft_line", lang, title="", target="", done=3, total=0)
        heading, counted = t("ui.home.drafts", lang), line[3 : line.index("/0") + 1]
        screen = pane.wait_for(counted)
        carried = re.findall(r"(\d+)/\d+", screen.split(heading)[1].split("\n\n")[0])
        assert carried == ["3"], screen

        said = _doctor(device, lang)  # the office checks the laptop while the app is open
        snapshot = t("store.cli.snapshot", lang, pid="", command="")
        assert snapshot.split("）" if lang == "zh" else ")")[-1] in said, said
        assert t("store.doctor.summary_ok", lang) in said, said
        assert t("store.notice.journal_torn", lang, count=1) not in said, said
