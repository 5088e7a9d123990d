"""Who may do what: tokens and enrolment codes, role permissions, personal-data masking.

Secrets are never stored: the database keeps the sha256 of each token and each one-time
enrolment code. A code is short enough to type (10 characters from an alphabet without
look-alikes), expires, and works once.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from typing import Any

from fieldkit.model.personal import mask_record, may_hold_personal
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
    "desk": frozenset({"case", "incident", "reveal"}),
}


#: Kinds only the office receives: the reveal log (who saw which resident's personal data
#: and why) is for the office to audit; a device keeps the reveals it made itself.
OFFICE_ONLY_KINDS = frozenset({"reveal"})


def hidden_kinds(role: str) -> frozenset[str]:
    """The kinds a device of ``role`` never pulls."""
    return frozenset() if role == "office" else OFFICE_ONLY_KINDS


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def new_token() -> str:
    return secrets.token_urlsafe(32)


def enrolment_token(key: str, code: str) -> str:
    """The token of an enrolment made with the device's ``key``: the same for a retry
    with the same key and code, unguessable without the key, never stored (only its hash)."""
    mac = hmac.new(key.encode("ascii"), b"fieldkit-token:" + code.encode("utf-8"), "sha256")
    return base64.urlsafe_b64encode(mac.digest()).rstrip(b"=").decode("ascii")


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


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


def needs_masking(role: str, body_json: str, kind: str) -> bool:
    """Whether ``body_json`` (one stored record of ``kind``) may hold a personal value
    ``role`` must not see in full (the model's declaration: ``fieldkit.model.personal``)."""
    if role == "office":
        return False
    return may_hold_personal(kind, body_json)


def mask_body(role: str, kind: str, body: Any) -> Any:
    """A copy of a record's body with every personal field the role may not see masked."""
    return mask_record(kind, body, role)
