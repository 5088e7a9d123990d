"""The server's log file: one line per request (device, endpoint, status, duration, error
code), never a token or personal data; rotation shared by several processes; the file in
the data folder when ``fieldkit-server serve`` runs."""

from __future__ import annotations

import logging
import subprocess
import sys
import time

import pytest
import requests

from fieldkit.model import new_id
from fieldkit_server.cli import main as server_main
from fieldkit_server.requestlog import LOG_FILE_NAME, log_to_file
from tests.sync.records import case_body, op, sha

PHONE, NAME = "13812345678", "王小明"


@pytest.fixture
def log_file(tmp_path):
    path = tmp_path / "logs" / LOG_FILE_NAME
    assert log_to_file(path) == path
    yield path
    for name in ("fieldkit", "uvicorn.error"):
        logger = logging.getLogger(name)
        for handler in list(logger.handlers):
            if getattr(handler, "baseFilename", None) == str(path):
                logger.removeHandler(handler)
                handler.close()


def lines(path) -> list[str]:
    return [line for line in path.read_text("utf-8").splitlines() if "endpoint=" in line]


def test_one_line_per_request_without_tokens_or_personal_data(api, enroll, log_file):
    office, patrol = enroll(role="office"), enroll(role="patrol")
    unit = {"id": "u1", "site_id": "s1", "number": "1-101", "owner_name": NAME}
    unit["owner_phone"] = PHONE
    rid = new_id()
    pushed = api.post(
        "/v1/push",
        json={"ops": [op(1, "unit", "u1", unit), op(2, "case", rid, case_body(rid))]},
        headers=office.headers,
    )
    assert pushed.status_code == 200
    assert api.get("/v1/pull", headers=patrol.headers).status_code == 200
    assert api.post("/v1/push", json={"ops": []}).status_code == 401
    secret = "secret-token-that-must-not-show"
    assert api.get("/v1/pull", headers={"Authorization": f"Bearer {secret}"}).status_code == 401
    missing = sha(b"missing")
    assert api.head(f"/v1/attachments/{missing}", headers=patrol.headers).status_code == 404
    damaged = api.put(f"/v1/attachments/{missing}", content=b"other", headers=patrol.headers)
    assert damaged.status_code == 422
    report = api.get("/v1/reports/trends", params={"site": "s1"}, headers=patrol.headers)
    assert report.status_code == 403
    assert api.get("/v1/nothing%0Adevice=forged status=200").status_code == 404

    text = log_file.read_text("utf-8")
    got = lines(log_file)
    assert len(got) == 10, got  # the two enrolments first

    def line(n: int, device: str, method: str, endpoint: str, status: int, code: str = ""):
        head, ms = got[n].split(" ms=")
        assert head.endswith(
            f"device={device} method={method} endpoint={endpoint} status={status}"
        ), got[n]
        millis, *rest = ms.split()
        assert float(millis) >= 0
        assert rest == ([f"code={code}"] if code else [])

    line(0, "-", "POST", "/v1/enroll", 200)
    line(1, "-", "POST", "/v1/enroll", 200)
    line(2, office.device_id, "POST", "/v1/push", 200)
    line(3, patrol.device_id, "GET", "/v1/pull", 200)
    line(4, "-", "POST", "/v1/push", 401, "token_missing")
    line(5, "-", "GET", "/v1/pull", 401, "token_invalid")
    line(6, patrol.device_id, "HEAD", "/v1/attachments/{sha256}", 404, "attachment_not_found")
    line(7, patrol.device_id, "PUT", "/v1/attachments/{sha256}", 422, "hash_mismatch")
    line(8, patrol.device_id, "GET", "/v1/reports/trends", 403, "office_only")
    line(9, "-", "GET", "/v1/nothing?device=forged?status=200", 404, "not_found")
    for never in (office.token, patrol.token, secret, PHONE, NAME, "1-101", "s1"):
        assert never not in text, never


def test_an_exception_is_logged_without_its_message(log_file):
    try:
        raise ValueError(f"bad phone {PHONE}")
    except ValueError:
        logging.getLogger("uvicorn.error").exception("Exception in ASGI application")
    text = log_file.read_text("utf-8")
    assert "Exception in ASGI application" in text
    assert "ValueError" in text and "test_an_exception_is_logged_without_its_message" in text
    assert PHONE not in text


WRITER = """
import logging, sys
from fieldkit_server.requestlog import SharedRotatingFileHandler
handler = SharedRotatingFileHandler(sys.argv[1], maxBytes=4000, backupCount=10000)
log = logging.getLogger("w")
log.addHandler(handler)
log.setLevel(logging.INFO)
for n in range(int(sys.argv[3])):
    log.info("%s %05d %s", sys.argv[2], n, "x" * 40)
"""


def test_workers_share_the_rotating_file_without_losing_a_line(tmp_path):
    path = tmp_path / "shared.log"
    per_writer = 1500
    writers = [
        subprocess.Popen([sys.executable, "-c", WRITER, str(path), f"w{n}", str(per_writer)])
        for n in range(3)
    ]
    for proc in writers:
        assert proc.wait(timeout=120) == 0
    files = sorted(tmp_path.glob("shared.log*"))
    files = [f for f in files if not f.name.endswith(".lock")]
    assert len(files) > 20  # ~70 bytes a line, 4000 bytes a file: it rotated many times
    written = [line for f in files for line in f.read_text().splitlines()]
    expected = {f"w{n} {i:05d} {'x' * 40}" for n in range(3) for i in range(per_writer)}
    assert len(written) == len(expected) and set(written) == expected
    assert all(f.stat().st_size <= 4000 + 100 for f in files)


def test_serve_logs_to_the_data_folder(server_process):
    token = server_process.enroll(name="Gate laptop").token
    headers = {"Authorization": f"Bearer {token}"}
    assert requests.get(f"{server_process.url}/v1/pull", headers=headers, timeout=5).ok
    assert requests.get(f"{server_process.url}/v1/health", timeout=5).ok
    path = server_process.folder / "logs" / LOG_FILE_NAME
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and len(lines(path) if path.exists() else []) < 3:
        time.sleep(0.1)
    got = lines(path)
    assert any("method=GET endpoint=/v1/pull status=200" in line for line in got), got
    assert any("device=- method=GET endpoint=/v1/health status=200" in line for line in got)
    assert token not in path.read_text("utf-8")
    started = (server_process.folder / "server.log").read_text("utf-8")
    assert f"Requests are logged to {path}" in started


def test_a_log_file_that_cannot_be_written_is_a_sentence(tmp_path, capsys):
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    bad = blocker / "logs" / "server.log"
    args = ["--data", str(tmp_path), "--lang", "en", "serve", "--log-file", str(bad)]
    assert server_main(args) == 2
    err = capsys.readouterr().err
    assert f"Cannot write the log file {bad}" in err and "--log-file" in err
