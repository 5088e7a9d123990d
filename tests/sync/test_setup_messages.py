"""What a laptop's user reads when setting up sync goes wrong, against real servers and
sockets: each failure in plain words of their language, with no Python text in it (the
detail is in the log); the office's refusal said once, by doctor, and on home until the
laptop is enrolled again; home's last sync true after a sync from the command line; a move
to an address that does not work changes nothing."""

from __future__ import annotations

import socket
import threading

import pytest

from fieldkit.cli import main
from fieldkit.i18n import set_language
from fieldkit.services.workspace import Workspace
from fieldkit.sync.client import CREDENTIALS_FILE, Offline, SyncClient
from fieldkit.ui.screens.home import sync_line
from fieldkit_server.db import Database
from fieldkit_server.devices import add_device, revoke_device
from tests.sync.pg import free_port

PYTHON_TEXT = ("Errno", "HTTPConnectionPool", "Max retries", "RemoteDisconnected",
               "NewConnectionError", "('", "Traceback", "unexpected", "意外")  # fmt: skip


@pytest.fixture
def laptop(tmp_path, monkeypatch):
    data = tmp_path / "laptop"
    monkeypatch.setenv("FIELDKIT_DATA_DIR", str(data))
    monkeypatch.setenv("FIELDKIT_CONFIG", str(tmp_path / "none.toml"))
    return data


def code_for(server, name: str = "Laptop 3") -> str:
    db = Database(server.db_url)
    try:
        return add_device(db, site="s1", role="patrol", name=name).code
    finally:
        db.dispose()


def clean(text: str) -> bool:
    return not [bit for bit in PYTHON_TEXT if bit in text]


class Closer:
    """A port that accepts each connection and closes it without a word (what a laptop
    still on http:// meets at a server that now speaks https, or a dying proxy)."""

    def __init__(self) -> None:
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            conn.recv(1024)
            conn.close()

    def close(self) -> None:
        self.sock.close()


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_each_network_failure_in_plain_words(laptop, capsys, lang):
    words = {
        "en": {"refused": "nothing answers at that address and port",
               "reset": "the server closed the connection without answering",
               "name": "the name no-such-office.invalid cannot be found",
               "kept": "The code was not used", "not_yet": "This device is not enrolled yet."},
        "zh": {"refused": "该地址和端口上没有服务在响应", "reset": "服务器没有应答就断开了连接",
               "name": "找不到名称 no-such-office.invalid", "kept": "登记码没有用掉",
               "not_yet": "本设备尚未登记。"},
    }[lang]  # fmt: skip
    closer = Closer()
    try:
        urls = {"refused": f"http://127.0.0.1:{free_port()}",
                "reset": f"http://127.0.0.1:{closer.port}",
                "name": "http://no-such-office.invalid:8470"}  # fmt: skip
        for cause, url in urls.items():
            assert main(["--lang", lang, "enroll", url, "AAAA-BBBB-CC"]) == 1
            err = capsys.readouterr().err
            assert words[cause] in err and words["kept"] in err and words["not_yet"] in err, err
            assert clean(err), err
            assert "--move-to" not in err  # enrolling: nothing to move yet
    finally:
        closer.close()
    log = (laptop / "logs" / "fieldkit.log").read_text("utf-8")
    assert "failed (refused)" in log and "failed (reset)" in log and "failed (name)" in log


def test_no_answer_in_time_is_a_timeout():
    quiet = socket.create_server(("127.0.0.1", 0))  # accepts, never answers
    try:
        client = SyncClient(f"http://127.0.0.1:{quiet.getsockname()[1]}", timeout=(2.0, 0.5))
        with pytest.raises(Offline) as raised:
            client.health()
        assert raised.value.cause == "timeout"
        set_language("zh")
        assert raised.value.reason() == "服务器没有及时应答。"
        set_language("en")
        assert raised.value.reason() == "the server did not answer in time."
    finally:
        quiet.close()


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_revoked_laptop_is_told_once_by_sync_doctor_and_home(server_process, laptop, capsys,
                                                                lang):  # fmt: skip
    assert main(["enroll", server_process.url, code_for(server_process)]) == 0
    assert main(["sync"]) == 0
    capsys.readouterr()
    ws = Workspace.open(laptop)
    try:
        set_language(lang)
        line = sync_line(ws.sync_state())
        assert {"en": "never", "zh": "从未同步"}[lang] not in line  # it has synced: said when
    finally:
        ws.close()
    db = Database(server_process.db_url)
    device_id = revoke_device(db, "Laptop 3")[0].id  # by its name, as the office types it
    db.dispose()

    assert main(["--lang", lang, "sync"]) == 1
    err = capsys.readouterr().err.strip()
    said = {"en": "The office has revoked this device: it can no longer sync. Ask the office for "
                  "a new enrolment code and run 'fieldkit enroll URL CODE'.",
            "zh": "办公室已停用本设备，本设备不能再同步。请向办公室要一个新的登记码，然后运行 "
                  "'fieldkit enroll 地址 登记码'。"}[lang]  # fmt: skip
    assert err == said  # the advice once, nothing in brackets
    assert main(["--lang", lang, "doctor"]) == 1
    out = capsys.readouterr().out
    assert said in out

    ws = Workspace.open(laptop)  # a restart: still said
    try:
        set_language(lang)
        line = sync_line(ws.sync_state())
        assert {"en": "Revoked by the office", "zh": "办公室已停用本设备"}[lang] in line
        assert {"en": "never", "zh": "从未同步"}[lang] not in line
        assert ws.background_sync(now=10**10) is not None  # tried once, refused again
        assert ws.background_sync(now=10**10 + 3600) is None  # and never again
    finally:
        ws.close()

    assert main(["enroll", server_process.url, code_for(server_process, "Laptop 3b")]) == 0
    out = capsys.readouterr().out
    assert device_id in out  # the enrolment it replaced, named
    ws = Workspace.open(laptop)
    try:
        assert ws.sync_state().refused is None
        assert "Laptop 3b" in (laptop / CREDENTIALS_FILE).read_text()
    finally:
        ws.close()
    assert main(["sync"]) == 0


def test_a_move_that_does_not_work_changes_nothing(server_process, tmp_path, laptop, capsys):
    assert main(["enroll", server_process.url, code_for(server_process)]) == 0
    before = (laptop / CREDENTIALS_FILE).read_bytes()
    nowhere = f"http://127.0.0.1:{free_port()}"
    assert main(["--lang", "en", "enroll", "--move-to", nowhere]) == 1
    err = capsys.readouterr().err
    assert f"This device was not moved to {nowhere}: nothing answers" in err
    assert f"It still syncs with {server_process.url}." in err
    other = tmp_path / "other"
    other.mkdir()
    from tests.sync.conftest import ServerProcess

    stranger = ServerProcess(f"sqlite:///{other / 'fieldkit-server.sqlite3'}", other)
    stranger.start()
    try:
        assert main(["--lang", "zh", "enroll", "--move-to", stranger.url]) == 1
        err = capsys.readouterr().err
        assert "办公室服务器不认识本设备" in err and f"本设备仍与 {server_process.url} 同步" in err
    finally:
        stranger.kill()
    assert (laptop / CREDENTIALS_FILE).read_bytes() == before
    assert main(["enroll", "--move-to", server_process.url.replace("127.0.0.1", "localhost")]) == 0
    assert main(["sync"]) == 0


def test_enrol_asks_for_the_code_when_it_is_not_given(server_process, laptop):
    import os
    import subprocess
    import sys

    code = code_for(server_process)
    env = {**os.environ, "LANG": "en_US.UTF-8"}
    done = subprocess.run([sys.executable, "-m", "fieldkit", "enroll", server_process.url],
                          input=code + "\n", text=True, capture_output=True, env=env,
                          timeout=120)  # fmt: skip  # a scanner types the QR's code and Enter
    assert done.returncode == 0, done.stderr
    assert "This device is enrolled as Laptop 3" in done.stdout
    nothing = subprocess.run([sys.executable, "-m", "fieldkit", "enroll", server_process.url],
                             input="", text=True, capture_output=True, env=env,
                             timeout=120)  # fmt: skip
    assert nothing.returncode == 2 and "No enrolment code was given" in nothing.stderr


def test_doctor_says_config_server_url_is_not_what_sync_uses(server_process, tmp_path, laptop,
                                                             capsys):  # fmt: skip
    assert main(["enroll", server_process.url, code_for(server_process)]) == 0
    assert main(["sync"]) == 0
    (tmp_path / "none.toml").write_text('server_url = "https://office.example:8470"\n')
    capsys.readouterr()
    assert main(["--lang", "en", "doctor"]) == 0  # a line, not a problem
    out = capsys.readouterr().out
    assert ("config.toml says server_url = https://office.example:8470, which sync does not "
            f"use: this device syncs with {server_process.url}") in out  # fmt: skip
    assert "fieldkit enroll --move-to https://office.example:8470" in out
