"""What every record type is built on: its error, ``to_dict``/``from_dict``, field checks.

Every record has a UUIDv7 ``id`` (see :mod:`fieldkit.model.ids`) and a class constant
``ENTITY`` naming its kind ("inspection", "case", ...). ``to_dict()`` returns a plain dict of
JSON types (str, int, float, bool, None, list, dict); ``Cls.from_dict(d)`` reads one back and
raises :class:`ModelError` for a dict that is not that record. Keys a record does not know are
kept in ``extra`` and written back out, so data from a newer release survives a round trip.
Times a person reads are ISO-8601 UTC strings (:func:`now_iso`); the order of changes comes
from HLC stamps (:mod:`fieldkit.model.hlc`), kept as their sortable strings.

A field holding personal data says so where it is declared (:func:`personal`); that metadata
is the one declaration :mod:`fieldkit.model.personal` masks by.
"""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime
from functools import cache
from typing import Any, ClassVar, Self

from fieldkit.model.hlc import HLC, HLCError


class ModelError(ValueError):
    """A dict that is not a valid record, or a change the record does not allow."""


class RecordLocked(ModelError):
    """A change to a submitted inspection (they are immutable)."""


def now_iso() -> str:
    """The current UTC time as ``2026-11-28T01:12:18.123Z``."""
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def iso_epoch(text: object) -> float | None:
    """Epoch seconds of an ISO time as records store it (``...Z`` or an offset); None for
    none, or for text that is not one."""
    if not isinstance(text, str) or not text:
        return None
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()
    except ValueError:
        return None


def check_hlc(value: object, what: str) -> str:
    if not isinstance(value, str):
        raise ModelError(f"{what}: an HLC stamp string is needed")
    try:
        HLC.parse(value)
    except HLCError as exc:
        raise ModelError(f"{what}: {exc}") from exc
    return value


def as_stamp(hlc: HLC | str) -> str:
    """A change's stamp as the string records keep (ModelError if it is not one)."""
    return check_hlc(str(hlc), "stamp")


class Plain:
    """to_dict/from_dict for flat dataclasses; subclasses name their nested types."""

    # field name -> ("one" | "list" | "dict", class with from_dict)
    NESTED: ClassVar[dict[str, tuple[str, type]]] = {}
    REQUIRED: ClassVar[tuple[str, ...]] = ("id",)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for name, shape in _writing_plan(type(self)):
            value = getattr(self, name)
            out[name] = value if type(value) in _SHARED else _written(value, shape)
        for key, value in getattr(self, "extra", _NO_EXTRA).items():
            out.setdefault(key, copy_value(value))
        return out

    @classmethod
    def from_dict(cls, data: object) -> Self:
        if not isinstance(data, dict):
            raise ModelError(f"{cls.__name__}: expected a mapping, got {type(data).__name__}")
        for required in cls.REQUIRED:
            if data.get(required) is None:
                missing = [k for k in cls.REQUIRED if data.get(k) is None]
                raise ModelError(f"{cls.__name__}: missing {', '.join(missing)}")
        plan, keeps_extra = _reading_plan(cls)
        kwargs: dict[str, Any] = {}
        extra: dict[str, Any] = {}
        for key, value in data.items():
            nested = plan.get(key, _UNKNOWN)
            if nested is None:  # a field of JSON values
                kwargs[key] = value if type(value) in _SHARED else copy_value(value)
                continue
            if nested is _UNKNOWN:
                if keeps_extra and key != "extra":
                    extra[key] = copy_value(value)
                continue
            shape, sub = nested
            try:
                if value is None:
                    kwargs[key] = None
                elif shape == "list" and type(value) is list and not value:
                    kwargs[key] = []  # most records' conflicts, many a case's events
                elif shape == "one":
                    kwargs[key] = sub.from_dict(value)
                elif shape == "list":
                    kwargs[key] = [sub.from_dict(v) for v in expect(value, list, key)]
                else:
                    kwargs[key] = {
                        str(k): sub.from_dict(v) for k, v in expect(value, dict, key).items()
                    }
            except ModelError as exc:
                raise ModelError(f"{cls.__name__}.{key}: {exc}") from exc
        if keeps_extra:
            kwargs["extra"] = extra
        try:
            record = cls(**kwargs)
        except TypeError as exc:
            raise ModelError(f"{cls.__name__}: {exc}") from exc
        record.validate()
        return record

    @classmethod
    def checked_dict(cls, data: object) -> dict[str, Any]:
        """``cls.from_dict(data).to_dict()`` (the dict the record is stored as), or the
        :class:`ModelError` that raises, without building the record and then its dict
        again: a pulled page stores 10,000 records it only checks.

        A dict with every field in ``to_dict``'s order, then any unknown keys (what this
        app stores and sends), is copied in one pass (nested records the same way) and
        checked by the class's own ``validate`` on a record holding those values (its
        nested records left out: a ``validate`` that reads one falls back). Anything this
        pass does not take as it is (a missing field, another order, a wrong type, a
        failed check) is read again by ``from_dict``, so its result and its refusal are
        that path's, word for word (``tests/store/test_checked_dict.py``)."""
        try:
            return _checked(cls, data)
        except Exception:  # the whole path again, for its own result or its own error
            return cls.from_dict(data).to_dict()

    def validate(self) -> None:
        """Raise ModelError if a field has the wrong shape; subclasses add their rules."""


@cache
def field_names(cls: type) -> tuple[str, ...]:
    """A dataclass's field names, in order (``dataclasses.fields`` builds a new tuple of
    Field objects on every call: a pulled page of 10,000 records called it 80,000 times)."""
    return tuple(f.name for f in dataclasses.fields(cls))


@cache
def _writing_plan(cls: type) -> tuple[tuple[str, str | None], ...]:
    """``to_dict``'s fields in order (``extra`` written after them), each with its nesting."""
    nested = cls.NESTED  # type: ignore[attr-defined]
    return tuple((n, nested.get(n, (None,))[0]) for n in field_names(cls) if n != "extra")


@cache
def _reading_plan(cls: type) -> tuple[dict[str, tuple[str, type] | None], bool]:
    """``from_dict``'s fields (``extra`` not among them: its keys are the record's unknown
    ones), each with its nesting (None: JSON values), and whether it keeps unknown keys."""
    nested = cls.NESTED  # type: ignore[attr-defined]
    names = field_names(cls)
    return {n: nested.get(n) for n in names if n != "extra"}, "extra" in names


def _written(value: Any, shape: str | None) -> Any:
    """A field's value as ``to_dict`` writes it (``shape``: its nesting, None for JSON)."""
    if shape is None:
        return copy_value(value)
    if shape == "one":
        return value.to_dict()
    if shape == "list":
        return [v.to_dict() for v in value]
    return {k: v.to_dict() for k, v in value.items()}


_UNKNOWN = object()
_NO_EXTRA: dict[str, Any] = {}


class _Unusual(Exception):
    """Input :meth:`Plain.checked_dict`'s one pass leaves to ``from_dict``."""


class _Hidden:
    """Stands for a nested record in the record ``checked_dict`` validates: any use of it
    raises, so a ``validate`` that looks into a nested record is read the whole way."""

    __slots__ = ()

    def _unusual(self, *_args: object) -> Any:
        raise _Unusual

    __getattr__ = __bool__ = __len__ = __iter__ = __eq__ = __contains__ = _unusual
    __getitem__ = __lt__ = __gt__ = __le__ = __ge__ = __str__ = __repr__ = _unusual
    __hash__ = None  # type: ignore[assignment]


_HIDDEN = _Hidden()


@cache
def _checking_plan(
    cls: type,
) -> tuple[list[str], tuple[tuple[int, str, str, Any], ...], bool] | None:
    """``checked_dict``'s plan: the field names but ``extra``, in order (as ``to_dict``
    writes them); each nested field as (position, name, shape, class); whether unknown keys
    are kept (in ``extra``). None for a class whose record is not made from its fields in
    that order with ``extra`` last."""
    fields = dataclasses.fields(cls)
    names = [f.name for f in fields]
    if any(not f.init or f.kw_only for f in fields) or "extra" in names[:-1]:
        return None
    order = [n for n in names if n != "extra"]
    nested = cls.NESTED  # type: ignore[attr-defined]
    positions = tuple((i, n, *nested[n]) for i, n in enumerate(order) if n in nested)
    return order, positions, "extra" in names


@cache
def _nested_names(cls: type) -> frozenset[str]:
    return frozenset(cls.NESTED)  # type: ignore[attr-defined]


def _checked(cls: Any, data: object) -> dict[str, Any]:
    """:meth:`Plain.checked_dict`'s one pass, for a dict with every field of ``cls`` in
    ``to_dict``'s order, then any unknown keys (what this app's records are stored and
    sent as); :class:`_Unusual` (or the error that stopped it) for anything else."""
    plan = _checking_plan(cls)
    if type(data) is not dict or plan is None:
        raise _Unusual
    order, nested, keeps_extra = plan
    keys = [*data]
    count = len(order)
    if keys[:count] != order:
        raise _Unusual
    for required in cls.REQUIRED:
        if data[required] is None:
            raise _Unusual
    skip = _nested_names(cls)  # written below from their own checked dicts: not copied here
    out = {k: v if type(v) in _SHARED or k in skip else copy_value(v) for k, v in data.items()}
    args = [*out.values()][:count]  # the record validate checks, its nested records hidden
    for at, name, shape, sub in nested:
        value = data[name]
        if value is None:
            continue
        if shape == "one":  # one small record: validate may look into it (a permit's hours)
            record = sub.from_dict(value)
            out[name], args[at] = record.to_dict(), record
        elif shape == "list" and type(value) is list:
            out[name] = [sub.checked_dict(v) for v in value]
            args[at] = [_HIDDEN] * len(value)  # "not self.stops" reads; an element raises
        elif shape == "dict" and type(value) is dict:
            out[name] = {str(k): sub.checked_dict(v) for k, v in value.items()}
            args[at] = dict.fromkeys(out[name], _HIDDEN)
        else:
            raise _Unusual
    if keeps_extra:  # unknown keys are kept, after the fields
        out.pop("extra", None)
        args.append({k: out[k] for k in keys[count:] if k != "extra"})
    else:
        for key in keys[count:]:
            del out[key]
    cls(*args).validate()
    return out


def expect(value: object, kind: type, what: str) -> Any:
    if not isinstance(value, kind):
        raise ModelError(f"{what}: expected {kind.__name__}")
    return value


#: Values a copy can share: immutable, and most of what a record holds (its stamps, texts).
_SHARED = frozenset((str, int, float, bool, type(None)))


def copy_value(value: Any) -> Any:
    """A deep copy of a JSON value (tuples become lists, as JSON has them). Texts and
    numbers are shared rather than passed to another call: a pulled page copies each of
    its 10,000 records twice, and most of a record is a dict of stamps."""
    if type(value) in _SHARED:
        return value
    if isinstance(value, dict):
        return {k: v if type(v) in _SHARED else copy_value(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [v if type(v) in _SHARED else copy_value(v) for v in value]
    return value


def need_str(record: object, *names: str, optional: bool = False, empty: bool = False) -> None:
    """Each field must be text: non-empty unless ``empty``; None allowed if ``optional``."""
    for name in names:
        value = getattr(record, name)
        if type(value) is str and (value or empty or optional):
            continue
        if value is None and optional:
            continue
        if not isinstance(value, str) or (not (optional or empty) and not value):
            raise ModelError(f"{type(record).__name__}.{name}: text is needed")


def need_in(record: object, name: str, allowed: tuple[str, ...]) -> None:
    value = getattr(record, name)
    if value not in allowed:
        raise ModelError(f"{type(record).__name__}.{name}: {value!r} is not one of {allowed}")


# --- declaring personal fields (masking reads this: fieldkit.model.personal) -------------

#: Personal items: what ``personal.REVEAL_RULES`` grants and ``personal.mask`` masks.
ITEMS = ("name", "phone", "id_number")
#: The metadata key a dataclass field declares its personal item under (:func:`personal`).
PERSONAL_META = "personal"
#: A field or key holding a person or people: their name, phone and id number are personal.
PERSON = "person"


def personal_meta(item: str) -> dict[str, str]:
    """Field metadata declaring personal ``item`` (name, phone, id_number or person):
    ``field(default_factory=list, metadata=personal_meta(PERSON))``."""
    if item not in (*ITEMS, PERSON):
        raise ValueError(f"unknown personal item {item!r}")
    return {PERSONAL_META: item}


def personal(item: str, default: str = "") -> Any:
    """A text field holding personal ``item``: ``owner_phone: str = personal("phone")``.
    This metadata is the one declaration masking and write-back read."""
    return dataclasses.field(default=default, metadata=personal_meta(item))
