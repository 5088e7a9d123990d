"""Personal data: declared once in the model, masked on the way out, never overwritten
by its own mask.

China's Personal Information Protection Law treats ID numbers and the records of elderly
and disabled residents as information to protect: show it only to those who need it,
masked by default. So every screen and export shows :func:`mask` of a personal value. A
resident's value is shown in full only when :data:`REVEAL_RULES` lets the device's role
reveal that one field, after the person gave a reason; each reveal is written to the reveal
log (``Store.log_reveal``) before it is shown. A device's export shows what its screens show
(:func:`as_shown`).

Masks keep just enough to recognise a person on the phone or at the door:
``13812345678`` → ``138****5678``, ``110101199003071234`` → ``110***********1234``,
``张伟`` → ``张*``, ``欧阳娜娜`` → ``欧阳**``, ``Li Wei`` → ``Li W***``, ``Tom Smith`` →
``T*** S***`` (:func:`_masked_name`); a shorter number keeps at most its last four and
never more than half of it.

Where personal data is — one declaration, read by everything here:

- a record's typed field says so in its metadata: ``owner_phone: str = personal("phone")``
  (:func:`fieldkit.model.base.personal`; :class:`~fieldkit.model.reference.Unit`,
  ``Resident``, ``RenovationPermit``);
  ``personal("person")`` is a field holding people (a permit's ``workers``);
- an event type names the keys of its ``data`` that hold someone
  (``Event.PERSONAL_DATA``: a dispute statement's ``owner_name``, an incident call's
  ``answered_by``, ``caller`` and ``phone``, a referral's ``contact``);
- everything free-form — a record's extra keys, event data, answers, findings — is read by
  key with :func:`key_item`, at any depth: phone, mobile, tel, id numbers, ``owner_name``
  and the like hold a personal value; ``resident``, ``owner``, ``parties``, ``callers``,
  ``业主`` ... hold people, whose ``name``, phone and id number are theirs.

A personal value is masked whatever its type: a number becomes its masked digits, each
entry of a list or a map is masked. The office sends each role :func:`mask_record` of a
record, so a device never stores what its role may not see; and when a role writes back a
record it received masked, the office keeps its real values (:func:`keep_real`).
"""

from __future__ import annotations

import dataclasses
import functools
import re
import unicodedata
from collections.abc import Callable
from typing import Any

from fieldkit.model.base import ITEMS, PERSON, PERSONAL_META
from fieldkit.model.mergeable import Event
from fieldkit.model.records import RECORD_TYPES

#: :data:`REVEAL_RULES`: a role reveals the item of any resident it holds.
ALWAYS = "always"
#: :data:`REVEAL_RULES`: only a resident of a flat on the residents-to-help list of an
#: incident still open on the device (the flat's card or the incident's list).
INCIDENT = "incident"

#: Which role may reveal which item of a resident, and when — the one place this is
#: decided (docs/units.md, "Personal data: reveal with a reason"). Every screen shows a
#: resident's values masked; a role named here sees one in full only by revealing that one
#: field with a reason, which is recorded first. A role not named reveals nothing.
#: From the job: the office keeps the records (any field); the service desk phones owners
#: back and calls on them (name, phone); the renovation inspector checks who is at the door
#: (name); the emergency coordinator reaches the residents who need help while an incident
#: runs (name, phone). Nobody but the office needs an ID number.
REVEAL_RULES: dict[str, dict[str, str]] = {
    "office": {"name": ALWAYS, "phone": ALWAYS, "id_number": ALWAYS},
    "desk": {"name": ALWAYS, "phone": ALWAYS},
    "renovation": {"name": ALWAYS},
    "emergency": {"name": INCIDENT, "phone": INCIDENT},
}

#: Which roles receive each personal item in full from the office — the roles that may
#: reveal it (a device can only reveal what it holds, offline too), read from
#: :data:`REVEAL_RULES`. In the records its own people write (a call's caller, a dispute's
#: statement) a role sees these as they are.
REVEAL_ROLES: dict[str, frozenset[str]] = {
    item: frozenset(role for role, items in REVEAL_RULES.items() if item in items) for item in ITEMS
}
MASK = "*"


def mask(item: str, value: Any) -> str:
    """``value`` of personal field ``item`` (name, phone, id_number) masked for display.

    Empty stays empty, so a blank is never mistaken for a hidden value."""
    text = "" if value is None else str(value).strip()
    if not text:
        return ""
    if item == "name":
        return _masked_name(text)
    if len(text) >= 11:  # a mobile number or an ID number: the reference's format
        head, tail = 3, 4
    elif len(text) >= 8:  # a landline: the last four, as people quote them
        head, tail = 0, 4
    elif len(text) >= 5:
        head, tail = 0, 2
    else:  # too short to show any of it
        head, tail = 0, 0
    return text[:head] + MASK * (len(text) - head - tail) + text[len(text) - tail :]


#: Two-character surnames (复姓), kept whole as a one-character surname is: 欧阳娜 → 欧阳*.
COMPOUND_SURNAMES = frozenset(
    {"欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "令狐", "长孙",
     "宇文", "司徒", "司空", "夏侯", "轩辕", "端木", "独孤", "南宫", "西门", "百里", "呼延",
     "闻人", "澹台", "公冶", "太史", "申屠", "濮阳", "钟离", "赫连", "万俟", "东郭", "左丘"}
)  # fmt: skip
#: Surnames as pinyin (a Chinese name written in Latin letters, surname first: Wang Fang):
#: kept whole before the given name's initial, as 王芳 keeps 王. Any other name in Latin
#: letters (Tom Smith) could be given name first: each of its words shows its initial only.
_PINYIN = """wang li zhang liu chen yang huang zhao wu zhou xu sun ma zhu hu guo he gao lin luo
    zheng liang xie song tang han feng deng cao peng zeng xiao tian dong pan yuan cai jiang
    yu du ye cheng wei su lu ding ren shen yao jin fu zhong cui tan lv fan qian qin dai mo
    kong bai shi qiu hou xue yan lei long duan hao shao meng gu mao wan qiao lai kang ni
    ouyang sima shangguan zhuge dongfang huangfu situ xiahou murong"""
PINYIN_SURNAMES = frozenset(_PINYIN.split())
#: Words of address in Latin letters, shown as they are (Mr W***): they name nobody.
TITLES = frozenset({"mr", "mrs", "ms", "miss", "dr", "mx"})
#: A note in brackets after a name (租户, tenant, 王建国的女儿) is not shown: it may name
#: someone else, and the mask is of a name; unless it only says who the person is to the
#: flat (tenant, 租户: ``_ROLE_NOTE``), which names nobody and tells the desk who is calling.
_BRACKETED = re.compile(r"[(（\[【][^)）\]】]*[)）\]】]?")
_ROLE_NOTE = re.compile(r"\s*[(（]([^()（）]*)[)）]\s*$")


def _masked_name(text: str) -> str:
    """A name masked so it still tells the person on the phone apart, and nothing more.

    A Chinese name keeps its surname, one-character or compound, and hides each other
    character: 张伟 → 张*, 张小明 → 张**, 欧阳娜 → 欧阳*, 欧阳娜娜 → 欧阳**. A name in Latin
    letters: a pinyin name (surname first) keeps its surname and the given name's initial,
    as 王芳 does (Wang Fang → Wang F***); any other keeps each word's initial (Tom → T***,
    Tom Smith → T*** S***), so the given name never shows; Mr, Mrs, Ms stay (Mr W***). A
    note in brackets is left out (Tom (Mr Lee's son) → T***), unless it only says who the
    person is to the flat (Tom (tenant) → T*** (tenant), 张伟（租户） → 张*（租户）). The mask
    of a mask is itself, whichever release made it."""
    name = " ".join(_BRACKETED.sub(" ", text).split())
    if not name:
        return MASK
    if not name.strip(MASK):  # a mask already (of a one-character name)
        masked = name
    elif not _latin(name[0]):
        name = name.replace(" ", "")
        keep = 2 if name[:2] in COMPOUND_SURNAMES and len(name) > 2 else 1
        masked = name[:keep] + MASK * (len(name) - keep) if len(name) > 1 else MASK
    else:
        words = [w.rstrip(".") for w in name.split() if w.rstrip(".")] or [name]
        titles = [w for w in words if w.lower() in TITLES]
        rest = [w for w in words if w.lower() not in TITLES] or words
        if len(rest) > 1 and rest[0].lower() in PINYIN_SURNAMES:
            parts = [rest[0], *(_initial(w) for w in rest[1:])]
        else:
            parts = [_initial(w) for w in rest]
        masked = " ".join([*titles[: len(words) - len(rest)], *parts])
    note = _ROLE_NOTE.search(text)
    if note is None or masked == MASK or not text[: note.start()].strip():
        return masked
    said = note.group(1).strip()
    if said.lower() not in _PEOPLE and said not in _ZH_PEOPLE:
        return masked
    return masked + text[note.start() : note.end()].rstrip()


def _latin(char: str) -> bool:
    """A letter of a name written word by word (Tom, Zoë), not a Chinese character."""
    return char.isalpha() and unicodedata.east_asian_width(char) not in "WF"


def _initial(word: str) -> str:
    """A word of a name as its initial and a mask that does not show its length."""
    return word[0] + MASK * 3


# --- free-form maps (extra keys, event data, answers): read by key ---------------------

_PHONE = frozenset({"phone", "phones", "mobile", "mobiles", "tel", "tels", "telephone"})
_PHONE_WORDS = _PHONE | frozenset({"cellphone", "cellphones"})
_NUMBER = frozenset({"no", "number", "numbers", "num"})
_ID_WORDS = frozenset({"idcard", "idno", "idnumber", "idcards", "idnumbers"})
_ID_TAIL = frozenset({"card", "cards", "no", "number", "numbers", "num"})
_PEOPLE = frozenset(
    {
        "owner", "owners", "tenant", "tenants", "resident", "residents", "applicant",
        "applicants", "caller", "callers", "party", "parties", "worker", "workers",
        "household", "member", "members", "person", "persons", "people", "occupant",
        "occupants", "reporter", "complainant", "complainants", "neighbour", "neighbor",
        "neighbours", "neighbors", "witness", "witnesses", "landlord", "guardian", "visitor",
    }
)  # fmt: skip
_ZH_ITEMS = (("电话", "phone"), ("手机", "phone"), ("身份证", "id_number"),
             ("证件号", "id_number"), ("姓名", "name"))  # fmt: skip
_ZH_PEOPLE = ("业主", "租户", "住户", "来电人", "申请人", "当事人", "工人", "访客", "联系人")
_CAMEL = re.compile(r"([a-z0-9])([A-Z])")
_SPLIT = re.compile(r"[^a-z0-9]+")


def _words(key: str) -> list[str]:
    return [w for w in _SPLIT.split(_CAMEL.sub(r"\1_\2", key).lower()) if w]


def key_item(key: str, in_person: bool = False) -> str | None:
    """What a key of a free-form map holds: a personal item, :data:`PERSON`, or None.

    ``phone``, ``mobile``, ``ownerPhone``, ``mobile_no``, ``id_number``, ``idCard``,
    ``owner_name``, ``联系电话`` hold personal values anywhere; ``resident``, ``owner``,
    ``parties``, ``callers``, ``业主`` hold people (a name as text, or maps whose ``name``,
    ``phone`` ... are theirs); ``name`` is personal only inside a person (``in_person``)."""
    if not isinstance(key, str):
        return None
    for word, item in _ZH_ITEMS:
        if word in key:
            return item
    if any(word in key for word in _ZH_PEOPLE):
        return "name" if key.endswith("名") else PERSON
    words = _words(key)
    if not words:
        return None
    last, before = words[-1], words[:-1]
    if last in _PHONE_WORDS or (last in _NUMBER and before and before[-1] in _PHONE_WORDS):
        return "phone"
    if last in _ID_WORDS or (last in _ID_TAIL and before and before[-1] == "id"):
        return "id_number"
    if last == "number" and before and before[-1] == "identity":
        return "id_number"
    if last in ("name", "names"):
        people = any(w in _PEOPLE for w in before)
        return "name" if in_person or people else None
    if last in _PEOPLE:
        return PERSON
    return None


def _hint() -> re.Pattern[str]:
    words = sorted(_PHONE_WORDS | _PEOPLE, key=len, reverse=True)
    zh = [w for w, _ in _ZH_ITEMS] + list(_ZH_PEOPLE)
    key = "|".join([*words, r"id[^a-z0-9\"]*(?:card|no|num)", "identity", *zh])
    return re.compile(rf'"[^"]*(?:{key})[^"]*"\s*:', re.IGNORECASE)


_KEY_HINT = _hint()


# --- walking a record by the declaration ------------------------------------------------

Path = tuple[Any, ...]
Visit = Callable[[str, Any, Path], Any]


def _step(index: int, value: Any) -> Any:
    """A list element's place in a path: its ``id`` when it has one (events move in a
    list as others arrive), else its index."""
    if isinstance(value, dict) and isinstance(value.get("id"), str):
        return ("#", value["id"])
    return index


@functools.cache
def _spec(cls: type) -> dict[str, tuple[Any, ...]]:
    nested = getattr(cls, "NESTED", {})
    out: dict[str, tuple[Any, ...]] = {}
    for f in dataclasses.fields(cls):
        if f.name == "extra":
            continue
        item = f.metadata.get(PERSONAL_META)
        if item is not None:
            out[f.name] = ("item", item)
        elif f.name in nested:
            out[f.name] = ("nested", *nested[f.name])
        else:
            out[f.name] = ("known",)
    return out


def _record_class(kind: str) -> type | None:
    return RECORD_TYPES.get(kind)


def _record(cls: type, node: Any, visit: Visit, path: Path) -> Any:
    if not isinstance(node, dict):
        return _free(node, visit, path)
    spec = _spec(cls)
    by_type = getattr(cls, "PERSONAL_DATA", {})
    declared = by_type.get(node.get("type")) if isinstance(node.get("type"), str) else None
    out = {}
    for key, value in node.items():
        here = (*path, key)
        how = spec.get(key)
        if how is None:  # an extra key: read by its name
            out[key] = _entry(key, value, visit, here, in_person=False)
        elif how[0] == "item":
            if how[1] == PERSON:
                out[key] = _person(value, visit, here)
            else:
                out[key] = _value(how[1], value, visit, here)
        elif how[0] == "nested":
            out[key] = _nested(how[1], how[2], value, visit, here)
        elif declared and key == "data" and isinstance(value, dict):
            out[key] = {
                k: _value(declared[k], v, visit, (*here, k)) if k in declared
                else _entry(k, v, visit, (*here, k), in_person=False)
                for k, v in value.items()
            }  # fmt: skip
        else:  # a typed field: its contents, if any, are read by key
            out[key] = _free(value, visit, here)
    return out


def _nested(shape: str, sub: type, value: Any, visit: Visit, path: Path) -> Any:
    if shape == "one" and isinstance(value, dict):
        return _record(sub, value, visit, path)
    if shape == "list" and isinstance(value, list):
        return [_record(sub, v, visit, (*path, _step(i, v))) for i, v in enumerate(value)]
    if shape == "dict" and isinstance(value, dict):
        return {k: _record(sub, v, visit, (*path, k)) for k, v in value.items()}
    return _free(value, visit, path)


def _entry(key: Any, value: Any, visit: Visit, path: Path, *, in_person: bool) -> Any:
    item = key_item(key, in_person)
    if item == PERSON:
        return _person(value, visit, path)
    if item is not None:
        return _value(item, value, visit, path)
    return _free(value, visit, path)


def _person(value: Any, visit: Visit, path: Path) -> Any:
    if isinstance(value, dict):
        return {k: _entry(k, v, visit, (*path, k), in_person=True) for k, v in value.items()}
    if isinstance(value, list):
        return [_person(v, visit, (*path, _step(i, v))) for i, v in enumerate(value)]
    if isinstance(value, str):
        return _value("name", value, visit, path)
    return value


def _free(value: Any, visit: Visit, path: Path) -> Any:
    if isinstance(value, dict):
        return {k: _entry(k, v, visit, (*path, k), in_person=False) for k, v in value.items()}
    if isinstance(value, list):
        return [_free(v, visit, (*path, _step(i, v))) for i, v in enumerate(value)]
    return value


def _value(item: str, value: Any, visit: Visit, path: Path) -> Any:
    if value is None or isinstance(value, bool):
        return value
    return visit(item, value, path)


def walk(kind: str, body: Any, visit: Visit) -> Any:
    """A copy of record ``body`` (of ``kind``) in which each personal value is replaced by
    ``visit(item, value, path)``; a value may be text, a number, a list or a map."""
    cls = _record_class(kind)
    return _record(cls, body, visit, ()) if cls is not None else _free(body, visit, ())


def mask_value(item: str, value: Any) -> Any:
    """:func:`mask` of a value of any shape: a number's digits, each entry of a list or map."""
    if isinstance(value, dict):
        return {k: mask_value(item, v) for k, v in value.items()}
    if isinstance(value, list):
        return [mask_value(item, v) for v in value]
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return mask(item, value)


def mask_record(kind: str, body: Any, role: str) -> Any:
    """A copy of a record's ``body`` with every personal value ``role`` may not see masked.

    Values already masked stay as they are; only a masked number becomes text."""

    def visit(item: str, value: Any, _path: Path) -> Any:
        return value if may_reveal(role, item) else mask_value(item, value)

    return walk(kind, body, visit)


def personal_values(kind: str, body: Any) -> list[tuple[Path, str, Any]]:
    """Every personal value in ``body``: (path, item, value), in the order they appear."""
    found: list[tuple[Path, str, Any]] = []

    def visit(item: str, value: Any, path: Path) -> Any:
        found.append((path, item, value))
        return value

    walk(kind, body, visit)
    return found


MISSING = object()


def value_at(node: Any, path: Path) -> Any:
    """The value at ``path`` (as :func:`walk` gives it) in ``node``, or :data:`MISSING`."""
    for step in path:
        if isinstance(step, tuple) and isinstance(node, list):
            found = (v for v in node if isinstance(v, dict) and v.get("id") == step[1])
            node = next(found, MISSING)
        elif isinstance(step, int) and isinstance(node, list):
            node = node[step] if step < len(node) else MISSING
        elif isinstance(node, dict) and not isinstance(step, tuple | int):
            node = node.get(step, MISSING)
        else:
            return MISSING
        if node is MISSING:
            return MISSING
    return node


def keep_real(kind: str, body: Any, stored: Any, role: str) -> tuple[Any, list[Path]]:
    """``body`` as ``role`` wrote it, with every personal value the role receives masked
    taken from ``stored`` (the office's copy): a role that sees a value masked can never
    overwrite it — neither with the mask nor with anything else. A value the office holds
    empty, or does not hold, is the role's to write. Returns the body and the paths where
    the role sent something other than the masked value it was given (for the office's
    conflict log)."""
    if stored is None:
        return body, []
    overridden: list[Path] = []

    def visit(item: str, value: Any, path: Path) -> Any:
        if may_reveal(role, item):
            return value
        real = value_at(stored, path)
        if real is MISSING or mask_value(item, real) == real:
            return value
        if value != real and mask_value(item, value) != mask_value(item, real):
            overridden.append(path)
        return real

    return walk(kind, body, visit), overridden


def may_hold_personal(kind: str, body_json: str) -> bool:
    """Whether a stored body (JSON text) may hold a personal value, without decoding it: a
    kind with declared personal fields, a key :func:`key_item` may read as personal, or an
    event type that declares some (it never answers False for a body that holds one)."""
    cls = _record_class(kind)
    if cls is not None and _typed_personal(cls):
        return True
    if _KEY_HINT.search(body_json):
        return True
    return _type_hint().search(body_json) is not None


@functools.cache
def _typed_personal(cls: type) -> bool:
    return any(how[0] == "item" for how in _spec(cls).values())


@functools.cache
def _type_hint() -> re.Pattern[str]:
    types = "|".join(re.escape(t) for t in sorted(Event.PERSONAL_DATA))
    return re.compile(rf'"type"\s*:\s*"(?:{types})"')


def declared_fields() -> dict[str, dict[str, str]]:
    """Every typed personal field, by record kind (``{"unit": {"owner_phone": "phone"}}``),
    and each event type's declared data keys under ``event:<type>`` — for tests and docs."""
    out: dict[str, dict[str, str]] = {}
    for kind, cls in RECORD_TYPES.items():
        typed = {name: how[1] for name, how in _spec(cls).items() if how[0] == "item"}
        if typed:
            out[kind] = typed
    for type_, keys in Event.PERSONAL_DATA.items():
        out[f"event:{type_}"] = dict(keys)
    return out


def is_masked(value: str) -> bool:
    """A value the office already masked before sending it (the device cannot reveal it)."""
    return MASK in value


def may_reveal(role: str, item: str) -> bool:
    """Whether ``role`` receives ``item`` in full (:data:`REVEAL_ROLES`)."""
    return role in REVEAL_ROLES.get(item, frozenset())


def reveal_rule(role: str, item: str) -> str | None:
    """When ``role`` may reveal ``item`` of a resident: :data:`ALWAYS`, :data:`INCIDENT`,
    or None (never)."""
    return REVEAL_RULES.get(role, {}).get(item)


def revealers(item: str) -> dict[str, str]:
    """The roles that may reveal ``item``, each with when (:data:`REVEAL_RULES`)."""
    return {role: items[item] for role, items in REVEAL_RULES.items() if item in items}


#: Kinds whose personal values every screen shows masked, whatever the role: the registry
#: of flats and residents the office keeps. A value there is seen in full only by revealing
#: it (one field, a reason, recorded), never in a list, a report or an export.
REGISTRY_KINDS = frozenset({"unit", "resident", "renovation_permit", "rental"})


def as_shown(kind: str, body: Any, role: str) -> Any:
    """A copy of a record's body with its personal values as ``role``'s screens show them:
    the registry's all masked, the others as the office sends them to ``role``
    (:func:`mask_record`). What a device exports; a full copy needs the office role."""
    if kind in REGISTRY_KINDS:
        return walk(kind, body, lambda item, value, _path: mask_value(item, value))
    return mask_record(kind, body, role)


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
