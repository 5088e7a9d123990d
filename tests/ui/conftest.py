"""Apps under test run on a generated demo compound in the test's own data folder."""

from __future__ import annotations

import pytest

from fieldkit.services.demo import generate
from fieldkit.services.workspace import Workspace


@pytest.fixture
def demo_dir(tmp_path):
    folder = tmp_path / "compound"
    generate(folder, cases=80, now=1_800_000_000.0)
    return folder


@pytest.fixture
def compound(tmp_path):
    """A three-floor demo compound with no cases: the floor rounds' tests start from it."""
    generate(tmp_path / "c", cases=0, floors=3)
    return tmp_path / "c"


@pytest.fixture
def workspace(demo_dir):
    ws = Workspace.open(demo_dir)
    yield ws
    ws.close()
