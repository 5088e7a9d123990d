"""One incident while it happens: the timeline on the left with the entry line under it
(type and Enter: stamped and saved durably at once), the plan's steps and the residents
who need help on the right. Function keys do the rest, so typing is never interrupted:

F3 observation/action · F4 call 119/110/120/... · F5 run the plan · F6 residents ·
F7 notice · F8 escalate · F9 hand over · F10 stand down / close (closing shows what is still
open: ``IncidentCloseScreen``) · ctrl+n add a place · ctrl+o follow-up case · ctrl+r correct
an entry (pick it in the timeline) · r on the residents list: reveal one resident's phone or
name, for a reason (:mod:`fieldkit.ui.reveal`).

Keys after a key that moves the focus act where the person now is: the focus is moved at
once (``Screen.set_focus``), not after the keys already typed (``Widget.focus`` defers it,
so six quick ↑ after ctrl+r went to the entry line). Text typed while a list has the focus
goes to the entry line — never dropped — and F6 or Esc goes back to the line.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from rich.text import Text
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from fieldkit.i18n import get_language, plural, t
from fieldkit.model import INCIDENT_LEVELS, iso_epoch, localtime
from fieldkit.services import incident_close
from fieldkit.services import incident_places as places_
from fieldkit.services import incidents as inc
from fieldkit.services.incident_report import (
    care_label,
    entry_text,
    grouped,
    kind_label,
    plan_answer,
    plan_counts,
    service_said,
)
from fieldkit.services.notices import local_time
from fieldkit.services.people import CareUnit
from fieldkit.services.scan_shape import looks_like_label
from fieldkit.services.types import ScanLookup, pick
from fieldkit.ui.keys import Key, KeyTable, key
from fieldkit.ui.messages.incidents import (
    CompoundRead,
    IncidentChanged,
    IncidentLoaded,
    LineRefused,
    LineSaved,
    OpenPointsFound,
    PlaceRefused,
)
from fieldkit.ui.reveal import RevealingScreen
from fieldkit.ui.widgets.keybar import KeyBar
from fieldkit.ui.widgets.line_input import LineInput
from fieldkit.ui.widgets.phrases import PhraseText, Wrapped
from fieldkit.ui.widgets.titlebar import TitleBar
from fieldkit.ui.workers import in_thread

KIND_STYLE = {
    "call": "bold cyan",
    "notice": "green",
    "escalation": "bold red",
    "handover": "bold magenta",
    "status": "bold",
    "people_checked": "green",
    "correction": "yellow",
    "place": "bold yellow",
    "decision": "bold",
}
PLAN_MARK = {"done": "✔", "failed": "✘", "todo": "☐", "na": "–"}
#: How a point decided at close shows on the panel (the close screen's decisions).
DECIDED_MARK = {"done": "✔", "write": "✔", "not_done": "→", "not_needed": "–", "case": "→",
                "handled": "✔", "phoned": "✔", "not_affected": "–", "visit": "→"}  # fmt: skip


class Timeline(OptionList):
    """The timeline, picked from with ↑ ↓ (ctrl+r): the pick stops at the first and the
    last entry. Wrapping round, six quick ↑ over six entries came back to the last one, as
    if the keys had done nothing."""

    def action_cursor_up(self) -> None:
        self.step(-1)

    def action_cursor_down(self) -> None:
        self.step(1)

    def step(self, by: int) -> None:
        at = self.highlighted
        n = (self.option_count - 1 if by < 0 else 0) if at is None else at + by
        while 0 <= n < self.option_count and self.get_option_at_index(n).disabled:
            n += by
        if 0 <= n < self.option_count:
            self.highlighted = n


#: Plan steps whose answer the panel says beside the tick: a choice, a number, a date (nc36
#: read "✔ 备用发电机" for 本小区没有).
WORDED_STEPS = ("choice", "multi", "number", "date")


class IncidentScreen(RevealingScreen):
    DEFAULT_CSS = """
    IncidentScreen #incident-head { padding: 0 1; height: auto; background: $panel; }
    IncidentScreen #incident-left { width: 3fr; }
    IncidentScreen #incident-right { width: 2fr; }
    IncidentScreen #timeline { height: 1fr; border: none; scrollbar-gutter: stable; }
    IncidentScreen #entry-kind { padding: 0 1; height: auto; color: $secondary; }
    IncidentScreen #line { margin: 0 1; }
    IncidentScreen #plan-title, IncidentScreen #people-title {
        text-style: bold; color: $secondary; padding: 0 1; height: auto;
    }
    IncidentScreen #plan { height: 1fr; border: none; scrollbar-gutter: stable; }
    IncidentScreen #people { height: 1fr; border: none; scrollbar-gutter: stable; }
    """
    #: Help lists every key; the key bar follows the focus (``key_states``): the entry
    #: line's keys, or the residents list's.
    SPARE_KEYS = ("F8", "F9")
    KEYS = KeyTable(
        Key("enter", help="incidents.ui.keys.save", by="widget"),
        key("F3", "toggle_kind", "incidents.ui.keys.kind", bind="f3"),
        key("F4", "call", "incidents.ui.keys.call", bind="f4"),
        key("F5", "plan", "incidents.ui.keys.plan", bind="f5"),
        key("F6", "people", "incidents.ui.keys.people", bind="f6"),
        # the residents list only: the entry line types it
        key("r", "reveal", "reveals.keys.reveal"),
        key("F7", "notice", "incidents.ui.keys.notice", bind="f7"),
        key("F8", "escalate", "incidents.ui.keys.escalate", bind="f8"),
        key("F9", "handover", "incidents.ui.keys.handover", bind="f9"),
        key("F10", "close", "incidents.ui.keys.close", bind="f10"),
        key("ctrl+n", "add_place", "incidents.ui.keys.add_place"),
        key("ctrl+o", "followup", "incidents.ui.keys.followup"),
        # not ctrl+t: the app's sunlight theme, in every screen's help (nc16: listed twice)
        key("ctrl+g", "began", "incidents.ui.keys.began"),
        # at once, before the keys typed after it: they go to the timeline, not the line
        key("ctrl+r", "correct", "incidents.ui.keys.correct", priority=True),
        Key(
            "PgUp PgDn",
            "incidents.ui.keys.scroll",
            binds=(
                ("pageup", "scroll_timeline('page_up')"),
                ("pagedown", "scroll_timeline('page_down')"),
            ),
        ),
        # Home/End move the cursor in a typed line: they scroll only while it is empty
        Key(
            "Home End",
            "incidents.ui.keys.scroll_ends",
            binds=(("home", "scroll_timeline('home')"), ("end", "scroll_timeline('end')")),
            priority=True,
        ),
        Key(
            "↑ ↓",
            "incidents.ui.keys.scroll_lines",
            binds=(("up", "scroll_timeline('up')"), ("down", "scroll_timeline('down')")),
            when=("closed",),
        ),
        key("esc", "back", "ui.keys.back", bind="escape"),
        # Enter and F3 are said right above the bar (the line's hint and the kind line): at 80
        # columns the bar then holds F10, which it cut before (nc24)
        Key("F4", bar="incidents.ui.keys.call", when=("line",)),
        Key("F5", bar="incidents.ui.keys.plan", when=("line",)),
        Key("F6", bar="incidents.ui.keys.people", when=("line",)),
        Key("F7", bar="incidents.ui.keys.notice", when=("line",)),
        # where the bar has room (SPARE_KEYS): nc34 found F8 and F9 only in help
        Key("F8", bar="incidents.ui.keys.escalate", when=("line",)),
        Key("F9", bar="incidents.ui.keys.handover", when=("line",)),
        Key("F10", bar="incidents.ui.keys.close_bar", when=("line",)),
        # ? is typed into the line like any letter: help is F1 here
        Key("F1", bar="ui.keys.help", by="app", when=("line",)),
        Key("enter", bar="incidents.ui.keys.tick", when=("list",)),
        Key("r", bar="registry.keys.reveal_short", when=("list", "closed_list")),
        Key("F6", bar="incidents.ui.keys.back_to_line", when=("list", "closed_list")),
        Key("esc", bar="incidents.ui.keys.back_to_line", when=("list", "closed_list")),
        # closed: what still works — the residents to read, a follow-up case, back, help
        Key("F6", bar="incidents.ui.keys.people", when=("closed",)),
        Key("ctrl+o", bar="incidents.ui.keys.followup", when=("closed",)),
        Key("F1", bar="ui.keys.help", by="app", when=("closed",)),
        Key("esc", bar="ui.keys.back", when=("closed",)),
        # last: the bar before it is what the coordinator journey reads for a closed one
        Key(
            "F7",
            help="incidents.ui.keys.report_help",
            bar="incidents.ui.keys.report",
            when=("closed",),
        ),
    )

    def __init__(self, incident_id: str) -> None:
        super().__init__(name="incident")
        self.incident_id = incident_id
        self.view: inc.IncidentView | None = None
        self.kind = "observation"
        self.correcting = False
        self.saved_at = ""
        self.ticked: str | None = None  # a flat just ticked from the list

    def compose(self) -> ComposeResult:
        yield TitleBar()
        yield Static(id="incident-head")
        with Horizontal():
            with Vertical(id="incident-left"):
                yield Timeline(id="timeline")
                yield Static(id="entry-kind")
                yield LineInput(id="line")
            with Vertical(id="incident-right"):
                yield PhraseText(id="plan-title")
                yield OptionList(id="plan")
                yield PhraseText(id="people-title")
                yield OptionList(id="people")
        yield KeyBar(self.bar_keys())

    def on_mount(self) -> None:
        self.query_one("#line", Input).focus()
        self.relabel()
        self.reload()

    @in_thread(group="view")
    def reload(self) -> None:
        self.post_message(IncidentLoaded(inc.view(self.fk.workspace, self.incident_id)))

    def on_incident_loaded(self, message: IncidentLoaded) -> None:
        self.view = message.view
        self.relabel()

    def on_screen_resume(self) -> None:
        self.reload()

    # -- drawing -------------------------------------------------------------------------

    def relabel_entry_line(self) -> None:
        kind_line = self.query_one("#entry-kind", Static)
        on_list = self.focused is self.query_one("#people", OptionList)
        if self.correcting:
            kind_line.update(t("incidents.ui.correct_pick"))
        elif on_list:
            kind_line.update(t("incidents.ui.people_focus"))
        elif self.closed:
            kind_line.update(t("incidents.ui.closed_hint"))
        else:
            kind_line.update(
                t("incidents.ui.kind_now", kind=kind_label(self.kind, get_language()))
                + (f"   {t('incidents.ui.saved', time=self.saved_at)}" if self.saved_at else "")
            )
        self.query_one("#line", Input).placeholder = t(
            "incidents.ui.placeholder.closed"
            if self.closed
            else f"incidents.ui.placeholder.{self.kind}"
        )
        self.show_keys()

    def key_states(self) -> tuple[str, ...]:
        on_list = self.focused is not None and self.focused.id == "people"
        if self.closed:
            return ("closed_list",) if on_list else ("closed",)
        return ("list",) if on_list else ("line",)

    @property
    def closed(self) -> bool:
        return self.view is not None and not self.view.open

    def said_closed(self) -> bool:
        """On a closed incident, a key that would log or change something says why it does
        nothing (its bar no longer offers it) and what still works."""
        if self.closed:
            self.notify(t("incidents.closed_keys.said"), severity="warning")
        return self.closed

    def on_descendant_focus(self, _: Any) -> None:
        self.relabel_entry_line()  # the hint and the keys follow the focus (a click too)

    def relabel(self) -> None:
        self.query_one(TitleBar).relabel()
        self.query_one(KeyBar).relabel()
        self.relabel_entry_line()
        view = self.view
        head = self.query_one("#incident-head", Static)
        if view is None:
            head.update(t("ui.home.loading"))
            return
        lang = get_language()
        head.update(
            t("incidents.ui.head", ref=view.ref, type=view.type_words(lang), place=view.where(lang))
            + "\n"
            + t(
                "incidents.ui.head_state",
                severity=t(f"incidents.severity.{view.severity}"),
                status=t(f"incidents.status.{view.status}"),
                coordinator=view.coordinator or "—",
                started=local_time(view.began_at or view.started_at, lang),
            )
        )
        self.draw_timeline()
        self.draw_plan()
        self.draw_people()

    def entry_line(self, entry: inc.Entry) -> Wrapped:
        """One entry as the timeline shows it, wrapped between phrases (a Chinese line
        folded where the width ran out split 6 户 across two lines)."""
        lang = get_language()
        out = Text(local_time(entry.at, lang)[-5:] + "  ", style="dim")
        hang = len(out)
        out.append(f"[{kind_label(entry.kind, lang)}] ", style=KIND_STYLE.get(entry.kind, ""))
        body = Text(entry_text(entry, lang))
        if entry.corrected_by:
            body.stylize("strike")
            out.append_text(body)
            out.append(f"  → {entry.corrected_text}", style="yellow")
        else:
            out.append_text(body)
        if entry.by:
            out.append(f"  — {entry.by}", style="dim")
        return Wrapped(Content.from_rich_text(out), hang=hang)

    def draw_timeline(self) -> None:
        assert self.view is not None
        timeline = self.query_one("#timeline", OptionList)
        keep = timeline.highlighted if self.correcting else None
        timeline.clear_options()
        shown = [e for e in grouped(self.view.entries) if e.kind != "correction"]
        timeline.add_options(Option(self.entry_line(e), id=e.id) for e in shown)
        if not shown:
            timeline.add_option(Option(t("incidents.ui.empty_timeline"), disabled=True))
        elif keep is not None and keep < len(shown):
            timeline.highlighted = keep
        else:
            self.show_last(timeline)

    @staticmethod
    def show_last(timeline: OptionList) -> None:
        """The newest entry highlighted and in view — once the list has laid its new lines
        out (scrolling before that stops at the old end: an added place stayed hidden)."""
        timeline.highlighted = timeline.option_count - 1
        timeline.scroll_end(animate=False)
        timeline.call_after_refresh(timeline.scroll_end, animate=False)

    def decided(self) -> dict[str, str]:
        """What was decided at close, by the flat's id or the plan step's key."""
        assert self.view is not None
        return {str(e.data.get("ref")): str(e.data.get("decision")) for e in self.view.decisions}

    def draw_plan(self) -> None:
        assert self.view is not None
        lang = get_language()
        plan = self.query_one("#plan", OptionList)
        plan.clear_options()
        decided = self.decided()
        self.query_one("#plan-title", PhraseText).set_text(
            t("incidents.ui.plan_title_closed" if self.closed else "incidents.ui.plan_title",
              title=pick(self.view.plan_title, lang) or "—",
              counts=plan_counts(self.view, lang))
        )  # fmt: skip
        for step in self.view.plan:
            state = "failed" if step.failed else "na" if step.value == "na" else (
                "done" if step.done else "todo")  # fmt: skip
            decision = decided.get(step.key, "") if not step.done or step.failed else ""
            mark = DECIDED_MARK.get(decision, PLAN_MARK[state]) if decision else PLAN_MARK[state]
            line = Text(f"{mark} ", style="red" if state == "failed" and not decision else "")
            line.append(pick(step.label, lang), style="dim" if step.done or decision else "")
            worded = step.item is not None and step.item.type in WORDED_STEPS
            if worded and step.value not in (None, "", [], "na"):  # "✔ 备用发电机：本小区没有"
                line.append(t("incidents.ui.plan_answer", answer=plan_answer(step, lang)),
                            style="dim")  # fmt: skip
            if decision:
                line.append(f"  {t(f'incidents.ui.decided.{decision}')}", style="dim italic")
            plan.add_option(Option(hanging(line), id=step.key))

    def draw_people(self) -> None:
        assert self.view is not None
        lang = get_language()
        people = self.query_one("#people", OptionList)
        highlighted = people.highlighted
        people.clear_options()
        decided = self.decided()
        self.query_one("#people-title", PhraseText).set_text(
            people_title(self.view.people, decided)
        )
        sep = t("checklists.words.list_sep")
        for person in self.view.people:
            decision = "" if person.checked else decided.get(person.unit_id, "")
            if decision:
                line = Text(f"{DECIDED_MARK.get(decision, '✔')} ", style="dim")
            else:
                box = "☑ " if person.checked else "☐ " if person.confirm else "· "
                line = Text(box, style="green" if person.checked else "")
            line.append(person.code, style="bold")
            if person.below:
                line.append(" " + t("incidents.ui.below"), style="yellow")
            line.append("  " + sep.join(care_label(f, lang) for f in person.flags))
            if decision:
                line.append(f"  {t(f'incidents.ui.decided.{decision}')}", style="dim italic")
            if person.contact:
                who = self.shown(person.resident_id, "name", person.contact)
                phone = self.shown(person.resident_id, "phone", person.phone)
                revealed = bool(self.revealed.get(person.resident_id))
                line.append(f"  {who} {phone}", style="bold" if revealed else "dim")
            people.add_option(Option(hanging(line), id=person.unit_id))
        if not self.view.people:
            people.add_option(Option(t("incidents.ui.no_people"), disabled=True))
        elif self.ticked is not None:  # just ticked: on to the next flat still to check
            ids = [p.unit_id for p in self.view.people]
            at = ids.index(self.ticked) if self.ticked in ids else -1
            later = [n for n, p in enumerate(self.view.people)
                     if n > at and not p.checked and p.unit_id != self.ticked]  # fmt: skip
            people.highlighted = later[0] if later else max(at, 0)
            self.ticked = None
        elif highlighted is not None and highlighted < len(self.view.people):
            people.highlighted = highlighted

    # -- the entry line ------------------------------------------------------------------

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        text = event.value  # the line has emptied itself: the next may already be in it
        if not text.strip():
            return
        if self.said_closed():
            self.query_one("#line", Input).value = text
            return
        kind, incident_id = self.kind, self.incident_id
        by = self.view.coordinator if self.view else ""
        self.fk.saves.put(
            self,
            lambda ws: LineSaved(inc.add_entry(ws, incident_id, text, kind, by=by)),
            lambda error: LineRefused(text, error),
        )

    def on_line_saved(self, message: LineSaved) -> None:
        """Append the saved line to what is shown (no re-read: a timeline of thousands of
        entries would make every Enter wait for it)."""
        event = message.event
        self.saved_at = local_time(event.at, get_language())[-5:]
        if self.view is None:
            self.reload()
            return
        entry = inc.Entry(event.id, event.at, event.type, event.text, event.by, dict(event.data))
        first = not any(e.kind != "correction" for e in self.view.entries)
        self.view = replace(self.view, entries=(*self.view.entries, entry))
        timeline = self.query_one("#timeline", OptionList)
        if first:
            timeline.clear_options()
        timeline.add_option(Option(self.entry_line(entry), id=entry.id))
        self.show_last(timeline)
        self.relabel_entry_line()

    def on_line_refused(self, message: LineRefused) -> None:
        """A refused line comes back to the entry line, with why."""
        line = self.query_one("#line", Input)
        if not line.value:
            line.value = message.text
        self.notify(message.error, severity="error")

    def on_place_refused(self, message: PlaceRefused) -> None:
        """A place that names nothing comes back in its question, with why."""
        self.notify(message.error, severity="error")
        self.action_add_place(message.text)

    def on_incident_changed(self, _message: IncidentChanged) -> None:
        self.saved_at = local_time(datetime.now(UTC).isoformat(), get_language())[-5:]
        self.reload()

    def change(self, fn: Callable[..., Any], *args: Any) -> None:
        """One change to the incident (``fn(ws, incident_id, *args)``) on the saver, then
        redraw."""
        incident_id = self.incident_id
        self.fk.saves.put(self, lambda ws: _changed(fn(ws, incident_id, *args)))

    def action_scroll_timeline(self, how: str) -> None:
        """PgUp/PgDn and Home/End read back through the timeline while the focus stays on
        the entry line (at 80x24 a closed incident showed its middle entries and no key
        moved them). Home/End with text typed move its cursor; ↑ ↓ scroll it when the
        incident is closed (nothing to pick or type then)."""
        focused = self.focused
        line = self.query_one("#line", Input)
        timeline = self.query_one("#timeline", OptionList)
        if how in ("home", "end") and focused is line and line.value:
            raise SkipAction
        if how in ("up", "down") and (not self.closed or focused is not line):
            raise SkipAction
        if focused is not None and focused.id in ("plan", "people") and how in ("home", "end"):
            raise SkipAction
        if self.correcting and focused is timeline:
            raise SkipAction  # picking the entry to correct: the list's own keys
        scroll = {"page_up": timeline.scroll_page_up, "page_down": timeline.scroll_page_down,
                  "home": timeline.scroll_home, "end": timeline.scroll_end,
                  "up": timeline.scroll_up, "down": timeline.scroll_down}[how]  # fmt: skip
        scroll(animate=False)

    def action_toggle_kind(self) -> None:
        if self.said_closed():
            return
        self.kind = "action" if self.kind == "observation" else "observation"
        self.relabel_entry_line()

    def action_back(self) -> None:
        if self.correcting:
            self.correcting = False
            self.to_line()
            self.relabel()
            return
        if self.focused is not None and self.focused.id in ("people", "plan", "timeline"):
            self.to_line()  # Esc on a list: back to the entry line first
            return
        self.app.pop_screen()

    def to_line(self) -> None:
        self.set_focus(self.query_one("#line", Input))
        self.relabel_entry_line()

    def on_key(self, event: Any) -> None:
        """A character typed while a list has the focus goes to the entry line (it reached
        here because no box took it); ``r`` on the residents list is its reveal key."""
        char = event.character
        if not (event.is_printable and char and len(char) == 1 and char.isprintable()):
            return
        if self.correcting or char == "?":
            return
        if char == "r" and self.focused is self.query_one("#people", OptionList):
            return
        event.stop()
        event.prevent_default()
        line = self.query_one("#line", Input)
        if self.focused is not line:
            self.to_line()
        line.insert_text_at_cursor(char)

    # -- function keys -------------------------------------------------------------------

    def ask(self, key: str, then: Any, value: str = "", **params: Any) -> None:
        from fieldkit.ui.dialogs.ask import AskDialog

        self.app.push_screen(AskDialog(key, value, **params), then)

    def choose(self, key: str, options: list[tuple[str, str]], then: Any) -> None:
        from fieldkit.ui.dialogs.incident_choice import ChoiceDialog

        self.app.push_screen(ChoiceDialog(key, options), then)

    def action_call(self) -> None:
        if self.said_closed():
            return
        note = self.query_one("#line", Input).value

        def service_chosen(service: str | None) -> None:
            if service is None:
                return
            if service == "other":
                self.ask("incidents.ui.ask.service_name", lambda name: name and name.strip()
                         and ask_who(service, " ".join(name.split())))  # fmt: skip
                return
            ask_who(service, "")

        def ask_who(service: str, name: str) -> None:
            def answered(who: str | None) -> None:
                if who is None:
                    return
                if not who.strip():  # asked again, with why: nothing typed is no answer
                    self.notify(t("incidents.error.need_answered_by"), severity="warning")
                    ask_who(service, name)
                    return
                self.query_one("#line", Input).value = ""
                self.change(lambda ws, incident_id: inc.log_call(
                    ws, incident_id, service, who, note, name=name))  # fmt: skip

            said = name or service_said({"service": service}, get_language())
            self.ask("incidents.ui.ask.answered_by", answered, service=said)

        options = [(s, f"incidents.service.{s}") for s in inc.SERVICES]
        self.choose("incidents.ui.ask.service", options, service_chosen)

    def action_plan(self) -> None:
        if self.said_closed():
            return
        from fieldkit.ui.screens.incident_plan import IncidentPlanScreen

        self.app.push_screen(IncidentPlanScreen(self.incident_id))

    def action_people(self) -> None:
        people = self.query_one("#people", OptionList)
        if self.focused is people:
            self.to_line()
            return
        self.set_focus(people)
        if people.highlighted is None and self.view and self.view.people:
            people.highlighted = 0
        self.relabel_entry_line()

    def action_reveal(self) -> None:
        """``r`` on the residents list: reveal the highlighted flat's contact, for a reason."""
        people = self.query_one("#people", OptionList)
        if self.focused is not people or self.view is None or not self.view.people:
            return
        person = self.view.people[min(people.highlighted or 0, len(self.view.people) - 1)]
        if person.resident_id:
            self.ask_reveal(person.resident_id, self.incident_id)

    def redraw_revealed(self) -> None:
        if self.view is not None:
            self.draw_people()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        option_id = event.option.id
        if option_id is None:
            return
        if event.option_list.id == "people":
            if self.said_closed():
                return
            person = next(
                (p for p in (self.view.people if self.view else ()) if p.unit_id == option_id), None
            )
            if person is None:
                return

            def noted(note: str | None) -> None:
                if note is not None:
                    self.ticked = option_id  # the list moves on to the next flat to check
                    self.change(inc.check_person, option_id, note)

            self.ask_checked(person, noted)
        elif event.option_list.id == "timeline" and self.correcting:
            entry = next(
                (e for e in (self.view.entries if self.view else ()) if e.id == option_id), None
            )
            if entry is None:
                return

            def fixed(text: str | None) -> None:
                self.correcting = False
                self.to_line()
                if text:
                    self.change(inc.correct, option_id, text)
                else:
                    self.relabel()

            lang = get_language()
            was = entry.corrected_text or entry_text(entry, lang)  # a call's words too
            self.ask("incidents.ui.ask.correction", fixed, was,
                     time=local_time(entry.at, lang)[-5:], was=was)  # fmt: skip

    def scans_in_text(self, code: str) -> bool:
        return looks_like_label(code)  # a flat's door label, scanned with the line in focus

    def scanned(self, lookup: ScanLookup, typed: bool) -> None:
        """At a flat's door: scanning its label ticks it if it is on the residents list;
        any other label opens its card as on every screen."""
        target = lookup.target
        people = self.view.people if self.view else ()
        person = next((p for p in people if target and p.unit_id == target.id), None)
        if person is None:
            super().scanned(lookup, typed)
            return
        if self.said_closed():
            return

        def noted(note: str | None) -> None:
            if note is not None:
                self.change(inc.check_person, person.unit_id, note)

        self.ask_checked(person, noted)

    def ask_checked(self, person: Any, noted: Callable[[str | None], None]) -> None:
        """Ask how the flat's residents are; a flat already checked says so first, with
        when and what was noted, so another flat's news is not logged on it (nc36 pressed
        Enter again on the flat just ticked and wrote the next one's note there)."""
        if not person.checked:
            self.ask("incidents.ui.ask.checked_note", noted, code=person.code)
            return
        when = local_time(person.checked_at, get_language())[-5:] if person.checked_at else ""
        self.ask("incidents.ui.ask.checked_again", noted, code=person.code, time=when,
                 note=person.checked_note or "—")  # fmt: skip

    def scan_missed(self, lookup: ScanLookup, typed: bool) -> None:
        """A burst that is no label, read while a list had the focus, was typing: it goes
        to the entry line and is saved like any line."""
        if not typed and not looks_like_label(lookup.code):
            self.to_line()
            typed = True
        super().scan_missed(lookup, typed)

    def action_correct(self) -> None:
        if self.said_closed():
            return
        if self.view is None or not self.view.entries:
            return
        self.correcting = True
        timeline = self.query_one("#timeline", OptionList)
        self.set_focus(timeline)  # at once: the ↑ typed right after go to the timeline
        self.relabel()

    def action_notice(self) -> None:
        """A notice to owners; once closed, the incident's report (its notices in full)."""
        if self.closed:
            from fieldkit.ui.screens.incident_report import IncidentReportScreen

            self.app.push_screen(IncidentReportScreen(self.incident_id))
            return
        from fieldkit.ui.screens.incident_notice import IncidentNoticeScreen

        self.app.push_screen(IncidentNoticeScreen(self.incident_id))

    def action_escalate(self) -> None:
        if self.said_closed():
            return
        if self.view is None:
            return
        higher = INCIDENT_LEVELS[INCIDENT_LEVELS.index(self.view.severity) + 1 :]
        if not higher:
            self.notify(t("incidents.ui.highest"), severity="warning")
            return

        def chosen(severity: str | None) -> None:
            if severity is None:
                return

            def reason(text: str | None) -> None:
                if text is not None:
                    self.change(inc.escalate, severity, text)

            self.ask("incidents.ui.ask.escalate_reason", reason)

        options = [(s, f"incidents.severity.{s}") for s in higher]
        self.choose("incidents.ui.ask.escalate", options, chosen)

    def action_handover(self) -> None:
        if self.said_closed():
            return

        def named(name: str | None) -> None:
            if name:
                self.change(inc.hand_over, name, "")

        self.ask("incidents.ui.ask.handover", named)

    def action_add_place(self, value: str = "") -> None:
        """Widen the incident (the rain reaches building 3): the residents list follows.
        The box says what it reads as it is typed; text that names no place comes back in
        the question, with why."""
        if self.said_closed():
            return
        self.read_compound(value)

    @in_thread(group="compound")
    def read_compound(self, value: str) -> None:
        self.post_message(CompoundRead(inc.compound_of(self.fk.workspace), value))

    def on_compound_read(self, message: CompoundRead) -> None:
        from fieldkit.ui.dialogs.ask import AskDialog

        compound, value = message.compound, message.value

        def typed(text: str | None) -> None:
            if text and text.strip():
                incident_id = self.incident_id
                self.fk.saves.put(
                    self, lambda ws: _changed(inc.add_place(ws, incident_id, text)),
                    lambda error: PlaceRefused(text, error),
                )  # fmt: skip

        def preview(text: str) -> str:
            return places_.understood(text, compound, get_language())

        self.app.push_screen(AskDialog("incidents.ui.ask.add_place", value, preview=preview),
                             typed)  # fmt: skip

    def action_began(self) -> None:
        """When the call or alarm came in (接警时间), when it was before the incident was
        logged; the box says what it reads as it is typed (or why it is refused)."""
        if self.said_closed() or self.view is None:
            return
        from fieldkit.services import incident_began

        began = self.view.began_at or self.view.started_at
        shown = localtime.fmt(began, "minute")  # with its date: "10:00" read as today's
        logged = iso_epoch(self.view.started_at) or time.time()

        def typed(text: str | None) -> None:
            if text and text.strip() and text.strip() != shown:  # Enter alone changes nothing
                self.change(incident_began.set_began, text)

        self.ask("incidents.began.ask", typed, shown,
                 preview=lambda text: incident_began.preview(text, logged))  # fmt: skip

    def action_close(self) -> None:
        if self.said_closed():
            return

        def chosen(what: str | None) -> None:
            if what == "contained":
                self.ask("incidents.ui.ask.contained", lambda note: note is not None
                         and self.change(inc.contain, note))  # fmt: skip
            elif what == "stand_down":
                self.ask("incidents.ui.ask.stand_down", lambda note: note is not None
                         and self.change(inc.stand_down, note))  # fmt: skip
            elif what == "close":
                self.find_open_points()

        options = [
            ("contained", "incidents.ui.contained"),
            ("stand_down", "incidents.ui.stand_down"),
            ("close", "incidents.ui.close"),
        ]
        self.choose("incidents.ui.ask.close", options, chosen)

    @in_thread(group="points")
    def find_open_points(self) -> None:
        points = incident_close.open_points(self.fk.workspace, self.incident_id)
        self.post_message(OpenPointsFound(points))

    def on_open_points_found(self, message: OpenPointsFound) -> None:
        """Nothing open: the summary is the only question. Otherwise every open point is
        decided on the close screen first."""
        points = message.points
        if points:
            from fieldkit.ui.screens.incident_close import IncidentCloseScreen

            self.app.push_screen(IncidentCloseScreen(self.incident_id, points))
            return

        def summary(text: str | None) -> None:
            if text is not None:
                self.change(incident_close.close, text, {})

        followups = self.view.followups if self.view else ()
        still = incident_close.open_followups(followups, get_language())
        if still:  # they do not stop the close, but "nothing left open" would not be true
            self.ask("incidents.ui.ask.summary_followups_open", summary, followups=still)
            return
        self.ask("incidents.ui.ask.summary_nothing_open", summary)

    def action_followup(self) -> None:
        def chosen(kind: str | None) -> None:
            if kind is None:
                return

            def titled(title: str | None) -> None:
                if title is not None:
                    self.change(inc.raise_followup, kind, title)

            self.ask("incidents.ui.ask.followup_title", titled)

        options = [(k, f"incidents.followup.{k}") for k in inc.FOLLOWUP_KINDS]
        self.choose("incidents.ui.ask.followup", options, chosen)


def hanging(line: Text) -> Wrapped:
    """A plan step or a flat on the panel, its wrapped lines indented under its words, never
    under its mark: at 80 columns a ☐ stood alone on a line above its step (nc24)."""
    return Wrapped(Content.from_rich_text(line), hang=2)


def people_title(people: tuple[CareUnit, ...], decided: dict[str, str]) -> str:
    """The residents panel's head: how many of the flats to confirm are confirmed — checked
    on, or decided at close — out of those; a list kept only to call on (a lift entrapment:
    ``incidents.to_confirm``) says so, with its count."""
    counted = [p for p in people if p.confirm or p.checked]
    if people and not counted:
        return plural("incidents.people.title_reference", len(people))
    done = sum(1 for p in counted if p.checked or p.unit_id in decided)
    return t("incidents.ui.people_title", checked=done, total=len(counted))


def _changed(_result: object) -> IncidentChanged:
    return IncidentChanged()
