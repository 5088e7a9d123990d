"""Closing an incident with points still open: each one is listed under its kind (flats
never checked, plan steps with no answer, plan entries to write, plan steps failed, no
stand-down) and decided with one number key; the cursor then goes to the next point. ``a``
gives the decision just made — named on the bar: "a：其余 24 户也记为“不受影响…”" — to the
other undecided points of its kind, once the person confirms the count: a decision is never
recorded for points nobody looked at because the cursor had moved; a plan step done is
never given to others (``incident_close.ONE_BY_ONE``). The key bar offers the number keys the
highlighted point has (1 2 or 1 2 3), and ``a`` unless it would give a step done to others;
a number it does not have says so. A plan entry to write
(这次暴露的问题) is written here (1 asks for the text). ctrl+s asks for the summary and
closes — the decisions, the cases they raise and the close are one write
(``incident_close.close``); until then nothing is changed, and a refusal keeps every
decision made on the screen."""

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
from fieldkit.ui.messages.incidents import (
    IncidentClosed,
    IncidentLoaded,
    IncidentNotClosed,
    OpenPointsFound,
)
from fieldkit.ui.screens.base import FieldScreen
from fieldkit.ui.widgets.keybar import KeyBar
from fieldkit.ui.widgets.phrases import PhraseText
from fieldkit.ui.widgets.titlebar import TitleBar
from fieldkit.ui.workers import in_thread

MARK = {"person": "☐", "step": "☐", "text": "☐", "failed": "✘", "stand_down": "☐"}


class IncidentCloseScreen(FieldScreen):
    AUTO_FOCUS = "#points"
    DEFAULT_CSS = """
    IncidentCloseScreen #close-title { padding: 0 1; height: auto; text-style: bold; }
    IncidentCloseScreen #close-intro { padding: 0 1; height: auto; color: $text-muted; }
    IncidentCloseScreen #points { height: 1fr; border: none; }
    IncidentCloseScreen #close-choices { padding: 0 1; height: auto; color: $secondary; }
    IncidentCloseScreen #close-left { padding: 0 1; height: 1; text-style: bold; }
    IncidentCloseScreen #close-followups { padding: 0 1; height: auto; color: $warning; }
    """
    KEYS = KeyTable(
        Key("1 2 3", help="incidents.close.keys.decide", bar="incidents.close.keys.decide",
            binds=tuple((str(n), f"decide({n})") for n in range(1, 4)), when=("three",)),
        Key("1 2", bar="incidents.close.keys.decide", when=("two",)),
        key("a", "decide_all", "incidents.close.keys.all"),
        Key("a", bar="incidents.close.keys.all", when=("all",)),
        key("ctrl+s", "close_incident", "incidents.close.keys.close",
            "incidents.close.keys.close", priority=True),
        key("esc", "app.pop_screen", "ui.keys.back", "ui.keys.back", bind="escape"),
    )  # fmt: skip

    def __init__(self, incident_id: str, points: list[OpenPoint]) -> None:
        super().__init__(name="incident-close")
        self.incident_id = incident_id
        self.points = list(points)
        self.decisions: dict[tuple[str, str], str] = {}
        self.texts: dict[str, str] = {}  # a plan entry written here, by its step's key
        self.last: tuple[str, str] | None = None  # (kind, decision) last made by a number key
        self.view: inc.IncidentView | None = None
        self.closing = False
        self.by_option: dict[str, OpenPoint] = {}  # the points by their line's option id

    def compose(self) -> ComposeResult:
        yield TitleBar()
        yield Static(id="close-title")
        yield PhraseText(id="close-intro")
        yield OptionList(id="points")
        yield Static(id="close-choices")
        yield Static(id="close-left")
        yield Static(id="close-followups")
        yield KeyBar(self.bar_keys())

    def key_states(self) -> tuple[str, ...]:
        """The number keys the highlighted point has: ``two`` or ``three`` (the bar offers
        only those)."""
        point = self.current() if self.query("#points") else None
        states = () if self.last in incident_close.ONE_BY_ONE and self.rest() else ("all",)
        if point is None:
            return states
        return (*states, "two" if len(point.choices) == 2 else "three")

    def on_mount(self) -> None:
        self.relabel()
        self.load_view()
        self.highlight_first()

    @in_thread(group="view")
    def load_view(self) -> None:
        view = inc.view(self.fk.workspace, self.incident_id, with_people=False)
        self.post_message(IncidentLoaded(view))

    def on_incident_loaded(self, message: IncidentLoaded) -> None:
        self.view = message.view
        self.draw_title()
        self.draw_status()

    # -- drawing -------------------------------------------------------------------------

    def decision_words(self, point: OpenPoint, decision: str) -> str:
        department = t(f"words.department.{point.route}") if point.route else ""
        if point.point == "failed" and decision == "case" and department:
            return t("incidents.close.case_to", department=department)
        if point.point == "step" and decision == "not_done" and department:
            return t("incidents.close.not_done_to", department=department)
        if point.point == "person" and decision == "visit" and point.case:
            return t("incidents.close.visit_existing", ref=point.case[-6:])
        if point.point == "text" and decision == "write" and self.texts.get(point.ref):
            return t("incidents.close.written", text=self.texts[point.ref])
        return t(f"incidents.decision.{point.point}.{decision}")

    def rest_words(self, rest: list[OpenPoint], decision: str) -> str:
        """What ``a`` records for the points left: each is routed by its own step, so when
        they go to different departments the words say so (the hint named the first
        decided point's department while the highlighted step's own went to another)."""
        said = {self.decision_words(p, decision) for p in rest}
        if len(said) == 1:
            return said.pop()
        point = rest[0]
        departments = dict.fromkeys(t(f"words.department.{p.route}") for p in rest if p.route)
        return t(
            "incidents.close.routed_each",
            decision=t(f"incidents.decision.{point.point}.{decision}"),
            departments=t("incidents.close.department_sep").join(departments),
        )

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
        self.draw_title()
        self.query_one("#close-intro", PhraseText).set_text(t("incidents.close.intro"))
        self.draw_points()
        self.draw_status()

    def draw_title(self) -> None:
        lang = get_language()
        view = self.view
        self.query_one("#close-title", Static).update(
            t("incidents.close.title", ref=view.ref, type=view.type_words(lang),
              place=view.where(lang)) if view else t("ui.home.loading")
        )  # fmt: skip

    def draw_points(self) -> None:
        """Every line of the list, afresh (on opening, in another language, with the points
        read again); a decision redraws only its own lines (``redraw``)."""
        listing = self.query_one("#points", OptionList)
        highlighted = listing.highlighted
        self.by_option = {f"{p.point}|{p.ref}": p for p in self.points}
        options: list[Option] = []
        for kind in incident_close.POINTS:
            group = [p for p in self.points if p.point == kind]
            if not group:
                continue
            title = Text(plural(f"incidents.close.group_{kind}", len(group)), style="bold")
            options.append(Option(title, disabled=True))
            options += [Option(self.point_line(p), id=f"{kind}|{p.ref}") for p in group]
        listing.clear_options().add_options(options)
        if highlighted is not None and highlighted < listing.option_count:
            listing.highlighted = highlighted

    def redraw(self, points: list[OpenPoint]) -> None:
        """The lines of the points just decided, and the lines under the list: redrawing
        every line on each key made a key wait on a compound's hundreds of flats."""
        listing = self.query_one("#points", OptionList)
        for point in points:
            listing.replace_option_prompt(f"{point.point}|{point.ref}", self.point_line(point))
        self.draw_status()

    def draw_status(self) -> None:
        point = self.current()
        choices = self.query_one("#close-choices", Static)
        words = []
        if point is not None:
            words = [f"{n} {self.decision_words(point, d)}"
                     for n, d in enumerate(point.choices, 1)]  # fmt: skip
        rest = self.rest()
        line = "   ".join(words)
        if self.last in incident_close.ONE_BY_ONE and rest:
            line += "\n" + t("incidents.close.step_by_step")
        elif self.last is not None and rest:  # on a line of its own: what a would record
            key = "incidents.close.all_as_person" if self.last[0] == "person" else (
                "incidents.close.all_as")  # fmt: skip
            line += "\n" + plural(key, len(rest), decision=self.rest_words(rest, self.last[1]))
        choices.update(line)
        self.show_keys()
        left = sum(1 for p in self.points if p.key not in self.decisions)
        self.query_one("#close-left", Static).update(
            plural("incidents.close.left", left) if left else t("incidents.close.ready")
        )
        followups = self.view.followups if self.view else ()
        self.query_one("#close-followups", Static).update(
            incident_close.open_followups(followups, get_language())
        )

    def current(self) -> OpenPoint | None:
        listing = self.query_one("#points", OptionList)
        if listing.highlighted is None:
            return None
        return self.point_at(listing.highlighted)

    def rest(self) -> list[OpenPoint]:
        """The undecided points ``a`` would decide: those of the kind last decided."""
        if self.last is None:
            return []
        return [p for p in self.points if p.point == self.last[0] and p.key not in self.decisions]

    def on_option_list_option_highlighted(self, _: OptionList.OptionHighlighted) -> None:
        self.draw_status()

    def point_at(self, index: int) -> OpenPoint | None:
        """The point on line ``index`` (None on a group's title)."""
        option_id = self.query_one("#points", OptionList).get_option_at_index(index).id
        return self.by_option.get(option_id or "")

    def point_lines(self, undecided: bool = False) -> list[int]:
        """The lines that hold a point (``undecided``: a point still to decide)."""
        listing = self.query_one("#points", OptionList)
        lines = []
        for index, option in enumerate(listing.options):
            point = self.by_option.get(option.id or "")
            if point is not None and not (undecided and point.key in self.decisions):
                lines.append(index)
        return lines

    def highlight_first(self) -> None:
        """The first point still to decide (the first point when all are decided)."""
        lines = self.point_lines(undecided=True) or self.point_lines()
        if lines:
            self.query_one("#points", OptionList).highlighted = lines[0]

    def highlight_next(self, undecided: bool = False) -> None:
        """The point below the one just decided (``undecided``: the next one still to
        decide): the cursor stays with the person, moving on down the list, never back to
        the top."""
        listing = self.query_one("#points", OptionList)
        after = [i for i in self.point_lines(undecided) if i > (listing.highlighted or 0)]
        if after:
            listing.highlighted = after[0]

    # -- deciding ------------------------------------------------------------------------

    def action_decide(self, n: int) -> None:
        point = self.current()
        if point is None:
            return
        if not 1 <= n <= len(point.choices):
            numbers = (str(i) for i in range(1, len(point.choices) + 1))
            keys = t("incidents.close.keys_or").join(numbers)
            self.notify(t("incidents.close.no_such_key", key=n, keys=keys), severity="warning")
            return
        decision = point.choices[n - 1]
        if decision == "write":
            self.write(point)
            return
        self.decide(point, decision)

    def decide(self, point: OpenPoint, decision: str) -> None:
        self.decisions[point.key] = decision
        if point.point != "text":
            self.last = (point.point, decision)
        self.redraw([point])
        self.highlight_next()

    def write(self, point: OpenPoint) -> None:
        """A plan entry written at close (这次暴露的问题): the text is its decision's."""
        from fieldkit.ui.dialogs.ask import AskDialog

        def written(text: str | None) -> None:
            if text is not None and text.strip():
                self.texts[point.ref] = " ".join(text.split())
                self.decide(point, "write")

        what = pick(point.what, get_language())
        dialog = AskDialog("incidents.close.write_ask", self.texts.get(point.ref, ""),
                           required=True, what=what)  # fmt: skip
        self.app.push_screen(dialog, written)

    def action_decide_all(self) -> None:
        """The decision just made, for the other undecided points of its kind — once the
        person has confirmed how many that is."""
        if self.last is None:
            self.notify(t("incidents.close.all_first"), severity="warning")
            return
        rest = self.rest()
        if not rest:
            self.notify(t("incidents.close.all_none"))
            return
        if self.last in incident_close.ONE_BY_ONE:
            self.notify(t("incidents.close.step_by_step"), severity="warning")
            return
        from fieldkit.ui.dialogs.confirm import ConfirmDialog

        kind, decision = self.last
        words = self.rest_words(rest, decision)

        def answered(yes: bool | None) -> None:
            if not yes:
                return
            decided = [other for other in rest if other.key not in self.decisions]
            for other in decided:
                self.decisions[other.key] = decision
            self.redraw(decided)
            self.highlight_next(undecided=True)  # on to the next kind still to decide

        key = "incidents.close.confirm_all_person" if kind == "person" else (
            "incidents.close.confirm_all")  # fmt: skip
        count = len(rest)
        question = key + ("_one" if count == 1 else "")
        self.app.push_screen(ConfirmDialog(question, count=count, decision=words), answered)

    def action_close_incident(self) -> None:
        if self.closing:
            return
        left = [p for p in self.points if p.key not in self.decisions]
        if left:
            self.notify(plural("incidents.close.left", len(left)), severity="warning")
            self.highlight_first()
            return
        from fieldkit.ui.dialogs.ask import AskDialog

        def summary(text: str | None) -> None:
            if text is None:
                return
            self.closing = True
            incident_id, decisions = self.incident_id, dict(self.decisions)
            texts = {ref: self.texts[ref] for kind, ref in decisions if kind == "text"
                     and ref in self.texts}  # fmt: skip
            self.fk.saves.put(
                self,
                lambda ws: _closed(
                    incident_close.close(ws, incident_id, text, decisions, texts=texts)
                ),
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
        self.highlight_first()


def _closed(_result: object) -> IncidentClosed:
    return IncidentClosed()
