"""The demo (every role, its office server) in a real terminal for a journey test: made by
``demo_office.make`` and run with ``python -m fieldkit demo`` in a tmux session of the
test's own tmux server, in the reader's language."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from fieldkit.i18n import t
from tests.terminal import Pane

LANG = {"zh": "zh_CN.UTF-8", "en": "en_US.UTF-8"}
PICKER = {"zh": "选择岗位：以谁的身份使用演示", "en": "Choose a role: who you are in the demo"}
STOPPED = {"zh": "演示办公室服务器已停止", "en": "the demo office server has stopped"}
#: The runner's head: how many items are answered.
ANSWERED = {"zh": re.compile(r"已答 (\d+)/\d+"), "en": re.compile(r"(\d+)/\d+ answered")}


@contextmanager
def demo_pane(
    tmp_path: Path, folder: Path, lang: str, role_key: str, size: tuple[int, int] = (120, 40),
    tz: str = "",
) -> Iterator[Pane]:  # fmt: skip
    """The demo in ``folder``, opened as the role picked by ``role_key`` (1 patrol, 2
    renovation inspector ...), on a laptop whose clock is set to ``tz`` if given (``UTC``:
    a laptop left on UTC, which must still show the compound's time); on leaving, the app
    is quit (the office server stops with it) and the tmux server is ended."""
    socket, name = f"journey-{uuid.uuid4().hex[:8]}", "demo"
    env = {"FIELDKIT_DATA_DIR": str(tmp_path / "data"),
           "FIELDKIT_CONFIG": str(tmp_path / "no.toml"),
           "LANG": LANG[lang], "TERM": "xterm-256color", **({"TZ": tz} if tz else {})}  # fmt: skip
    command = " ".join(f"{k}={v}" for k, v in env.items())
    command += f" {sys.executable} -m fieldkit demo --folder {folder}; sleep 30"
    width, height = size
    subprocess.run(
        ["tmux", "-L", socket, "new-session", "-d", "-s", name, "-x", str(width),
         "-y", str(height), command],
        check=True, env={**os.environ, **env},
    )  # fmt: skip
    pane = Pane(name, socket, history=False, patience=60.0)
    try:
        pane.wait_for(PICKER[lang])
        pane.keys(role_key)
        yield pane
        pane.keys("C-q")
        pane.history = True
        pane.wait_for(STOPPED[lang])
    finally:
        pane.tmux("kill-server", check=False)


def lines_with(screen: str, needle: str) -> list[str]:
    return [line for line in screen.splitlines() if needle in line]


def answered(pane: Pane, lang: str) -> int | None:
    """The runner head's count of answered items; None when no runner is shown."""
    found = ANSWERED[lang].search(pane.text().split("\n", 3)[1] if pane.text() else "")
    return int(found.group(1)) if found else None


def wait_counted(pane: Pane, lang: str, before: int) -> None:
    """Until the runner counts more answered than ``before`` (an answer taken as offered)."""
    _counted(pane, lang, before, "the answer")


def _counted(pane: Pane, lang: str, before: int, what: str) -> None:
    end = time.monotonic() + pane.patience
    while time.monotonic() < end:
        now = answered(pane, lang)
        if now is None or now > before:
            return
        time.sleep(0.05)
    raise AssertionError(f"{what!r} was never counted as answered:\n{pane.text()}")


def in_runner(pane: Pane, lang: str) -> int:
    """Wait for the runner's head (a round opening); how many items it counts answered."""
    end = time.monotonic() + pane.patience
    while time.monotonic() < end:
        count = answered(pane, lang)
        if count is not None:
            return count
        time.sleep(0.05)
    raise AssertionError(f"no round is shown:\n{pane.text()}")


def start_on_card(pane: Pane, lang: str, checklist: str) -> None:
    """On a place's card, Enter on ``checklist`` once it is listed under the card's
    checklists, as a person does. Its name alone is no sign: the card's last inspections
    name it too, and under load they were drawn before the checklists were found, so Enter
    came with nothing to start (CI)."""
    heading = re.escape(t("registry.card.checklists", lang))
    pane.wait_match(heading + r"\s*\n\s*" + re.escape(checklist))
    pane.keys("Enter")
    in_runner(pane, lang)


def answer(pane: Pane, lang: str, *keys: str) -> None:
    """Answer the items shown one key each, as a person does: the next key once the head
    counts the answer (or the review opened after the last one)."""
    for key in keys:
        before = in_runner(pane, lang)
        pane.keys(key)
        _counted(pane, lang, before, key)


def answer_typed(pane: Pane, lang: str, text: str, ask: str = "", asked: str = "") -> None:
    """Type an answer and Enter, then wait until it is counted: into the entry box, or
    into the dialog that key ``ask`` opens (``asked``: what the dialog says)."""
    before = in_runner(pane, lang)
    if ask:
        pane.keys(ask)
        pane.wait_for(asked)
    pane.typed(text)
    _counted(pane, lang, before, text)


def palette(pane, typed: str, shown: str) -> None:
    """Run a command from the command palette as a person does: ctrl+p, type, and press
    Enter once the list shows the command (``shown``): Enter before the search has answered
    runs whatever the list held first."""
    from fieldkit.i18n import t

    pane.keys("C-p")
    # typed before the palette is up, the letters would go to the screen under it (c on a
    # case shows a phone number): wait for its search box, in either language
    boxes = {t("ui.palette.placeholder", lang) for lang in ("zh", "en")}
    give_up = time.monotonic() + pane.patience
    while not any(box in pane.text() for box in boxes) and time.monotonic() < give_up:
        time.sleep(0.05)
    pane.tmux("send-keys", "-t", pane.name, "-l", typed)
    pane.wait_for(shown)
    # the search answers letter by letter: under load the command can show while the list
    # is still being redrawn for the last letters, with another command first (Enter then
    # ran the case list): wait until the screen holds still with the command on it
    before, give_up = pane.text(), time.monotonic() + pane.patience
    while time.monotonic() < give_up:
        time.sleep(0.3)
        now = pane.text()
        if now == before and shown in now:
            break
        before = now
    pane.keys("Enter")
