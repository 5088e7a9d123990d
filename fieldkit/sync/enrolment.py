"""An enrolled device's standing with its office server: moving it to a new address of the
same server, and checking it (``fieldkit doctor``).

A move (``fieldkit enroll --move-to URL [--ca FILE]``) keeps the device's token: the office
server at the new address is asked who the token belongs to (``GET /v1/me``) through the new
address and the new CA, and only when it answers with this very device are the address and
the CA copy saved. So an office that went from http to https, or to a new host name, keeps
its devices and their history without a second enrolment — and a wrong address, a server
that does not know the device or a certificate the device does not trust changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from fieldkit.store.doctor import Finding
from fieldkit.sync import trust
from fieldkit.sync.client import (
    Credentials,
    NeedsEnrolment,
    Offline,
    SyncClient,
    SyncError,
    ca_file,
    sync_standing,
)
from fieldkit.sync.errors import REFUSALS


@dataclass(frozen=True)
class Moved:
    creds: Credentials
    old_url: str


def normalise_url(url: str) -> str:
    """An address as typed (``office:8470``) with its scheme (http unless given)."""
    url = url.strip()
    return (url if "://" in url else f"http://{url}").rstrip("/")


def move_to(data_dir: Path, url: str, ca: str | None = None, lang: str = "en") -> Moved:
    """Point this enrolled device at ``url``; ``ca`` a CA file to trust from now on (else the
    kept copy, if any, stays). Raises ``CAUnreadable`` before anything is asked, and any
    ``SyncError`` of the check; nothing is saved unless the server there knows the token."""
    creds = Credentials.load(data_dir)
    if creds is None:
        raise LookupError("not enrolled")
    url = normalise_url(url)
    ca_bytes = trust.read_ca(ca) if ca else None
    pinned: str | bool = ca or ca_file(creds)
    client = SyncClient(url, creds.token, lang=lang, verify=pinned)
    try:
        me = client.me()
    finally:
        client.close()
    if me.device_id != creds.device_id:  # a token is one device's: a server answering
        raise NeedsEnrolment("token_invalid", "another device")  # otherwise is not ours
    kept = str(trust.keep_copy(data_dir, ca_bytes)) if ca_bytes else creds.ca_file
    moved = replace(creds, url=url, ca_file=kept, name=me.name, site=me.site, role=me.role)
    moved.save(data_dir)
    return Moved(moved, creds.url)


def check(
    data_dir: Path,
    state: dict | None = None,
    *,
    ask_server: bool = True,
    lang: str = "en",
    configured: str | None = None,
) -> list[Finding]:
    """``fieldkit doctor``'s lines about the enrolment: the saved credentials, the CA copy,
    a refusal the office sent, and — when ``ask_server`` — whether the office server still
    knows this device (offline: a line saying it could not be checked, not a problem).
    ``configured`` is config.toml's ``server_url``, which sync does not use: a device syncs
    with the address it was enrolled (or moved) with, and the line says how to change it."""
    found: list[Finding] = []
    try:
        creds = Credentials.load(data_dir)
    except SyncError as exc:
        return [Finding("problem", "sync.doctor.unreadable", {"reason": str(exc)})]
    if creds is None:
        return [Finding("ok", "sync.doctor.not_enrolled")]
    found.append(Finding("ok", "sync.doctor.enrolled", {"name": creds.name, "url": creds.url}))
    if configured and normalise_url(configured) != creds.url:  # config.toml's server_url
        found.append(
            Finding("ok", "sync.doctor.config_url", {"url": configured, "used": creds.url})
        )
    pinned = creds.ca_file
    if pinned:
        try:
            trust.read_ca(pinned)
            kept = Path(pinned).parent == data_dir
            found.append(Finding("ok", f"sync.doctor.ca_{'kept' if kept else 'outside'}",
                                 {"path": pinned, "url": creds.url}))  # fmt: skip
        except SyncError as exc:
            said = {"reason": exc.reason(lang), "url": creds.url}
            found.append(Finding("problem", "sync.doctor.ca_bad", said))
            return found
    elif creds.url.startswith("https://"):
        found.append(Finding("ok", "sync.doctor.ca_system"))
    else:
        found.append(Finding("ok", "sync.doctor.plain_http"))
    if state is not None:
        _last, refused = sync_standing(state, creds)
        if refused in REFUSALS:
            found.append(Finding("problem", f"sync.refused.{refused}"))
            return found
    if not ask_server:
        return found
    found.append(_ask(creds, lang))
    return found


def _ask(creds: Credentials, lang: str) -> Finding:
    try:
        client = SyncClient(creds.url, creds.token, lang=lang, verify=ca_file(creds))
        try:
            client.me()
        finally:
            client.close()
    except NeedsEnrolment as exc:
        if exc.code in REFUSALS:
            return Finding("problem", f"sync.refused.{exc.code}")
        said = {"url": creds.url, "reason": exc.reason(lang)}
        return Finding("problem", "sync.doctor.failed", said)
    except Offline as exc:
        said = {"url": creds.url, "reason": exc.reason(lang)}
        return Finding("ok", "sync.doctor.unchecked", said)
    except SyncError as exc:
        said = {"url": creds.url, "reason": exc.reason(lang)}
        return Finding("problem", "sync.doctor.failed", said)
    return Finding("ok", "sync.doctor.known", {"url": creds.url})
