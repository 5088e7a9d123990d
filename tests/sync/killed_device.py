"""A device process for the kill tests: works and syncs in a loop until it is SIGKILLed.

Run as ``python -m tests.sync.killed_device FOLDER DEVICE_ID TOKEN URL SEED``. It prints
``ready`` once started, so the parent kills it during work, not during imports.
"""

from __future__ import annotations

import contextlib
import random
import sys
from pathlib import Path

from fieldkit.sync.client import SyncError, sync_round
from tests.sync.device import TestDevice
from tests.sync.test_faults import client_for, work


def main() -> None:
    folder, device_id, token, url, seed = sys.argv[1:6]
    rng = random.Random(int(seed))
    device = TestDevice(Path(folder), device_id)
    print("ready", flush=True)
    while True:
        work(device, rng)
        with contextlib.suppress(SyncError):
            sync_round(
                device.adapter,
                client_for(url, token, timeout=2),
                batch=rng.randint(1, 6),
                page=rng.randint(1, 10),
            )


if __name__ == "__main__":
    main()
