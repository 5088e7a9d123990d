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


def pytest_pyfunc_call(pyfuncitem):
    """Run ``async def`` tests in a fresh event loop (no asyncio plugin is installed)."""
    import asyncio
    import inspect

    if inspect.iscoroutinefunction(pyfuncitem.obj):
        names = pyfuncitem._fixtureinfo.argnames
        kwargs = {name: pyfuncitem.funcargs[name] for name in names}
        asyncio.run(pyfuncitem.obj(**kwargs))
        return True
    return None
