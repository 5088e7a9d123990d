"""Server fixtures: every server test runs on SQLite and on a real PostgreSQL."""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import pytest

from tests.sync.pg import Cluster, find_bin_dir

_db_counter = itertools.count()


@pytest.fixture(scope="session")
def pg_cluster():
    bin_dir = find_bin_dir()
    if bin_dir is None:
        pytest.skip(
            "PostgreSQL binaries (initdb, pg_ctl) not found: install the 'postgresql' "
            "package (make test does it as root via scripts/system-packages.txt)"
        )
    cluster = Cluster(bin_dir)
    cluster.start()
    yield cluster
    cluster.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path):
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'server' / 'fieldkit-server.sqlite3'}"
    cluster = request.getfixturevalue("pg_cluster")
    return cluster.create_database(f"t{next(_db_counter)}")


@dataclass
class Enrolled:
    device_id: str
    token: str
    site: str
    role: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


@pytest.fixture
def app(db_url):
    from fieldkit_server.app import create_app

    app = create_app(db_url, run_migrations=True)
    yield app
    app.state.db.dispose()


@pytest.fixture
def api(app):
    from fastapi.testclient import TestClient

    with TestClient(app, raise_server_exceptions=False) as client:
        yield client


@pytest.fixture
def enroll(app, api):
    """enroll(site, role) -> Enrolled: a device added by the office and enrolled over HTTP."""
    from fieldkit_server.devices import add_device

    def _enroll(site: str = "s1", role: str = "patrol", name: str = "dev") -> Enrolled:
        new = add_device(app.state.db, site=site, role=role, name=name)
        answer = api.post("/v1/enroll", json={"code": new.code})
        assert answer.status_code == 200, answer.text
        body = answer.json()
        return Enrolled(body["device_id"], body["token"], site, role)

    return _enroll


class ServerProcess:
    """``fieldkit-server serve`` in a child process, which tests may kill and restart."""

    def __init__(self, db_url: str, folder, args: tuple[str, ...] = ()) -> None:
        from tests.sync.pg import free_port

        self.db_url = db_url
        self.folder = folder
        self.port = free_port()
        self.proc = None
        self.args = args  # more ``serve`` options, e.g. ("--blobs", "s3://bucket/prefix")

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        import os
        import subprocess
        import sys
        import time

        import requests

        env = dict(os.environ, FIELDKIT_SERVER_DIR=str(self.folder))
        log = open(self.folder / "server.log", "ab")  # noqa: SIM115 - closed with the process
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "fieldkit_server.cli",
                "--db",
                self.db_url,
                "serve",
                "--port",
                str(self.port),
                *self.args,
            ],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited: {(self.folder / 'server.log').read_text()}")
            try:
                if requests.get(self.url + "/v1/health", timeout=1).status_code == 200:
                    return
            except requests.RequestException:
                time.sleep(0.1)
        raise RuntimeError("server did not start in 30 s")

    def kill(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()

    def enroll(self, site: str = "s1", role: str = "patrol", name: str = "dev"):
        from fieldkit.sync.client import SyncClient
        from fieldkit_server.db import Database
        from fieldkit_server.devices import add_device

        db = Database(self.db_url)
        try:
            new = add_device(db, site=site, role=role, name=name)
        finally:
            db.dispose()
        return SyncClient(self.url).enroll(new.code)


@pytest.fixture
def server_process(tmp_path):
    folder = tmp_path / "server"
    folder.mkdir()
    server = ServerProcess(f"sqlite:///{folder / 'fieldkit-server.sqlite3'}", folder)
    server.start()
    yield server
    server.kill()


@pytest.fixture
def server(db_url, tmp_path):
    """``fieldkit-server serve`` in a child process on the test's database (SQLite and
    PostgreSQL), for tests about what devices end up holding."""
    folder = tmp_path / "server"
    folder.mkdir(exist_ok=True)
    process = ServerProcess(db_url, folder)
    process.start()
    yield process
    process.kill()
