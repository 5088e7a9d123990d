"""A field laptop's install has no office server: the demo says how to get one."""

from __future__ import annotations

import importlib.util

import pytest

from fieldkit.services import demo_office as demo


def test_the_demo_without_a_server_says_how_to_install_it(tmp_path, monkeypatch):
    demo.make(tmp_path / "demo", cases=0)
    layout = demo.read_layout(tmp_path / "demo")
    real = importlib.util.find_spec

    def without_server(name, *args):  # the office package is not installed here
        return None if name == "fieldkit_server" else real(name, *args)

    monkeypatch.setattr(importlib.util, "find_spec", without_server)
    with pytest.raises(demo.DemoError) as refused:
        demo.DemoOffice(layout).start()
    assert "pip install ./sync" in refused.value.message()
    assert not (layout.server_dir / "server.log").exists()  # nothing was started
