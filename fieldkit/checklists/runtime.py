"""Running a checklist: what is shown, what is required, what failed — for the app and server.

Both the field app and the office server call these pure functions, so they always agree.

Answers are kept per *pass*. A section without ``repeat`` has one pass whose key is the
section id; a repeated section has one pass per matching asset, keyed
``"<section id>@<asset id>"`` (see :func:`expand`). A run's answers are therefore
``{pass_key: {item_id: answer}}``, where an answer is:

- check: ``"pass"`` | ``"fail"`` | ``"na"``
- number: an int or float (use :func:`read_number` to turn typed text into one)
- choice: an option id; multi: a list of option ids (``[]`` is a real answer: none apply)
- text: a string (blank counts as unanswered); date: ``"YYYY-MM-DD"``
- photo: an attachment reference (a string) or a non-empty list of them
- signature: a non-empty string
- ``None`` or absent: unanswered

Rules: a hidden item is not asked, not required and never fails, and conditions see it
as unanswered. An item is required when visible and ``required`` is true, or its
``required_if`` holds. An answer of the wrong shape counts as unanswered (validate input
with :func:`check_answer` first). :func:`evaluate_run` applies all of this at once and is
cheap enough to call after every answer.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date

from fieldkit.checklists.definition import Checklist, Item, OnFail, Section
from fieldkit.checklists.diagnostics import Param, render_param
from fieldkit.checklists.expressions import evaluate
from fieldkit.checklists.vocabulary import CHECK_ANSWERS
from fieldkit.checklists.wording import amount_param, number_text, unit_typed
from fieldkit.i18n import get_language, t
from fieldkit.model import SEVERITIES

Answer = str | int | float | list[str] | None
Answers = Mapping[str, Mapping[str, Answer]]

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_TYPED_DATE = re.compile(r"^(?:(\d{4})\s*[-/.年]\s*)?(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*[日号]?$")
#: Days a date may be typed as, counted from today.
RELATIVE_DAYS = {"今天": 0, "今日": 0, "明天": 1, "明日": 1, "后天": 2, "昨天": -1,
                 "today": 0, "tomorrow": 1, "yesterday": -1, "day after tomorrow": 2,
                 "the day after tomorrow": 2}  # fmt: skip
_NUMBER = re.compile(r"^[+-]?\d+(?:\.(\d+))?$")
#: A number with a word after it ("2人", "30 分钟", "2 people"): the number, the word.
_NUMBER_WORD = re.compile(r"^([+-]?\d+(?:[.,]\d+)?)\s*([^\d.,\s].*?)[。.]?$")


def pass_key(section_id: str, asset_id: object = None) -> str:
    """The key of a pass: the section id, plus ``@<asset id>`` in a repeated section."""
    return section_id if asset_id is None else f"{section_id}@{asset_id}"


@dataclass(frozen=True)
class Pass:
    """One pass through a section; ``asset`` is the matched asset in a repeated section."""

    section: Section
    asset: Mapping[str, object] | None = None

    @property
    def key(self) -> str:
        return pass_key(self.section.id, None if self.asset is None else self.asset.get("id"))


def expand(checklist: Checklist, assets: Iterable[Mapping[str, object]] = ()) -> tuple[Pass, ...]:
    """The passes of a run, in order: sections as written, repeated ones once per asset.

    ``assets`` are plain dicts with at least ``id`` and ``kind``; a repeated section takes
    those its ``where`` matches, in the order given (an asset without an ``id`` is skipped).
    A repeated section that matches no asset has no pass; an asset id given twice counts once.
    """
    unique: dict[str, Mapping[str, object]] = {}
    for a in assets:
        if isinstance(a, Mapping) and a.get("id") is not None:
            unique.setdefault(str(a["id"]), a)
    assets = list(unique.values())
    passes: list[Pass] = []
    for section in checklist.sections:
        if section.repeat is None:
            passes.append(Pass(section))
        else:
            passes.extend(Pass(section, a) for a in assets if section.repeat.matches(a))
    return tuple(passes)


@dataclass(frozen=True)
class AnswerProblem:
    """Why an answer cannot be taken, as a translatable message."""

    key: str
    params: tuple[tuple[str, Param], ...] = ()

    def message(self, lang: str | None = None) -> str:
        return t(self.key, lang, **{k: render_param(v, lang) for k, v in self.params})


def _problem(name: str, **params: Param) -> AnswerProblem:
    return AnswerProblem(f"checklists.answer.{name}", tuple(params.items()))


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def check_number(item: Item, value: float) -> AnswerProblem | None:
    """Refuse a number outside ``range`` or with more ``decimals`` than allowed.

    Being outside ``expect`` is not a problem here: the number is taken and the item fails
    (see :func:`outcome`).
    """
    if not _is_number(value):
        return _problem("not_number")
    if item.range is not None:
        low, high = item.range
        if (low is not None and value < low) or (high is not None and value > high):
            if low is None:
                return _problem("too_high", high=amount_param(high, item.unit))
            if high is None:
                return _problem("too_low", low=amount_param(low, item.unit))
            return _problem(
                "out_of_range", low=number_text(low), high=amount_param(high, item.unit)
            )
    if item.decimals is not None and abs(round(value, item.decimals) - value) > 1e-9:
        return _problem("decimals", count=item.decimals)
    return None


def read_number(item: Item, text: str) -> tuple[int | float | None, AnswerProblem | None]:
    """Typed text → a number for ``item``, or a problem to show. Full-width digits and a
    decimal comma (``１,５``) are accepted; blank text is ``(None, None)`` (unanswered)."""
    cleaned = unicodedata.normalize("NFKC", text or "").strip()
    if not cleaned:
        return None, None
    with_word = _NUMBER_WORD.match(cleaned)
    if with_word:
        word = with_word.group(2).strip()
        if word.lower() not in unit_typed(item.unit):
            return None, _unit_problem(item, word)
        cleaned = with_word.group(1)
    cleaned = cleaned.replace(" ", "")
    if "," in cleaned and "." not in cleaned and cleaned.count(",") == 1:
        cleaned = cleaned.replace(",", ".")
    match = _NUMBER.match(cleaned)
    if match is None:
        return None, _problem("not_whole_number" if item.decimals == 0 else "not_number")
    value: int | float = float(cleaned) if match.group(1) is not None else int(cleaned)
    if item.decimals is not None and match.group(1) and len(match.group(1)) > item.decimals:
        return None, _problem("decimals", count=item.decimals)
    problem = check_number(item, value)
    return (None, problem) if problem else (value, None)


def _unit_problem(item: Item, word: str) -> AnswerProblem:
    """A number typed with a word that is not the item's unit: which word, and what to type
    (the unit in the reader's words, or a plain number for a count)."""
    if item.unit and item.unit.strip():
        return _problem("wrong_unit", word=word, example=amount_param(2, item.unit))
    return _problem("not_count_word", word=word)


def is_answered(item: Item, value: Answer) -> bool:
    """Whether ``value`` is an answer of the right shape for ``item``."""
    return (
        value is not None
        and check_answer(item, value) is None
        and not (isinstance(value, str) and not value.strip())
    )


def read_date(text: str, today: date) -> str:
    """A date as a person types it, as ``YYYY-MM-DD``: 今天 / 明天 / today / tomorrow, or
    年-月-日 with any of - / . 年 月 日 between and one-digit months and days
    (2026-12-6, 2026年12月6日, 12月6日: this year). Anything else is returned as typed,
    for :func:`check_answer` to refuse."""
    from datetime import timedelta

    said = " ".join(unicodedata.normalize("NFKC", text).lower().split())
    if said in RELATIVE_DAYS:
        return (today + timedelta(days=RELATIVE_DAYS[said])).isoformat()
    match = _TYPED_DATE.match(said)
    if not match:
        return text.strip()
    year = int(match.group(1) or today.year)
    try:
        return date(year, int(match.group(2)), int(match.group(3))).isoformat()
    except ValueError:
        return text.strip()


def check_answer(item: Item, value: Answer) -> AnswerProblem | None:
    """None when ``value`` may be stored for ``item`` (``None``, unanswered, always may)."""
    if value is None:
        return None
    kind = item.type
    if kind == "check":
        return None if value in CHECK_ANSWERS else _problem("check")
    if kind == "number":
        return check_number(item, value)  # type: ignore[arg-type]
    if kind == "choice":
        ok = isinstance(value, str) and item.option(value) is not None
        return None if ok else _problem("unknown_option")
    if kind == "multi":
        ok = (
            isinstance(value, list)
            and all(isinstance(v, str) and item.option(v) is not None for v in value)
            and len(set(value)) == len(value)
        )
        if not ok:
            return _problem("unknown_option")
        alone = [o for o in item.options if o.exclusive and o.id in value]
        if alone and len(value) > 1:  # "畅通；停放电动车" says two things that cannot both hold
            return _problem("exclusive", option=alone[0].label.get(get_language()))
        return None
    if kind == "text":
        return None if isinstance(value, str) else _problem("text")
    if kind == "date":
        if isinstance(value, str) and _DATE.match(value):
            try:
                date.fromisoformat(value)
                return None
            except ValueError:
                pass
        return _problem("date")
    if kind == "photo":
        if isinstance(value, str) and value.strip():
            return None
        ok = isinstance(value, list) and value and all(isinstance(v, str) and v for v in value)
        return None if ok else _problem("photo")
    if kind == "signature":
        return None if isinstance(value, str) and value.strip() else _problem("signature")
    return _problem("text")


@dataclass(frozen=True)
class Outcome:
    """How an answered item came out.

    ``status``: ``"unanswered"``, ``"pass"``, ``"fail"`` or ``"na"`` (check answered n/a).
    Items that cannot fail (text, photo, date, signature) are ``"pass"`` once answered.
    ``on_fail`` is the routing that applies (the failing option's own, else the item's;
    for a multi with several failing options, the most severe, then the soonest due); it
    can be None when the author gave none (a warning at load).
    """

    status: str
    on_fail: OnFail | None = None
    failed_options: tuple[str, ...] = ()

    @property
    def failed(self) -> bool:
        return self.status == "fail"


_UNANSWERED = Outcome("unanswered")


def outcome(item: Item, value: Answer) -> Outcome:
    """The outcome of ``value`` for a visible ``item`` (visibility is :func:`evaluate_run`'s)."""
    if not is_answered(item, value):
        return _UNANSWERED
    if item.type == "check":
        if value == "fail":
            return Outcome("fail", item.on_fail)
        return Outcome("na" if value == "na" else "pass")
    if item.type == "number":
        if item.expect is not None:
            low, high = item.expect
            if (low is not None and value < low) or (high is not None and value > high):  # type: ignore[operator]
                return Outcome("fail", item.on_fail)
        return Outcome("pass")
    if item.type in ("choice", "multi"):
        chosen = [value] if isinstance(value, str) else list(value)  # type: ignore[arg-type]
        failing = [o for o in item.options if o.id in chosen and o.fails]
        if not failing:
            return Outcome("pass")
        routes = [(o.on_fail or item.on_fail, i) for i, o in enumerate(failing)]
        best = min(routes, key=lambda r: _route_rank(r[0], r[1]))[0]
        return Outcome("fail", best, tuple(o.id for o in failing))
    return Outcome("pass")


def _route_rank(route: OnFail | None, index: int) -> tuple:
    if route is None:
        return (1, 0, 0, index)
    return (0, -SEVERITIES.index(route.severity), route.due.total_seconds(), index)


@dataclass(frozen=True)
class ItemState:
    """An item in one pass of a run, as the run stands."""

    item: Item
    pass_key: str
    asset: Mapping[str, object] | None
    visible: bool
    required: bool
    answered: bool
    outcome: Outcome

    @property
    def missing(self) -> bool:
        """Visible, required and not answered: the run cannot be submitted yet."""
        return self.visible and self.required and not self.answered


@dataclass(frozen=True)
class RunState:
    """Everything the app and the server need to know about a run's answers."""

    passes: tuple[Pass, ...]
    section_visible: Mapping[str, bool]
    items: tuple[ItemState, ...]
    _index: Mapping[tuple[str, str], ItemState] = field(repr=False, compare=False)

    def get(self, pass_key: str, item_id: str) -> ItemState | None:
        return self._index.get((pass_key, item_id))

    @property
    def missing(self) -> tuple[ItemState, ...]:
        return tuple(s for s in self.items if s.missing)

    @property
    def failures(self) -> tuple[ItemState, ...]:
        """Visible items whose answer failed; each becomes a finding routed by its on_fail."""
        return tuple(s for s in self.items if s.visible and s.outcome.failed)

    @property
    def complete(self) -> bool:
        return not self.missing


def evaluate_run(
    checklist: Checklist,
    answers: Answers,
    assets: Iterable[Mapping[str, object]] = (),
    passes: Iterable[Pass] | None = None,
) -> RunState:
    """Visibility, required-ness and outcome of every item of every pass.

    Give ``assets`` (expanded with :func:`expand`) or ready ``passes``. Never raises on
    answers of a wrong shape: they count as unanswered.
    """
    run_passes = tuple(passes) if passes is not None else expand(checklist, assets)
    return _Run(checklist, answers, run_passes).state()


class _Run:
    def __init__(self, checklist: Checklist, answers: Answers, passes: tuple[Pass, ...]) -> None:
        self.checklist = checklist
        self.answers = answers if isinstance(answers, Mapping) else {}
        self.passes = passes
        self.items = {i.id: i for i in checklist.items()}
        self.sections = {s.id: s for s in checklist.sections}
        self.item_visible: dict[tuple[str, str], bool] = {}
        self.pass_visible: dict[str, bool] = {}

    def _raw(self, key: str, item_id: str) -> Answer:
        bucket = self.answers.get(key)
        return bucket.get(item_id) if isinstance(bucket, Mapping) else None

    def _lookup_in(self, key: str):
        def value(name: str) -> Answer:
            item = self.items.get(name)
            if item is None:
                return None
            section = self.sections[item.section_id]
            where = key if section.repeat is not None else section.id
            if not self._visible(where, item):
                return None
            raw = self._raw(where, name)
            return raw if is_answered(item, raw) else None

        return value

    def _section_visible(self, key: str, section: Section) -> bool:
        if key not in self.pass_visible:
            self.pass_visible[key] = True  # provisional; load-time checks forbid cycles
            cond = section.show_if
            self.pass_visible[key] = cond is None or evaluate(cond.tree, self._lookup_in(key))
        return self.pass_visible[key]

    def _visible(self, key: str, item: Item) -> bool:
        memo = (key, item.id)
        if memo not in self.item_visible:
            self.item_visible[memo] = False
            section = self.sections[item.section_id]
            visible = self._section_visible(key, section) and (
                item.show_if is None or evaluate(item.show_if.tree, self._lookup_in(key))
            )
            self.item_visible[memo] = visible
        return self.item_visible[memo]

    def _warm(self) -> None:
        """Work out visibility in dependency order, so no chain of conditions recurses deeply."""
        keys_of: dict[str, list[str]] = {}
        for p in self.passes:
            keys_of.setdefault(p.section.id, []).append(p.key)
        for item in _dependency_order(self.checklist):
            for key in keys_of.get(item.section_id, ()):
                self._visible(key, item)

    def state(self) -> RunState:
        self._warm()
        states: list[ItemState] = []
        for p in self.passes:
            key = p.key
            for item in p.section.items:
                visible = self._visible(key, item)
                raw = self._raw(key, item.id)
                answered = is_answered(item, raw)
                required = visible and (
                    item.required
                    or (
                        item.required_if is not None
                        and evaluate(item.required_if.tree, self._lookup_in(key))
                    )
                )
                result = outcome(item, raw) if visible else _UNANSWERED
                states.append(ItemState(item, key, p.asset, visible, required, answered, result))
        index = {(s.pass_key, s.item.id): s for s in states}
        section_visible = {p.key: self._section_visible(p.key, p.section) for p in self.passes}
        return RunState(self.passes, section_visible, tuple(states), index)


def _dependency_order(checklist: Checklist) -> list[Item]:
    """Items ordered so that every item comes after those its visibility depends on.

    The loader has refused circular conditions, so this is a plain post-order walk; it is
    iterative so a long chain of conditions cannot exhaust the stack.
    """
    items = {i.id: i for i in checklist.items()}
    sections = {s.id: s for s in checklist.sections}

    def deps(item: Item) -> list[str]:
        names: set[str] = set(item.show_if.refs) if item.show_if else set()
        section_cond = sections[item.section_id].show_if
        if section_cond is not None:
            names |= section_cond.refs
        return sorted(n for n in names if n in items and n != item.id)

    order: list[Item] = []
    done: set[str] = set()
    for start in items:
        if start in done:
            continue
        stack = [(start, iter(deps(items[start])))]
        done.add(start)
        while stack:
            name, pending = stack[-1]
            child = next(pending, None)
            if child is None:
                stack.pop()
                order.append(items[name])
            elif child not in done:
                done.add(child)
                stack.append((child, iter(deps(items[child]))))
    return order
