"""The incident report: the timeline, the plan, the notices, the people checked and the
follow-ups, as Markdown, HTML or PDF, in the current language.

The report is a :class:`fieldkit.reports.document.Document`, written out by the renderers
every printed report shares (page header and footer, page numbers, embedded fonts, charts):
:mod:`fieldkit.reports.pdf`, :mod:`fieldkit.reports.html_page` and Markdown.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from fieldkit.checklists.wording import answer_words, check_words_key
from fieldkit.i18n import catalogue, get_language, known, plural, t
from fieldkit.model.base import iso_epoch
from fieldkit.model.incident import BEGAN
from fieldkit.reports import dates
from fieldkit.reports.document import Document, Facts, Grid, Para, Section, SignOff, to_markdown
from fieldkit.reports.html_page import to_html
from fieldkit.reports.pdf import to_pdf
from fieldkit.services import incidents as inc
from fieldkit.services.incident_close import DECISIONS
from fieldkit.services.incident_places import Place, label
from fieldkit.services.notices import compound_name, local_time
from fieldkit.services.types import pick

if TYPE_CHECKING:
    from fieldkit.services.workspace import Workspace

FORMATS = ("md", "html", "pdf")
#: Seconds between when something happened and when it was typed that make it said (补记).
LATE_AFTER = 120.0


def entry_text(entry: inc.Entry, lang: str) -> str:
    """One timeline entry as a sentence (also what the app's timeline shows)."""
    d = entry.data
    kind = entry.kind
    if kind == "call":
        text = t("incidents.entry.call", lang, service=service_said(d, lang),
                 who=d.get("answered_by") or "—")  # fmt: skip
        return then(text, entry.text, lang)
    if kind == "handover":
        text = t("incidents.entry.handover", lang, to=d.get("to", ""))
        return then(text, entry.text, lang)
    if kind == "escalation":
        text = t(
            "incidents.entry.escalation",
            lang,
            before=t(f"incidents.severity.{d.get('from', 'major')}", lang),
            after=t(f"incidents.severity.{d.get('to', 'major')}", lang),
        )
        return then(text, entry.text, lang)
    if kind == "status":
        status = str(d.get("to"))
        text = known(f"incidents.entry.status_now.{status}", status, lang)
        return then(text, entry.text, lang)
    if kind == "people_checked":
        text = t("incidents.entry.checked", lang, code=d.get("code", ""))
        return then(text, entry.text, lang)
    if kind == "notice":
        title = str(d.get("title") or (entry.text.splitlines()[0] if entry.text else ""))
        audience = d.get("audience")
        return t(
            "incidents.entry.notice",
            lang,
            title=title,
            language=t(f"incidents.ui.lang_{d.get('lang', lang)}", lang),
            audience=pick(audience, lang) if isinstance(audience, dict) else "—",
        )
    if kind == "place":
        found = [Place.from_dict(p) for p in d.get("places", ()) if isinstance(p, dict)]
        return t("incidents.entry.place", lang, place=label([p for p in found if p], lang))
    if kind == "decision":
        return decision_text(d, lang)
    if kind == "followup":
        followup = str(d.get("kind", "repair"))
        titles = d.get("titles")
        title = pick(titles, lang) if isinstance(titles, dict) else entry.text
        key = f"incidents.entry.followup_kind.{followup}"
        if key in catalogue(lang):
            return t(key, lang, title=title)
        kind_text = known(f"incidents.followup.{followup}", followup, lang)
        return t("incidents.entry.followup", lang, kind=kind_text, title=title)
    if kind == "plan":
        return t("incidents.entry.plan", lang)
    if kind == BEGAN:
        recorded = iso_epoch(d.get("recorded_at"))
        at = iso_epoch(entry.at)
        late = recorded is not None and at is not None and recorded - at > LATE_AFTER
        said = t("incidents.entry.began_recorded", lang,
                 recorded=local_time(str(d.get("recorded_at")), lang)) if late else ""  # fmt: skip
        text = t("incidents.entry.began", lang, recorded=said)
        return then(text, entry.text, lang)
    if kind == "field":
        changes = d.get("changes", {})
        return t(
            "incidents.entry.field", lang, changes=", ".join(f"{k}={v}" for k, v in changes.items())
        )
    return entry.text


def then(sentence: str, more: str, lang: str) -> str:
    """A sentence and what was typed after it: 已解除应急。雨停了 / Stood down. Rain over."""
    more = more.strip()
    if not more:
        return sentence
    return f"{sentence}{more}" if lang == "zh" else f"{sentence} {more}"


def service_said(d: dict, lang: str) -> str:
    """Who was called, as a sentence names them: 消防（119） / 119 (fire), the power
    company; for "other", the name the coordinator typed."""
    service = str(d.get("service", ""))
    if service == "other":
        return " ".join(str(d.get("name") or "").split()) or t("incidents.service.other", lang)
    return known(f"incidents.service_said.{service}", service, lang)


#: Decisions taken at close read as one line per group (:func:`grouped`): every flat's,
#: and the plan steps recorded as done or as not applying (each step's decision shows
#: beside it in the plan; a step not done stays a line of its own, with its case).
GROUPS = {"people": ("person", DECISIONS["person"]), "steps": ("step", ("done", "not_needed"))}


def grouped(entries: Iterable[inc.Entry]) -> list[inc.Entry]:
    """The timeline as it is read: the decisions taken at close of each of :data:`GROUPS`
    as one entry, where the first of them was (data ``point``: the group, ``decisions``:
    each one's), and the follow-up entries of the visits the flats' decisions raised left
    out (the line counts them): closing on seventeen flats adds one line, not seventeen
    saying the same."""
    entries = list(entries)
    members: dict[str, list[inc.Entry]] = {
        group: [e for e in entries if e.kind == "decision" and e.data.get("point") == point
                and e.data.get("decision") in decisions]
        for group, (point, decisions) in GROUPS.items()
    }  # fmt: skip
    visits = {str(e.data["case"]) for e in members["people"] if e.data.get("case")}
    group_of = {e.id: group for group, found in members.items() for e in found}
    out = []
    for entry in entries:
        if entry.kind == "followup" and str(entry.data.get("case", "")) in visits:
            continue  # the visit a flat's decision raised: the line counts it
        group = group_of.get(entry.id)
        if group is None:
            out.append(entry)
        elif entry.id == members[group][0].id:
            decisions = [str(e.data.get("decision", "")) for e in members[group]]
            out.append(replace(entry, data={"point": group, "decisions": decisions}))
    return out


def decided_line(decisions: list[str], lang: str, group: str = "people") -> str:
    """A group of decisions taken at close as one sentence, by decision: 结案时确认了 17 户
    住户的情况：电话确认平安 12 户，不受影响 2 户，转客服上门回访 3 户。"""
    parts = [
        plural(f"incidents.{group}.{d}", decisions.count(d), lang)
        for d in GROUPS[group][1]
        if d in decisions
    ]
    return plural(f"incidents.{group}.decided", len(decisions), lang,
                  parts=t("incidents.people.parts_sep", lang).join(parts))  # fmt: skip


def decision_text(d: dict, lang: str) -> str:
    """A decision taken at close as one true sentence: the open point and what was decided
    (a step not done reads as not done, with the case that follows it up); the flats
    decided at close, grouped (:func:`grouped`), as one."""
    point = str(d.get("point", ""))
    if point in GROUPS:
        return decided_line([str(x) for x in d.get("decisions", ())], lang, point)
    decision = str(d.get("decision", ""))
    what = d.get("what")
    what_text = pick(what, lang) if isinstance(what, dict) else ""
    case = ""
    if d.get("case"):
        case = t("incidents.entry.decision_case", lang, ref=str(d["case"])[-6:])
    key = f"incidents.entry.decided.{point}.{decision}"
    if key in catalogue(lang):
        return t(key, lang, what=what_text, case=case, text=str(d.get("text") or ""))
    words = known(f"incidents.decision.{point}.{decision}", decision, lang)
    return f"{what_text}: {words}{case}" if what_text else f"{words}{case}"


def kind_label(kind: str, lang: str) -> str:
    key = f"incidents.kind.{kind}"
    return t(key, lang) if key in catalogue(lang) else kind


def care_label(flag: str, lang: str) -> str:
    """A special-care flag in words; a flag this release does not know, as the office wrote it."""
    key = f"incidents.care.{flag}"
    return t(key, lang) if key in catalogue(lang) else flag


def plan_answer(step: inc.PlanStep, lang: str) -> str:
    """A plan step's answer in words (暴雨, 橙色, 已完成, 2026-05-01), marked when it failed;
    a check of the plan reads as a step of work: 已完成 / 未完成 / 不适用."""
    r = "incidents.report."
    item, value = step.item, step.value
    if value is None or value == "" or value == []:
        return t(r + "not_answered", lang)
    if item is None:
        text = str(value)
    elif item.type == "photo" and value == "na":  # a photo step that did not apply
        text = t(check_words_key("na", steps=True), lang)
    elif item.type == "photo":
        text = plural(r + "photos", len(value) if isinstance(value, list) else 1, lang)
    elif item.type == "signature":
        text = t(r + "signed", lang)
    else:
        text = answer_words(item, value, lang, steps=True)
    if step.failed and (item is None or item.type != "check"):
        return t(r + "failed_answer", lang, answer=text)
    return text


def with_note(answer: str, note: str, lang: str) -> str:
    """A plan step's answer with the note typed on it (the report left the notes out)."""
    return t("incidents.report.answer_note", lang, answer=answer, note=note) if note else answer


def plan_counts(view: inc.IncidentView, lang: str) -> str:
    """How the plan's steps stand, each counted once (:func:`incidents.plan_tally`): done,
    not done (✘), not applicable (–), decided at close, still open — the same sentence on
    the incident's screen and in the report (the screen's "已完成 15/17" counted ✘ and –
    steps as done)."""
    decided = {str(e.data.get("ref")) for e in view.decisions}
    counts = inc.plan_tally(view.plan, decided)
    parts = [t(f"incidents.plan_counts.{k}", lang, count=n) for k, n in counts.items()
             if n or k == "done"]  # fmt: skip
    sep = t("incidents.plan_counts.sep", lang)
    return t("incidents.plan_counts.said", lang, parts=sep.join(parts), total=len(view.plan))


#: Decisions a record says otherwise than the close screen offered them: "done", not "done
#: (not ticked in the plan)"; "did not apply", not "leave it empty".
RECORD_WORDS = {
    ("step", "done"): "incidents.report.step_done",
    ("step", "not_needed"): "incidents.ui.decided.not_needed",
    ("text", "not_needed"): "incidents.ui.decided.not_needed",
}


def decided_words(decision: inc.Entry, lang: str) -> str:
    """What was decided at close, in words: the text written for a step to write, else the
    decision (with the case it raised)."""
    d = decision.data
    if d.get("decision") == "write":
        return t("incidents.report.written_at_close", lang, text=str(d.get("text") or ""))
    point, code = str(d.get("point", "")), str(d.get("decision", ""))
    key = RECORD_WORDS.get((point, code), f"incidents.decision.{point}.{code}")
    words = known(key, code, lang)
    if d.get("case"):
        words += t("incidents.entry.decision_case", lang, ref=str(d["case"])[-6:])
    return words


def closed_as(decision: inc.Entry, lang: str) -> str:
    """A plan step nobody answered, as the plan table says it: what was decided at close."""
    if decision.data.get("decision") == "write":
        return decided_words(decision, lang)
    return t("incidents.report.step_closed_as", lang, decision=decided_words(decision, lang))


def _type_and_level(view: inc.IncidentView, lang: str) -> str:
    """The type as the plan says it, with the weather warning when it was given (暴雨（橙色
    预警）); a warning level this release has no words for, as the plan's option says it."""
    words = view.type_words(lang)
    level = view.answers.get("warning_level")
    if not isinstance(level, str) or not level:
        return words
    step = next((s for s in view.plan if s.key == "warning_level"), None)
    fallback = answer_words(step.item, level, lang) if step and step.item else level
    warning = known(f"incidents.report.warning.{level}", fallback, lang)
    return t("incidents.report.type_level", lang, type=words, warning=warning)


def closed_at(view: inc.IncidentView) -> str:
    """When the incident was closed ("" while it is open)."""
    for entry in reversed(view.entries):
        if entry.kind == "status" and entry.data.get("to") == "closed":
            return entry.at
    return ""


def on_duty(view: inc.IncidentView) -> list[str]:
    """Everyone who logged, took over or handed over, in the order they first appear."""
    names: list[str] = [view.created_by] if view.created_by else []
    for entry in view.entries:
        names += (
            [entry.by, str(entry.data.get("from") or ""), str(entry.data.get("to") or "")]
            if entry.kind == "handover"
            else [entry.by]
        )
    return [n for n in dict.fromkeys(names) if n]


def _cover(ws: Workspace, view: inc.IncidentView, lang: str) -> Facts:
    r = "incidents.report."
    started = dates.parse(view.began_at or view.started_at)
    logged = dates.parse(view.started_at)
    ended = dates.parse(closed_at(view))
    if started and ended:
        duration = dates.span((ended - started).total_seconds(), lang)
    elif started:
        now = datetime.now(started.tzinfo)
        duration = t(r + "ongoing", lang, span=dates.span((now - started).total_seconds(), lang))
    else:
        duration = "—"
    sep = t("checklists.words.list_sep", lang)
    return Facts((
        (t(r + "compound", lang), compound_name(ws.store, lang) or "—"),
        (t(r + "ref", lang), view.ref),
        (t(r + "type", lang), _type_and_level(view, lang)),
        (t(r + "severity", lang), t(f"incidents.severity.{view.severity}", lang)),
        (t(r + "place", lang), view.where(lang)),
        (t(r + "status", lang), t(f"incidents.status.{view.status}", lang)),
        (t(r + "started", lang), dates.full_time(started, lang)),
        *(((t(r + "logged", lang), dates.full_time(logged, lang)),)
          if logged and started and (logged - started).total_seconds() > LATE_AFTER else ()),
        (t(r + "ended", lang), dates.full_time(ended, lang) if ended else t(r + "not_ended", lang)),
        (t(r + "duration", lang), duration),
        (t(r + "coordinator", lang), view.coordinator or "—"),
        (t(r + "on_duty", lang), sep.join(on_duty(view)) or "—"),
    ))  # fmt: skip


def build(ws: Workspace, incident_id: str, lang: str | None = None) -> Document:
    """The incident's report as a document: the cover block, the summary, the timeline, the
    plan with its answers, the residents, the notices (their text in an appendix), the
    decisions taken at close and the follow-up cases, then the sign-off."""
    lang = lang or get_language()
    view = inc.view(ws, incident_id)
    r = "incidents.report."
    type_text = view.type_words(lang)
    timeline = []
    by_id = {e.id: e for e in view.entries}
    for entry in view.entries:
        if entry.kind == "decision":
            continue  # in a table of their own
        text = entry_text(entry, lang)
        fix = by_id.get(entry.corrected_by)
        if entry.kind == "correction":
            fixed = by_id.get(str(entry.data.get("corrects", "")))
            if fixed is not None:
                continue  # said once, on the entry it corrects (nc20 read it twice)
            text = t(r + "correction", lang, time="—", was="—", text=entry.text)
        elif fix is not None and fix.kind == "correction":
            text = t(r + "corrected_entry", lang, text=fix.text, was=text, by=fix.by or "—",
                     time=dates.full_time(fix.at, lang, short=True))  # fmt: skip
        elif entry.corrected_by:
            text += "  " + t(r + "corrected", lang, text=entry.corrected_text)
        timeline.append((dates.full_time(entry.at, lang, short=True), kind_label(entry.kind, lang),
                         entry.by or "—", text))  # fmt: skip
    step_decided = {
        str(e.data.get("ref")): closed_as(e, lang)
        for e in view.decisions
        if e.data.get("point") in ("step", "text")
    }
    plan = tuple(
        (
            pick(step.section, lang),
            pick(step.label, lang),
            with_note(
                step_decided[step.key]
                if step.value is None and step.key in step_decided
                else plan_answer(step, lang),
                step.note,
                lang,
            ),
        )
        for step in view.plan
    )
    decided = {
        str(e.data.get("ref")): str(e.data.get("decision"))
        for e in view.decisions
        if e.data.get("point") == "person" and e.data.get("decision") in DECISIONS["person"]
    }
    # phoned or not affected, decided at close: their situation is known (nc16: the report
    # said "0 checked on, 9 not reached" where the screen said 9/9 confirmed)
    confirmed = {ref for ref, d in decided.items() if d in CONFIRMED_AT_CLOSE}
    # Only the flats the incident reached are rows — to check on, checked, or decided at
    # close; the rest of the building's list is a count (inc26: a lift's report listed every
    # flagged flat of the building). Each thing has its column: the outcome, then its time.
    listed = [p for p in view.people if p.confirm or p.checked or p.unit_id in decided]
    people = tuple(
        (
            p.code,
            t("checklists.words.list_sep", lang).join(care_label(f, lang) for f in p.flags),
            t(r + "checked_on", lang)
            if p.checked
            else t(r + ("confirmed_at_close" if p.unit_id in confirmed else "closed_as"), lang,
                   decision=t(f"incidents.decision.person.{decided[p.unit_id]}", lang))
            if p.unit_id in decided
            else t(r + "not_checked", lang),
            dates.full_time(p.checked_at, lang, short=True) if p.checked else "—",
            p.checked_note,
        )
        for p in listed
    )  # fmt: skip
    checked = sum(1 for p in view.people if p.checked or p.unit_id in confirmed)
    people_tally = _people_tally(view, checked, lang, confirmed, listed=len(listed))
    followups = tuple(
        (
            f.case_id[-6:],
            t(f"incidents.followup.{f.kind}", lang),
            pick(f.titles, lang) or f.title,
            known(f"words.department.{f.department}", f.department or "—", lang),
            f.status_words(lang),
        )
        for f in view.followups
    )
    decisions = decision_rows(view, lang)
    notices = tuple(
        (
            _notice_title(n),
            pick(n.data["audience"], lang) if isinstance(n.data.get("audience"), dict) else "—",
            t(f"incidents.ui.lang_{n.data.get('lang', lang)}", lang),
            dates.full_time(n.at, lang, short=True),
            n.by or "—",
        )
        for n in view.notices
    )
    none = t(r + "none", lang)
    summary: list = [Para(view.summary)] if view.summary else []
    summary += [
        Para(t(r + "tally", lang, entries=len(timeline), notices=len(notices),
               followups=len(followups)), note=True),
        Para(people_tally, note=True),
    ]  # fmt: skip
    sections = [
        Section(t(r + "summary", lang), tuple(summary)),
        Section(t(r + "timeline", lang), (Grid(
            (t(r + "time", lang), t(r + "kind", lang), t(r + "by", lang), t(r + "text", lang)),
            tuple(timeline), none, (0.21, 0.15, 0.11, 0.53)),)),
        Section(t(r + "plan", lang, title=pick(view.plan_title, lang)), (
            *([Para(plan_counts(view, lang), note=True)] if view.plan else []), Grid(
            (t(r + "section", lang), t(r + "step", lang), t(r + "answer", lang)),
            plan, t(r + "no_plan", lang), (0.14, 0.5, 0.36)),)),
        Section(t(r + "people", lang), (
            Para(people_tally),
            *_not_listed(view, len(listed), lang),
            *([Grid((t(r + "unit", lang), t(r + "needs", lang), t(r + "outcome", lang),
                     t(r + "checked", lang), t(r + "note", lang)), people, none,
                    (0.11, 0.22, 0.3, 0.17, 0.2))]
              if listed or not _to_call(view) else []),
        )),
        Section(t(r + "notices", lang), (Grid(
            (t(r + "notice_title", lang), t(r + "audience", lang), t(r + "language", lang),
             t(r + "time", lang), t(r + "sent_by", lang)),
            notices, none, (0.3, 0.24, 0.13, 0.21, 0.12)),)),
        Section(t(r + "decisions", lang), (*_decided_when(view, lang), Grid(
            (t(r + "point", lang), t(r + "what", lang), t(r + "decision", lang)),
            decisions, none, (0.22, 0.48, 0.3)),)),
        Section(t(r + "followups", lang), (Grid(
            (t(r + "case", lang), t(r + "kind", lang), t(r + "text", lang),
             t(r + "department", lang), t(r + "status", lang)),
            followups, none, (0.1, 0.15, 0.45, 0.15, 0.15)),)),
    ]  # fmt: skip
    from fieldkit.services.signin import signed_in

    sections.append(SignOff.prepared(signed_in(ws.store).name, lang))
    if view.notices:
        appendix = []
        for n in view.notices:
            head = t(r + "notice_head", lang, title=_notice_title(n),
                     time=dates.full_time(n.at, lang), by=n.by or "—")  # fmt: skip
            appendix.append(Section(head, (Para(n.text, quote=True),), level=3))
        sections.append(Section(t(r + "appendix", lang), tuple(appendix), new_page=True))
    compound = compound_name(ws.store, lang)
    return Document(
        title=t(r + "title", lang, type=type_text, ref=view.ref),
        lang=lang,
        header=t(r + "header", lang, compound=compound, ref=view.ref).lstrip(" ·"),
        footer=generated(lang),
        blocks=(_cover(ws, view, lang), *sections),
    )


def _not_listed(view: inc.IncidentView, listed: int, lang: str) -> tuple[Para, ...]:
    """The flagged flats of the incident's buildings left out of the table, counted: not
    called on (a list kept to call on if needed), or outside the flats affected."""
    rest = len(view.people) - listed
    if rest <= 0 or _to_call(view):  # a list to call on: its one sentence says it
        return ()
    return (Para(plural("incidents.people.not_listed_unaffected", rest, lang), note=True),)


def _to_call(view: inc.IncidentView) -> bool:
    """The residents list is kept only to call on if needed (a lift entrapment)."""
    return bool(view.people) and not any(p.confirm for p in view.people)


def _people_tally(
    view: inc.IncidentView,
    checked: int,
    lang: str,
    confirmed: set[str] = frozenset(),
    listed: int = 0,
) -> str:
    """How many flats were to be checked on and how many were (during the incident, or
    at its close: ``confirmed``); a list kept only to call on (a lift entrapment:
    ``incidents.to_confirm``) says so instead of "not reached"."""
    counted = [p for p in view.people if p.confirm or p.checked or p.unit_id in confirmed]
    if _to_call(view):  # one sentence: how many, how many contacted, the rest not listed
        if not listed:
            return t("incidents.people.report_tally_to_call_none", lang, total=len(view.people))
        return t("incidents.people.report_tally_to_call", lang, total=len(view.people),
                 checked=checked, rest=len(view.people) - listed)  # fmt: skip
    return t("incidents.report.people_tally", lang, total=len(counted), checked=checked,
             missed=len(counted) - checked)  # fmt: skip


#: What a flat's decision at close says of its residents: their situation is known.
CONFIRMED_AT_CLOSE = ("phoned", "not_affected")


def decision_rows(view: inc.IncidentView, lang: str) -> tuple[tuple[str, str, str], ...]:
    """The decisions taken at close, one row per point and decision: the thirty flats
    phoned read as one row listing them, not thirty rows saying the same; a decision that
    raised a case, or a text written at close, keeps a row of its own. Plan steps are
    listed apart with ； / ; (a step's name may hold a 、 or a comma of its own)."""
    r = "incidents.report."
    groups: dict[tuple[str, str], list[inc.Entry]] = {}
    for entry in view.decisions:
        d = entry.data
        key = (str(d.get("point", "")), str(d.get("decision", "")))
        alone = d.get("case") or d.get("text")
        groups.setdefault(key if not alone else (*key, entry.id), []).append(entry)
    rows = []
    for key, entries in groups.items():
        point = key[0]
        decided = decided_words(entries[0], lang)
        whats = [pick(e.data["what"], lang) if isinstance(e.data.get("what"), dict) else ""
                 for e in entries]  # fmt: skip
        sep = t("checklists.words.list_sep" if point == "person" else "checklists.words."
                "options_sep", lang)  # fmt: skip
        what = sep.join(w for w in whats if w) if point != "stand_down" else ""
        label = known(f"{r}point_{point}", point, lang)
        if len(entries) > 1:
            count_key = r + ("point_count_person" if point == "person" else "point_count")
            label = plural(count_key, len(entries), lang, point=label)
        rows.append((label, what or "—", decided))
    return tuple(rows)


def _decided_when(view: inc.IncidentView, lang: str) -> tuple[Para, ...]:
    """Who decided at close, and when (one line: the decisions are one write)."""
    if not view.decisions:
        return ()
    last = view.decisions[-1]
    return (Para(t("incidents.report.decided_by", lang, by=last.by or "—",
                   time=dates.full_time(last.at, lang))),)  # fmt: skip


def _notice_title(entry: inc.Entry) -> str:
    return str(entry.data.get("title") or (entry.text.splitlines()[0] if entry.text else ""))


def generated(lang: str) -> str:
    return t("reports.page.generated", lang, time=dates.full_time(datetime.now(UTC), lang))


def render(ws: Workspace, incident_id: str, fmt: str, lang: str | None = None) -> bytes:
    """The report of one incident in ``fmt`` (md, html or pdf) as bytes; a PDF needs the
    report fonts (:class:`fieldkit.reports.fonts.FontsMissing` otherwise)."""
    if fmt not in FORMATS:
        raise inc.IncidentError("incidents.error.bad_format", value=fmt)
    doc = build(ws, incident_id, lang or get_language())
    return write(doc, fmt)


def write(doc: Document, fmt: str) -> bytes:
    """A report document as the bytes of a Markdown, HTML or PDF file."""
    if fmt == "pdf":
        return to_pdf(doc)
    return (to_markdown(doc) if fmt == "md" else to_html(doc)).encode("utf-8")
