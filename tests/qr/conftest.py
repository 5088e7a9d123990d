"""A small demo compound (3 buildings, 2 entrances, 2 floors) in the test's own folder."""

from __future__ import annotations

import pytest

from fieldkit.services.demo import generate
from fieldkit.services.workspace import Workspace


@pytest.fixture
def compound(tmp_path):
    folder = tmp_path / "compound"
    generate(folder, cases=10, now=1_800_000_000.0, floors=2)
    return folder


@pytest.fixture
def workspace(compound):
    ws = Workspace.open(compound)
    yield ws
    ws.close()
