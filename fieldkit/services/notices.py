"""Notices to owners: a template per incident type in zh and en, filled, edited, sent.

Templates are ``notice_templates/<lang>.toml``: one table per type with ``title``,
``body``, ``next`` (the closing line when the time of the next news is known, with
``{update}``) and ``next_unknown``; a type with no template uses ``other``; ``[words]``
holds the words the filling needs, ``[<type>_cause]`` and ``[<type>_cause_after]`` a sentence
for each answer of the plan's ``cause`` item (a power cut's: the grid, our own switchgear).
Which table fits the moment (:func:`template_for`):
``after`` once the incident is stood down, ``<type>_before`` while the plan's expected
date is still to come, else the type's own (what is happening now). :func:`draft` fills one
from the incident, its plan's answers and the compound's record (the service centre's phone
number) (:func:`fill`); from the second notice in a language its title is an update (续报);
the coordinator edits the text; :func:`send` writes it to
``<data>/notices/`` and records the sending on the timeline in one durable write, after the
file is on disk: the entry's text is the notice as sent, its data the title (the notice's
first line), the language and the audience (the incident's places, in both languages).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fieldkit.config import LANGUAGES
from fieldkit.model import localtime, plan_type
from fieldkit.services import incident_places as places_
from fieldkit.services import incidents as inc
from fieldkit.services.incidents import IncidentError, _by, _need_open
from fieldkit.services.types import pick
from fieldkit.store.atomic import atomic_write
from fieldkit.store.modes import make_dir

if TYPE_CHECKING:
    from fieldkit.model import Incident
    from fieldkit.services.workspace import Workspace

NOTICES_DIR = "notices"
# Placeholders a template may use: the incident's, then the plan's answers (typhoon).
PLACEHOLDERS = ("compound", "audience", "place", "time", "date", "next", "call", "what",
                "weather", "warning", "arrival", "harm", "cause", "cause_after",
                "back", "systems")  # fmt: skip


@dataclass(frozen=True)
class NoticeDraft:
    incident_id: str
    lang: str
    title: str
    text: str


@cache
def templates(lang: str) -> dict[str, dict[str, str]]:
    if lang not in LANGUAGES:
        raise IncidentError("incidents.error.bad_language", value=lang)
    folder = resources.files("fieldkit.services") / "notice_templates"
    return tomllib.loads((folder / f"{lang}.toml").read_text("utf-8"))


def local_time(iso_text: str, lang: str) -> str:
    """``2026-11-28T01:12:18.123Z`` as the reader's local time, e.g. 11月28日 09:12."""
    try:
        when = localtime.local(datetime.fromisoformat(iso_text.replace("Z", "+00:00")))
    except ValueError:
        return iso_text
    if lang == "zh":
        return f"{when.month}月{when.day}日 {when:%H:%M}"
    return f"{when:%d %b %H:%M}"


def notice_time(iso_text: str, lang: str) -> str:
    """A time as a notice to residents writes it: 12月8日07:00, "07:00 on 8 December" (the
    screens' "08 Dec 07:00" reads as a log, nc34)."""
    if lang == "zh":  # no space: the editor breaks a line there, leaving 12月8日 alone (nc34)
        return local_time(iso_text, lang).replace(" ", "")
    try:
        when = localtime.local(datetime.fromisoformat(iso_text.replace("Z", "+00:00")))
    except ValueError:
        return iso_text
    return f"{when:%H:%M} on {when.day} {when:%B}"


def compound_name(store: Any, lang: str) -> str:
    """The compound's name in ``lang`` (翠湖苑 / Cuihu Garden); "" before any site is known."""
    sites = store.reference("site")
    if not sites:
        return ""
    names = sites[0].extra.get("names")
    return pick(names, lang) if isinstance(names, dict) else sites[0].name


def office_phone(store: Any) -> str:
    """The service centre's phone number from the compound's record ('' when not known)."""
    sites = store.reference("site")
    phone = sites[0].extra.get("hotline") if sites and isinstance(sites[0].extra, dict) else ""
    return " ".join(str(phone or "").split())[:40]


def _value(run: Any, item_id: str) -> Any:
    """The plan's answer to ``item_id`` as stored, or None."""
    if run is None:
        return None
    try:
        step = run.step(item_id)
    except KeyError:
        return None
    value = run.value(step)
    return None if value in ("", []) else value


def _answer(run: Any, item_id: str, lang: str) -> str:
    """The plan's answer to ``item_id`` in words (an option's label), or ''."""
    value = _value(run, item_id)
    from fieldkit.checklists.wording import answer_words  # not for the home's incident rows

    return "" if value is None else answer_words(run.step(item_id).item, value, lang).strip()


def _day(iso_date: str, lang: str) -> str:
    try:
        day = date.fromisoformat(iso_date.strip())
    except ValueError:
        return iso_date.strip()
    return f"{day.month}月{day.day}日" if lang == "zh" else f"{day.day} {day:%b}"


def _today(lang: str) -> str:
    return day_words(localtime.today(), lang)


def day_words(today: date, lang: str) -> str:
    """A notice's date line: 2026年12月7日, 7 December 2026."""
    if lang == "zh":
        return f"{today.year}年{today.month}月{today.day}日"
    return f"{today.day} {today:%B %Y}"


def fill(ws: Workspace, incident: Incident, lang: str, update: str = "") -> dict[str, str]:
    """The values of every placeholder for ``incident`` in ``lang``: where (its places),
    when, and what its plan's answers say (the weather, the warning level, when it comes,
    when water or power is expected back)."""
    words = templates(lang)["words"]
    run = inc.linked_run(ws, incident)
    places = inc.places_of(ws, incident)
    whole = not places or any(p.kind == places_.COMPOUND for p in places)
    told = residents_told(ws, places)
    named = places_.label(told, lang, spots=False) if places and not whole else ""
    place = (places_.label(places, lang) if named else "") or ("" if places else incident.place)
    weather = _answer(run, "warning_kind", lang)
    if not weather:
        weather = words["rainstorm"] if incident.type == "rainstorm" else words["weather"]
    level = _answer(run, "warning_level", lang)
    if lang == "en":
        weather, level = weather.lower(), level.lower()
    warning = words["warning_level" if level else "warning"].format(weather=weather, level=level)
    arrival = _answer(run, "arrival_date", lang) or _answer(run, "cut_starts", lang)
    update = update.strip() or _answer(run, "restore_estimate", lang)
    hours = _value(run, "expected_hours")
    if not update and isinstance(hours, int | float) and hours > 0:
        update = words["within"].format(hours=f"{hours:g}")
    phone = office_phone(ws.store)
    what = inc.type_words(incident.type, inc.plan_answers(ws, incident), lang)
    table = templates(lang)
    key = incident.type if incident.type in table else plan_type(incident.type)
    cause = str(_value(run, "cause") or "unknown")
    said = {part: table.get(f"{key}_{part}", {}) for part in ("cause", "cause_after")}
    return {
        "call": words["call"].format(phone=phone) if phone else words["call_no_phone"],
        "what": what if lang == "zh" else what.lower(),
        "harm": words["harm_rainstorm"]
        if _value(run, "warning_kind") == "rainstorm" or incident.type == "rainstorm"
        else words["harm"],
        "compound": compound_name(ws.store, lang),
        "audience": words["audience"].format(place=named) if named else "",
        "place": place or words["compound"],
        "time": notice_time(incident.began_at, lang),
        "date": _today(lang),
        "update": update,
        "weather": weather,
        "warning": warning,
        "arrival": words["arrival"].format(day=_day(arrival, lang)) if arrival else words["soon"],
        "cause": said["cause"].get(cause) or said["cause"].get("unknown", ""),
        "cause_after": said["cause_after"].get(cause, ""),
        "back": _stood_down_at(incident, lang),
        "systems": table.get(f"{key}_systems", {}).get(
            "pass" if _value(run, "systems_back") == "pass" else "unknown", ""
        ),
    }


def _stood_down_at(incident: Incident, lang: str) -> str:
    """When the office stood down (the power or water back), as a notice says it; "" before."""
    downs = [e.at for e in incident.timeline
             if e.type == "status" and (e.data or {}).get("to") == "stood_down"]  # fmt: skip
    return _clock(downs[-1], lang) if downs else ""


#: the plan's answers that say the people trapped are out (the lift plan's Release step)
RELEASED = ("released_by_cert", "minutes_to_release")


def template_for(ws: Workspace, incident: Incident, lang: str) -> dict[str, str]:
    """The template that fits the incident now: ``after`` once it is stood down (the type's
    own ``<type>_after`` if it has one); ``<type>_spot`` at a spot with no homes
    (:func:`at_spot`: a leak in the garage); ``<type>_before`` while the plan's expected date
    (a storm's arrival, a planned cut's start) is still to come; ``<type>_released`` once the
    plan says the people trapped are out (:data:`RELEASED`); else the type's own, which
    speaks of what is happening."""
    table = templates(lang)
    key = incident.type if incident.type in table else plan_type(incident.type)
    if incident.status == "stood_down":
        return table.get(f"{key}_after") or table["after"]
    if f"{key}_spot" in table and at_spot(inc.places_of(ws, incident), incident):
        return table[f"{key}_spot"]  # a leak in a garage: no ceilings below to watch
    run = inc.linked_run(ws, incident)
    if f"{key}_released" in table and any(_value(run, item) is not None for item in RELEASED):
        return table[f"{key}_released"]  # nc28: "rescue under way" sent after the release
    expected = _value(run, "arrival_date") or _value(run, "cut_starts")
    if f"{key}_before" in table and _is_future(expected):
        return table[f"{key}_before"]
    return table.get(key) or table["other"]


def _is_future(value: Any) -> bool:
    try:
        return date.fromisoformat(str(value).strip()[:10]) > localtime.today()
    except ValueError:
        return False


def draft(ws: Workspace, incident_id: str, lang: str, update: str = "") -> NoticeDraft:
    """The template that fits the moment in ``lang`` (:func:`template_for`), filled
    (:func:`fill`); its first line is the title — an update's from the second notice of
    the incident in that language."""
    incident = _need_open(ws, incident_id)
    template = template_for(ws, incident, lang)
    values = fill(ws, incident, lang, update)
    if values["update"]:
        values["next"] = template["next"].format(**values)
    else:
        values["next"] = template["next_unknown"].format(**values)
    title = template["title"].format(**values)
    timeline = incident.timeline
    sent = [n for n, e in enumerate(timeline) if e.type == "notice" and e.data.get("lang") == lang]
    body = template["body"].format(**values)
    if sent:
        since = timeline[sent[-1] + 1 :]
        if not any(e.type == "status" and e.data.get("to") == "stood_down" for e in since):
            words = templates(lang)["words"]
            title = words["update" if len(sent) == 1 else "update_n"].format(
                title=title, n=len(sent)
            )
            body = _update_body(incident, lang, values, timeline[sent[-1]])
        # the first notice after the stand-down has a title of its own: not 续报 (nc36)
    return NoticeDraft(incident.id, lang, title, f"{title}\n\n{body}")


#: What an update tells residents from the timeline: what was seen and done, whom the office
#: called, places added (the status now closes the update) — not the flats checked on
#: (their residents' business), handovers, the plan or corrections (the corrected text is
#: used instead).
NEWS_KINDS = ("observation", "action", "call", "place")


def _clock(iso_text: str, lang: str) -> str:
    """When an entry was logged, as a notice says it: 14:05 today, else with its day."""
    when = localtime.local(iso_text)
    if when is not None and when.date() == localtime.today():
        return f"{when:%H:%M}"
    return notice_time(iso_text, lang)


def _update_body(incident: Incident, lang: str, values: dict[str, str], last: Any) -> str:
    """An update's body: what the timeline logged since the ``last`` notice in this
    language, a line each, and where things stand now — not the first notice again."""
    from fieldkit.services.incident_report import entry_text  # it imports this module

    table = templates(lang)["update"]
    shown = inc.entries(incident)
    at = next((n for n, e in enumerate(shown) if e.id == last.id), len(shown))
    news = []
    for entry in shown[at + 1 :]:
        if entry.kind not in NEWS_KINDS:
            continue
        text = (entry.corrected_text if entry.corrected_by else entry_text(entry, lang)).strip()
        if text and text[-1] not in "。！？.!?":
            text += "。" if lang == "zh" or text[-1] >= "\u2e80" else "."  # as it was typed
        news.append(table["news_line"].format(time=_clock(entry.at, lang), text=text))
    status = table.get(f"status_{incident.status}") or table["status_active"]
    return table["body"].format(
        **{**values, "last": notice_time(last.at, lang), "status": status,
           "news": "\n".join(news) or table["nothing_new"]}
    )  # fmt: skip


def audience(ws: Workspace, incident: Incident) -> dict[str, str]:
    """Who a notice is for, in both languages: the residents of the incident's places."""
    places = inc.places_of(ws, incident)
    told = residents_told(ws, places)
    out = {}
    for lang in LANGUAGES:
        words = templates(lang)["words"]
        if not places or any(p.kind == places_.COMPOUND for p in places):
            out[lang] = words["everyone"]
        else:
            out[lang] = words["residents_of"].format(place=places_.label(told, lang, spots=False))
    return out


def residents_told(ws: Workspace, places: list[places_.Place]) -> list[places_.Place]:
    """The places whose residents a notice speaks to: a flat's are its entrance's (a leak
    in 1-1-602 reaches the flats below and beside it; "尊敬的1号楼1单元602室各位业主" spoke
    to one flat), else its building's; the others as they are."""
    compound = inc.compound_of(ws)
    out = []
    for place in places:
        record = compound.buildings.get(place.building) if place.kind == "unit" else None
        if record is None:
            out.append(place)
            continue
        code = record.code or record.name
        try:
            wider = compound.entrance(code, place.entrance) if place.entrance else None
        except places_.PlaceError:
            wider = None
        out.append(wider or compound.building(code))
    return places_.merge(out)


def at_spot(places: list[places_.Place], incident: Incident) -> bool:
    """Whether the incident is at a spot with no homes in it (a garage, a basement, a pump
    room): every place is one, or it has only a spot in the coordinator's words."""
    if not places:
        return bool(incident.place.strip())
    return all(p.spot and places_.floor_of(p) is None for p in places)  # a floor has homes


@dataclass(frozen=True)
class Sent:
    """A notice saved: its file, and the plan steps it answered (their labels, zh/en)."""

    path: Path
    ticked: tuple[dict[str, str], ...] = ()


def send(ws: Workspace, incident_id: str, text: str, lang: str, *, by: str = "") -> Sent:
    """Write the notice to a file (durably), record the sending on the timeline and answer
    the plan steps that ask for it (:func:`tick_plan`), in one write."""
    incident = _need_open(ws, incident_id)
    if lang not in LANGUAGES:
        raise IncidentError("incidents.error.bad_language", value=lang)
    text = "\n".join(line.rstrip() for line in text.strip().splitlines())
    if not text:
        raise IncidentError("incidents.error.empty_notice")
    title = text.splitlines()[0].strip()
    sent = sum(1 for e in incident.timeline if e.type == "notice")
    folder = ws.data_dir / NOTICES_DIR
    make_dir(folder)
    stamp = localtime.fmt(localtime.now(), "stamp")
    path = folder / f"{stamp}-{incident.id[-6:]}-{sent + 1}-{lang}.txt"
    atomic_write(path, (text + "\n").encode("utf-8"))
    with ws.store.transaction():
        ws.store.add_timeline_entry(
            incident_id,
            "notice",
            text,
            by=_by(incident, by),
            data={
                "lang": lang,
                "file": str(path),
                "title": title,
                "audience": audience(ws, incident),
            },
        )
        ticked = tick_plan(ws, incident, all_clear=incident.status == "stood_down")
    return Sent(path, tuple(ticked))


def tick_plan(ws: Workspace, incident: Incident, *, all_clear: bool) -> list[dict[str, str]]:
    """Answer the plan steps a saved notice does (the checklist's ``notice:``): a "how
    residents were told" step gains the option it names (公告栏), a check step is done — one
    asking for the all-clear only by the notice saved once the incident is stood down.
    nc24 saved the notice and the step stayed open, and the close raised a case for it. The
    plan is started if it was not; a submitted one is left as sent. The steps' labels."""
    checklist = inc.sop_checklist(ws, incident.type)
    if checklist is None or not any(item.notice for item in checklist.items()):
        return []
    run = inc.linked_run(ws, incident) or inc.plan_run(ws, incident.id)
    if run.submitted:
        return []
    ticked = []
    for step in run.steps():
        item = step.item
        if not item.notice or (item.notice == "all_clear" and not all_clear):
            continue
        old = run.value(step) if run.answered(step) else None
        if item.type == "check":
            if old == "pass":
                continue
            run.answer(step.key, "pass")
        else:
            chosen = list(old) if isinstance(old, list) else []
            if item.notice in chosen:
                continue
            keep = [
                o for o in chosen if (opt := item.option(o)) and not (opt.fails or opt.exclusive)
            ]
            run.answer(step.key, [*keep, item.notice])
        ticked.append(item.label.to_dict())
    return ticked
