"""``fieldkit-server serve`` in a child process with the options a test gives, and
waiting for one to answer."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import requests

from fieldkit_server.db import Database
from fieldkit_server.devices import add_device
from tests.sync.pg import free_port


def wait_until_up(proc, url: str, output: Path, verify: str | bool = True) -> None:
    """Until ``url``'s health answers; the server's output in the failure when it exits or
    never answers (generous: the test machine is shared and busy)."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"server exited: {output.read_text()}")
        try:
            requests.get(url + "/v1/health", timeout=2, verify=verify)
            return
        except requests.RequestException:
            time.sleep(0.2)
    raise AssertionError(f"server did not answer in 60 s: {output.read_text()}")


class Served:
    """``fieldkit-server serve`` with extra options, its output kept in one file."""

    def __init__(self, folder, *options: str, scheme: str = "http") -> None:
        self.folder = folder
        self.port = free_port()
        self.url = f"{scheme}://127.0.0.1:{self.port}"
        self.db_url = f"sqlite:///{folder / 'fieldkit-server.sqlite3'}"
        self.output = folder / "output.log"
        env = dict(os.environ, FIELDKIT_SERVER_DIR=str(folder))
        with open(self.output, "ab") as out:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "fieldkit_server.cli", "--db", self.db_url,
                 "serve", "--port", str(self.port), *options],
                env=env, stdout=out, stderr=subprocess.STDOUT,
            )  # fmt: skip

    def wait(self, verify=True) -> None:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            assert self.proc.poll() is None, self.output.read_text()
            try:
                requests.get(self.url + "/v1/health", timeout=1, verify=verify)
                return
            except requests.RequestException:
                time.sleep(0.1)
        raise RuntimeError("server did not start")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(10)

    def logs(self) -> str:
        log_file = self.folder / "logs" / "fieldkit-server.log"
        return self.output.read_text() + (log_file.read_text() if log_file.exists() else "")

    def new_code(self, site: str = "s1", role: str = "patrol", name: str = "dev") -> str:
        db = Database(self.db_url)
        try:
            return add_device(db, site=site, role=role, name=name).code
        finally:
            db.dispose()
