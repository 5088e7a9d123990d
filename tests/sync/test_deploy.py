"""Deployment: ``serve --tls-cert/--tls-key`` with a device pinning the certificate, no
query string in any log, a client that hangs up mid-upload logged as an abort."""

from __future__ import annotations

import shutil
import socket
import stat
import subprocess
import time

import pytest
import requests

from fieldkit.sync.client import Credentials, SyncClient, enroll_device, sync_store
from tests.sync.served import Served


@pytest.fixture
def tls_files(tmp_path):
    if shutil.which("openssl") is None:
        pytest.skip("the openssl command is not installed")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
         "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
         "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True,
    )  # fmt: skip
    return cert, key


def test_tls_serve_and_a_device_pinning_its_certificate(tmp_path, tls_files):
    cert, key = tls_files
    folder = tmp_path / "srv"
    folder.mkdir()
    server = Served(folder, "--tls-cert", str(cert), "--tls-key", str(key), scheme="https")
    try:
        server.wait(verify=str(cert))
        with pytest.raises(requests.exceptions.SSLError):  # not trusted without the pin
            requests.get(server.url + "/v1/health", timeout=5)
        with pytest.raises(requests.RequestException):  # and no plain HTTP
            requests.get(server.url.replace("https", "http") + "/v1/health", timeout=5)
        data = tmp_path / "device"
        creds = enroll_device(data, server.url, server.new_code(), ca=str(cert))
        copy = data / "office-ca.pem"  # kept in the data folder, and that copy is used
        assert creds.ca_file == str(copy) and copy.read_bytes() == cert.read_bytes()
        assert stat.S_IMODE(copy.stat().st_mode) == 0o600
        assert '"ca_file": "office-ca.pem"' in (data / "sync-credentials.json").read_text()
        cert.unlink()  # the original may go: nothing changes
        creds = Credentials.load(data)
        assert creds.ca_file == str(copy)
        from fieldkit.store import Store

        store = Store.open(data)
        try:
            assert sync_store(store, creds).cursor == 0
        finally:
            store.close()
    finally:
        server.stop()


def test_tls_needs_both_files(tmp_path, tls_files, capsys):
    from fieldkit_server.cli import main

    cert, _ = tls_files
    assert main(["--data", str(tmp_path), "serve", "--tls-cert", str(cert)]) == 2
    assert "--tls-key" in capsys.readouterr().err


def test_no_query_string_reaches_a_log_and_an_abort_is_one_line(tmp_path):
    folder = tmp_path / "srv"
    folder.mkdir()
    server = Served(folder)
    try:
        server.wait()
        answer = SyncClient(server.url).enroll(server.new_code())
        token = answer.token
        headers = {"Authorization": f"Bearer {token}"}
        requests.get(server.url + "/v1/pull?cursor=0&secret=QSECRET1", headers=headers, timeout=5)
        requests.get(server.url + "/v1/nowhere?secret=QSECRET2", timeout=5)
        requests.get(server.url + "/v1/pull?cursor=-5&secret=QSECRET3", headers=headers, timeout=5)
        for path in ("/v1/push", "/v1/attachments/" + "ab" * 32):
            with socket.create_connection(("127.0.0.1", server.port)) as sock:
                method = "POST" if path == "/v1/push" else "PUT"
                sock.sendall(
                    f"{method} {path}?secret=QSECRET4 HTTP/1.1\r\nHost: x\r\n"
                    f"Authorization: Bearer {token}\r\nContent-Length: 1000000\r\n"
                    "Content-Type: application/json\r\n\r\n".encode()
                    + b" " * 10_000
                )
                time.sleep(0.3)  # let the server read part of the body before the hang-up
        deadline = time.monotonic() + 10
        while server.logs().count("client aborted") < 2 and time.monotonic() < deadline:
            time.sleep(0.1)
    finally:
        server.stop()
    logs = server.logs()
    assert "QSECRET" not in logs
    assert "endpoint=/v1/pull status=200" in logs
    aborts = [line for line in logs.splitlines() if "client aborted" in line]
    assert len(aborts) >= 2, logs
    assert "Traceback" not in logs and "status=500" not in logs
