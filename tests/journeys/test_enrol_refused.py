"""Enrolling a laptop when the code is wrong, and when this address has failed too often:
a person at a shell (tmux), in zh and en, reads why the office refused and that the
device is not enrolled, while the office server keeps the count for every process; the
data folder those attempts made is its user's only (drwx------)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import uuid

import pytest
import requests

from fieldkit.sync.client import CREDENTIALS_FILE
from fieldkit_server import enrol_failures
from fieldkit_server.db import Database
from fieldkit_server.devices import add_device
from tests.sync.conftest import ServerProcess
from tests.terminal import Pane

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")

WORDS = {
    "zh": {
        "wrong": "办公室服务器没有登记本设备：登记码无效或已被使用。",
        "limited": "这个地址登记失败的次数太多。请等 10 分钟，再用办公室给的登记码重试。",
    },
    "en": {
        "wrong": "The enrolment code is not valid or was already used.",
        "limited": "Too many failed enrolment attempts from this address. Wait 10 minute(s)",
    },
}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_wrong_code_then_too_many_failures(tmp_path, lang):
    words = WORDS[lang]
    folder = tmp_path / "office"
    folder.mkdir()
    server = ServerProcess(f"sqlite:///{folder / 'fieldkit-server.sqlite3'}", folder)
    server.start()
    db = Database(server.db_url)
    good = add_device(db, site="garden-court", role="patrol", name="Laptop 3").code
    db.dispose()
    data = tmp_path / "laptop"
    socket = f"trust14-enrol-{uuid.uuid4().hex[:8]}"
    env = {"FIELDKIT_DATA_DIR": str(data), "FIELDKIT_CONFIG": str(tmp_path / "none.toml"),
           "LANG": "zh_CN.UTF-8" if lang == "zh" else "en_US.UTF-8", "PS1": "$ ",
           "TERM": "xterm-256color"}  # fmt: skip
    subprocess.run(
        ["tmux", "-L", socket, "new-session", "-d", "-s", "shell", "-x", "120", "-y", "40",
         "bash --norc --noprofile"],
        check=True, env={**os.environ, **env},
    )  # fmt: skip
    pane = Pane("shell", socket, patience=60)
    fieldkit = f"{sys.executable} -m fieldkit"
    try:
        pane.typed(f"{fieldkit} enroll {server.url} ABCD-EFGH-JK; echo exit-$?")
        pane.wait_for(words["wrong"])
        pane.wait_for("exit-2")  # a code the office did not give: bad input
        for _ in range(enrol_failures.ENROLL_FAILURES - 1):  # others at this address, too
            requests.post(server.url + "/v1/enroll", json={"code": "ZZZZ-ZZZZ-ZZ"}, timeout=30)
        pane.typed("clear")
        pane.typed(f"{fieldkit} enroll {server.url} {good}; echo exit-$?")
        pane.wait_for(words["limited"])  # even the good code waits
        pane.wait_for("exit-1")
        assert not (data / CREDENTIALS_FILE).exists()  # not enrolled, and it does not say so
        pane.typed("clear")
        pane.typed(f"ls -ld {data}")  # its line, not the command's echo, said before
        assert pane.wait_match(r"(?m)^(d[rwx-]{9})[.+]?\s") == ["drwx------"]
    finally:
        subprocess.run(["tmux", "-L", socket, "kill-server"], capture_output=True)
        server.kill()
