"""Waiting for a ``fieldkit-server serve`` child process to answer."""

from __future__ import annotations

import time
from pathlib import Path

import requests


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
