"""What a scanned code looks like, so a burst of text in a text box can be told from one.

A fieldkit label payload (``FK1:…``) or an NFC tag id (a *label*: only a reader produces
one), or a registry code a person may type as well (a *code*: one run of letters, digits and
``- _ : / .`` with no spaces). Anything else (a sentence, Chinese text) is typing, whatever
speed it arrived at. No I/O; the app asks this on the UI thread.
"""

from __future__ import annotations

import re

from fieldkit.model.qr import looks_like_payload
from fieldkit.services.tags import looks_like_tag

#: a code the registry may know: asset, unit, building or route codes, with a prefix
SCAN_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_\-:/.]{2,63}$")


def looks_like_code(text: str) -> bool:
    """Any code a scan or a search may name, a registry code a person could type too."""
    text = text.strip()
    return looks_like_label(text) or bool(SCAN_PATTERN.match(text))


def looks_like_label(text: str) -> bool:
    """What only a reader produces: a fieldkit label's payload or an NFC tag's id."""
    text = text.strip()
    return looks_like_payload(text) or looks_like_tag(text)
