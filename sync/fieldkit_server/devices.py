"""Enrolling, listing and revoking devices (the office side of DESIGN §6 "devices"), and
noting when each was last seen."""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import or_, select, update
from sqlalchemy.exc import SQLAlchemyError

from fieldkit.i18n import UserError
from fieldkit.sync.protocol import ALL_SITES, ROLES
from fieldkit_server import access
from fieldkit_server.db import Database
from fieldkit_server.push import now
from fieldkit_server.tables import ConsoleUser, Device

log = logging.getLogger("fieldkit.server")

#: A device's ``last_seen_at`` is rewritten at most this often: a pull or a file fetch only
#: reads the devices table, and a write per request would take SQLite's write lock (and a
#: row lock on PostgreSQL) on every one of them.
SEEN_EVERY = timedelta(seconds=60)


class DeviceError(UserError, ValueError):
    """A request the office made that cannot be done; ``key`` names the i18n message."""


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


def active_named(db: Database, name: str) -> list[str]:
    """Ids of the devices in use (enrolled or waiting, not revoked) named ``name``: a device
    enrolled again under its old name is a second device, and the old one stays in use
    until revoked."""
    with db.sessions() as session:
        query = select(Device.id).where(Device.name == name.strip(), Device.revoked_at.is_(None))
        return list(session.execute(query).scalars())


def list_devices(db: Database) -> list[Device]:
    """Every device, not the rows the console writes its people's changes under."""
    consoles = select(ConsoleUser.device_id)
    with db.sessions() as session:
        return list(
            session.execute(
                select(Device).where(Device.id.not_in(consoles)).order_by(Device.created_at)
            ).scalars()
        )


def device_state(device: Device) -> str:
    if device.revoked_at is not None:
        return "revoked"
    return "active" if device.token_hash else "waiting"


#: The shortest start of a device id that ``revoke`` takes: one character would reach a
#: device by accident.
MIN_ID_PREFIX = 4


def find_device(session, wanted: str) -> Device:
    """The device ``wanted`` names: its whole id, the start of its id (at least
    :data:`MIN_ID_PREFIX` characters, as ``devices`` lists them) or its name. None or
    several: a DeviceError that says so, listing the candidates."""
    wanted = wanted.strip()
    consoles = set(session.execute(select(ConsoleUser.device_id)).scalars())
    device = session.get(Device, wanted)
    if device is not None and device.id not in consoles:
        return device
    prefix = wanted.lower() if len(wanted) >= MIN_ID_PREFIX else None
    found = [
        d
        for d in session.execute(select(Device).order_by(Device.created_at)).scalars()
        if d.id not in consoles and (d.name == wanted or (prefix and d.id.startswith(prefix)))
    ]
    if not found:
        raise DeviceError("server.cli.unknown_device", device_id=wanted)
    if len(found) > 1:
        from fieldkit.i18n import t

        listed = "\n".join(
            f"  {d.id} | {d.name} | {d.site} | {t(f'server.cli.state_{device_state(d)}')}"
            for d in found
        )
        raise DeviceError("server.cli.ambiguous_device", device_id=wanted, devices=listed)
    return found[0]


def revoke_device(db: Database, device_id: str) -> tuple[Device, bool]:
    """Revoke the device ``device_id`` names (:func:`find_device`); returns it and whether
    it was active before."""
    with db.sessions() as session, session.begin():
        device = find_device(session, device_id)
        if device.revoked_at is not None:
            return device, False
        device.revoked_at = now()
        device.code_hash = None
        return device, True


def seen_is_stale(last_seen: datetime | None, at: datetime | None = None) -> bool:
    """Whether a request at ``at`` should rewrite a ``last_seen_at`` of ``last_seen``."""
    if last_seen is None:
        return True
    if last_seen.tzinfo is None:  # SQLite hands back naive UTC
        last_seen = last_seen.replace(tzinfo=UTC)
    return (at or now()) - last_seen >= SEEN_EVERY


def note_seen(db: Database, device_id: str, at: datetime | None = None) -> bool:
    """Set the device's ``last_seen_at`` to ``at`` unless another request (of this or another
    server process) did within :data:`SEEN_EVERY`; True when written. Run after the answer
    went out, so a failure here is logged and never reaches the device."""
    at = at or now()
    try:
        with db.sessions() as session, session.begin():
            done = session.execute(
                update(Device)
                .where(
                    Device.id == device_id,
                    or_(Device.last_seen_at.is_(None), Device.last_seen_at <= at - SEEN_EVERY),
                )
                .values(last_seen_at=at)
            )
            return bool(done.rowcount)
    except SQLAlchemyError as exc:
        log.warning("could not note device %s as seen: %s", device_id, type(exc).__name__)
        return False
