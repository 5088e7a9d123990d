"""A loaded checklist as typed, frozen dataclasses.

These are what the app, the store and the office server work with once
:func:`fieldkit.checklists.load_file` has accepted a file. Every object is immutable and
carries no YAML: positions stay in the loader's diagnostics (``line`` fields are kept only
to point a person back at the file). :meth:`Checklist.to_dict` is the canonical content
whose sha256 is the checklist's ``content_hash``.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import timedelta

from fieldkit.checklists.expressions import Expr, to_source
from fieldkit.checklists.schedule import Schedule

Scalar = str | int | float | bool


@dataclass(frozen=True)
class Text:
    """Text in both languages; either may be missing (a warning at load)."""

    zh: str | None = None
    en: str | None = None

    def get(self, lang: str = "en") -> str:
        """The text in ``lang``, else the other language, else an empty string."""
        first, second = (self.zh, self.en) if lang == "zh" else (self.en, self.zh)
        return first or second or ""

    def to_dict(self) -> dict[str, str]:
        return {k: v for k, v in (("zh", self.zh), ("en", self.en)) if v is not None}


@dataclass(frozen=True)
class OnFail:
    """Where a failure goes: ``severity`` minor|major|critical, a ``department``, ``due`` time."""

    severity: str
    department: str
    due: timedelta
    due_text: str  # as written, e.g. "4h"

    def to_dict(self) -> dict[str, str]:
        return {"severity": self.severity, "department": self.department, "due": self.due_text}


MISSED_DEFAULT = OnFail("major", "security", timedelta(hours=24), "24h")


@dataclass(frozen=True)
class Condition:
    """A parsed ``show_if`` / ``required_if``: the text as written and its tree."""

    source: str
    tree: Expr = field(compare=False)
    refs: frozenset[str] = frozenset()

    @property
    def canonical(self) -> str:
        return to_source(self.tree)


@dataclass(frozen=True)
class Option:
    id: str
    label: Text
    fails: bool = False
    on_fail: OnFail | None = None
    #: a multi item's "nothing found" (畅通, 完好): it is ticked alone or not at all
    exclusive: bool = False
    #: a fault found and put right on the spot (发现常开，已关闭): no case, but the round
    #: says it was found, on its review and the home (nc27: it read 全部正常)
    acted: bool = False

    def to_dict(self) -> dict[str, object]:
        out: dict[str, object] = {"id": self.id, "label": self.label.to_dict(), "fails": self.fails}
        if self.on_fail:
            out["on_fail"] = self.on_fail.to_dict()
        if self.exclusive:  # only when set: the hash of a checklist without it stays as it was
            out["exclusive"] = True
        if self.acted:
            out["acted"] = True
        return out


@dataclass(frozen=True)
class Repeat:
    """``repeat: {for_each: asset, where: {...}}``: one pass of the section per matching asset.

    ``where`` maps an asset attribute to the values it may have (one value = equal to it).
    """

    for_each: str
    where: tuple[tuple[str, tuple[Scalar, ...]], ...] = ()

    def matches(self, asset: Mapping[str, object]) -> bool:
        """Whether ``asset`` (a plain dict) has every ``where`` attribute with an allowed value.

        Numbers compare as numbers, so ``floor: 3`` matches an asset with floor ``"3"``;
        anything else compares as text.
        """
        for key, allowed in self.where:
            if key not in asset:
                return False
            value = _norm(asset[key])
            if not any(value == _norm(a) for a in allowed):
                return False
        return True

    def to_dict(self) -> dict[str, object]:
        return {"for_each": self.for_each, "where": {k: list(v) for k, v in self.where}}


def _norm(value: object) -> object:
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        text = value.strip()
        try:
            return float(text)
        except ValueError:
            return text
    return repr(value)


@dataclass(frozen=True)
class Item:
    """One question. ``range``/``expect`` are ``(low, high)`` with None for an open end."""

    id: str
    type: str
    label: Text
    section_id: str
    hint: Text | None = None
    fail_label: Text | None = None  # how a failure reads: "擅自改动外立面" (see wording.py)
    required: bool = True
    required_if: Condition | None = None
    show_if: Condition | None = None
    on_fail: OnFail | None = None
    options: tuple[Option, ...] = ()
    unit: str | None = None
    range: tuple[float | None, float | None] | None = None
    expect: tuple[float | None, float | None] | None = None
    decimals: int | None = None
    signer: str = "other"  # a signature's: "self", the person signed in, or someone else
    #: a plan step a saved notice to owners answers: a check's "any" or "all_clear", a
    #: multi's option id (``vocabulary.NOTICE_WHEN``)
    notice: str = ""
    #: a plan step a call logged on the incident answers: whom (``vocabulary.CALLED``)
    call: str = ""
    line: int = field(default=0, compare=False)

    @property
    def can_fail(self) -> bool:
        if self.type == "check":
            return True
        if self.type == "number":
            return self.expect is not None
        if self.type in ("choice", "multi"):
            return any(o.fails for o in self.options)
        return False

    def option(self, option_id: str) -> Option | None:
        return next((o for o in self.options if o.id == option_id), None)

    def to_dict(self) -> dict[str, object]:
        out: dict[str, object] = {
            "id": self.id,
            "type": self.type,
            "label": self.label.to_dict(),
            "required": self.required,
        }
        if self.hint:
            out["hint"] = self.hint.to_dict()
        if self.fail_label:
            out["fail_label"] = self.fail_label.to_dict()
        if self.required_if:
            out["required_if"] = self.required_if.canonical
        if self.show_if:
            out["show_if"] = self.show_if.canonical
        if self.on_fail:
            out["on_fail"] = self.on_fail.to_dict()
        if self.type == "signature" and self.signer != "other":
            out["signer"] = self.signer
        if self.notice:
            out["notice"] = self.notice
        if self.call:
            out["call"] = self.call
        if self.type in ("choice", "multi"):
            out["options"] = [o.to_dict() for o in self.options]
        if self.type == "number":
            out.update(
                unit=self.unit,
                range=list(self.range) if self.range else None,
                expect=list(self.expect) if self.expect else None,
                decimals=self.decimals,
            )
        return out


@dataclass(frozen=True)
class Section:
    id: str
    title: Text
    items: tuple[Item, ...]
    show_if: Condition | None = None
    repeat: Repeat | None = None
    line: int = field(default=0, compare=False)

    def to_dict(self) -> dict[str, object]:
        out: dict[str, object] = {
            "id": self.id,
            "title": self.title.to_dict(),
            "items": [i.to_dict() for i in self.items],
        }
        if self.show_if:
            out["show_if"] = self.show_if.canonical
        if self.repeat:
            out["repeat"] = self.repeat.to_dict()
        return out


@dataclass(frozen=True)
class ChecklistRef:
    """What a run records about the checklist it used."""

    id: str
    version: int
    content_hash: str

    def to_dict(self) -> dict[str, object]:
        return {"id": self.id, "version": self.version, "hash": self.content_hash}


@dataclass(frozen=True)
class Checklist:
    """A whole checklist. ``applies_to`` is as written, e.g. ``asset:extinguisher``;
    ``schedule`` is its ``every``; ``on_missed`` routes the finding a missed run becomes."""

    id: str
    version: int
    title: Text
    applies_to: str
    schedule: Schedule
    sections: tuple[Section, ...]
    description: Text | None = None
    tags: tuple[str, ...] = ()
    on_missed: OnFail | None = None
    source: Text | None = None  # the rule and clause it serves
    content_hash: str = ""
    path: str | None = field(default=None, compare=False)

    @property
    def missed_route(self) -> OnFail:
        """Where a missed run goes: ``on_missed``, else security, major, within 24 hours."""
        return self.on_missed or MISSED_DEFAULT

    @property
    def every(self) -> str | dict:
        """``every`` as written (a mapping in its canonical form)."""
        return self.schedule.written

    @property
    def ref(self) -> ChecklistRef:
        return ChecklistRef(self.id, self.version, self.content_hash)

    @property
    def target(self) -> tuple[str, str | None]:
        """``asset:extinguisher`` → ``("asset", "extinguisher")``; ``unit`` → ``("unit", None)``."""
        kind, _, sub = self.applies_to.partition(":")
        return kind, (sub or None)

    def items(self) -> Iterator[Item]:
        for section in self.sections:
            yield from section.items

    def item(self, item_id: str) -> Item | None:
        return next((i for i in self.items() if i.id == item_id), None)

    def section(self, section_id: str) -> Section | None:
        return next((s for s in self.sections if s.id == section_id), None)

    def to_dict(self) -> dict[str, object]:
        """The canonical content (no positions, no hash): what ``content_hash`` is taken of."""
        out: dict[str, object] = {
            "id": self.id,
            "version": self.version,
            "title": self.title.to_dict(),
            "applies_to": self.applies_to,
            "every": self.every,
            "sections": [s.to_dict() for s in self.sections],
            "tags": list(self.tags),
        }
        if self.description:
            out["description"] = self.description.to_dict()
        if self.on_missed:
            out["on_missed"] = self.on_missed.to_dict()
        if self.source:
            out["source"] = self.source.to_dict()
        return out
