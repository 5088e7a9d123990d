"""Whom the desk phones back about a case: the person who called, when it was not the owner
(a tenant, a relative: their name and number are kept on the case, ``extra["caller"]``),
then the owners on record of its flat — both flats of a neighbour dispute — masked as every
screen shows residents. The case detail lists them, and reveals one's phone number for the
call (with a reason, recorded first: the rules of :mod:`fieldkit.services.reveals`) without
a detour through the unit card.

A caller is kept under ``caller`` (``{"name", "phone"}``), a key the model reads as a person
(:func:`fieldkit.model.personal.key_item`): the office sends it masked to every role that
may not reveal a name or a phone, as it does the registry's, and a role that received it
masked can never overwrite it. A case taken before callers were kept has none: its owners
are whom the desk calls."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from fieldkit.i18n import UserError
from fieldkit.model import localtime
from fieldkit.model.personal import mask
from fieldkit.services.disputes import sides_of

#: A caller's reveal is logged with this in place of a resident id, then the case's id: the
#: person is on the case, not in the registry.
CALLER = "caller:"
#: The most characters of a caller's name ("王女士", "Mrs Chen, the tenant's mother").
NAME_MAX = 30
#: What a typed phone number may hold besides its digits: spaces, hyphens, brackets, a
#: leading +86. No extension: the call-back rings a home or a mobile, and a number is
#: masked by its last four digits, which an extension would take.
_SEPARATORS = re.compile(r"[\s\-()（）]")
_MOBILE = re.compile(r"^(?:\+?86)?(1[3-9]\d{9})$")
#: An area code is 0 and two digits for Beijing (010) and the 02x cities, else three.
_LANDLINE = re.compile(r"^(?:\+?86)?(0(?:[12]\d|[3-9]\d{2}))([2-9]\d{6,7})$")
_LOCAL = re.compile(r"^[2-9]\d{6,7}$")
#: The phone in a line typed at intake ("王女士 138 1234 5678"): digits with their separators.
_PHONE_IN_LINE = re.compile(r"\+?\d[\d\s\-()（）]*\d")


class CallerError(UserError, ValueError):
    """A caller's name or phone the desk must correct; ``key`` is the i18n message."""


def clean_phone(typed: str) -> str:
    """A mainland mobile (13812345678) or a landline with its area code (021-62345678) or
    a local one (62345678), written one way; "" for "".
    CallerError for anything else, naming what was typed."""
    text = _SEPARATORS.sub("", unicodedata.normalize("NFKC", str(typed))).lower()
    if not text:
        return ""
    if len(text) > 24:
        raise CallerError("desk.caller.bad_phone", phone=str(typed)[:24] + "…")
    if found := _MOBILE.match(text):
        return found.group(1)
    if found := _LANDLINE.match(text):
        return "-".join(found.groups())
    if _LOCAL.match(text):
        return text
    raise CallerError("desk.caller.bad_phone", phone=str(typed).strip())


def clean_name(typed: str) -> str:
    """A caller's name with its spaces collapsed; CallerError when longer than
    :data:`NAME_MAX` or holding a control character."""
    name = " ".join(str(typed).split())
    if len(name) > NAME_MAX:
        raise CallerError("desk.caller.name_too_long", limit=NAME_MAX, count=len(name))
    if any(not ch.isprintable() for ch in name):
        raise CallerError("desk.caller.bad_name")
    return name


def parse_caller(line: str) -> tuple[str, str]:
    """(name, phone) from the one line a clerk types for the caller — "王女士 13812345678",
    "13812345678 租户小陈", a name alone, a number alone — each cleaned; ("", "") for an
    empty line. Two numbers in one line are refused rather than one guessed."""
    found = list(_PHONE_IN_LINE.finditer(line))
    if len(found) > 1 or (found and _two_phones(found[0].group(0))):
        raise CallerError("desk.caller.two_phones")
    phone = clean_phone(found[0].group(0)) if found else ""
    rest = line[: found[0].start()] + " " + line[found[0].end() :] if found else line
    return clean_name(rest.strip(" ,，、:：;；/")), phone


def _two_phones(run: str) -> bool:
    """Whether a run of digits and spaces is two numbers side by side (13812345678
    13912345678), not one written in groups (138 1234 5678)."""
    parts = run.split()
    if len(parts) < 2:
        return False
    try:
        clean_phone(run)
        return False
    except CallerError:
        pass
    for cut in range(1, len(parts)):
        try:
            clean_phone(" ".join(parts[:cut]))
            clean_phone(" ".join(parts[cut:]))
            return True
        except CallerError:
            continue
    return False


def caller_of(case: Any) -> dict[str, str]:
    """The caller kept on ``case`` ({"name", "phone"}, either may be ""), {} when none was
    (the owner called, or the case is older than callers)."""
    found = (getattr(case, "extra", None) or {}).get("caller")
    if not isinstance(found, dict):
        return {}
    kept = {k: str(found.get(k) or "").strip() for k in ("name", "phone")}
    return kept if any(kept.values()) else {}


@dataclass(frozen=True)
class Person:
    """A caller as :mod:`fieldkit.services.reveals` reads a resident: the fields it may
    reveal, the flat the case is on."""

    id: str
    name: str
    phone: str
    unit_id: str
    site_id: str | None
    id_number: str = ""


def caller_person(store: Any, person_id: str) -> Person | None:
    """The caller of the case ``person_id`` names (:data:`CALLER` and the case id)."""
    case = store.get_case(person_id.removeprefix(CALLER))
    found = caller_of(case) if case is not None else {}
    if not found:
        return None
    unit = case.target.id if case.target.kind == "unit" else ""
    return Person(person_id, found["name"], found["phone"], unit, case.site_id)


#: What a call back reveals of an owner: the number to ring, nothing more (the least data
#: for the purpose — never the ID number).
NEEDS = ("phone",)


@dataclass(frozen=True)
class Contact:
    resident_id: str
    where: str  # the flat's number (3-2-502)
    side: str  # a | b on a dispute, "" on any other case
    name: str  # masked
    phone: str  # masked
    caller: bool = False  # the person who called, kept on the case (not an owner on record)


def contacts(workspace: Any, case_id: str) -> tuple[Contact, ...]:
    """Whom to call back: the caller kept on the case, then the owners living in the case's
    flat(s) now, the reporting side first; () when there is neither."""
    from fieldkit.services.registry import index_for

    case = workspace.store.get_case(case_id)
    if case is None:
        return ()
    found = []
    if caller := caller_of(case):
        where = str((case.extra or {}).get("where") or "")
        found.append(Contact(CALLER + case.id, where, "", mask("name", caller["name"]),
                             mask("phone", caller["phone"]), caller=True))  # fmt: skip
    flats = [(key, side.get("unit", ""), side.get("where", ""))
             for key, side in sorted(sides_of(case).items())]  # fmt: skip
    if not flats:
        if case.target.kind != "unit":
            return tuple(found)
        flats = [("", case.target.id, str((case.extra or {}).get("where") or ""))]
    index = index_for(workspace)
    today = localtime.today()
    for side, unit_id, where in flats:
        place = workspace.places.by_id.get(unit_id)
        where = where or (place.code if place else "")
        for resident in index.residents_of(unit_id):
            if resident.role == "owner" and resident.current(today):
                found.append(Contact(resident.id, where, side, mask("name", resident.name),
                                     mask("phone", resident.phone)))  # fmt: skip
    return tuple(found)
