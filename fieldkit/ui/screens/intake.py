"""Take a repair, complaint or neighbour dispute in under a minute: kind (1/2/3), the flat by
a scan or a search (for a dispute then the other flat, the same way), who is calling when it
is not the owner (a name and a phone number on one line, Enter alone for the owner),
category, description, photos (a path each, Enter on an empty line goes on), urgency and
how the owner wants to be contacted — each a key or a line — then Enter saves it
(fieldkit.services.intake) and the new case opens, ready to dispatch.

Once the flat and the category are chosen, a case of that category still open on the flat
is said (its number, age and status) before anything else is typed: a second call about
the same leak is added to that case by a key (what the caller says and any photos, kept as
events on it, who called too), or, by the other key, still becomes a new case.

What was chosen so far stays on screen above each step; a key or a line that cannot be
taken says why (no such flat, no such choice, nothing described) and keeps what was typed."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from textual import events
from textual.app import ComposeResult
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from fieldkit.checklists.lifecycle import URGENCIES
from fieldkit.i18n import UserError, as_label, get_language, known, t
from fieldkit.model import Target as ModelTarget
from fieldkit.services import intake
from fieldkit.services.cases import check_text
from fieldkit.services.history import clip
from fieldkit.services.scan_shape import looks_like_code
from fieldkit.services.types import ScanLookup, Target, pick
from fieldkit.ui.dialogs.typed import ChoiceKeys, count_line
from fieldkit.ui.keys import CHOICE_KEYS, Key, KeyTable, key
from fieldkit.ui.messages.intake import (
    CallAdded,
    CallNotAdded,
    CaseTaken,
    FlatTyped,
    IntakeRefused,
    PhotoChecked,
    SameFound,
)
from fieldkit.ui.messages.search import SearchFound
from fieldkit.ui.screens.base import FieldScreen
from fieldkit.ui.widgets.keybar import KeyBar
from fieldkit.ui.widgets.titlebar import TitleBar
from fieldkit.ui.workers import in_thread, still_wanted

#: the eleventh choice (a complaint's 其他 / Other) is under a letter, as in every list
KEYS = CHOICE_KEYS[:11]
STEPS = (
    "kind", "unit", "other", "caller", "category", "description", "photo", "urgency", "contact"
)  # fmt: skip
SEARCH_STEPS = ("unit", "other")
#: Characters of the description the steps after it repeat above them ("…" after): a long
#: one must never push the next step's box off the screen.
SUMMARY = 60
TEXT_STEPS = (*SEARCH_STEPS, "caller", "description", "photo")


def _existing(typed: str) -> str | None:
    """The photo's full path if there is such a file (asked in a thread: it reads the disk)."""
    path = Path(typed).expanduser()
    return str(path) if path.is_file() else None


class IntakeScreen(ChoiceKeys, FieldScreen):
    AUTO_FOCUS = "#intake-list"
    DEFAULT_CSS = """
    IntakeScreen #intake-so-far { padding: 1 1 0 1; height: auto; color: $text-muted; }
    IntakeScreen #intake-help { padding: 1 1 0 1; height: auto; }
    IntakeScreen #intake-line { margin: 0 1; }
    IntakeScreen #intake-list { height: 1fr; border: none; }
    """
    #: The key bar says what the keys do at the kind of step shown (``key_states``):
    #: a choice, a choice with a default, a search for a flat, a line of text.
    KEYS = KeyTable(
        Key("1-9", help="lifecycle.ui.keys.choose",
            binds=tuple((k, f"digit('{k}')") for k in KEYS)),
        Key("1-9", bar="lifecycle.ui.keys.choose", when=("choice", "default")),
        Key("scan", help="ui.keys.scan", by="app"),
        Key("enter", help="lifecycle.ui.keys.next", by="widget"),
        Key("enter", bar="desk.intake.keys.default", when=("default",)),
        Key("enter", bar="desk.intake.keys.pick", when=("search",)),
        Key("enter", bar="lifecycle.ui.keys.next", when=("text",)),
        Key("enter", bar="desk.same.save_bar", when=("joining",)),
        Key("↑ ↓", help="desk.intake.keys.move", bar="desk.intake.keys.move", when=("search",),
            binds=(("up", "cursor(-1)"), ("down", "cursor(1)"))),
        key("esc", "back", "ui.keys.back", "ui.keys.back", bind="escape"),
    )  # fmt: skip

    def __init__(self, unit: Target | None = None) -> None:
        """``unit``: the flat the case is for, known already (``n`` on its card)."""
        super().__init__(name="intake")
        self.step = "kind"
        self.kind = ""
        self.unit: Target | None = unit
        self.given_unit = unit is not None
        self.other: Target | None = None  # a dispute's other flat
        self.caller = ("", "")  # (name, phone) of who called when not the owner
        self.caller_typed = ""  # as typed: kept when the clerk steps back to it
        self.category = ""
        self.description = ""
        self.photos: list[str] = []
        self.urgency = "normal"
        self.results: list[Target] = []
        self.categories: tuple[tuple[str, dict], ...] = ()
        self.searched: str | None = None  # the text self.results were found for
        self.saving = False
        #: The case still open on the flat for the same problem this call is added to
        #: (:func:`intake.open_same`), chosen after the category; None: a new case.
        self.joining: intake.Same | None = None
        #: When the case is taken; None: the moment it is saved. A same-day urgency is
        #: worded and timed from it (a test takes a case at 18:30 through it).
        self.taken: datetime | None = None

    def compose(self) -> ComposeResult:
        yield TitleBar()
        yield Static(id="intake-title", classes="section-title")
        yield Static(id="intake-so-far")
        yield Static(id="intake-help")
        yield Input(id="intake-line")
        yield OptionList(id="intake-list")
        yield KeyBar(self.bar_keys())

    def on_mount(self) -> None:
        self.query_one("#intake-line", Input).display = False
        self.relabel()

    def relabel(self) -> None:
        lang = get_language()
        title = self.query_one("#intake-title", Static)
        help_text = self.query_one("#intake-help", Static)
        listing = self.query_one("#intake-list", OptionList)
        listing.clear_options()
        kind = t(f"lifecycle.ui.kind.{self.kind}") if self.kind else ""
        step = self.step
        if step == "contact" and any(self.caller):  # the caller is the one to contact
            title.update(t("desk.intake.contact_caller", kind=kind))
        else:
            title.update(t(f"lifecycle.ui.step.{step}", kind=kind))
        so_far = self.query_one("#intake-so-far", Static)
        so_far.update("\n".join(self._so_far(lang)))
        so_far.display = bool(self.unit) and self.step != "unit"
        self.show_keys()
        if self.step == "kind":
            lines = [
                f"{n}  {as_label(t(f'lifecycle.ui.kind.{kind}'))}"
                for n, kind in enumerate(intake.KINDS, 1)
            ]
        elif self.step in SEARCH_STEPS:
            lines = [t(f"lifecycle.ui.{self.step}_help")]
            for n, target in enumerate(self.results):
                listing.add_option(Option(target.label(lang), id=str(n)))
        elif self.step == "caller":
            lines = [t("desk.caller.help")]
        elif self.step == "category":
            lines = [
                f"{key}  {label.get(lang) or cid}"
                for key, (cid, label) in zip(KEYS, self.categories, strict=False)
            ]
        elif self.step == "description":
            typed = self.query_one("#intake-line", Input).value
            lines = [self._description_help(), count_line(typed)]
        elif self.step == "photo":  # joining a case open: an empty line adds the call to it
            joining = self.joining
            said = t("desk.same.photo_help", ref=joining.ref) if joining else None
            lines = [said or t("lifecycle.ui.photo_help"), *(f"✓ {p}" for p in self.photos)]
        elif self.step == "urgency":
            lines = [
                t("desk.due.choice", n=n, urgency=self._urgency(u),
                  due=intake.due_words(self.kind, u, taken=self.taken) or "—",
                  when=self._urgency_when(u))
                for n, u in enumerate(URGENCIES, 1)
            ] + [
                t("lifecycle.ui.urgency_default")
                if self.urgency == "normal"
                else t("lifecycle.ui.urgency_default_is", urgency=self._urgency(self.urgency))
            ]  # fmt: skip
        else:
            lines = [
                f"{n}  {as_label(t(f'lifecycle.ui.contact.{c}'))}"
                for n, c in enumerate(intake.CONTACTS, 1)
            ] + [t("lifecycle.ui.contact_default")]
        help_text.update("\n".join(lines))

    def _so_far(self, lang: str) -> list[str]:
        """What the clerk has chosen so far, one line each, shown above the current step."""
        lines = []
        if self.unit is not None:
            key = "cases.intake.reported" if self.kind == "dispute" else "desk.intake.flat"
            lines.append(t(key, unit=self.unit.label(lang)))
        if self.other is not None and self.kind == "dispute" and self.step != "other":
            lines.append(t("desk.intake.other", unit=self.other.label(lang)))
        if STEPS.index(self.step) > STEPS.index("caller"):
            lines.append(self._caller_line())
        chosen = dict(self.categories).get(self.category) if self.category else None
        if chosen is not None and STEPS.index(self.step) > STEPS.index("category"):
            lines.append(t("desk.intake.category", category=pick(chosen) or self.category))
            tell = known(f"desk.tell.{self.kind}.{self.category}", "", lang)
            if tell:  # a gas smell: what to do now is said before the form goes on (nc28)
                lines.append(tell)
        if self.joining is not None:
            title = pick(self.joining.title)
            lines.append(t("desk.same.joining", ref=self.joining.ref, title=title))
        if self.description and STEPS.index(self.step) > STEPS.index("description"):
            said = clip(" ".join(self.description.split()), SUMMARY)  # whole on the case
            said_key = "desk.intake.caller_said" if any(self.caller) else "desk.intake.description"
            lines.append(t(said_key, text=said))
        if self.photos and STEPS.index(self.step) > STEPS.index("photo"):
            lines.append(t("desk.intake.photos", count=len(self.photos)))
        if self.step == "contact":
            lines.append(t("desk.intake.urgency", urgency=self._urgency(self.urgency)))
        return lines

    def _urgency(self, urgency: str) -> str:
        return intake.urgency_words(self.kind, urgency, taken=self.taken)

    def _urgency_when(self, urgency: str) -> str:
        """Who needs it how soon; in the evening the same-day choice says the owner cannot
        wait, not that it is done today (it is due the next morning)."""
        if intake.too_late_today(self.kind, urgency, self.taken):
            return known(f"desk.urgency_evening.when_{self.kind}", "") or t(
                "desk.urgency_evening.when"
            )
        return known(f"lifecycle.ui.urgency_of.{self.kind}.{urgency}", "") or t(
            f"lifecycle.ui.urgency.{urgency}"
        )

    def _description_help(self) -> str:
        """Whose report the description is: the caller's when one was given (a tenant)."""
        key = "desk.intake.caller_help" if any(self.caller) else "lifecycle.ui.description_help"
        return t(key)

    def _caller_line(self) -> str:
        """The caller masked, as the case will show them (the owner when nobody was typed)."""
        from fieldkit.model.personal import mask

        name, phone = self.caller
        if not name and not phone:
            return t("desk.intake.by_owner")
        return t("desk.intake.caller", name="  ".join(
            part for part in (mask("name", name), mask("phone", phone)) if part))  # fmt: skip

    def key_states(self) -> tuple[str, ...]:
        if self.step in SEARCH_STEPS:
            return ("search",)
        if self.step == "photo" and self.joining is not None:
            return ("joining",)  # Enter on an empty line adds the call to the open case
        if self.step in TEXT_STEPS:
            return ("text",)
        return ("default",) if self.step in ("urgency", "contact") else ("choice",)

    def _go(self, step: str) -> None:
        self.step = step
        self.told = False
        line = self.query_one("#intake-line", Input)
        line.display = step in TEXT_STEPS
        if line.display:
            kept = {"description": self.description, "caller": self.caller_typed}
            line.value = kept.get(step, "")  # back: kept
            line.placeholder = (
                (step == "description" and known(f"desk.example.{self.kind}.{self.category}", ""))
                or known(f"lifecycle.ui.placeholder_of.{self.kind}.{step}", "")
                or t(f"lifecycle.ui.placeholder.{step}")
            )
            line.focus()
        else:
            self.set_focus(None)
        if step in SEARCH_STEPS:
            self.results = []
            self.searched = None
            self.search("")
        self.relabel()

    def _choices(self) -> int | None:
        """How many numbered options this step offers (None: it is not a list of them)."""
        choices = {"kind": len(intake.KINDS), "category": len(self.categories),
                   "urgency": len(URGENCIES), "contact": len(intake.CONTACTS)}  # fmt: skip
        return choices.get(self.step)

    def choice_count(self) -> int:
        """The bar names the keys the step's list uses: 1-4, or 1-9 0 a for eleven."""
        return self._choices() or 0

    def action_digit(self, key: str) -> None:
        n = KEYS.index(key)
        count = self._choices()
        if count is None:
            return
        if n >= count:
            last = KEYS[count - 1]
            self.notify(t("desk.intake.no_choice", key=key, last=last),
                        severity="warning")  # fmt: skip
        elif self.step == "kind":
            self.kind = intake.KINDS[n]
            self.categories = intake.categories(self.kind)
            if self.given_unit and self.unit is not None:  # from the flat's card
                self._go("other" if self.kind == "dispute" else "caller")
            else:
                self._go("unit")
        elif self.step == "category":
            self.category = self.categories[n][0]
            self.urgency = intake.first_urgency(self.kind, self.category)
            if self.unit is not None:
                self.find_same(self.unit.id, self.category)
        elif self.step == "urgency":
            self.urgency = URGENCIES[n]
            self._go("contact")
        else:
            self.save(intake.CONTACTS[n])

    @in_thread(group="same", exclusive=True)
    def find_same(self, unit_id: str, category: str) -> None:
        found = intake.open_same(self.fk.workspace.store, unit_id, category)
        self.post_message(SameFound(unit_id, category, found))

    def on_same_found(self, message: SameFound) -> None:
        """No case open for this problem: on to the description. One or more: say which,
        and ask whether this call is about it (a key each) or a new problem (the last)."""
        unit = self.unit  # a search for a flat or a category chosen before is dropped
        if self.step != "category" or unit is None or message.unit_id != unit.id:
            return
        if message.category != self.category:
            return
        self.joining = None
        if not message.cases:
            self._go("description")
            return
        from fieldkit.services.cases import age_words
        from fieldkit.services.lifecycle import status_label
        from fieldkit.ui.dialogs.form import Choice, FormDialog

        cases = message.cases[:8]  # 1-8, and 9 a new case: the dialog's number keys
        now = datetime.now().timestamp()
        details = tuple(
            t("desk.same.case", ref=c.ref, title=clip(pick(c.title), SUMMARY),
              age=age_words(c.created, now), status=status_label(c.kind, c.status))
            for c in cases
        )  # fmt: skip
        options = (*((c.id, "desk.same.add") for c in cases), ("", "desk.same.new"))
        asked = Choice("same", "desk.same.question", options, details)
        title = "desk.same.title" if len(cases) == 1 else "desk.same.title_many"

        def chosen(values: dict[str, str] | None) -> None:
            if values is None:  # Esc: the category is asked again
                return
            self.joining = next((c for c in cases if c.id == values["same"]), None)
            self._go("description")

        self.app.push_screen(FormDialog(title, (asked,), where=unit.code, count=len(cases)), chosen)

    def key_enter(self) -> None:
        if self.step == "urgency":
            self._go("contact")
        elif self.step == "contact":
            self.save("phone")

    def search(self, query: str) -> None:
        self.find_flats(query, self.step)

    @in_thread(group="search", exclusive=True)
    def find_flats(self, query: str, step: str) -> None:
        found = self.fk.workspace.search(query)
        if still_wanted():
            self.post_message(SearchFound(query, found, step))

    def on_search_found(self, message: SearchFound) -> None:
        if self.step == message.step:
            self.results = [r for r in message.results if r.kind == "unit"]
            self.searched = message.query
            self.relabel()

    @in_thread(group="typed", exclusive=True)
    def search_typed(self, query: str, step: str) -> None:
        found = self.fk.workspace.search(query)
        if still_wanted():
            self.post_message(FlatTyped(query, found, step))

    def on_flat_typed(self, message: FlatTyped) -> None:
        """Enter on a flat typed faster than the list followed: chosen from what that text
        finds, never from the list of an earlier keystroke."""
        if self.step == message.step:
            self.results = [r for r in message.results if r.kind == "unit"]
            self.searched = message.query
            self._choose_typed(message.query)

    def _choose_typed(self, query: str) -> None:
        """The flat whose number is exactly what was typed, else the one highlighted; a
        number that finds no flat is said, and the text stays to be corrected."""
        query = query.strip()
        listing = self.query_one("#intake-list", OptionList)
        exact = [r for r in self.results if r.code.lower() == query.lower()]
        if exact:
            self.choose_unit(exact[0])
        elif listing.highlighted is not None and listing.highlighted < len(self.results):
            self.choose_unit(self.results[listing.highlighted])
        elif not query:
            self.notify(t("desk.intake.type_flat"), severity="warning")
        elif not self.results:
            self.notify(t("desk.intake.no_flat", query=query), severity="warning")
        elif len(self.results) == 1:
            self.choose_unit(self.results[0])
        else:  # several flats begin so: the clerk picks, nothing is guessed
            listing.highlighted = 0
            self.notify(t("desk.intake.several", count=len(self.results), query=query),
                        severity="warning")  # fmt: skip

    def action_cursor(self, step: int) -> None:
        """↑ ↓ in the flat's box move through the flats found (the box keeps the focus)."""
        if self.step not in SEARCH_STEPS or not self.results:
            return
        listing = self.query_one("#intake-list", OptionList)
        if listing.highlighted is None:
            listing.highlighted = 0
        else:
            listing.highlighted = max(0, min(len(self.results) - 1, listing.highlighted + step))

    def on_input_changed(self, event: Input.Changed) -> None:
        if self.step in SEARCH_STEPS:
            self.search(event.value)
        elif self.step == "description":  # the counter under the help
            help_text = self.query_one("#intake-help", Static)
            help_text.update(f"{self._description_help()}\n{count_line(event.value)}")

    def on_key(self, event: events.Key) -> None:
        """On a step chosen by number, a character typed says so (nothing else happens)."""
        counts = {"kind": len(intake.KINDS), "category": len(self.categories),
                  "urgency": len(URGENCIES), "contact": len(intake.CONTACTS)}  # fmt: skip
        if self.step in counts and event.key not in KEYS[: counts[self.step]]:
            self.say_choose(event, counts[self.step])

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if self.step in SEARCH_STEPS:
            if self.searched == event.value:
                self._choose_typed(event.value)
                return
            self.search_typed(event.value, self.step)
        elif self.step == "caller":
            from fieldkit.services.callback import parse_caller

            try:
                self.caller = parse_caller(event.value)
            except UserError as exc:
                self.notify(exc.message(), severity="warning")
                return
            self.caller_typed = event.value
            self._go("category")
        elif self.step == "description":
            try:
                if not event.value.strip():
                    raise intake.IntakeError("lifecycle.intake.description")
                check_text(event.value)
            except UserError as exc:
                self.notify(exc.message(), severity="warning")
                return
            self.description = event.value.strip()
            self._go("photo")
        elif self.step == "photo":
            path = event.value.strip()
            if not path:
                if self.joining is not None:
                    self.save_call()
                else:
                    self._go("urgency")
                return
            self.check_photo(path)

    @in_thread(group="photo")
    def check_photo(self, typed: str) -> None:
        self.post_message(PhotoChecked(typed, _existing(typed)))

    def on_photo_checked(self, message: PhotoChecked) -> None:
        typed, found = message.typed, message.found
        if self.step != "photo":
            return
        if found is None:
            self.notify(t("lifecycle.intake.photo", path=typed), severity="warning")
            return
        self.photos.append(found)
        self.query_one("#intake-line", Input).value = ""
        self.relabel()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if self.step in SEARCH_STEPS and event.option.id is not None:
            self.choose_unit(self.results[int(event.option.id)])

    def scans_in_text(self, code: str) -> bool:
        return self.step in SEARCH_STEPS and looks_like_code(code)

    def scanned(self, lookup: ScanLookup, typed: bool) -> None:
        """On a flat's step a scan is the flat; elsewhere it opens the card as usual."""
        if self.step not in SEARCH_STEPS:
            super().scanned(lookup, typed)
            return
        if lookup.status != "found" or lookup.target.kind != "unit":
            self.scan_missed(lookup, typed)
            return
        self.choose_unit(lookup.target)

    def choose_unit(self, target: Target) -> None:
        if self.step == "other":
            if self.unit is not None and target.id == self.unit.id:
                self.notify(t("cases.intake.same_unit"), severity="warning")
                return
            self.other = target
        else:
            self.unit = target
            if self.kind == "dispute":
                self._go("other")
                return
        self.results = []
        self._go("caller")

    def save(self, contact: str) -> None:
        if self.saving or self.unit is None:
            return
        self.saving = True
        unit, other = self.unit, self.other if self.kind == "dispute" else None
        request = intake.Request(
            self.kind,
            ModelTarget("unit", unit.id),
            self.category,
            self.description,
            urgency=self.urgency,
            contact=contact,
            photos=tuple(Path(p) for p in self.photos),
            building=unit.building,
            where=unit.code,
            other=ModelTarget("unit", other.id) if other else None,
            other_building=other.building if other else "",
            other_where=other.code if other else "",
            caller_name=self.caller[0],
            caller_phone=self.caller[1],
        )

        def take(ws: Any) -> CaseTaken:
            case = intake.take(
                ws.store, request, by=ws.actor, now=self.taken, lifecycles=ws.lifecycles
            )
            return CaseTaken(case)

        self.fk.saves.put(self, take, IntakeRefused)

    def save_call(self) -> None:
        """This call added to the case already open for it (:attr:`joining`)."""
        joining = self.joining
        if self.saving or joining is None:
            return
        self.saving = True
        description, photos = self.description, tuple(Path(p) for p in self.photos)
        name, phone = self.caller

        def add(ws: Any) -> CallAdded | CallNotAdded:
            try:
                intake.add_call(ws.store, joining.id, description, caller_name=name,
                                caller_phone=phone, photos=photos, by=ws.actor)  # fmt: skip
            except intake.IntakeError as refused:
                if refused.key != "desk.same.finished":
                    raise
                return CallNotAdded(refused.message())
            return CallAdded(joining.id)

        self.fk.saves.put(self, add, IntakeRefused)

    def on_call_added(self, message: CallAdded) -> None:
        """Kept on the case: it opens, its history ending with this call."""
        from fieldkit.ui.screens.case_detail import CaseDetailScreen

        self.notify(t("desk.same.saved", ref=message.case_id[-6:]))
        self.app.switch_screen(CaseDetailScreen(message.case_id))

    def on_call_not_added(self, message: CallNotAdded) -> None:
        """The case was finished meanwhile: this call goes on to be a new case."""
        self.saving = False
        self.joining = None
        self.notify(message.error, severity="warning", timeout=12)
        self._go("urgency")

    def on_intake_refused(self, message: IntakeRefused) -> None:
        self.saving = False
        self.notify(message.error, severity="error")

    def on_case_taken(self, message: CaseTaken) -> None:
        """Saved: the new case opens in place of the intake, so the clerk can dispatch it
        (``d``) while the owner is still on the phone; Esc goes back to where intake began."""
        from fieldkit.ui.screens.case_detail import CaseDetailScreen

        case = message.case

        self.notify(
            t("lifecycle.ui.saved", ref=case.id[-6:], kind=t(f"lifecycle.ui.kind.{case.kind}"))
        )
        self.app.switch_screen(CaseDetailScreen(case.id))

    def action_back(self) -> None:
        if self.step == "kind":
            self.app.pop_screen()
            return
        back = STEPS[STEPS.index(self.step) - 1]
        if back == "other" and self.kind != "dispute":
            back = "unit"
        if back == "category":  # the category is asked again, and the open case with it
            self.joining = None
        self._go(back)
