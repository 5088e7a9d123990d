"""The CA file a device trusts for its office server, and what a failed connection was.

``fieldkit enroll --ca FILE`` reads the file once, checks that it holds a certificate, and
keeps a copy in the data folder (:data:`CA_COPY`, mode 0600) that every later sync and
photo fetch uses: deleting or moving the original changes nothing. A copy that went
missing or unreadable is said as such (:class:`CAUnreadable`), never as a network fault.

:func:`network_error` turns what ``requests`` raised into a cause a person can act on:
nothing answers at the address, the connection was closed, no answer in time, the name is
unknown, or the server's certificate is not one this device trusts (which is not the
network). The exception's own text goes to the log only.
"""

from __future__ import annotations

import logging
import ssl
from pathlib import Path
from urllib.parse import urlsplit

from fieldkit.store.atomic import atomic_write
from fieldkit.store.modes import make_dir
from fieldkit.sync.errors import CAUnreadable

log = logging.getLogger("fieldkit.sync")

#: The CA copy's name in the data folder; credentials name it relative to the folder.
CA_COPY = "office-ca.pem"
#: A CA file is a few certificates: anything larger is not one.
MAX_CA_BYTES = 1024 * 1024


def read_ca(path: str | Path) -> bytes:
    """The CA file's bytes once checked to hold at least one PEM certificate; else
    :class:`CAUnreadable`."""
    path = Path(path).expanduser()
    try:
        if path.stat().st_size > MAX_CA_BYTES:
            raise CAUnreadable(str(path), "not_pem", "too large")
        data = path.read_bytes()
    except FileNotFoundError:
        raise CAUnreadable(str(path), "missing") from None
    except OSError as exc:  # a folder, no permission, an I/O error
        raise CAUnreadable(str(path), "unreadable", exc.strerror or "") from None
    try:
        ssl.create_default_context(cadata=data.decode("ascii"))
    except (UnicodeDecodeError, ssl.SSLError, ValueError) as exc:
        raise CAUnreadable(str(path), "not_pem", str(exc)) from None
    return data


def keep_copy(data_dir: Path, data: bytes) -> Path:
    """Write the CA's bytes to the data folder (0600, atomically); the copy's path."""
    make_dir(data_dir)
    path = data_dir / CA_COPY
    atomic_write(path, data)
    return path


def host_of(url: str) -> str:
    return urlsplit(url).hostname or url


def _causes(exc: BaseException) -> list[BaseException]:
    """``exc`` and everything it wraps (requests wraps urllib3, which wraps the socket's)."""
    seen: list[BaseException] = []
    todo: list[object] = [exc]
    while todo:
        item = todo.pop()
        if not isinstance(item, BaseException) or any(item is s for s in seen):
            continue
        seen.append(item)
        todo += [item.__cause__, item.__context__, getattr(item, "reason", None), *item.args]
    return seen


def network_cause(exc: BaseException) -> str:
    """What a failed request met: ``certificate``, ``certificate_name``, ``tls``,
    ``timeout``, ``name``, ``refused``, ``reset`` or ``other``."""
    import requests

    causes = _causes(exc)
    text = " ".join(str(c) for c in causes)
    verify = [c for c in causes if isinstance(c, ssl.SSLCertVerificationError)]
    if verify or "CERTIFICATE_VERIFY_FAILED" in text:
        if any(getattr(c, "verify_code", 0) in (62, 64) for c in verify) or "mismatch" in text:
            return "certificate_name"  # X509_V_ERR_HOSTNAME_MISMATCH / IP_ADDRESS_MISMATCH
        return "certificate"
    if any(isinstance(c, ssl.SSLError | requests.exceptions.SSLError) for c in causes):
        return "tls"
    if any(isinstance(c, requests.exceptions.Timeout | TimeoutError) for c in causes):
        return "timeout"
    if "NameResolutionError" in text or any(
        type(c).__name__ in ("gaierror", "NameResolutionError") for c in causes
    ):
        return "name"
    if any(isinstance(c, ConnectionRefusedError) for c in causes):
        return "refused"
    if any(
        isinstance(c, ConnectionResetError | ConnectionAbortedError | BrokenPipeError)
        or type(c).__name__ in ("RemoteDisconnected", "ProtocolError", "ChunkedEncodingError")
        for c in causes
    ):
        return "reset"
    return "other"


TRUST_CAUSES = ("certificate", "certificate_name", "tls")


def log_failure(method: str, url: str, exc: BaseException, cause: str) -> None:
    """The detail of a failed request, for the log (never shown in a sentence)."""
    log.warning("%s %s failed (%s): %s", method, urlsplit(url).path, cause, exc)
