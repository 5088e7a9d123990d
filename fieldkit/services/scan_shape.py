"""What a scanned code looks like, so a burst of text in a text box can be told from one,
and which keys could begin a code this device acts on.

A fieldkit label payload (``FK1:…``) or an NFC tag id (a *label*: only a reader produces
one), or a registry code a person may type as well (a *code*: one run of letters, digits and
``- _ : / .`` with no spaces). Anything else (a sentence, Chinese text) is typing, whatever
speed it arrived at. No I/O; the app asks this on the UI thread.

:func:`code_starts` is the one definition of "a key that could begin a code": the scan
capture holds such a key back in case a scanner's burst follows, and applies any other key
at once (``fieldkit.ui.scan``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from fieldkit.model.qr import PREFIX as PAYLOAD_PREFIX
from fieldkit.model.qr import looks_like_payload
from fieldkit.services.tags import TAG_DIGITS, looks_like_tag

#: a code the registry may know: asset, unit, building or route codes, with a prefix
SCAN_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_\-:/.]{2,63}$")
#: what a registry code may be written after on a label (``unit:3-2-1502``)
SCAN_PREFIXES = ("fk:", "unit:", "asset:", "bldg:", "route:")
#: the first characters (lower case) of the codes every device reads whatever its registry:
#: a fieldkit label's payload, an NFC tag's id (hex, or decimal digits), a prefixed code
FORMAT_STARTS = frozenset(
    (PAYLOAD_PREFIX[0] + TAG_DIGITS + "".join(p[0] for p in SCAN_PREFIXES)).lower()
)


def code_starts(codes: Iterable[str]) -> frozenset[str]:
    """The characters (lower case) a code this device acts on can begin with: the formats
    above and the first character of each registry code (``codes``, as ``Places.by_code``
    keeps them). Case does not count: a scanner with Caps Lock on types lower case, and a
    lookup ignores case. A key outside this set cannot be the first key of such a code."""
    return FORMAT_STARTS | {code[0].lower() for code in codes if code}


def registry_key(code: str) -> str:
    """A registry code as the indexes keep it: lower case, without the prefixes a label
    may write it after (``unit:3-2-1502`` → ``3-2-1502``)."""
    key = code.strip().lower()
    for prefix in SCAN_PREFIXES:
        if key.startswith(prefix):
            key = key[len(prefix) :]
    return key


def looks_like_code(text: str) -> bool:
    """Any code a scan or a search may name, a registry code a person could type too."""
    text = text.strip()
    return looks_like_label(text) or bool(SCAN_PATTERN.match(text))


def looks_like_label(text: str) -> bool:
    """What only a reader produces: a fieldkit label's payload or an NFC tag's id."""
    text = text.strip()
    return looks_like_payload(text) or looks_like_tag(text)
