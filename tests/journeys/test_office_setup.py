"""An IT person sets up the office server from the docs, at a shell (tmux), in zh and en:
``serve`` in a fresh folder (0700, its database 0600), units imported, a laptop enrolled
with the address ``enroll`` printed and the code scanned when asked for, a sync that brings
the units; then an own CA made with the openssl recipe of docs/sync.md, the server restarted
on https, the laptop told what happened and moved to the new address with the CA (the file
it was given deleted afterwards), synced and checked by doctor; then the laptop revoked by
its name, and what the laptop reads then. Every line asserted is what a person reads."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from tests.sync.pg import free_port
from tests.terminal import Pane

pytestmark = pytest.mark.skipif(
    shutil.which("tmux") is None or shutil.which("openssl") is None,
    reason="tmux and openssl are needed",
)

ROOT = Path(__file__).resolve().parents[2]
UNITS = "site_id,number,building_id,floor,owner_name,owner_phone,special_care\n" + "".join(
    f"garden-court,3-2-{n},b3,{n // 100},业主{n},1380000{n:04d},\n" for n in (1501, 1502, 1503)
)

WORDS = {
    "en": {
        "serving": "fieldkit office server on {url}",
        "devices_use": "Devices enrol with the address {url}",
        "imported": "Imported flats: 3 new, 0 updated.",
        "added": "Device Laptop 1 (patrol, site garden-court) added",
        "run": "On the device run: fieldkit enroll {url} ",
        "qr": "The same enrolment code as a QR code",
        "ask": "Enrolment code (type it, or scan the QR code the office printed):",
        "enrolled": "This device is enrolled as Laptop 1 (patrol, site garden-court) with {url}.",
        "synced": "Synced: 0 changes sent, 0 files uploaded, 3 changes received; 0 still waiting.",
        "closed": "the server closed the connection without answering. If the office server now "
        "uses https, move this device to its new address with 'fieldkit enroll --move-to",
        "moved": "This device now syncs with the office server at {url}, which knows it as "
        "Laptop 1",
        "again": "Synced: 0 changes sent, 0 files uploaded, 0 changes received; 0 still waiting.",
        "accepts": "The office server at {url} accepts this device (asked just now).",
        "fine": "No problems found.",
        "reference": "reference.json: readable, 3 record(s) of flats, places and people, and 0 "
        "checklist version(s)",
        "revoked": "is revoked; it can no longer sync.",
        "told": "The office has revoked this device: it can no longer sync. Ask the office for a "
        "new enrolment code and run 'fieldkit enroll URL CODE'.",
        "problem": "1 problem found.",
        "header": "id | name | site | role | state | last seen",
    },
    "zh": {
        "serving": "fieldkit 办公室服务器运行于 {url}",
        "devices_use": "设备登记时使用地址 {url}",
        "imported": "已导入房屋：新增 3 户，更新 0 户。",
        "added": "已添加设备 Laptop 1（巡逻岗，小区 garden-court）",
        "run": "在设备上运行：fieldkit enroll {url} ",
        "qr": "下面的二维码就是这个登记码",
        "ask": "登记码（手动输入，或扫描办公室打印的二维码）：",
        "enrolled": "本设备已登记为 Laptop 1（巡逻岗，小区 garden-court），服务器 {url}。",
        "synced": "同步完成：发送 0 条修改，上传 0 个文件，收到 3 条修改；还有 0 条等待发送。",
        "closed": "服务器没有应答就断开了连接。如果办公室服务器已改用 https，请用 'fieldkit "
        "enroll --move-to https://…' 把本设备改到新地址。",
        "moved": "本设备今后与办公室服务器 {url} 同步，服务器认得本设备：Laptop 1",
        "again": "同步完成：发送 0 条修改，上传 0 个文件，收到 0 条修改；还有 0 条等待发送。",
        "accepts": "办公室服务器 {url} 接受本设备（刚刚核实）。",
        "fine": "未发现问题。",
        "reference": "reference.json：可以读取，共 3 条房屋、地点和人员记录，0 个检查表版本",
        "revoked": "已停用，不能再同步。",
        "told": "办公室已停用本设备，本设备不能再同步。请向办公室要一个新的登记码，然后运行 "
        "'fieldkit enroll 地址 登记码'。",
        "problem": "发现 1 个问题。",
        "header": "编号 | 名称 | 小区 | 岗位 | 状态 | 最近联系",
    },
}


def recipe(host: str, ip: str) -> str:
    """docs/sync.md's openssl block, its first two lines set as the IT person sets them."""
    text = (ROOT / "docs" / "sync.md").read_text("utf-8")
    (block,) = [b for b in re.findall(r"```sh\n(.*?)```", text, re.S) if b.startswith("HOST=")]
    return "\n".join([f"HOST={host}", f"IP={ip}", *block.splitlines()[2:]]) + "\n"


class Desk:
    """Two shells of one person: the office server's terminal and a second one (the IT
    person's commands, and the laptop's, whose data folder is FIELDKIT_DATA_DIR)."""

    def __init__(self, tmp_path: Path, lang: str) -> None:
        self.socket = f"office-setup-{uuid.uuid4().hex[:8]}"
        env = {"FIELDKIT_DATA_DIR": str(tmp_path / "laptop"),
               "FIELDKIT_CONFIG": str(tmp_path / "none.toml"),
               "LANG": "zh_CN.UTF-8" if lang == "zh" else "en_US.UTF-8", "PS1": "$ ",
               "TERM": "xterm-256color",
               "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}"}  # fmt: skip
        for name in ("office", "shell"):
            subprocess.run(
                ["tmux", "-L", self.socket, "new-session", "-d", "-s", name, "-x", "120", "-y",
                 "40", "-c", str(tmp_path), "bash --norc --noprofile"],
                check=True, env={**os.environ, **env},
            )  # fmt: skip
        self.office = Pane("office", self.socket, history=True, patience=90)
        self.shell = Pane("shell", self.socket, history=True, patience=90)
        self.shell.tmux("set-option", "-g", "history-limit", "5000")

    def run(self, line: str, *expected: str) -> str:
        """Type ``line`` in the second shell after a clear, wait for its end; the screen."""
        self.shell.typed("clear")
        self.shell.tmux("clear-history", "-t", "shell")
        self.shell.typed(f"{line}; echo exit-$?")
        screen = self.ended()
        for text in expected:
            assert text in screen, (text, screen)
        return screen

    def ended(self) -> str:
        """The second shell's screen once the command printed its exit line."""
        end = time.monotonic() + self.shell.patience
        while time.monotonic() < end:
            screen = self.shell.text()
            if re.search(r"^exit-\d+$", screen, re.M):
                return screen
            time.sleep(0.1)
        raise AssertionError(f"the command never ended:\n{self.shell.text()}")

    def close(self) -> None:
        subprocess.run(["tmux", "-L", self.socket, "kill-server"], capture_output=True)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_an_it_person_sets_up_the_office_server(tmp_path, lang):
    words = WORDS[lang]
    port = free_port()
    http, https = f"http://127.0.0.1:{port}", f"https://localhost:{port}"
    (tmp_path / "units.csv").write_text(UNITS, "utf-8")
    (tmp_path / "recipe.sh").write_text(recipe("localhost", "127.0.0.1"), "utf-8")
    desk = Desk(tmp_path, lang)
    try:
        desk.office.typed(f"fieldkit-server serve --data office --port {port}")
        desk.office.wait_for(words["serving"].format(url=http))
        desk.office.wait_for(words["devices_use"].format(url=http))
        desk.office.wait_for("Uvicorn running")
        screen = desk.run("stat -c '%A %n' office office/fieldkit-server.sqlite3")
        assert "drwx------ office" in screen and "-rw------- office/fieldkit-server" in screen

        desk.run("fieldkit-server import units units.csv --data office", words["imported"])
        screen = desk.run(
            'fieldkit-server enroll --site garden-court --role patrol --name "Laptop 1" '
            "--data office",
            words["added"], words["run"].format(url=http), words["qr"],
        )  # fmt: skip
        code = re.search(r"enroll \S+ ([0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{2})", screen).group(1)

        desk.shell.typed("clear")
        desk.shell.typed(f"fieldkit enroll {http}; echo exit-$?")
        desk.shell.wait_for(words["ask"])
        desk.shell.scan(code)  # the barcode scanner reads the QR code enroll printed
        screen = desk.ended()
        assert words["enrolled"].format(url=http) in screen and "\nexit-0" in screen
        desk.run("fieldkit sync", words["synced"], "\nexit-0")

        screen = desk.run("bash recipe.sh", "cert.pem: OK")  # the docs' recipe, pasted
        desk.office.keys("C-c")
        desk.office.wait_for("Finished server process")
        desk.office.typed("clear")
        desk.office.tmux("clear-history", "-t", "office")
        desk.office.typed(
            f"fieldkit-server serve --data office --port {port} --tls-cert cert.pem "
            "--tls-key key.pem"
        )
        desk.office.wait_for(words["serving"].format(url=f"https://127.0.0.1:{port}"))
        desk.office.wait_for("Uvicorn running")

        screen = desk.run("fieldkit sync", words["closed"], "\nexit-1")  # still on http
        assert "RemoteDisconnected" not in screen and "(" + "'" not in screen
        desk.run(f"fieldkit enroll --move-to {https} --ca ca.pem",
                 words["moved"].format(url=https), "\nexit-0")  # fmt: skip
        desk.run("rm ca.pem && fieldkit sync", words["again"], "\nexit-0")  # the copy is used
        desk.run("fieldkit doctor", words["reference"], words["accepts"].format(url=https),
                 words["fine"])  # fmt: skip

        desk.run('fieldkit-server revoke "Laptop 1" --data office', words["revoked"])
        screen = desk.run("fieldkit sync", words["told"], "\nexit-1")
        assert screen.count(words["told"]) == 1
        desk.run("fieldkit doctor", words["told"], words["problem"], "\nexit-1")
        screen = desk.run("fieldkit-server devices --data office | head -1", words["header"])
        assert "Traceback" not in screen and "BrokenPipe" not in screen
    finally:
        desk.close()
