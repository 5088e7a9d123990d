"""Issue 17 from the user's side, in a real terminal (tmux), in zh and en.

A patroller answers a floor round with quick keys, some pressed faster than a scanner's
hold-back, and scans the next extinguisher's label in the middle: every answer lands on
its own item, in order, and the scan jumps to that extinguisher. Then a new laptop takes in
an office's history with ``fieldkit sync`` and the person reads how far it came, page after
page, and the summary: every change received and saved."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
import uuid

import pytest

from fieldkit.model import Case, Target, new_id
from fieldkit.services.demo import generate
from fieldkit.store import Store
from fieldkit.sync import protocol as p
from fieldkit.sync.client import SyncClient
from tests.sync.served import Served
from tests.terminal import Pane

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")

WORDS = {
    "en": {
        "home": "Unfinished cases",
        "round": "Monthly extinguisher round",
        "first": "Item 1 of 4: EXT-2-1-1",
        "jumped": "EXT-2-1-3: next item to answer.",
        "third": "Item 3 of 4: EXT-2-1-3",
        "answered": "5/39 answered",
        "progress": "Syncing: 12,000 changes received and saved (",
        "synced": "Synced: 0 changes sent, 0 files uploaded, 12,000 changes received; "
        "0 still waiting.",
    },
    "zh": {
        "home": "未完结工单",
        "round": "灭火器月检（按楼层）",
        "first": "第 1 / 4 件：EXT-2-1-1",
        "jumped": "EXT-2-1-3：已跳到它未答的第一项。",
        "third": "第 3 / 4 件：EXT-2-1-3",
        "answered": "已答 5/39",
        "progress": "同步中：已收到并保存 12,000 条修改（",
        "synced": "同步完成：发送 0 条修改，上传 0 个文件，收到 12,000 条修改；还有 0 条等待发送。",
    },
}
#: the first five items of the first extinguisher, the key a quick hand gives each, the answer
KEYS = (("in_place", "1", "here"), ("unit_type", "1", "portable"), ("access_visible", "n", "na"),
        ("gauge", "1", "green"), ("pin_seal", "n", "na"))  # fmt: skip
HISTORY = 12_000


def session(socket: str, name: str, command: str, env: dict[str, str], cwd=None) -> Pane:
    subprocess.run(
        ["tmux", "-L", socket, "new-session", "-d", "-s", name, "-x", "120", "-y", "40",
         *(["-c", str(cwd)] if cwd else []), command],
        check=True, env={**os.environ, **env},
    )  # fmt: skip
    return Pane(name, socket, history=True, patience=90)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_quick_keys_and_a_scan_in_a_round_land_where_they_belong(tmp_path, lang):
    words = WORDS[lang]
    data = tmp_path / "compound"
    generate(data, cases=20, floors=4)
    socket = f"fast-{uuid.uuid4().hex[:8]}"
    env = {"FIELDKIT_DATA_DIR": str(data), "FIELDKIT_CONFIG": str(tmp_path / "none.toml"),
           "LANG": "zh_CN.UTF-8" if lang == "zh" else "en_US.UTF-8",
           "TERM": "xterm-256color"}  # fmt: skip
    pane = session(socket, "app", f"{sys.executable} -m fieldkit --lang {lang} app", env)
    try:
        pane.wait_for(words["home"])
        pane.scan("R-2-1")  # the stairwell's label
        pane.wait_for(words["round"])
        pane.keys("Enter")
        again = "现在再做一次吗？" if lang == "zh" else "Do it again now?"
        (seen,) = pane.wait_match(f"({re.escape(again)}|{re.escape(words['first'])})")
        if seen == again:  # done for now on this stairwell: the card asks first
            pane.keys("y")
        pane.wait_for(words["first"])
        pane.keys(*(key for _, key, _ in KEYS[:2]))  # a person's pace
        pane.keys(*(key for _, key, _ in KEYS[2:]), gap=0.01)  # quicker than the hold-back
        pane.wait_for(words["answered"])
        pane.scan("EXT-2-1-3")  # then the extinguisher two floors up (a scan takes aiming)
        screen = pane.wait_for(words["jumped"])
        assert words["third"] in screen and words["answered"] in screen
        pane.keys("C-q")
        end = time.monotonic() + 30
        while pane.alive() and time.monotonic() < end:
            time.sleep(0.1)
    finally:
        subprocess.run(["tmux", "-L", socket, "kill-server"], capture_output=True)

    with Store.open(data, readonly=True) as store:
        (draft,) = store.drafts()
    first = {key.split("@")[0]: answer.value for key, answer in draft.answers.items()}
    assert first == {item: value for item, _, value in KEYS}  # none lost, none moved
    assert len({key.split("@")[1] for key in draft.answers}) == 1  # all on the first one


def ended(shell: Pane, mark: str) -> str:
    """The screen once the command printed ``<mark>-<its exit status>`` on a line of its own."""
    end = time.monotonic() + shell.patience
    while time.monotonic() < end:
        screen = shell.text()
        if re.search(rf"^{mark}-\d+$", screen, re.M):
            return screen
        time.sleep(0.1)
    raise AssertionError(f"the command never ended:\n{shell.text()}")


def office_with_history(folder, count: int) -> Served:
    """An office server holding ``count`` changes: a compound's past cases, one every hour
    up to now, nine in ten of them closed (a new laptop writes those to their months)."""
    served = Served(folder)
    served.wait()
    office = SyncClient(served.url, SyncClient(served.url).enroll(
        served.new_code(role="office", name="office desk")).token)  # fmt: skip
    now_ms = time.time_ns() // 1_000_000
    for start in range(0, count, 500):
        ops = []
        for seq in range(start + 1, min(count, start + 500) + 1):
            rid = new_id(now_ms - (count - seq) * 3_600_000)
            hlc = f"{1_700_000_000_000 + seq:012x}-000000-office"
            case = Case.new(rid, "repair", Target("unit", f"u{seq % 90}"), hlc, site_id="s1",
                            title=f"漏水 {seq}", category="plumbing",
                            department="engineering")  # fmt: skip
            if seq % 10:
                case.set_status("closed", f"{1_700_000_000_000 + seq:012x}-000001-office")
            body = case.to_dict()
            ops.append(p.Operation(op_id=new_id(), seq=seq, hlc=hlc, kind="case", record_id=rid,
                                   site="s1", body=body))  # fmt: skip
        assert all(r.status == "applied" for r in office.push(ops).results)
    office.close()
    return served


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_new_laptop_takes_in_the_office_history_and_says_how_far_it_came(tmp_path, lang):
    words = WORDS[lang]
    (tmp_path / "office").mkdir()
    served = office_with_history(tmp_path / "office", HISTORY)
    socket = f"sync-{uuid.uuid4().hex[:8]}"
    env = {"FIELDKIT_DATA_DIR": str(tmp_path / "laptop"),
           "FIELDKIT_CONFIG": str(tmp_path / "none.toml"), "PS1": "$ ",
           "LANG": "zh_CN.UTF-8" if lang == "zh" else "en_US.UTF-8", "TERM": "xterm-256color",
           "PATH": f"{os.path.dirname(sys.executable)}:{os.environ['PATH']}"}  # fmt: skip
    shell = session(socket, "shell", "bash --norc --noprofile", env, cwd=tmp_path)
    try:
        code = served.new_code(role="patrol", name="Laptop 9")
        shell.typed(f"fieldkit --lang {lang} enroll {served.url} {code}; echo enrol-$?")
        ended(shell, "enrol")
        shell.typed(f"fieldkit --lang {lang} sync; echo exit-$?")
        screen = ended(shell, "exit")
        assert re.search(r"^exit-0$", screen, re.M), screen
        lines = screen.splitlines()
        said = next(i for i, line in enumerate(lines) if words["synced"] in line)
        assert words["progress"] in lines[said - 1], screen  # the last step, kept on screen
    finally:
        subprocess.run(["tmux", "-L", socket, "kill-server"], capture_output=True)
        served.stop()
    with Store.open(tmp_path / "laptop", readonly=True) as store:
        held = sum(1 for _ in store.iter_records(["case"]))
        live = len(store.open_cases())
    assert held == HISTORY
    assert live == HISTORY // 10  # the open ones: every tenth
