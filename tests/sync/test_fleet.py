"""The fleet load generator (bench/fleet.py), short: a dozen devices of three compounds
syncing at once against a server with two worker processes on PostgreSQL, then every
operation checked on the server exactly once. Figures are printed, never asserted."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.sync.pg import find_bin_dir

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.skipif(find_bin_dir() is None, reason="PostgreSQL binaries not found")
def test_a_fleet_syncing_at_once_lands_every_operation_exactly_once(tmp_path):
    out = tmp_path / "fleet.json"
    run = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "fleet.py"), "--devices", "15", "--seconds", "6",
         "--interval", "1", "--workers", "2", "--baseline-seconds", "0", "--json", str(out)],
        capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    print(run.stdout)
    assert run.returncode == 0, run.stdout + run.stderr
    (figures,) = json.loads(out.read_text())["runs"]
    assert figures["exactly_once"], figures["problems"]
    assert figures["problems"] == []
    # The mix reached the server: inspections, cases, the compounds' incidents, photos,
    # and notes and timeline entries from several devices on the same records.
    assert set(figures["records"]) == {"inspection", "case", "incident"}
    assert figures["records"]["incident"] == 3  # one per compound
    assert figures["photos"] > 0 and figures["events"] > 0
    assert figures["ops"] > figures["records"]["case"] + figures["records"]["inspection"]
    assert "exactly once: yes" in run.stdout
