"""Open an incident in seconds: F2 from anywhere, the type by a number key, the place by a
scan, by buildings and entrances typed as people say them ("1,2", "1号楼 2号楼",
"1号楼2单元", "全小区": read by ``incident_places.parse`` as they are typed, the first line
of the list), or by a search (Enter on nothing: the whole compound); the severity by 1/2/3
(Enter: major). The time is taken when it is created. Open incidents are listed on the
first step, so F2 is also the way back to one."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from textual import events
from textual.app import ComposeResult
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from fieldkit.i18n import get_language, t
from fieldkit.model import INCIDENT_LEVELS
from fieldkit.services import incident_began
from fieldkit.services import incident_places as places_
from fieldkit.services import incidents as inc
from fieldkit.services.incident_places import Place, PlaceError
from fieldkit.services.incidents import IncidentError
from fieldkit.services.notices import local_time
from fieldkit.services.scan_shape import looks_like_code
from fieldkit.services.types import ScanLookup, Target
from fieldkit.ui.dialogs.ask import AskDialog
from fieldkit.ui.keys import Key, KeyTable, key
from fieldkit.ui.messages.incidents import (
    IncidentNotOpened,
    IncidentOpened,
    OpenIncidentsLoaded,
    PlacesFound,
    PlaceTyped,
)
from fieldkit.ui.screens.base import FieldScreen
from fieldkit.ui.widgets.keybar import KeyBar
from fieldkit.ui.widgets.titlebar import TitleBar
from fieldkit.ui.workers import in_thread, still_wanted

if TYPE_CHECKING:
    from fieldkit.services.workspace import Workspace


class IncidentOpenScreen(FieldScreen):
    AUTO_FOCUS = "#open-list"
    DEFAULT_CSS = """
    IncidentOpenScreen #open-help { padding: 1 1 0 1; height: auto; }
    IncidentOpenScreen #open-place { margin: 0 1; }
    IncidentOpenScreen #open-list { height: 1fr; border: none; }
    """
    #: Help lists every key; the key bar only the keys that act at the step shown
    #: (``key_states``).
    KEYS = KeyTable(
        Key("1-9 0 a", help="incidents.ui.keys.type",
            binds=tuple((k, f"digit('{k}')") for k in inc.TYPE_KEYS)),
        Key("scan", help="ui.keys.scan", by="app"),
        Key("enter", help="incidents.ui.keys.place", by="widget"),
        Key("↓", help="ui.keys.choose", by="widget"),
        Key("1 2 3", help="incidents.ui.keys.severity"),
        key("t", "began", "incidents.ui.keys.began"),
        key("esc", "back", "ui.keys.back", bind="escape"),
        Key("1-9 0 a", bar="incidents.ui.keys.type", when=("type",)),
        Key("scan", bar="incidents.ui.keys.scan_place", when=("place",)),
        Key("enter", bar="incidents.ui.keys.place", when=("place",)),
        Key("↓", bar="ui.keys.choose", when=("place",)),
        Key("1 2 3", bar="incidents.ui.keys.severity", when=("severity",)),
        Key("enter", bar="incidents.ui.keys.severity_major", when=("severity",)),
        Key("t", bar="incidents.ui.keys.began", when=("severity",)),
        Key("esc", bar="ui.keys.back"),
    )  # fmt: skip

    def __init__(self) -> None:
        super().__init__(name="incident-open")
        self.step = "type"
        self.type: str | None = None
        self.place: Target | None = None
        self.place_text = ""
        self.places: list[Place] = []
        self.read: list[Place] = []  # what the typed text names, as it is typed
        self.unread: PlaceError | None = None  # why it names nothing, when it looks like places
        self.results: list[Target] = []
        self.open_incidents: list[Any] = []
        self.began: float | None = None  # when the call came in, if not now (epoch seconds)
        self.creating = False

    def compose(self) -> ComposeResult:
        yield TitleBar()
        yield Static(id="open-title", classes="section-title")
        yield Static(id="open-help")
        yield Input(id="open-place")
        yield OptionList(id="open-list")
        yield KeyBar(self.bar_keys())

    def on_mount(self) -> None:
        self.query_one("#open-place", Input).display = False
        self.relabel()
        self.load_open()

    @in_thread(group="open-incidents")
    def load_open(self) -> None:
        self.post_message(OpenIncidentsLoaded(inc.open_incidents(self.fk.workspace)))

    # -- drawing -------------------------------------------------------------------------

    def relabel(self) -> None:
        title = self.query_one("#open-title", Static)
        help_text = self.query_one("#open-help", Static)
        listing = self.query_one("#open-list", OptionList)
        listing.clear_options()
        self.show_keys()
        if self.step == "type":
            title.update(t("incidents.ui.open.title"))
            lines = [
                f"{key}  {t(f'incidents.type.{kind}')}"
                for key, kind in zip(inc.TYPE_KEYS, inc.TYPES, strict=True)
            ]
            help_text.update("\n".join(lines))
            for n, incident in enumerate(self.open_incidents):
                listing.add_option(Option(self._open_line(incident), id=str(n)))
            if self.open_incidents:
                listing.add_option(Option(t("incidents.ui.open.resume_hint"), disabled=True))
        elif self.step == "place":
            title.update(t("incidents.ui.open.place", type=t(f"incidents.type.{self.type}")))
            help_lines = [t("incidents.ui.open.place_help")]
            if self.unread is not None and not self.results:  # a match listed: Enter takes it
                help_lines.append(self.unread.message())
            help_text.update("\n".join(help_lines))
            self.query_one("#open-place", Input).placeholder = t("ui.start.place_placeholder")
            if self.read:
                where = places_.label(self.read, get_language())
                listing.add_option(Option(t("incidents.ui.open.places_line", places=where),
                                          id="places"))  # fmt: skip
            for n, target in enumerate(self.results):
                kind = t(f"ui.target.{target.kind}")
                listing.add_option(Option(f"{kind}  {target.label()}", id=str(n)))
        else:
            title.update(
                t("incidents.ui.open.severity", type=t(f"incidents.type.{self.type}"),
                  place=self.where())
            )  # fmt: skip
            lines = [
                f"{n}  {t(f'incidents.severity.{s}')} — {t(f'incidents.severity_help.{s}')}"
                for n, s in enumerate(INCIDENT_LEVELS, 1)
            ]
            lines.append(t("incidents.ui.open.severity_default"))
            lines.append(t("incidents.began.at", time=local_time(incident_began.iso(self.began),
                                                                 get_language()))
                         if self.began is not None else t("incidents.began.now"))  # fmt: skip
            if self.place_text:
                lines.append(t("incidents.ui.open.free_place", text=self.place_text))
            help_text.update("\n".join(lines))

    def key_states(self) -> tuple[str, ...]:
        return (self.step,)

    def where(self) -> str:
        if self.place is not None:
            return self.place.label()
        if self.places:
            return places_.label(self.places, get_language())
        return self.place_text or t("incidents.ui.open.whole_compound")

    def _open_line(self, incident: Any) -> str:
        return t(
            "incidents.ui.open.line",
            ref=incident.id[-6:],
            type=t(f"incidents.type.{incident.type}"),
            place=incident.place or t("incidents.ui.open.whole_compound"),
            severity=t(f"incidents.severity.{incident.severity}"),
            status=t(f"incidents.status.{incident.status}"),
        )

    def on_open_incidents_loaded(self, message: OpenIncidentsLoaded) -> None:
        incidents = self.open_incidents = message.incidents
        if self.step == "type":
            self.relabel()
            if incidents:
                listing = self.query_one("#open-list", OptionList)
                listing.focus()
                listing.highlighted = 0

    # -- the steps -----------------------------------------------------------------------

    def action_digit(self, key: str) -> None:
        if self.step == "type":
            kind = inc.type_for_key(key)
            if kind is not None:
                self.type = kind
                self.step = "place"
                place = self.query_one("#open-place", Input)
                place.display = True
                place.value = ""
                place.focus()
                self.relabel()
                self.search("")
        elif self.step == "severity" and key in ("1", "2", "3"):
            self.create(INCIDENT_LEVELS[int(key) - 1])

    @in_thread(group="search", exclusive=True)
    def search(self, query: str) -> None:
        found = _places_found(self.fk.workspace, query)
        if still_wanted():
            self.post_message(found)

    def on_places_found(self, message: PlacesFound) -> None:
        if self.step == "place":
            self.results, self.read, self.unread = message.results, message.read, message.unread
            self.relabel()

    def on_input_changed(self, event: Input.Changed) -> None:
        if self.step == "place":
            self.search(event.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter: the places read from the text, else the search result highlighted, else
        (a spot in the coordinator's own words, like 地下车库) the text itself; text meant
        as buildings that names none is refused with what is understood."""
        event.stop()
        if self.step != "place":
            return
        text = event.value.strip()
        listing = self.query_one("#open-list", OptionList)
        if not text:
            self.choose_places([places_.whole_compound()])
            return

        self.read_place(text, listing.highlighted)

    @in_thread(group="place-typed")
    def read_place(self, text: str, index: int | None) -> None:
        self.post_message(PlaceTyped(text, index, _places_typed(self.fk.workspace, text)))

    def on_place_typed(self, message: PlaceTyped) -> None:
        if self.step != "place":
            return
        read, text, index = message.read, message.text, message.index
        if read:
            self.choose_places(read)
        elif self.results:
            offset = 1 if self.read else 0
            pick_at = max(0, (index or offset) - offset)
            self.choose_place(self.results[min(pick_at, len(self.results) - 1)], "")
        else:
            self.choose_place(None, text)

    def key_down(self, event: events.Key) -> None:
        """↓ from the typed text: the first line of the list highlighted. The key stops
        here; going on to the app, it reached the list once it had the focus and moved one
        further (the second match)."""
        listed = self.results or self.read
        if self.step == "place" and listed and self.query_one("#open-place").has_focus:
            event.stop()
            listing = self.query_one("#open-list", OptionList)
            listing.focus()
            listing.highlighted = 0

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option.id is None:
            return
        if event.option.id == "places":
            if self.step == "place" and self.read:
                self.choose_places(self.read)
            return
        index = int(event.option.id)
        if self.step == "type" and index < len(self.open_incidents):
            self.show_incident(self.open_incidents[index].id)
        elif self.step == "place" and index < len(self.results):
            self.choose_place(self.results[index], "")

    def scans_in_text(self, code: str) -> bool:
        return self.step == "place" and looks_like_code(code)

    def scanned(self, lookup: ScanLookup, typed: bool) -> None:
        """On the place step a scan is the place; elsewhere it opens the card as usual."""
        if self.step != "place":
            super().scanned(lookup, typed)
        elif lookup.status != "found":
            self.scan_missed(lookup, typed)
        else:
            self.choose_place(lookup.target, "")

    def choose_places(self, places: list[Place]) -> None:
        self.choose_place(None, "")
        self.places = places
        self.relabel()

    def choose_place(self, target: Target | None, text: str) -> None:
        self.place = target
        self.place_text = text
        self.places = []
        self.step = "severity"
        place = self.query_one("#open-place", Input)
        place.display = False
        self.results = []
        self.set_focus(None)
        self.relabel()

    def key_enter(self) -> None:
        if self.step == "severity":
            self.create("major")

    def action_began(self) -> None:
        """When the call or alarm came in, if before now (接警时间): asked at the severity
        step; the incident is opened with it."""
        if self.step != "severity":
            return

        def typed(text: str | None) -> None:
            if not text or not text.strip():
                return
            try:
                moment = incident_began.read(text)
                incident_began.check(moment, time.time())  # opened now: logged now
            except IncidentError as error:
                self.notify(error.message(), severity="error")
                return
            self.began = moment
            self.relabel()

        dialog = AskDialog("incidents.began.ask", preview=incident_began.preview)
        self.app.push_screen(dialog, typed)

    def create(self, severity: str) -> None:
        if self.creating or self.type is None:
            return
        self.creating = True
        kind, place, text, places = self.type, self.place, self.place_text, list(self.places)
        began = self.began
        self.fk.saves.put(
            self,
            lambda ws: IncidentOpened(
                incident_began.open_incident(
                    ws, kind, place, severity, place_text=text, places=places, began=began
                ).id
            ),
            IncidentNotOpened,
        )

    def on_incident_opened(self, message: IncidentOpened) -> None:
        self.show_incident(message.incident_id, replace=True)

    def on_incident_not_opened(self, message: IncidentNotOpened) -> None:
        self.creating = False
        self.notify(message.error, severity="error")

    def show_incident(self, incident_id: str, replace: bool = True) -> None:
        from fieldkit.ui.screens.incident import IncidentScreen

        if replace:
            self.app.switch_screen(IncidentScreen(incident_id))
        else:
            self.app.push_screen(IncidentScreen(incident_id))

    def action_back(self) -> None:
        if self.step == "type":
            self.app.pop_screen()
            return
        self.step = "type" if self.step == "place" else "place"
        place = self.query_one("#open-place", Input)
        place.display = self.step == "place"
        if self.step == "place":
            place.focus()
            self.search(place.value)
        self.relabel()


def _places_found(ws: Workspace, query: str) -> PlacesFound:
    """What the text typed so far finds: targets, and the places it reads as (or why not)."""
    results = ws.search(query)
    if not query.strip() or not places_.looks_like_places(query):
        return PlacesFound(results, [], None)
    try:
        return PlacesFound(results, places_.parse(query, inc.compound_of(ws)), None)
    except PlaceError as exc:
        return PlacesFound(results, [], exc)


def _places_typed(ws: Workspace, text: str) -> list[Place] | None:
    """The places Enter on ``text`` means (None: not places, a search result or free text);
    text meant as places that names none is refused (PlaceError)."""
    if not places_.looks_like_places(text):
        return None
    try:
        return places_.parse(text, inc.compound_of(ws))
    except PlaceError:
        if ws.search(text):
            return None
        raise
