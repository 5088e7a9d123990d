"""Devices SIGKILLed at the risky moments of a sync, and the server killed and restarted.

Three device processes work and sync in a loop; each kill is aimed at one phase of a round
in turn (before a push, after the server applied a batch but before the device stored the
answer, with a pulled page not yet stored, right after a page and its cursor were stored:
``tests.sync.killed_device.PHASES``): the device says when it is there and the test kills it
at that moment, then starts it again. The server is killed and restarted now and then.
The test reports which phase each kill hit and fails if a phase was never hit. Afterwards,
on a quiet network, the same exactly-once and convergence checks as the fault-proxy test
must hold.
"""

from __future__ import annotations

import queue
import random
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import pytest

from tests.sync.device import TestDevice
from tests.sync.killed_device import PHASES
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
        stderr=None,  # a device that fails shows why in the test's output
        text=True,
    )
    assert proc.stdout.readline().strip() == "ready"
    proc.said = queue.Queue()
    threading.Thread(target=_read_lines, args=(proc,), daemon=True).start()
    return proc


def _read_lines(proc: subprocess.Popen) -> None:
    for line in proc.stdout:
        proc.said.put(line.strip())


def _kill_at(proc: subprocess.Popen, phase: str, wait: float = 10.0) -> bool:
    """Kill ``proc`` the moment it says it is in ``phase``; True if it got there in time."""
    deadline = time.monotonic() + wait
    while (left := deadline - time.monotonic()) > 0:
        try:
            if proc.said.get(timeout=left) == f"phase {phase}":
                proc.kill()
                return True
        except queue.Empty:
            break
    proc.kill()
    return False


def run_kills(server, tmp_path, kills: int, server_restarts: int, seed: int) -> dict[str, int]:
    rng = random.Random(seed)
    devices = []
    for i in range(3):
        enrolled = server.enroll(name=f"laptop {i}")
        devices.append((tmp_path / f"device{i}", enrolled.device_id, enrolled.token))
    procs = [spawn(f, d, t, server.url, seed * 100 + i) for i, (f, d, t) in enumerate(devices)]
    restart_at = set(rng.sample(range(1, kills), server_restarts)) if server_restarts else set()
    hit: Counter[str] = Counter()
    try:
        for k in range(kills):
            victim = rng.randrange(3)
            phase = PHASES[k % len(PHASES)]
            hit[phase if _kill_at(procs[victim], phase) else "missed"] += 1
            procs[victim].wait()
            if k in restart_at:
                server.kill()
                time.sleep(rng.uniform(0, 0.3))
                server.start()
            folder, device_id, token = devices[victim]
            procs[victim] = spawn(folder, device_id, token, server.url, seed * 1000 + k)
    finally:
        for proc in procs:
            proc.kill()
            proc.wait()
    print("kills by phase:", dict(hit))
    loaded = [(TestDevice(f, d), t) for f, d, t in devices]
    try:
        settle(loaded, server.url)
        return {**check_exactly_once(server, loaded), "hit": hit}
    finally:
        for device, _ in loaded:
            device.close()


def test_devices_and_server_killed_at_random_points(server_process, tmp_path):
    stats = run_kills(server_process, tmp_path, kills=16, server_restarts=2, seed=3)
    assert stats["ops"] > 20
    assert all(stats["hit"][phase] >= 2 for phase in PHASES), stats["hit"]


@pytest.mark.soak
def test_devices_and_server_killed_soak(server_process, tmp_path):
    stats = run_kills(server_process, tmp_path, kills=120, server_restarts=8, seed=5)
    print(stats)
