"""The address devices use to reach this office server, printed by ``enroll``.

``serve`` knows its scheme (https with ``--tls-cert``) and port, but not the name laptops
reach it by: ``--public-url`` gives it (behind a proxy, ``https://office.example``);
otherwise it is the listening address, with this machine's name when it listens on every
interface. ``serve`` keeps it in the data folder (:data:`ADDRESS_FILE`, 0600) so that
``enroll``, run later on the same folder, prints the real ``fieldkit enroll URL CODE``.
"""

from __future__ import annotations

import json
import logging
import socket
from pathlib import Path

from fieldkit.store.atomic import atomic_write
from fieldkit.store.modes import make_dir

log = logging.getLogger("fieldkit.server")

ADDRESS_FILE = "address.json"
_EVERY_INTERFACE = ("", "0.0.0.0", "::", "[::]")


def public_address(public_url: str | None, scheme: str, host: str, port: int) -> str:
    if public_url:
        return public_url.rstrip("/")
    if host in _EVERY_INTERFACE:
        host = socket.getfqdn() or socket.gethostname()
    if ":" in host and not host.startswith("["):
        host = f"[{host}]"
    return f"{scheme}://{host}:{port}"


def announce(folder: Path, public_url: str | None, scheme: str, host: str, port: int) -> str:
    """Keep the address devices use in the data folder; the address."""
    address = public_address(public_url, scheme, host, port)
    try:
        make_dir(folder)
        atomic_write(folder / ADDRESS_FILE, json.dumps({"url": address}).encode())
    except OSError as exc:  # enroll will print a placeholder instead: not worth refusing to serve
        log.warning("could not keep the public address in %s: %s", folder, exc)
    return address


def announced(folder: Path) -> str | None:
    """The address ``serve`` last kept in this data folder, if any."""
    try:
        url = json.loads((folder / ADDRESS_FILE).read_text("utf-8")).get("url")
    except (OSError, ValueError, AttributeError):
        return None
    return url if isinstance(url, str) and url else None
