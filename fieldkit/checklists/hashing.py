"""The content hash of a checklist: sha256 of canonical JSON of what was loaded.

Canonical means keys sorted, no spaces, UTF-8, conditions re-written from their tree. So
the hash does not change with whitespace, comments, key order or quoting in the YAML, and
does change with anything that changes what a patroller sees or what fails.
"""

from __future__ import annotations

import hashlib
import json


def canonical_json(data: object) -> bytes:
    return json.dumps(
        data, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    ).encode("utf-8")


def content_hash(data: object) -> str:
    """``sha256:<hex>`` of the canonical JSON of ``data``."""
    return "sha256:" + hashlib.sha256(canonical_json(data)).hexdigest()
