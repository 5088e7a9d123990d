"""Every test runs with its own data folder and config file, never the real home folder."""

from __future__ import annotations

import pytest

from fieldkit import i18n


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path, monkeypatch):
    data = tmp_path / "data"
    monkeypatch.setenv("FIELDKIT_DATA_DIR", str(data))
    monkeypatch.setenv("FIELDKIT_CONFIG", str(tmp_path / "config.toml"))
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    monkeypatch.delenv("LANGUAGE", raising=False)
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
