"""Closing an incident with points still open: each one is listed under its kind (flats
never checked, plan steps not done, plan steps failed, no stand-down) and decided with one
number key; ``a`` gives the highlighted point's decision to every undecided point of its
kind. ctrl+s asks for the summary and closes — the decisions, the cases they raise and the
close are one write (``incident_close.close``); until then nothing is changed, and a
refusal keeps every decision made on the screen."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from fieldkit.i18n import get_language, plural, t
from fieldkit.services import incident_close
from fieldkit.services import incidents as inc
from fieldkit.services.incident_close import OpenPoint
from fieldkit.services.types import pick
from fieldkit.ui.keys import Key, KeyTable, key
from fieldkit.ui.messages import (
    IncidentClosed,
    IncidentLoaded,
    IncidentNotClosed,
    OpenPointsFound,
)
from fieldkit.ui.screens.base import FieldScreen
from fieldkit.ui.widgets.keybar import KeyBar
from fieldkit.ui.widgets.titlebar import TitleBar
from fieldkit.ui.workers import in_thread

MARK = {"person": "☐", "step": "☐", "failed": "✘", "stand_down": "☐"}


class IncidentCloseScreen(FieldScreen):
    AUTO_FOCUS = "#points"
    DEFAULT_CSS = """
    IncidentCloseScreen #close-title { padding: 0 1; height: auto; text-style: bold; }
    IncidentCloseScreen #close-intro { padding: 0 1; height: auto; color: $text-muted; }
    IncidentCloseScreen #points { height: 1fr; border: none; }
    IncidentCloseScreen #close-choices { padding: 0 1; height: auto; color: $secondary; }
    IncidentCloseScreen #close-left { padding: 0 1; height: 1; text-style: bold; }
    """
    KEYS = KeyTable(
        Key("1 2 3", help="incidents.close.keys.decide", bar="incidents.close.keys.decide",
            binds=tuple((str(n), f"decide({n})") for n in range(1, 4))),
        key("a", "decide_all", "incidents.close.keys.all", "incidents.close.keys.all"),
        key("ctrl+s", "close_incident", "incidents.close.keys.close",
            "incidents.close.keys.close", priority=True),
        key("esc", "app.pop_screen", "ui.keys.back", "ui.keys.back", bind="escape"),
    )  # fmt: skip

    def __init__(self, incident_id: str, points: list[OpenPoint]) -> None:
        super().__init__(name="incident-close")
        self.incident_id = incident_id
        self.points = list(points)
        self.decisions: dict[tuple[str, str], str] = {}
        self.view: inc.IncidentView | None = None
        self.closing = False

    def compose(self) -> ComposeResult:
        yield TitleBar()
        yield Static(id="close-title")
        yield Static(id="close-intro")
        yield OptionList(id="points")
        yield Static(id="close-choices")
        yield Static(id="close-left")
        yield KeyBar(self.bar_keys())

    def on_mount(self) -> None:
        self.relabel()
        self.load_view()
        self.highlight_undecided()

    @in_thread(group="view")
    def load_view(self) -> None:
        view = inc.view(self.fk.workspace, self.incident_id, with_people=False)
        self.post_message(IncidentLoaded(view))

    def on_incident_loaded(self, message: IncidentLoaded) -> None:
        self.view = message.view
        self.relabel()

    # -- drawing -------------------------------------------------------------------------

    def decision_words(self, point: OpenPoint, decision: str) -> str:
        if point.point == "failed" and decision == "case" and point.route:
            return t("incidents.close.case_to", department=t(f"words.department.{point.route}"))
        return t(f"incidents.decision.{point.point}.{decision}")

    def point_line(self, point: OpenPoint) -> Text:
        lang = get_language()
        decided = self.decisions.get(point.key)
        style = "green" if decided else "red" if point.point == "failed" else ""
        line = Text("☑ " if decided else MARK[point.point] + " ", style=style)
        line.append(pick(point.what, lang), style="bold" if point.point == "person" else "")
        detail = pick(point.detail, lang)
        if detail:
            line.append(f"  {detail}", style="dim")
        line.append("  → ")
        if decided:
            line.append(self.decision_words(point, decided), style="green")
        else:
            line.append(t("incidents.close.undecided"), style="yellow")
        return line

    def relabel(self) -> None:
        self.query_one(TitleBar).relabel()
        self.query_one(KeyBar).relabel()
        lang = get_language()
        view = self.view
        self.query_one("#close-title", Static).update(
            t("incidents.close.title", ref=view.ref, type=view.type_words(lang),
              place=view.where(lang)) if view else t("ui.home.loading")
        )  # fmt: skip
        self.query_one("#close-intro", Static).update(t("incidents.close.intro"))
        listing = self.query_one("#points", OptionList)
        highlighted = listing.highlighted
        listing.clear_options()
        for kind in incident_close.POINTS:
            group = [p for p in self.points if p.point == kind]
            if not group:
                continue
            listing.add_option(
                Option(Text(plural(f"incidents.close.group_{kind}", len(group)), style="bold"),
                       disabled=True)
            )  # fmt: skip
            for point in group:
                listing.add_option(Option(self.point_line(point), id=f"{kind}|{point.ref}"))
        if highlighted is not None and highlighted < listing.option_count:
            listing.highlighted = highlighted
        self.draw_status()

    def draw_status(self) -> None:
        point = self.current()
        choices = self.query_one("#close-choices", Static)
        if point is None:
            choices.update("")
        else:
            words = [f"{n} {self.decision_words(point, d)}"
                     for n, d in enumerate(point.choices, 1)]  # fmt: skip
            same = self.decisions.get(point.key, point.choices[0])
            words.append(t("incidents.close.all_as", decision=self.decision_words(point, same)))
            choices.update("   ".join(words))
        left = sum(1 for p in self.points if p.key not in self.decisions)
        self.query_one("#close-left", Static).update(
            plural("incidents.close.left", left) if left else t("incidents.close.ready")
        )

    def current(self) -> OpenPoint | None:
        listing = self.query_one("#points", OptionList)
        if listing.highlighted is None:
            return None
        option = listing.get_option_at_index(listing.highlighted)
        if option.id is None:
            return None
        kind, ref = option.id.split("|", 1)
        return next((p for p in self.points if p.key == (kind, ref)), None)

    def on_option_list_option_highlighted(self, _: OptionList.OptionHighlighted) -> None:
        self.draw_status()

    def highlight_undecided(self) -> None:
        """Move to the first point still to decide (after the highlighted one, if any)."""
        listing = self.query_one("#points", OptionList)
        ids = [listing.get_option_at_index(i).id for i in range(listing.option_count)]
        undecided = [
            i for i, option_id in enumerate(ids)
            if option_id and tuple(option_id.split("|", 1)) not in self.decisions
        ]  # fmt: skip
        if not undecided:
            return
        after = [i for i in undecided if listing.highlighted is None or i > listing.highlighted]
        listing.highlighted = (after or undecided)[0]

    # -- deciding ------------------------------------------------------------------------

    def action_decide(self, n: int) -> None:
        point = self.current()
        if point is None or not 1 <= n <= len(point.choices):
            return
        self.decisions[point.key] = point.choices[n - 1]
        self.relabel()
        self.highlight_undecided()

    def action_decide_all(self) -> None:
        """The highlighted point's decision (its first choice if none yet) for every
        undecided point of the same kind."""
        point = self.current()
        if point is None:
            return
        decision = self.decisions.get(point.key, point.choices[0])
        for other in self.points:
            if other.point == point.point and other.key not in self.decisions:
                self.decisions[other.key] = decision
        self.decisions[point.key] = decision
        self.relabel()
        self.highlight_undecided()

    def action_close_incident(self) -> None:
        if self.closing:
            return
        left = [p for p in self.points if p.key not in self.decisions]
        if left:
            self.notify(plural("incidents.close.left", len(left)), severity="warning")
            self.highlight_undecided()
            return
        from fieldkit.ui.dialogs.ask import AskDialog

        def summary(text: str | None) -> None:
            if text is None:
                return
            self.closing = True
            incident_id, decisions = self.incident_id, dict(self.decisions)
            self.fk.saves.put(
                self,
                lambda ws: _closed(incident_close.close(ws, incident_id, text, decisions)),
                IncidentNotClosed,
            )

        self.app.push_screen(AskDialog("incidents.ui.ask.summary"), summary)

    def on_incident_closed(self, _message: IncidentClosed) -> None:
        self.closing = False
        self.app.notify(t("incidents.close.closed"))
        self.app.pop_screen()

    def on_incident_not_closed(self, message: IncidentNotClosed) -> None:
        """A refused close (the summary empty, or a point that appeared meanwhile, e.g. a
        place added on another device): the decisions made stay; the points are read
        again so the new one shows."""
        self.closing = False
        self.notify(message.error, severity="error")
        self.find_open_points()

    @in_thread(group="points")
    def find_open_points(self) -> None:
        points = incident_close.open_points(self.fk.workspace, self.incident_id)
        self.post_message(OpenPointsFound(points))

    def on_open_points_found(self, message: OpenPointsFound) -> None:
        points = self.points = message.points
        keys = {p.key for p in points}
        self.decisions = {k: v for k, v in self.decisions.items() if k in keys}
        self.relabel()
        self.highlight_undecided()


def _closed(_result: object) -> IncidentClosed:
    return IncidentClosed()
