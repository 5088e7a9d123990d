"""How a failed item reads to the person who gets the case: the fault, not the check.

An item's ``label`` says what to check ("外立面、外窗、阳台结构没有改动"); a finding must say
what was found wrong ("擅自改动外立面、外窗或阳台结构"). The author writes that as the item's
``fail_label``; without one the wording is derived, so a finding never repeats the pass
wording as if it were the fault:

- check: the ``fail_label``, else "未通过：<label>" / "Failed: <label>" (the last resort);
- number: the ``fail_label`` (else the label), the value and the expected band:
  "压力 0.8 MPa，应在 1.0–1.4 MPa";
- choice / multi: the ``fail_label`` (else the label) and the failing answer chosen:
  "压力表指针：红区（压力不足）".

Units written as abbreviations a patroller would not say (``h``, ``d``, ``min``, ``CNY``)
read as words ("72 小时", "30 days"); any other unit is shown as written. Pure functions:
the field app, the office server and the docs' examples all word a finding the same way.
"""

from __future__ import annotations

from collections.abc import Sequence

from fieldkit.checklists.definition import Item
from fieldkit.checklists.diagnostics import Param, term
from fieldkit.checklists.vocabulary import CHECK_ANSWERS
from fieldkit.i18n import t

Value = str | int | float | list[str] | None

#: unit abbreviations that have words in the catalogue (``findings.unit.<key>``)
UNIT_WORDS = {"h": "hours", "d": "days", "min": "minutes", "CNY": "yuan"}


#: What a person may type after a number for an item of each unit (lower case), besides the
#: unit as written: "30分钟", "30 min", "2小时", "3天", "200元".
UNIT_TYPED = {
    "h": ("小时", "个小时", "钟头", "h", "hr", "hrs", "hour", "hours"),
    "d": ("天", "日", "d", "day", "days"),
    "min": ("分钟", "分", "min", "mins", "minute", "minutes"),
    "CNY": ("元", "块", "块钱", "cny", "rmb", "yuan"),
}
#: Counting words a number may carry on an item with no unit (a count: 被困人数, 受影响户数):
#: "2人", "3户", "1台", "2 people".
COUNT_TYPED = (
    "人", "名", "位", "户", "个", "台", "部", "次", "辆", "处", "间", "件", "只", "套",
    "people", "persons", "person", "households", "household", "flats", "flat", "lifts",
    "lift", "times",
)  # fmt: skip


def unit_typed(unit: str | None) -> tuple[str, ...]:
    """The words accepted after a typed number for an item of ``unit`` (lower case): the
    unit as written and its words (:data:`UNIT_TYPED`); a count's words without one."""
    if not unit or not unit.strip():
        return COUNT_TYPED
    written = unit.strip()
    return (written.lower(), *UNIT_TYPED.get(written, ()))


def unit_after(label: str, unit: str | None, lang: str | None = None) -> str:
    """The unit to show after a number item's label — "" when there is none or the label
    says it already (从报警到放出用了多少分钟, not …多少分钟（分钟）)."""
    words = unit_words(unit, lang)
    return "" if not words or words.lower() in label.lower() else words


def number_text(value: float | int) -> str:
    """A number as written: ``1.0`` stays "1.0", ``24`` stays "24"."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return f"{value:.1f}"
    return str(value)


def unit_words(unit: str | None, lang: str | None = None) -> str:
    """``"h"`` → "小时" / "h"; a unit with no words of its own, as written; "" for none."""
    if not unit:
        return ""
    key = UNIT_WORDS.get(unit.strip())
    return t(f"findings.unit.{key}", lang) if key else unit.strip()


def amount(value: float | int, unit: str | None = None, lang: str | None = None) -> str:
    """``0.8`` and ``MPa`` → "0.8 MPa"; no unit → "0.8"."""
    words = unit_words(unit, lang)
    return (
        t("findings.amount", lang, value=number_text(value), unit=words)
        if words
        else (number_text(value))
    )


def amount_param(value: float | int, unit: str | None = None) -> Param:
    """:func:`amount` as a message parameter rendered late, in whichever language."""
    key = UNIT_WORDS.get((unit or "").strip())
    if key:
        return term("findings.amount", value=number_text(value), unit=term(f"findings.unit.{key}"))
    if unit and unit.strip():
        return term("findings.amount", value=number_text(value), unit=unit.strip())
    return number_text(value)


def bounds_words(
    bounds: tuple[float | None, float | None], unit: str | None, lang: str | None, kind: str
) -> str:
    """A band as a sentence end: ``kind`` "band" → "应在 1.0–1.4 MPa" / "should be …";
    "range" → "0 到 50 MPa" (what can be typed)."""
    low, high = bounds
    if kind == "band" and low == 0 and high is not None and high > 0:
        low = None  # "应不超过 30 分钟", not "应在 0–30 分钟" (nc16)
    if low is not None and high is not None:
        if low == high:
            return t(f"findings.{kind}.exactly", lang, value=amount(low, unit, lang))
        return t(
            f"findings.{kind}.between", lang, low=number_text(low), high=amount(high, unit, lang)
        )
    if low is not None:
        return t(f"findings.{kind}.at_least", lang, low=amount(low, unit, lang))
    if high is not None:
        return t(f"findings.{kind}.at_most", lang, high=amount(high, unit, lang))
    return ""


def band_words(item: Item, lang: str | None = None) -> str:
    """What an answer to a number item should be: "应在 1.0–1.4 MPa" ("" without expect)."""
    return bounds_words(item.expect, item.unit, lang, "band") if item.expect else ""


def _labels(item: Item, ids: Sequence[str], lang: str) -> str:
    """Options chosen, apart even when a label has a 、 or a comma of its own (手电、对讲机电池；
    雨衣、雨靴 / Chainsaw, rope, tape; Rain gear)."""
    sep = t("checklists.words.options_sep", lang)
    return sep.join(o.label.get(lang) for o in item.options if o.id in ids)


def labelled(label: str, answer: str, lang: str | None = None, mid: bool = False) -> str:
    """An item and its answer on one line: "整改期限：2026-12-14"; a question ("违规施工是否已当场
    制止？" / "Was the violating work stopped?") takes no colon after its mark, and its
    answer starts as a sentence. ``mid``: after a colon the answer reads mid-sentence in
    English ("…out of range: red zone (low)", :func:`_mid_sentence`)."""
    if label.rstrip().endswith(("?", "？")):
        return t("checklists.words.asked", lang, label=label, answer=answer)
    answer = _mid_sentence(answer, lang or "en") if mid else answer
    return t("checklists.words.labelled", lang, label=label, answer=answer)


def _mid_sentence(text: str, lang: str) -> str:
    """An option's label ("Red zone (low)") as it reads after the fault's colon in English
    ("…out of range: red zone (low)"); a word in capitals (RCD, CO2) stays as it is."""
    if lang != "en" or len(text) < 2 or not text[0].isupper() or not text[1].islower():
        return text
    return text[0].lower() + text[1:]


def failing_options(item: Item, value: Value) -> list[str]:
    chosen = [value] if isinstance(value, str) else list(value or [])
    return [o.id for o in item.options if o.id in chosen and o.fails]


def answer_words(item: Item, value: Value, lang: str | None = None, *, steps: bool = False) -> str:
    """The answer as given, in words: "0.8 MPa", "红区（压力不足）", "不合格". ``steps``: the
    checks are steps of work (an incident's plan), answered 已完成 / 未完成 / 不适用 rather
    than an inspection's 合格 / 不合格 (:func:`check_words_key`)."""
    lang = lang or "en"
    if value is None:
        return ""
    if item.type == "number" and isinstance(value, int | float):
        return amount(value, item.unit, lang)
    if item.type == "check":
        return t(check_words_key(str(value), steps), lang)
    if item.type in ("choice", "multi"):
        chosen = [value] if isinstance(value, str) else list(value)
        said = _labels(item, chosen, lang)
        if not said and value in CHECK_ANSWERS:  # a check in the checklist's older version
            return t(check_words_key(str(value), steps), lang)
        return said or t("findings.none_chosen", lang)
    if isinstance(value, list):
        return t("checklists.words.list_sep", lang).join(str(v) for v in value)
    return str(value)


def check_words_key(value: str, steps: bool = False) -> str:
    """The catalogue key of a check's answer (pass / fail / na). A checklist whose checks
    are steps of work — an incident's plan (``applies_to: incident:…``) — answers them
    已完成 / 未完成 / 不适用 / done / not done / does not apply; every other checklist
    合格 / 不合格 / 不适用 / pass / fail / n/a (docs/checklists.md)."""
    return f"checklists.words.{'step' if steps else 'answer'}.{value}"


def steps_of_work(applies_to: str) -> bool:
    """Whether a checklist's checks are steps of work (:func:`check_words_key`)."""
    return applies_to.startswith("incident:")


def expected_words(item: Item, lang: str | None = None) -> str:
    """What a passing answer is: the label of a check (its pass wording), the band of a
    number, the options of a choice that do not fail."""
    lang = lang or "en"
    if item.type == "number":
        return band_words(item, lang)
    if item.type in ("choice", "multi"):
        good = [o.label.get(lang) for o in item.options if not o.fails]
        return t("findings.alternatives", lang).join(good)
    return item.label.get(lang)


def failure_words(item: Item, value: Value, lang: str | None = None) -> str:
    """The finding: what is wrong, with the failing answer where there is one."""
    lang = lang or "en"
    lead = item.fail_label.get(lang) if item.fail_label else ""
    label = item.label.get(lang)
    if item.type == "number" and isinstance(value, int | float):
        given = amount(value, item.unit, lang)
        band = band_words(item, lang)
        if lead:
            return t("findings.number_lead", lang, lead=lead, value=given, band=band)
        return t("findings.number", lang, label=label, value=given, band=band)
    if item.type in ("choice", "multi"):
        failing = failing_options(item, value)
        if failing:
            return labelled(lead or label, _labels(item, failing, lang), lang, mid=True)
    return lead or t("findings.failed", lang, label=label)


#: What a number item asks for, by its unit: money is an amount (金额), a time is a count of
#: its units (小时数), anything else measured is a reading (读数).
ASKED = {"yuan": "amount", "hours": "duration", "days": "duration", "minutes": "duration"}


def _asked(unit: str | None) -> str:
    return ASKED.get(UNIT_WORDS.get((unit or "").strip(), ""), "reading")


def reading_help(item: Item, lang: str | None = None) -> str:
    """The line under a number item: "Type the reading in MPa (0 to 4), then Enter.",
    "输入金额（元，0 到 5000），回车保存。", "输入小时数（0 到 72），回车保存。"."""
    words = unit_words(item.unit, lang)
    limits = bounds_words(item.range, None, lang, "range") if item.range else ""
    if not words:
        plain = "findings.entry.help" if limits else "findings.entry.help_open"
        return t(plain, lang, range=limits)
    key = "help" if limits else "help_open"
    return t(f"findings.entry.{_asked(item.unit)}.{key}", lang, unit=words, range=limits)


def reading_placeholder(item: Item, lang: str | None = None) -> str:
    """What the empty box of a number item says: "reading in MPa", "金额（元）", or "a
    number"."""
    words = unit_words(item.unit, lang)
    if words:
        return t(f"findings.entry.{_asked(item.unit)}.placeholder", lang, unit=words)
    return t("findings.entry.placeholder", lang)


def finding_pattern(item: Item, lang: str | None = None) -> str:
    """How a failure of ``item`` will read, with "…" for the answer: what
    ``fieldkit checklist show`` prints so an author can read the wording back."""
    lang = lang or "en"
    lead = item.fail_label.get(lang) if item.fail_label else ""
    if item.type == "number":
        band = band_words(item, lang)
        if lead:
            return t("findings.number_lead", lang, lead=lead, value="…", band=band)
        return t("findings.number", lang, label=item.label.get(lang), value="…", band=band)
    if item.type in ("choice", "multi"):
        return labelled(lead or item.label.get(lang), "…", lang)
    return lead or t("findings.failed", lang, label=item.label.get(lang))
