"""Store tests that need a real office server borrow the sync tests' fixture."""

from tests.sync.conftest import server_process  # noqa: F401
