"""A device process for the kill tests: works and syncs in a loop until it is SIGKILLed.

Run as ``python -m tests.sync.killed_device FOLDER DEVICE_ID TOKEN URL SEED``. It prints
``ready`` once started, so the parent kills it during work, not during imports. At each
risky moment of a round it prints ``phase <name>`` and pauses briefly, so the parent can
kill it right there (:data:`PHASES`). A pulled page and its cursor are stored in one atomic
write, so there is no moment between them to aim at; ``after_page`` is the moment after
that write and before the next request.
"""

from __future__ import annotations

import contextlib
import random
import sys
import time
from pathlib import Path

from fieldkit.sync.client import SyncError, sync_round
from tests.sync.device import TestDevice
from tests.sync.test_faults import client_for, work

#: before_push: the batch is read from the outbox, not sent; applied_not_acked: the server
#: applied it, the device has not stored the answer; mid_pull: a page arrived, not stored;
#: after_page: the page and its cursor are stored, the next page not asked for.
PHASES = ("before_push", "applied_not_acked", "mid_pull", "after_page")
PAUSE = 0.03


def _mark(phase: str) -> None:
    print(f"phase {phase}", flush=True)
    time.sleep(PAUSE)


class PhasedClient:
    """The real client, saying where a round is."""

    def __init__(self, client) -> None:
        self._client = client

    def __getattr__(self, name):
        return getattr(self._client, name)

    def push(self, ops, held=()):
        _mark("before_push")
        answer = self._client.push(ops, held)
        _mark("applied_not_acked")
        return answer

    def pull(self, cursor, limit):
        answer = self._client.pull(cursor, limit)
        if answer.changes:
            _mark("mid_pull")
        return answer


def _phased_store(adapter):
    apply_remote = adapter.apply_remote

    def applied(changes, cursor):
        apply_remote(changes, cursor)
        _mark("after_page")

    adapter.apply_remote = applied
    return adapter


def main() -> None:
    folder, device_id, token, url, seed = sys.argv[1:6]
    rng = random.Random(int(seed))
    device = TestDevice(Path(folder), device_id)
    store = _phased_store(device.adapter)
    print("ready", flush=True)
    while True:
        work(device, rng)
        with contextlib.suppress(SyncError):
            sync_round(
                store,
                PhasedClient(client_for(url, token, timeout=2)),
                batch=rng.randint(1, 6),
                page=rng.randint(1, 10),
            )


if __name__ == "__main__":
    main()
