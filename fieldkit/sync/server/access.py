"""Who may do what: tokens and enrolment codes, role permissions, personal-data masking.

Secrets are never stored: the database keeps the sha256 of each token and each one-time
enrolment code. A code is short enough to type (10 characters from an alphabet without
look-alikes), expires, and works once.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from typing import Any

from fieldkit.sync.protocol import ALL_SITES

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 10

#: Kinds the office owns; devices pull them, only the office role writes them.
REFERENCE_KINDS = frozenset(
    {"site", "building", "unit", "asset", "checkpoint", "checklist"}
    | {"resident", "renovation_permit", "rental", "patrol_route"}
)

#: What each field role may push. ``office`` may push every kind. Every role sends its
#: reveal log (who saw which personal value in full), so the office can audit it.
ROLE_WRITES: dict[str, frozenset[str]] = {
    "patrol": frozenset({"inspection", "case", "incident", "reveal", "patrol_round"}),
    "renovation": frozenset({"inspection", "case", "reveal"}),
    "emergency": frozenset({"inspection", "case", "incident", "reveal", "patrol_round"}),
}

#: Personal fields (at any depth of a body) and the roles that see them unmasked.
PERSONAL_FIELDS: dict[str, frozenset[str]] = {
    "owner_name": frozenset({"office", "emergency", "renovation"}),
    "owner_phone": frozenset({"office", "emergency"}),
    "phone": frozenset({"office", "emergency"}),
    "id_number": frozenset({"office"}),
    "owner_id_number": frozenset({"office"}),
}
_PERSONAL_HINT = re.compile("|".join(f'"{name}"' for name in PERSONAL_FIELDS))


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def new_token() -> str:
    return secrets.token_urlsafe(32)


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(code: str) -> str:
    """``abcd-efgh jk`` -> ``ABCDEFGHJK``: people type codes with dashes, spaces, lower case."""
    return re.sub(r"[\s\-]", "", code).upper()


def format_code(code: str) -> str:
    return f"{code[:4]}-{code[4:8]}-{code[8:]}"


def may_write(role: str, kind: str) -> bool:
    if role == "office":
        return True
    return kind in ROLE_WRITES.get(role, frozenset())


def may_delete(role: str) -> bool:
    return role == "office"


def in_scope(device_site: str, record_site: str) -> bool:
    """A device enrolled for ``*`` (office only) reaches every site; others their own."""
    return device_site == ALL_SITES or record_site == device_site


def may_pull(device_site: str, record_site: str) -> bool:
    return record_site == ALL_SITES or in_scope(device_site, record_site)


def mask_value(name: str, value: Any) -> Any:
    """Keep just enough to recognise: ``13812345678`` -> ``138****5678``, ``张伟`` -> ``张*``."""
    if not isinstance(value, str) or not value:
        return value
    if name == "owner_name":
        return value[0] + "*" * max(1, len(value) - 1)
    if len(value) <= 4:
        return "*" * len(value)
    keep_head = 3 if len(value) >= 11 else 1
    return value[:keep_head] + "*" * (len(value) - keep_head - 4) + value[-4:]


def needs_masking(role: str, body_json: str) -> bool:
    return role != "office" and _PERSONAL_HINT.search(body_json) is not None


def mask_body(role: str, body: Any) -> Any:
    """A copy of ``body`` with every personal field the role may not see masked."""
    if isinstance(body, dict):
        out = {}
        for key, value in body.items():
            allowed = PERSONAL_FIELDS.get(key)
            if allowed is not None and role not in allowed:
                out[key] = mask_value(key, value)
            else:
                out[key] = mask_body(role, value)
        return out
    if isinstance(body, list):
        return [mask_body(role, item) for item in body]
    return body
