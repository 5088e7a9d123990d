"""The fire control room's duty log on the demo, in a real terminal (tmux), in zh and en.

The log was last filled in five hours ago. The patroller's home lists it as late, by how
much; the patroller's device has raised the missed two-hour slot as a finding, which the
compound's card shows. The patroller fills the log in from the compound's card (the second
person on duty by name) and submits it: it is no longer late. Switched to the office
supervisor (F12, 5), the compound's card shows the missed slot there too, through the
demo's office server."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import uuid

import pytest

from tests.terminal import Pane

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")

WORDS = {
    "zh": {"lang": "zh_CN.UTF-8", "patrol": "fieldkit 演示 — 巡逻岗 · 张伟",
           "office": "fieldkit 演示 — 办公室主管 · 陈静", "picker": "选择岗位",
           "log": "消防控制室值班记录 — 翠湖苑", "late": "· 超期 ", "overdue": "已超期",
           "start": "开始巡检", "site": "小区  翠湖苑",
           "missed": "漏检：消防控制室值班记录，", "head": "已答 {n}/9",
           "review": "核对：消防控制室值班记录", "second": "赵刚", "due": "待检与超期",
           "last": "上次 "},
    "en": {"lang": "en_US.UTF-8", "patrol": "fieldkit demo — Patrol · Zhang Wei",
           "office": "fieldkit demo — Office supervisor · Chen Jing",
           "picker": "Choose a role", "log": "Fire control room duty log — Cuihu Garden",
           "late": "· overdue ", "overdue": "Overdue", "start": "Start a round",
           "site": "Compound  Cuihu Garden", "missed": "Missed: Fire control room duty log, ",
           "head": "{n}/9 answered", "review": "Review: Fire control room duty log",
           "second": "Zhao Gang", "due": "Due and overdue", "last": "last done "},
}  # fmt: skip


def _late(screen: str, words: dict[str, str]) -> bool:
    return any(words["log"] in ln and words["late"] in ln for ln in screen.splitlines())


def _until(pane: Pane, holds, timeout: float = 60.0) -> str:
    """Wait until what the screen shows satisfies ``holds`` (the home redraws in a worker)."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        screen = pane.text()
        if holds(screen):
            return screen
        time.sleep(0.1)
    raise AssertionError(f"the screen never changed as expected:\n{pane.text()}")


def _open_compound(pane: Pane, words: dict[str, str]) -> str:
    """Find the compound by its code and open its card; the card's screen."""
    pane.keys("s")
    pane.wait_for(words["start"])
    pane.tmux("send-keys", "-t", pane.name, "-l", "CH")
    pane.wait_for(words["site"])
    pane.keys("Enter")  # the compound's own code, typed whole: its card at once
    # the card's line: the title, then when it was last done here (not the home's due row)
    return pane.wait_for(words["log"].split(" — ")[0] + "    " + words["last"])


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_duty_log_is_late_filled_in_and_its_missed_slot_reaches_the_office(
    tmp_path, make_demo, lang
):
    words = WORDS[lang]
    folder = tmp_path / "demo"
    make_demo(folder, cases=10, lang=lang)
    socket, name = f"duty-{uuid.uuid4().hex[:8]}", "demo"
    env = {"FIELDKIT_DATA_DIR": str(tmp_path / "data"),
           "FIELDKIT_CONFIG": str(tmp_path / "no.toml"),
           "LANG": words["lang"], "TERM": "xterm-256color"}  # fmt: skip
    command = " ".join(f"{k}={v}" for k, v in env.items())
    command += f" {sys.executable} -m fieldkit demo --folder {folder} --role patrol; sleep 30"
    subprocess.run(
        ["tmux", "-L", socket, "new-session", "-d", "-s", name, "-x", "120", "-y", "40", command],
        check=True, env={**os.environ, **env},
    )  # fmt: skip
    pane = Pane(name, socket, patience=60.0)
    try:
        pane.wait_for(words["patrol"])
        screen = pane.wait_for(words["log"])
        row = next(line for line in screen.splitlines() if words["log"] in line)
        assert words["overdue"] in row and words["late"] in row, row

        card = _open_compound(pane, words)
        pane.wait_for(words["missed"])  # raised on this device from the missed slot
        assert words["site"] in card
        pane.keys("Enter")  # the first checklist of the compound: the duty log
        pane.wait_for(words["head"].format(n=0))
        pane.typed(words["second"])  # the other person on duty, by name
        pane.wait_for(words["head"].format(n=1))
        for n, key in enumerate(("p", "1", "p", "p", "p", "p", "p"), start=2):
            pane.keys(key)  # both present, panel normal, no isolation, auto, pumps, power
            pane.wait_for(words["head"].format(n=n))
        pane.keys("Enter")  # no alarm or fault to note: skipped
        pane.keys("1")  # no shift change
        pane.wait_for(words["review"])
        pane.keys("C-s")
        pane.wait_for(words["site"])
        pane.keys("Escape", "Escape")
        pane.wait_for(words["due"])
        _until(pane, lambda screen: not _late(screen, words))  # filled in: no longer late

        pane.keys("F12")
        pane.wait_for(words["picker"])
        pane.keys("5")
        pane.wait_for(words["office"])
        _open_compound(pane, words)
        pane.wait_for(words["missed"], timeout=120)  # reached the office by sync
        pane.keys("C-q")
    finally:
        subprocess.run(["tmux", "-L", socket, "kill-server"], capture_output=True)
