"""Devices SIGKILLed at random points of a sync, and the server killed and restarted.

Three device processes work and sync in a loop; the test kills one at a random moment
(before a push, after the server applied a batch but before the device stored the answer,
mid-pull, between a page and its cursor ...) and starts it again, and kills and restarts
the server now and then. Afterwards, on a quiet network, the same exactly-once and
convergence checks as the fault-proxy test must hold.
"""

from __future__ import annotations

import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.sync.device import TestDevice
from tests.sync.test_faults import check_exactly_once, settle

ROOT = Path(__file__).resolve().parents[2]


def spawn(folder, device_id, token, url, seed) -> subprocess.Popen:
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tests.sync.killed_device",
            str(folder),
            device_id,
            token,
            url,
            str(seed),
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert proc.stdout.readline().strip() == "ready"
    return proc


def run_kills(server, tmp_path, kills: int, server_restarts: int, seed: int) -> dict[str, int]:
    rng = random.Random(seed)
    devices = []
    for i in range(3):
        enrolled = server.enroll(name=f"laptop {i}")
        devices.append((tmp_path / f"device{i}", enrolled.device_id, enrolled.token))
    procs = [spawn(f, d, t, server.url, seed * 100 + i) for i, (f, d, t) in enumerate(devices)]
    restart_at = set(rng.sample(range(1, kills), server_restarts)) if server_restarts else set()
    try:
        for k in range(kills):
            time.sleep(rng.uniform(0.02, 0.25))
            victim = rng.randrange(3)
            procs[victim].send_signal(signal.SIGKILL)
            procs[victim].wait()
            if k in restart_at:
                server.kill()
                time.sleep(rng.uniform(0, 0.3))
                server.start()
            folder, device_id, token = devices[victim]
            procs[victim] = spawn(folder, device_id, token, server.url, seed * 1000 + k)
    finally:
        for proc in procs:
            proc.send_signal(signal.SIGKILL)
            proc.wait()
    loaded = [(TestDevice(f, d), t) for f, d, t in devices]
    try:
        settle(loaded, server.url)
        return check_exactly_once(server, loaded)
    finally:
        for device, _ in loaded:
            device.close()


def test_devices_and_server_killed_at_random_points(server_process, tmp_path):
    stats = run_kills(server_process, tmp_path, kills=15, server_restarts=2, seed=3)
    assert stats["ops"] > 20


@pytest.mark.soak
def test_devices_and_server_killed_soak(server_process, tmp_path):
    stats = run_kills(server_process, tmp_path, kills=120, server_restarts=8, seed=5)
    print(stats)
