"""The text a fieldkit QR label carries (payload version 1). Pure functions, no I/O.

Format::

    FK1:U:CH:3-2-1502:H
    │   │ │  │        └ check character
    │   │ │  └ the code painted on site (unit number, asset or checkpoint label)
    │   │ └ the site's short code
    │   └ kind: U unit, A asset, C checkpoint (a patrol point or a stairwell route)
    └ "FK" and the payload version

Why this shape:

- Only characters of QR *alphanumeric* mode (``0-9 A-Z $ % * + - . / :`` and space), so a
  label needs about half the modules of byte mode: a smaller code that scans quicker from
  further away. Space is never used (scanners and terminals trim it); ``:`` only separates.
- Fields hold :data:`ALPHABET` — the 43 alphanumeric-mode characters left after taking out
  space and ``:``. The check character is ``sum(position * value) mod 43`` over the whole text
  before it: position is the character's place in that text counted from 1 *with* the
  colons, value its index in :data:`ALPHABET`, and a colon adds nothing (it keeps its
  place). The result is written as the alphabet character with that value. Since 43 is
  prime and positions stay below 43 (the text before the check is at most :data:`MAX_BODY`
  characters), changing any one character to another alphabet character always changes the
  sum; changing it to ``:`` or to anything outside the alphabet breaks the structure. So
  every single-character misread is caught, and so is swapping two neighbouring alphabet
  characters.
- Reading is case-insensitive for ASCII letters only: a keyboard-wedge scanner with Caps
  Lock on types lower case. Any other character outside ASCII is a misread *before* anything
  is upper-cased: Python's ``upper()`` turns ``ß`` into ``SS`` and ``ı`` into ``I``, which
  would change the length or forge a character the check could not then see.

:func:`encode` builds a payload (raising :class:`QRError` when a site or code cannot be
carried); :func:`decode` parses one, raising a :class:`QRError` whose ``key`` names the
message to show: not a fieldkit code, misread (scan again), newer version, malformed.
"""

from __future__ import annotations

from dataclasses import dataclass

from fieldkit.model.base import ModelError

VERSION = 1
PREFIX = "FK"
SEP = ":"
ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ$%*+-./"
MODULUS = 43
MAX_BODY = MODULUS - 1
KINDS = {"unit": "U", "asset": "A", "checkpoint": "C"}
KIND_OF_LETTER = {letter: kind for kind, letter in KINDS.items()}
_VALUE = {char: n for n, char in enumerate(ALPHABET)}
assert len(ALPHABET) == MODULUS


class QRError(ModelError):
    """A payload that cannot be made or read. ``key``/``params`` name the message (qr.*)."""

    def __init__(self, key: str, **params: object) -> None:
        super().__init__(key)
        self.key = key
        self.params = params


@dataclass(frozen=True, slots=True)
class Payload:
    kind: str  # unit | asset | checkpoint
    site: str  # the site's short code, upper case
    code: str  # the code painted on site, upper case
    version: int = VERSION

    @property
    def text(self) -> str:
        return encode(self.kind, self.site, self.code)


def check_char(body: str) -> str:
    """The check character for ``body`` (the payload text before its last ``:``)."""
    total = 0
    for position, char in enumerate(body, start=1):
        if char != SEP:
            total += position * _VALUE[char]
    return ALPHABET[total % MODULUS]


def field_text(text: str) -> str:
    """``text`` as a payload field (upper case), or QRError if it cannot be one."""
    value = str(text).strip().upper()
    if not value or any(char not in _VALUE for char in value):
        raise QRError("qr.error.bad_field", value=text)
    return value


def encode(kind: str, site: str, code: str) -> str:
    """The payload text for a unit, asset or checkpoint ``code`` on ``site``."""
    if kind not in KINDS:
        raise QRError("qr.error.bad_kind", kind=kind)
    body = SEP.join((f"{PREFIX}{VERSION}", KINDS[kind], field_text(site), field_text(code)))
    if len(body) > MAX_BODY:
        raise QRError("qr.error.too_long", value=code, limit=MAX_BODY)
    return f"{body}{SEP}{check_char(body)}"


def looks_like_payload(text: str) -> bool:
    """Whether ``text`` claims to be a fieldkit payload (``FK`` and a version digit), so a
    parse error is worth showing rather than a plain "unknown code"."""
    value = text.strip().upper()
    return value.startswith(PREFIX) and value[len(PREFIX) : len(PREFIX) + 1].isdigit()


def decode(text: str) -> Payload:
    """Parse a scanned payload. Raises QRError with one of these keys:

    ``qr.error.not_ours`` (no ``FK`` prefix), ``qr.error.misread`` (a character outside the
    alphabet, a wrong shape, or a wrong check character: scan again), ``qr.error.version``
    (a later payload version), ``qr.error.malformed`` (check passes but a field is unknown).
    """
    raw = text.strip()
    if not raw.isascii():  # before upper(): see the module docstring
        if raw[:2].upper() == PREFIX:
            raise QRError("qr.error.misread", code=raw)
        raise QRError("qr.error.not_ours", code=raw)
    value = raw.upper()
    if not value.startswith(PREFIX):
        raise QRError("qr.error.not_ours", code=raw)
    parts = value.split(SEP)
    if len(parts) != 5 or any(not part for part in parts) or len(parts[4]) != 1:
        raise QRError("qr.error.misread", code=raw)
    if any(char not in _VALUE for part in parts for char in part):
        raise QRError("qr.error.misread", code=raw)
    body = value[: -len(SEP) - 1]
    if len(body) > MAX_BODY or check_char(body) != parts[4]:
        raise QRError("qr.error.misread", code=raw)
    version_text = parts[0][len(PREFIX) :]
    if not version_text.isdigit():
        raise QRError("qr.error.malformed", code=raw)
    if int(version_text) != VERSION:
        raise QRError("qr.error.version", code=raw, version=int(version_text))
    kind = KIND_OF_LETTER.get(parts[1])
    if kind is None:
        raise QRError("qr.error.malformed", code=raw)
    return Payload(kind=kind, site=parts[2], code=parts[3])
