from __future__ import annotations

import pytest

from tests.incidents.helpers import make_compound, open_workspace


@pytest.fixture
def refs(tmp_path):
    return make_compound(tmp_path / "ws")


@pytest.fixture
def ws(tmp_path, refs):
    workspace = open_workspace(tmp_path / "ws")
    yield workspace
    workspace.close()
