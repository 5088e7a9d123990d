"""Every test runs with its own data folder and config file, never the real home folder."""

from __future__ import annotations

import pytest
from hypothesis import settings

from fieldkit import i18n

# Every property test draws the same examples on every run (a seed derived from the test),
# so CI never fails on a draw no earlier run met; `--hypothesis-seed` or a profile of one's
# own explores further. A test's own @settings keeps this unless it says otherwise.
settings.register_profile("pinned", derandomize=True, print_blob=True)
settings.load_profile("pinned")


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path, monkeypatch):
    data = tmp_path / "data"
    monkeypatch.setenv("FIELDKIT_DATA_DIR", str(data))
    monkeypatch.setenv("FIELDKIT_CONFIG", str(tmp_path / "config.toml"))
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    monkeypatch.delenv("LANGUAGE", raising=False)
    # pytest-xdist's workers say COLUMNS=80 LINES=24; Textual obeys them, so an app a test
    # starts in a 120x40 tmux pane would draw itself 80x24.
    monkeypatch.delenv("COLUMNS", raising=False)
    monkeypatch.delenv("LINES", raising=False)
    yield data
    i18n.set_language("en")


def pytest_pyfunc_call(pyfuncitem):
    """Run ``async def`` tests (Textual Pilot) in a fresh event loop; no asyncio plugin."""
    import asyncio
    import inspect

    if inspect.iscoroutinefunction(pyfuncitem.obj):
        names = pyfuncitem._fixtureinfo.argnames
        kwargs = {name: pyfuncitem.funcargs[name] for name in names}
        asyncio.run(pyfuncitem.obj(**kwargs))
        return True
    return None
