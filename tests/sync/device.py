"""A device for the sync tests: the real device store plus a little bookkeeping.

:class:`TestDevice` opens :class:`fieldkit.store.Store` in its folder and syncs it through
:class:`fieldkit.sync.client.StoreAdapter`, exactly as ``fieldkit sync`` does. Beside the
store it appends, in files of its own, the ids of notes it wrote and of ops the server
acknowledged — only after the store call returned — so the tests can check that whatever a
device was told is safe is on the server once.
"""

from __future__ import annotations

import os
from pathlib import Path

from fieldkit.model import Target
from fieldkit.store import Store
from fieldkit.sync.client import StoreAdapter


class _LoggingAdapter(StoreAdapter):
    def __init__(self, store: Store, site: str, log: Path) -> None:
        super().__init__(store, site)
        self.log = log

    def settle(self, done, rejected) -> None:
        super().settle(done, rejected)
        _append(self.log, done)


def _append(path: Path, lines) -> None:
    if not lines:
        return
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    try:
        os.write(fd, "".join(f"{line}\n" for line in lines).encode())
    finally:
        os.close(fd)


def _read(path: Path) -> list[str]:
    return path.read_text().split() if path.exists() else []


class TestDevice:
    __test__ = False

    def __init__(self, folder: Path, device_id: str, site: str = "s1") -> None:
        self.folder = folder
        self.device_id = device_id  # the id the server enrolled
        self.site = site
        self.store = Store.open(folder / "data", command="sync test")
        self.adapter = _LoggingAdapter(self.store, site, folder / "acked.log")

    def close(self) -> None:
        self.store.close()

    def new_case(self, title: str) -> str:
        return self.store.create_case(
            "repair", Target("unit", "u1"), title=title, site_id=self.site
        ).id

    def add_note(self, case_id: str, text: str) -> str:
        event = self.store.add_case_event(case_id, "note", text, by=self.device_id)
        _append(self.folder / "events.log", [event.id])
        return event.id

    def case_ids(self) -> list[str]:
        return [c.id for c in self.store.open_cases()]

    @property
    def acked(self) -> list[str]:
        return _read(self.folder / "acked.log")

    @property
    def events(self) -> list[str]:
        return _read(self.folder / "events.log")

    @property
    def made(self) -> int:
        """How many ops this device's store has ever queued (its sequence counter)."""
        return int(self.store.device_state().get("seq", 0))
