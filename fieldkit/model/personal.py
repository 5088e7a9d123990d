"""Personal data: the one place that masks it and says which role may see it in full.

China's Personal Information Protection Law treats ID numbers and the records of elderly
and disabled residents as information to protect: show it only to those who need it,
masked by default. So every screen and export shows :func:`mask` of a personal value; the
full value is shown only when :func:`may_reveal` allows the device's role, and each such
reveal is written to the reveal log (``Store.log_reveal``) before it is shown.

Masks keep just enough to recognise a person on the phone or at the door:
``13812345678`` → ``138****5678``, ``110101199003071234`` → ``110***********1234``,
``张伟`` → ``张*``, ``Li Wei`` → ``L*****``; a shorter number keeps at most its last four
and never more than half of it. The office server masks each record it sends a role with
:func:`mask_record`, so a device never stores what its role may not see.
"""

from __future__ import annotations

from typing import Any

#: Which roles may see each personal field in full, on screen and in what the office sends.
REVEAL_ROLES: dict[str, frozenset[str]] = {
    "name": frozenset({"office", "desk", "emergency", "renovation"}),
    "phone": frozenset({"office", "desk", "emergency"}),
    "id_number": frozenset({"office"}),
}
MASK = "*"


def mask(item: str, value: Any) -> str:
    """``value`` of personal field ``item`` (name, phone, id_number) masked for display.

    Empty stays empty, so a blank is never mistaken for a hidden value."""
    text = "" if value is None else str(value).strip()
    if not text:
        return ""
    if item == "name":
        return text[0] + MASK * (len(text) - 1) if len(text) > 1 else MASK
    if len(text) >= 11:  # a mobile number or an ID number: the reference's format
        head, tail = 3, 4
    elif len(text) >= 8:  # a landline: the last four, as people quote them
        head, tail = 0, 4
    elif len(text) >= 5:
        head, tail = 0, 2
    else:  # too short to show any of it
        head, tail = 0, 0
    return text[:head] + MASK * (len(text) - head - tail) + text[len(text) - tail :]


#: Personal fields by record kind: the key in the record (``workers[].phone`` for every
#: worker) and which personal item it holds. Fields listed under ``*`` are personal in any
#: record, at any depth (an owner's phone written into a case, say).
RECORD_FIELDS: dict[str, dict[str, str]] = {
    "resident": {"name": "name", "phone": "phone", "id_number": "id_number"},
    "renovation_permit": {
        "applicant": "name",
        "applicant_phone": "phone",
        "applicant_id_number": "id_number",
        "workers[].name": "name",
        "workers[].phone": "phone",
        "workers[].id_number": "id_number",
    },
    "*": {
        "owner_name": "name",
        "owner_phone": "phone",
        "contact_phone": "phone",
        "phone": "phone",
        "id_number": "id_number",
        "owner_id_number": "id_number",
    },
}


def mask_record(kind: str, body: Any, role: str) -> Any:
    """A copy of a record's ``body`` with every personal field ``role`` may not see masked.

    Values already masked stay as they are; the record's shape never changes."""
    fields = RECORD_FIELDS.get(kind, {})
    anywhere = RECORD_FIELDS["*"]

    def walk(node: Any, path: str) -> Any:
        if isinstance(node, dict):
            out = {}
            for key, value in node.items():
                here = f"{path}{key}"
                item = fields.get(here) or anywhere.get(key)
                if item is not None and isinstance(value, str) and not may_reveal(role, item):
                    out[key] = mask(item, value)
                else:
                    out[key] = walk(value, here + ".")
            return out
        if isinstance(node, list):
            return [walk(value, path.removesuffix(".") + "[].") for value in node]
        return node

    return walk(body, "")


def is_masked(value: str) -> bool:
    """A value the office already masked before sending it (the device cannot reveal it)."""
    return MASK in value


def may_reveal(role: str, item: str) -> bool:
    return role in REVEAL_ROLES.get(item, frozenset())


_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"


def id_number_ok(value: str) -> bool:
    """An 18-character resident ID number whose last character is its GB 11643 check
    character (a mistyped digit is caught before it reaches the registry)."""
    text = value.strip().upper()
    if len(text) != 18 or not text[:17].isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(text[:17], _ID_WEIGHTS, strict=True))
    return text[17] == _ID_CHECK[total % 11]
