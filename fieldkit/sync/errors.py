"""What a request to the office server can end with, each able to say it to a person.

``str(error)`` is the detail for the log (an exception's text, a status line); ``reason()``
is one sentence in the user's language, with no Python text in it, and says what to do at
most once. ``fieldkit.sync.client`` re-exports these; callers import them from there.
"""

from __future__ import annotations

from fieldkit.i18n import catalogue, get_language, t

#: Refusals of a device's token that have a sentence of their own (``sync.refused.<code>``).
REFUSALS = ("device_revoked", "token_invalid", "token_missing")


class SyncError(Exception):
    """Base of the errors a sync round can end with."""

    def reason(self, lang: str | None = None, *, enrolling: bool = False) -> str:
        return str(self)


def _advised(key: str, lang: str | None, enrolling: bool) -> str:
    """``key``, or its ``_enrol`` form while enrolling: a device with no enrolment yet is
    told to fix the address or add ``--ca``, not to move an enrolment it does not have."""
    if enrolling and f"{key}_enrol" in catalogue(lang or get_language()):
        return f"{key}_enrol"
    return key


class Offline(SyncError):
    """The server could not be reached or answered nothing usable; try again later.

    ``cause`` is what was met (``refused``, ``reset``, ``timeout``, ``name``, ``garbled``,
    ``server``, ``other``); a 5xx answer carries the server's own sentence."""

    def __init__(
        self, detail: str, cause: str = "other", *, host: str = "", said: str | None = None
    ) -> None:
        super().__init__(detail)
        self.cause = cause
        self.host = host
        self.said = said

    def reason(self, lang: str | None = None, *, enrolling: bool = False) -> str:
        if self.said:
            return self.said
        return t(_advised(f"sync.net.{self.cause}", lang, enrolling), lang, host=self.host)


class Untrusted(SyncError):
    """The connection was made but the server's certificate is not one this device trusts
    (``certificate``), is not made out for the address's name (``certificate_name``), or no
    secure connection could be set up (``tls``). Not a network fault: retrying does not help
    until the certificate or the device's CA file changes."""

    def __init__(self, detail: str, cause: str, *, url: str, host: str, ca: str | None) -> None:
        super().__init__(detail)
        self.cause = cause
        self.url = url
        self.host = host
        self.ca = ca

    def reason(self, lang: str | None = None, *, enrolling: bool = False) -> str:
        key = f"sync.trust.{self.cause}"
        if self.cause == "certificate" and self.ca:
            key += "_pinned"
        key = _advised(key, lang, enrolling)
        return t(key, lang, url=self.url, host=self.host, path=self.ca or "")


class CAUnreadable(SyncError):
    """A CA file is missing, unreadable or holds no certificate (``why``: ``missing``,
    ``unreadable``, ``not_pem``)."""

    def __init__(self, path: str, why: str, detail: str = "") -> None:
        super().__init__(f"CA file {path}: {why} {detail}".strip())
        self.path = path
        self.why = why

    def reason(self, lang: str | None = None, *, enrolling: bool = False) -> str:
        return t(f"sync.trust.ca_{self.why}", lang, path=self.path)


class NeedsEnrolment(SyncError):
    """The server does not accept this device's token (unknown or revoked): enrol again."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code

    def reason(self, lang: str | None = None, *, enrolling: bool = False) -> str:
        if self.code in REFUSALS:
            return t(f"sync.refused.{self.code}", lang)
        return str(self)


class SyncRefused(SyncError):
    """The server refused a request with a coded error a person should read."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code


class FilesUnavailable(Offline):
    """503 ``attachment_store_unavailable``: the office is up but its file store is not.
    A round keeps the records that need a file it could not upload and sends the rest."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message, "server", said=message)
        self.code = code


class RateLimited(Offline):
    """429: too many requests from this address for now; its message says how long."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message, "server", said=message)
        self.code = code
