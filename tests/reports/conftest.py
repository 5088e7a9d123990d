from __future__ import annotations

import pytest

from fieldkit.i18n import set_language
from fieldkit.services.demo import generate
from fieldkit.services.workspace import Workspace


@pytest.fixture
def ws(tmp_path):
    """The demo compound (three buildings of eight floors, a year of cases), with the
    coordinator 王敏 signed in."""
    generate(tmp_path / "ws", cases=60, floors=8, person="王敏")
    workspace = Workspace.open(tmp_path / "ws", command="tests")
    yield workspace
    workspace.close()
    set_language("en")
