"""The token is checked before the body is read, measured on a real ``fieldkit-server
serve`` process: a 200 MB body with no token or a bad one is answered 401 long before it
has been sent, and the server's peak memory (``VmHWM`` in ``/proc/<pid>/status``) grows by
far less than the body; an enrolled device's push over the 16 MiB cap is answered 413, at
once when its length is declared and after at most the cap when it is streamed, and the
server never holds the 200 MB either."""

from __future__ import annotations

from pathlib import Path

import pytest
import requests

from fieldkit.sync import limits
from fieldkit_server.limits import DRAIN_BYTES
from tests.sync.rawhttp import in_flight, send_until_answered

pytestmark = pytest.mark.skipif(
    not Path("/proc/self/status").exists(), reason="reads peak memory from /proc"
)

MB = 1024 * 1024
BODY = 200 * MB
JSON = {"Content-Type": "application/json"}


def peak_rss(pid: int) -> int:
    """The process's peak resident memory so far, in bytes."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    raise AssertionError("no VmHWM line")


def test_a_huge_body_is_refused_before_it_is_read(server_process):
    pid, port = server_process.proc.pid, server_process.port
    device = server_process.enroll()
    mine = {**JSON, "Authorization": f"Bearer {device.token}"}
    for _ in range(3):  # warm up the paths measured below
        requests.post(server_process.url + "/v1/push", json={"ops": []}, headers=mine, timeout=30)
        requests.post(server_process.url + "/v1/push", data=b" " * 1000, timeout=30)
    before = peak_rss(pid)

    for token, code in ((None, "token_missing"), ("not-a-token", "token_invalid")):
        headers = JSON if token is None else {**JSON, "Authorization": f"Bearer {token}"}
        for chunked in (False, True):  # declared, and streamed without a length
            answer = send_until_answered(port, "POST", "/v1/push", BODY, headers=headers,
                                         chunked=chunked)  # fmt: skip
            assert (answer.status, answer.code) == (401, code), answer
            assert answer.sent <= in_flight() + (DRAIN_BYTES if chunked else 0), answer
    assert peak_rss(pid) - before < 16 * MB, (before, peak_rss(pid))

    answer = send_until_answered(port, "POST", "/v1/push", BODY, headers=mine)
    assert (answer.status, answer.code) == (413, "body_too_large"), answer
    assert answer.sent <= in_flight(), answer
    assert peak_rss(pid) - before < 16 * MB

    answer = send_until_answered(port, "POST", "/v1/push", BODY, headers=mine, chunked=True)
    assert (answer.status, answer.code) == (413, "body_too_large"), answer
    assert answer.sent <= in_flight() + DRAIN_BYTES, answer
    grown = peak_rss(pid) - before
    assert grown < limits.MAX_REQUEST_BYTES + 32 * MB, grown  # the cap, never the body
    assert requests.get(server_process.url + "/v1/health", timeout=30).status_code == 200


def test_a_client_that_asks_first_is_answered_without_sending(server_process):
    """``Expect: 100-continue``: the refusal comes before the client is invited to send."""
    answer = send_until_answered(server_process.port, "POST", "/v1/push", 8 * MB,
                                 headers={**JSON, "Expect": "100-continue"},
                                 wait_first=True)  # fmt: skip
    assert (answer.status, answer.code, answer.sent) == (401, "token_missing", 0), answer
