"""The office console's fixtures: a real ``fieldkit-server serve`` process, people added
with the real command line, real device data folders enrolled with ``fieldkit enroll``,
and a headless Chromium (Debian's ``chromium`` and ``chromium-driver``) driven by Selenium.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from tests.sync.conftest import ServerProcess, db_url, pg_cluster  # noqa: F401

PASSWORD = "garden-court-2026"
CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
#: The flags the brief asks for: nothing reaches the network, nothing of an earlier run.
CHROMIUM_FLAGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--window-size=1366,900", "--disable-dev-shm-usage",
)  # fmt: skip


def server_cli(db: str, *args: str, stdin: str | None = None, lang: str = "en"):
    """``fieldkit-server --db DB ARGS`` as a person runs it."""
    env = dict(os.environ, LANG="zh_CN.UTF-8" if lang == "zh" else "en_US.UTF-8")
    return subprocess.run(
        [sys.executable, "-m", "fieldkit_server.cli", "--db", db, *args],
        input=stdin, capture_output=True, text=True, env=env, timeout=120,
    )  # fmt: skip


def add_person(db: str, name: str, role: str, site: str, password: str = PASSWORD) -> None:
    """A person added as ``fieldkit-server user add`` adds one, in this process (the command
    line itself is tested in test_security; a process per person cost ~5 s of each setup)."""
    from fieldkit_server.console.people import add_user
    from fieldkit_server.db import Database

    database = Database(db)
    try:
        add_user(database, name=name, role=role, site=site, password=password)
    finally:
        database.engine.dispose()


def device_cli(folder: Path, *args: str, lang: str = "en") -> subprocess.CompletedProcess:
    """``fieldkit ARGS`` on the device data folder ``folder``."""
    env = dict(os.environ, FIELDKIT_DATA_DIR=str(folder),
               LANG="zh_CN.UTF-8" if lang == "zh" else "en_US.UTF-8")  # fmt: skip
    return subprocess.run([sys.executable, "-m", "fieldkit", *args], capture_output=True,
                          text=True, env=env, timeout=180)  # fmt: skip


def enrol_device(server: ServerProcess, folder: Path, site: str, role: str, name: str) -> None:
    """Enrol a device data folder with ``fieldkit-server enroll`` and ``fieldkit enroll``."""
    made = server_cli(server.db_url, "enroll", "--site", site, "--role", role, "--name", name,
                      "--format", "json")  # fmt: skip
    assert made.returncode == 0, made.stderr
    import json

    code = json.loads(made.stdout)["code"]
    done = device_cli(folder, "enroll", server.url, code)
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.fixture
def console_server(tmp_path):
    """A served office on SQLite with a supervisor of garden-court (王敏), a desk clerk
    (刘洋) of garden-court, a supervisor of another site (李娜) and an admin."""
    folder = tmp_path / "server"
    folder.mkdir()
    server = ServerProcess(f"sqlite:///{folder / 'fieldkit-server.sqlite3'}", folder)
    server.start()
    add_person(server.db_url, "王敏", "supervisor", "garden-court")
    add_person(server.db_url, "刘洋", "desk", "garden-court")
    add_person(server.db_url, "李娜", "supervisor", "lake-view")
    add_person(server.db_url, "admin", "admin", "*")
    yield server
    server.kill()


def _chromium_missing() -> str | None:
    for path in (CHROMIUM, CHROMEDRIVER):
        if not Path(path).exists():
            return (
                f"{path} not found: install Debian's chromium and chromium-driver "
                "(make test does it as root via scripts/system-packages.txt)"
            )
    return None


class Browser:
    """A headless Chromium with its own fresh profile, in one language."""

    def __init__(self, lang: str = "zh") -> None:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service

        self.profile = tempfile.mkdtemp(prefix="fieldkit-chromium-")
        options = webdriver.ChromeOptions()
        options.binary_location = CHROMIUM
        for flag in CHROMIUM_FLAGS:
            options.add_argument(flag)
        options.add_argument(f"--user-data-dir={self.profile}")
        accept = "zh-CN,zh" if lang == "zh" else "en-GB,en"
        options.add_argument(f"--lang={accept.split(',')[0]}")
        options.add_experimental_option("prefs", {"intl.accept_languages": accept})
        self.driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
        self.driver.set_page_load_timeout(120)

    def close(self) -> None:
        try:
            self.driver.quit()
        finally:
            shutil.rmtree(self.profile, ignore_errors=True)


@pytest.fixture
def browser():
    """browser(lang) -> Browser; every one made is closed after the test."""
    missing = _chromium_missing()
    if missing:
        pytest.skip(missing)
    os.environ.setdefault("SE_OFFLINE", "true")  # Selenium must not look for drivers online
    made: list[Browser] = []

    def _make(lang: str = "zh") -> Browser:
        made.append(Browser(lang))
        return made[-1]

    yield _make
    for b in made:
        b.close()
