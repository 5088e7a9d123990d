"""Devices with the real store syncing through a real ``fieldkit-server serve`` process on
the test's database (SQLite or PostgreSQL): for tests about what devices end up holding."""

from __future__ import annotations

from pathlib import Path

from fieldkit.sync.client import RoundReport, SyncClient, sync_round
from tests.sync.conftest import ServerProcess
from tests.sync.device import TestDevice


class LiveDevice(TestDevice):
    """A :class:`TestDevice` enrolled on ``server`` with ``role``; ``sync()`` is one round."""

    def __init__(self, server: ServerProcess, folder: Path, role: str, site: str = "s1"):
        enrolled = server.enroll(site=site, role=role, name=f"{role} {folder.name}")
        super().__init__(folder, enrolled.device_id, site)
        self.role = role
        self.token = enrolled.token
        self.url = server.url

    def client(self) -> SyncClient:
        return SyncClient(self.url, self.token)

    def sync(self) -> RoundReport:
        client = self.client()
        try:
            return sync_round(self.adapter, client)
        finally:
            client.close()
