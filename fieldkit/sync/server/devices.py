"""Enrolling, listing and revoking devices (the office side of DESIGN §6 "devices")."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select

from fieldkit.sync.protocol import ALL_SITES, ROLES
from fieldkit.sync.server import access
from fieldkit.sync.server.db import Database
from fieldkit.sync.server.push import now
from fieldkit.sync.server.tables import Device


class DeviceError(ValueError):
    """A request the office made that cannot be done; ``key`` names the i18n message."""

    def __init__(self, key: str, **params: object) -> None:
        super().__init__(key)
        self.key = key
        self.params = params


@dataclass(frozen=True)
class NewDevice:
    device_id: str
    code: str
    expires_at: datetime


def add_device(db: Database, *, site: str, role: str, name: str, hours: float = 24) -> NewDevice:
    site = site.strip()
    if role not in ROLES:
        raise DeviceError("server.cli.role_help")
    if not site or (site == ALL_SITES and role != "office"):
        raise DeviceError("server.cli.bad_site")
    code = access.new_code()
    expires = now() + timedelta(hours=hours)
    device_id = str(uuid.uuid4())
    with db.sessions() as session, session.begin():
        session.add(
            Device(
                id=device_id,
                name=name.strip() or device_id[:8],
                site=site,
                role=role,
                code_hash=access.hash_secret(code),
                code_expires_at=expires,
                created_at=now(),
                last_seq=0,
            )
        )
    return NewDevice(device_id, access.format_code(code), expires)


def list_devices(db: Database) -> list[Device]:
    with db.sessions() as session:
        return list(session.execute(select(Device).order_by(Device.created_at)).scalars())


def device_state(device: Device) -> str:
    if device.revoked_at is not None:
        return "revoked"
    return "active" if device.token_hash else "waiting"


def revoke_device(db: Database, device_id: str) -> tuple[Device, bool]:
    """Revoke; returns the device and whether it was active before."""
    with db.sessions() as session, session.begin():
        device = session.get(Device, device_id)
        if device is None:
            raise DeviceError("server.cli.unknown_device", device_id=device_id)
        if device.revoked_at is not None:
            return device, False
        device.revoked_at = now()
        device.code_hash = None
        return device, True
