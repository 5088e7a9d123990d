"""A case's history as sentences a clerk reads: "派给工程部 张师傅", "回访：满意 5 分",
"已受理 → 已派工" — never a raw id, never "信息修改".

:func:`sentences` walks the events in order, keeping the department and person the case was
last sent to, so a second dispatch reads as a reassignment naming who had it before. Status
names come from the lifecycle file in use; departments, urgencies and fields from the
catalogue, so the same history reads in either language.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from typing import Any

from fieldkit.config import LANGUAGES
from fieldkit.i18n import get_language, t
from fieldkit.i18n import known as _known
from fieldkit.model import localtime
from fieldkit.services.cases import kind_word
from fieldkit.services.disputes import LATE_AFTER, RECORDED_AT
from fieldkit.services.lifecycle import status_label
from fieldkit.services.types import CaseEvent, pick

#: Fields a "field" event may change, in the order a sentence names them.
FIELDS = ("department", "assignee", "due", "severity", "category", "description", "title")


def department_name(department: str, lang: str | None = None) -> str:
    lang = lang or get_language()
    return _known(f"ui.department.{department}", department, lang) if department else ""


def _due_text(value: Any) -> str:
    from fieldkit.services.cases import epoch

    at = epoch(value if isinstance(value, str) else None)
    if at == float("inf"):
        return "—"
    return localtime.fmt(at, "short")


#: Characters of what the owner said that the taking's line repeats.
SAID = 30


def clip(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters, ending in "…" when it was longer."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


#: The extra keys of a case the device makes itself from a rule (a missed run, equipment
#: falling due): its description is one line in each of :data:`LANGUAGES`, in that order.
MADE_BY_RULE = ("missed", "equipment")


def described(doc: dict[str, Any]) -> str | dict[str, str]:
    """A case's description as it is shown: a person's words as typed, or, for a case made
    by a rule, its line in each language (``{"zh": …, "en": …}``, read with ``pick``) — its
    stored description holds both, one line each, and an English reader was shown the
    Chinese line too."""
    text = str(doc.get("description") or "")
    extra = doc.get("extra") or {}
    lines = text.split("\n")
    if any(key in extra or key in doc for key in MADE_BY_RULE) and len(lines) == len(LANGUAGES):
        return dict(zip(LANGUAGES, lines, strict=True))
    return text


def events_of(doc: dict[str, Any]) -> tuple[CaseEvent, ...]:
    """A stored case's history in the order things happened: taking it (``raised``, when
    the case was made), then its events by their time — a statement given the evening
    before and typed today comes before the taking, and keeps when it was typed
    (``recorded``)."""
    from fieldkit.services.cases import epoch

    extra = {**doc, **(doc.get("extra") or {})}
    titles = extra.get("titles") if isinstance(extra.get("titles"), dict) else None
    raised = {"title": titles or doc.get("title") or "", "said": described(doc),
              "category": str(doc.get("category") or ""),
              "by_rule": any(key in extra for key in MADE_BY_RULE)}  # fmt: skip
    found = [CaseEvent(at=epoch(doc.get("created_at")), kind="raised",
                       by=str(doc.get("created_by") or ""), data=raised)]  # fmt: skip
    for ev in doc.get("events") or []:
        data = dict(ev.get("data") or {})
        typed = epoch(data.get(RECORDED_AT)) if data.get(RECORDED_AT) else 0.0
        found.append(
            CaseEvent(at=epoch(ev.get("at")), kind=str(ev.get("type") or ""),
                      text=str(ev.get("text") or ""),
                      status=str(data.get("to", "")) if ev.get("type") == "status" else "",
                      by=str(ev.get("by") or ""), data=data,
                      recorded=typed if typed != float("inf") else 0.0)
        )  # fmt: skip
    found.sort(key=lambda e: e.at)  # stable: the store's order among equal times
    return tuple(found)


def category_label(kind: str, category: str, lang: str | None = None) -> str:
    """The desk's category (漏水渗水) as the lifecycle file in use names it; "" for one the
    kind does not list (a finding's checklist id)."""
    from fieldkit.services import lifecycle

    try:
        found = lifecycle.for_kind(kind).categories
    except lifecycle.MoveRefused:
        return ""
    label = next((c.label for c in found if c.id == category), None)
    return pick(label, lang or get_language()) if label else ""


def late(event: Any) -> bool:
    """Typed well after the time it says it happened (a late record, 补记)."""
    return bool(event.recorded) and event.recorded > event.at + LATE_AFTER


def sentences(
    kind: str,
    events: Iterable[Any],
    lang: str | None = None,
    *,
    names: Collection[str] = (),
    said: bool = True,
) -> list[str]:
    """One sentence per event (a :class:`fieldkit.services.types.CaseEvent`), in order; a
    late record says when it was typed. A dispute's speakers are masked, but for the names
    ``names`` holds (revealed on the screen reading it). ``said``:
    the taking says the start of the owner's words; False where the case's title (those
    same words) heads its lines already (the handover)."""
    lang = lang or get_language()
    held = {"department": "", "assignee": ""}
    out = []
    for event in events:
        line = _sentence(kind, event, held, lang, names, said)
        if late(event):
            line += t("desk.history.late", lang, when=_due_text_at(event.recorded))
        out.append(line)
    return out


def _due_text_at(at: float) -> str:
    return localtime.fmt(at, "short")


def _sentence(
    kind: str,
    event: Any,
    held: dict[str, str],
    lang: str,
    names: Collection[str],
    with_said: bool = True,
) -> str:
    data = event.data or {}
    text = (event.text or "").strip()
    tail = f" — {text}" if text else ""
    if event.kind == "raised":
        category = str(data.get("category") or "")
        title = category_label(kind, category, lang) or pick(data.get("title"), lang)
        what = _known(f"desk.kind.{kind_word(kind, category)}", kind, lang)
        # a missed round or equipment falling due: the device raised it, no one found it
        words = "desk.history.raised_by_rule" if data.get("by_rule") else "desk.history.raised"
        line = t(words, lang, kind=what, title=title).rstrip("：: ")
        said = " ".join(pick(data.get("said") or "", lang).split()) if with_said else ""
        if said and said != title:  # the owner's words, the start of them (shown whole above)
            line += f" — {clip(said, SAID)}"
        return line
    if event.kind == "status":
        to = status_label(kind, event.status or str(data.get("to", "")), lang)
        before = str(data.get("from") or "")
        if not before:
            return t("desk.history.status_to", lang, to=to) + tail
        line = t("desk.history.status", lang, before=status_label(kind, before, lang), to=to)
        if data.get("reopen"):
            line = t("desk.history.reopened", lang, move=line)
        return line + tail
    if event.kind == "followup":
        score = data.get("score")
        satisfied = bool(data.get("satisfied"))
        verdict = t(f"desk.history.{'satisfied' if satisfied else 'dissatisfied'}", lang)
        side = str(data.get("side") or "")
        if side:
            side = _known(f"desk.history.side_{side}", side, lang)
            return t("desk.history.followup_side", lang, side=side, verdict=verdict,
                     score=score) + tail  # fmt: skip
        return t("desk.history.followup", lang, verdict=verdict, score=score) + tail
    if event.kind == "field":
        return _changes(data.get("changes") or {}, held, lang)
    sep = "：" if lang == "zh" else ": "
    if event.kind == "statement":
        return _statement(data, text, lang, names)
    if event.kind == "referral":
        return _referral(data, text, lang)
    if event.kind == "notice" and data.get("file"):  # a rectification notice: its file
        return t("renovation.history.notice", lang, file=data["file"])
    if event.kind == "reinspection":
        return t("renovation.history.put_right", lang) + tail
    if event.kind == "found_again":  # its text says it in its writer's words, for older devices
        from fieldkit.services.findings import description

        found = data.get("finding")
        said = " ".join(description(found).split()) if isinstance(found, dict) else ""
        where = "renovation" if kind == "violation" else "findings"
        return t(f"{where}.history.found_again", lang) + (f" — {said}" if said else "")
    if event.kind == "escalated":
        return t("renovation.history.escalated", lang, level=data.get("level", 1)) + tail
    if event.kind == "note" and isinstance(data.get("unanswered"), list):
        # a call-back nobody answered, said in the reader's language (its text: the clerk's)
        from fieldkit.services.lifecycle import unanswered_line

        return unanswered_line(data["unanswered"], lang)
    if event.kind == "call":
        return _call(data, text, lang)
    known = ("note", "photo", "assign", "notice", "action")
    label = t(f"ui.case.event_{event.kind if event.kind in known else 'other'}", lang)
    return label + (sep + text if text else "")


def _statement(data: dict, text: str, lang: str, names: Collection[str] = ()) -> str:
    """``甲方 3-2-502 何**陈述：…``: which side, the flat, who spoke (masked unless revealed:
    in ``names``) and what they said."""
    from fieldkit.model.personal import mask

    side = str(data.get("side") or "")
    who = str(data.get("owner_name") or "").strip()
    return t(
        "desk.history.statement", lang,
        side=_known(f"desk.history.side_{side}", side, lang), where=str(data.get("where") or ""),
        who=(who if who in names else mask("name", who)) or "—", text=text,
    ).replace("  ", " ")  # fmt: skip


def _call(data: dict, text: str, lang: str) -> str:
    """``又接到来电（王**  139****5678）：还在漏水``: another call about the case, who made it
    masked (the owner when nobody else was named) and what they said."""
    from fieldkit.model.personal import mask

    named = (("caller", "name"), ("phone", "phone"))
    who = "  ".join(mask(item, str(data[key])) for key, item in named if data.get(key))
    who = who or t("desk.history.call_owner", lang)
    return t("desk.history.call", lang, who=who, text=text)


def _referral(data: dict, text: str, lang: str) -> str:
    """``居委会介入（对接人 王主任，编号 JW-118）：约定周六调解``."""
    body = str(data.get("body") or "")
    line = t(
        "desk.history.referral" if data.get("reference") else "desk.history.referral_no_ref",
        lang, body=_known(f"cases.body.{body}", body, lang),
        who=str(data.get("contact") or "—"), reference=str(data.get("reference") or ""),
    )  # fmt: skip
    return line + (("：" if lang == "zh" else ": ") + text if text else "")


def _changes(changes: dict[str, Any], held: dict[str, str], lang: str) -> str:
    parts = []
    if "department" in changes or "assignee" in changes:
        department = str(changes.get("department", held["department"]) or "")
        person = str(changes.get("assignee", held["assignee"]) or "")
        before = (held["department"], held["assignee"])
        join = " " if lang == "zh" else ", "
        to = join.join(p for p in (department_name(department, lang), person) if p)
        if any(before):
            was = join.join(p for p in (department_name(before[0], lang), before[1]) if p)
            parts.append(t("desk.history.reassigned", lang, to=to, was=was))
        else:
            parts.append(t("desk.history.dispatched", lang, to=to))
        held["department"], held["assignee"] = department, person
    if "due" in changes:
        parts.append(t("desk.history.due", lang, due=_due_text(changes["due"])))
    if "severity" in changes:
        severity = _known(f"ui.severity.{changes['severity']}", str(changes["severity"]), lang)
        parts.append(t("desk.history.severity", lang, severity=severity))
    if "description" in changes:
        parts.append(t("desk.history.description", lang, text=changes["description"]))
    others = [name for name in changes if name not in FIELDS[:4] and name != "description"]
    if others:
        names = [_known(f"desk.field.{name}", name, lang) for name in others]
        fields = t("checklists.words.list_sep", lang).join(names)
        parts.append(t("desk.history.changed", lang, fields=fields))
    return t("desk.history.sep", lang).join(parts) or t("desk.history.changed", lang, fields="—")
