"""The nginx server block of docs/sync.md in front of a real ``fieldkit-server serve``:
taken from the doc as written (only the listen port, certificate paths and upstream port
changed), it carries an enrolment with a pinned CA, a sync with a photo and a full-size
attachment; the server's own refusals come through as its JSON (a body without a token
answered 401 before it is all sent, a push over the cap 413); and the enrolment rate
limit counts the address nginx saw, whatever ``X-Forwarded-For`` a client sends."""

from __future__ import annotations

import os
import re
import shutil
import socket
import ssl
import subprocess
import time

import pytest
import requests
from sqlalchemy import select

from fieldkit.model import Target
from fieldkit.store import Store
from fieldkit.sync import limits
from fieldkit.sync import protocol as p
from fieldkit.sync.client import NeedsEnrolment, SyncClient, enroll_device, sync_store
from fieldkit_server import enrol_failures
from fieldkit_server.db import Database
from fieldkit_server.devices import add_device
from fieldkit_server.tables import EnrolFailure
from tests.sync.pg import free_port
from tests.sync.rawhttp import send_until_answered
from tests.sync.records import sha
from tests.sync.test_deploy import tls_files  # noqa: F401 - a fixture

from .test_sync_doc import boundary

NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if os.path.exists("/usr/sbin/nginx") else None)
pytestmark = pytest.mark.skipif(
    NGINX is None, reason="nginx is not installed (make test installs nginx-light as root)"
)


def doc_server_block(port: int, upstream: int, cert, key) -> str:
    block = re.search(r"```nginx\n(.*?)```", boundary(), re.DOTALL).group(1)
    for old, new in (
        ("listen 443 ssl;", f"listen 127.0.0.1:{port} ssl;"),
        ("/etc/fieldkit/cert.pem", str(cert)),
        ("/etc/fieldkit/key.pem", str(key)),
        ("127.0.0.1:8470", f"127.0.0.1:{upstream}"),
    ):
        assert old in block, old
        block = block.replace(old, new)
    return block


@pytest.fixture
def proxied(server_process, tls_files, tmp_path):  # noqa: F811 - the fixture above
    cert, key = tls_files
    folder = tmp_path / "nginx"
    folder.mkdir()
    port = free_port()
    temps = "\n".join(f"    {name}_temp_path {folder / name};"
                      for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))  # fmt: skip
    user = "user root root;\n" if os.geteuid() == 0 else ""
    conf = folder / "nginx.conf"
    conf.write_text(
        f"{user}daemon off;\nworker_processes 1;\npid {folder / 'nginx.pid'};\n"
        f"error_log {folder / 'error.log'};\nevents {{ worker_connections 64; }}\n"
        f"http {{\n    access_log off;\n{temps}\n"
        f"{doc_server_block(port, server_process.port, cert, key)}}}\n"
    )
    proc = subprocess.Popen([NGINX, "-p", str(folder), "-c", str(conf)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)  # fmt: skip
    deadline = time.monotonic() + 30
    while True:
        assert proc.poll() is None, (folder / "error.log").read_text()
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            assert time.monotonic() < deadline, "nginx did not start"
            time.sleep(0.1)
    yield f"https://127.0.0.1:{port}", port, cert
    proc.terminate()
    proc.wait(10)


def new_code(server) -> str:
    db = Database(server.db_url)
    try:
        return add_device(db, site="s1", role="patrol", name="through nginx").code
    finally:
        db.dispose()


def test_a_device_syncs_through_the_docs_nginx(server_process, proxied, tmp_path):
    url, port, cert = proxied
    data = tmp_path / "device"
    creds = enroll_device(data, url, new_code(server_process), ca=str(cert))
    store = Store.open(data)
    try:
        photo = store.put_blob(os.urandom(50_000), media_type="image/jpeg", name="door.jpg")
        case = store.create_case("repair", Target("unit", "u1"), title="门禁坏了", site_id="s1")
        store.add_case_event(case.id, "photo", attachments=[photo])
        report = sync_store(store, creds)
        assert (report.uploaded, report.acknowledged, report.rejected) == (1, 2, 0), report
    finally:
        store.close()

    headers = {"Authorization": f"Bearer {creds.token}"}
    largest = os.urandom(p.MAX_ATTACHMENT_BYTES)
    answer = requests.put(f"{url}/v1/attachments/{sha(largest)}", data=largest,
                          headers=headers, verify=str(cert), timeout=120)  # fmt: skip
    assert answer.status_code == 201, answer.text

    tls = ssl.create_default_context(cafile=str(cert))
    size = 20 * 1024 * 1024  # under nginx's cap: the server's refusal comes through
    nobody = send_until_answered(port, "POST", "/v1/push", size, chunked=True, tls=tls)
    assert (nobody.status, nobody.code) == (401, "token_missing"), nobody
    over = send_until_answered(port, "POST", "/v1/push", limits.MAX_REQUEST_BYTES + 1024,
                               headers={**headers, "Content-Type": "application/json"},
                               tls=tls)  # fmt: skip
    assert (over.status, over.code) == (413, "body_too_large"), over


def test_a_revoked_device_uploading_a_photo_is_told_to_enrol_again(server_process, proxied):
    """Not "offline" (nginx's 502 when the server answered while it still sent the body)."""
    url, _port, cert = proxied
    for size in (10_000, 2_000_000, p.MAX_ATTACHMENT_BYTES):
        data = os.urandom(size)
        client = SyncClient(url, "a-revoked-token", verify=str(cert))
        with pytest.raises(NeedsEnrolment) as refused:
            client.upload_attachment(sha(data), data)
        assert refused.value.code == "token_invalid", size
        client.close()


def test_the_rate_limit_counts_the_address_nginx_saw(server_process, proxied):
    """A device cannot pick the address counted by sending its own X-Forwarded-For."""
    url, _port, cert = proxied
    for n in range(enrol_failures.ENROLL_FAILURES + 1):
        answer = requests.post(f"{url}/v1/enroll", json={"code": "AAAA-BBBB-CC"},
                               headers={"X-Forwarded-For": f"10.0.0.{n}"},
                               verify=str(cert), timeout=30)  # fmt: skip
        expected = 400 if n < enrol_failures.ENROLL_FAILURES else 429
        assert answer.status_code == expected, (n, answer.text)
    db = Database(server_process.db_url)
    try:
        with db.engine.connect() as conn:
            addresses = set(conn.execute(select(EnrolFailure.address)).scalars())
    finally:
        db.dispose()
    assert addresses == {"127.0.0.1"}
