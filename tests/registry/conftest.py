"""A small demo compound with its registry (residents, permits, rentals) and a few open
renovation violations sent as if from the office."""

from __future__ import annotations

from datetime import datetime

import pytest

from fieldkit.services.demo import generate
from fieldkit.services.demo_registry import open_violations
from fieldkit.services.workspace import Workspace
from fieldkit.store import Store

NOW = datetime(2027, 1, 15, 8, 0).timestamp()  # a Friday, 08:00 local time


@pytest.fixture
def compound(tmp_path):
    folder = tmp_path / "compound"
    counts = generate(folder, cases=10, now=NOW, floors=3)
    assert counts["resident"] >= counts["unit"] and counts["renovation_permit"] >= 1
    with Store.open(folder) as store:
        permits = store.reference("renovation_permit")
        changes = open_violations({"renovation_permit": permits}, now=NOW)
        store.apply_remote(changes, None, stream="test")
    return folder


@pytest.fixture
def workspace(compound):
    ws = Workspace.open(compound)
    yield ws
    ws.close()
