"""Checkpoint tags read by an NFC reader (电子巡更): most USB readers act as a keyboard and
type the tag's id (its UID in hex, or the same number in decimal) and Enter, which the app
receives like any scan.

The office registers each tag on its checkpoint (``Checkpoint.extra["tag"]``);
:func:`lookup` maps a typed id to that checkpoint. An id shaped like a tag that no
checkpoint carries gets a sentence saying so — and, like every unknown scan, changes
nothing.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from fieldkit.i18n import t
from fieldkit.services.types import ScanLookup
from fieldkit.store.keyed import tag_text

#: the characters of a tag id as a reader types it (hex; a decimal id uses the first ten)
TAG_DIGITS = "0123456789ABCDEF"
#: what a reader types: a 4-, 7- or 10-byte UID in hex, or a UID as a 10-digit number
TAG_SHAPE = re.compile(r"^(?:[0-9A-F]{8}|[0-9A-F]{14}|[0-9A-F]{20}|[0-9]{10})$")


def normal(text: str) -> str:
    """A tag id as stored and compared: upper case, no spaces or colons (04:A1:… → 04A1…)."""
    return tag_text(text)


def looks_like_tag(text: str) -> bool:
    return bool(TAG_SHAPE.match(normal(text)))


def lookup(tagged: Callable[[str], Any], code: str) -> ScanLookup | None:
    """The checkpoint a tag id names (``tagged``: the checkpoint of a normal tag id, or
    None); an unknown tag-shaped id as ``unknown`` with its message; None for anything
    else (it is some other kind of code)."""
    key = normal(code)
    target = tagged(key)
    if target is not None:
        return ScanLookup(code=code, status="found", target=target)
    if looks_like_tag(key):
        return ScanLookup(code=code, status="unknown", message=t("rules.tag.unknown", tag=key))
    return None
