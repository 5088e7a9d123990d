"""The device's enrolment as saved in its data folder, and what the device state says of its
last round: read by every screen that shows the sync line and by the device's role, so it
imports no HTTP or protocol stack (``fieldkit.sync.client`` re-exports both)."""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from pathlib import Path

from fieldkit.store.atomic import atomic_write
from fieldkit.store.modes import make_dir
from fieldkit.sync.errors import SyncError

CREDENTIALS_FILE = "sync-credentials.json"


@dataclass(frozen=True)
class Credentials:
    url: str
    device_id: str
    token: str
    site: str
    role: str
    name: str
    ca_file: str | None = None

    @classmethod
    def load(cls, data_dir: Path) -> Credentials | None:
        """The saved credentials, the CA copy's path made whole (it is saved relative to the
        data folder, so a folder moved or copied elsewhere keeps working)."""
        try:
            raw = json.loads((data_dir / CREDENTIALS_FILE).read_text("utf-8"))
            creds = cls(**raw)
        except FileNotFoundError:
            return None
        except (ValueError, TypeError) as exc:
            raise SyncError(f"unreadable {CREDENTIALS_FILE}: {exc}") from exc
        if creds.ca_file and not Path(creds.ca_file).is_absolute():
            return replace(creds, ca_file=str(data_dir / creds.ca_file))
        return creds

    def save(self, data_dir: Path) -> Path:
        """Write atomically (:func:`~fieldkit.store.atomic.atomic_write`: a temp file, fsync,
        the retried replace). Where the OS has modes the file is 0600 from the start, so the
        token never sits readable by others; on Windows the profile's ACLs keep it the user's."""
        make_dir(data_dir)
        path = data_dir / CREDENTIALS_FILE
        saved = dict(self.__dict__)
        if self.ca_file and Path(self.ca_file).parent == data_dir:
            saved["ca_file"] = Path(self.ca_file).name
        atomic_write(path, json.dumps(saved, indent=2).encode("utf-8"))
        return path


def sync_standing(state: dict, creds: Credentials | None) -> tuple[float | None, str | None]:
    """(when this device last finished a round with the office, the code of the refusal
    that stopped it, if the office refused these very credentials): kept in the device
    state by ``fieldkit.sync.client.sync_store``, so the app and ``fieldkit sync`` share
    them, across restarts. ``state`` is the store's ``device_state()``. A refusal of
    earlier credentials no longer counts once enrolled again."""
    refused = state.get("sync_refused") or {}
    code = None
    if creds is not None and refused.get("device_id") == creds.device_id:
        code = refused.get("code")
    last = state.get("last_sync")
    return (float(last) if isinstance(last, int | float) else None), code
