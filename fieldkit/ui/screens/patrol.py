"""A patrol round (巡更): pick the route, then scan each checkpoint as you reach it.

Every scan on this screen is a checkpoint visit, saved with its time before the list
moves on; a code that is not a checkpoint is refused with a sentence and changes nothing.
``f`` finishes the round: missed, late and out-of-order checkpoints are shown, and the
round goes to the office with the next sync.
"""

from __future__ import annotations

import time
from contextlib import suppress
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.css.query import NoMatches
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from fieldkit.i18n import t
from fieldkit.model import localtime
from fieldkit.services.types import pick
from fieldkit.ui.keys import Key, KeyTable, key
from fieldkit.ui.messages.app import ScanReceived
from fieldkit.ui.messages.patrol import (
    CheckpointVisited,
    PatrolFinished,
    PatrolStarted,
    PatrolTicked,
    RoutesLoaded,
)
from fieldkit.ui.screens.base import FieldScreen
from fieldkit.ui.widgets.keybar import KeyBar
from fieldkit.ui.widgets.titlebar import TitleBar
from fieldkit.ui.workers import in_thread

MARKS = {"on_time": "✓", "late": "⏰", "early": "⏰", "missed": "✗", "overdue": "✗", "pending": "·"}
STYLES = {"on_time": "green", "late": "bold yellow", "early": "bold yellow", "missed": "bold red",
          "overdue": "bold red"}  # fmt: skip
TICK = 20.0  # seconds between live re-evaluations: a stop whose window passes turns red


def _clock(epoch: float) -> str:
    return localtime.fmt(epoch, "clock")


class PatrolScreen(FieldScreen):
    KEYS = KeyTable(
        Key("enter", help="registry.keys.patrol_start", bar="registry.keys.patrol_start",
            by="widget"),
        Key("scan", help="registry.keys.patrol_scan", bar="registry.keys.patrol_scan", by="app"),
        key("f", "finish", "registry.keys.patrol_finish", "registry.keys.patrol_finish"),
        key("esc", "app.pop_screen", "ui.keys.back", "ui.keys.back", bind="escape"),
    )  # fmt: skip
    DEFAULT_CSS = """
    PatrolScreen #patrol-routes { height: auto; max-height: 10; border: none; }
    PatrolScreen #patrol-stops { height: 1fr; padding: 0 1; }
    PatrolScreen #patrol-summary { height: auto; padding: 0 1; text-style: bold; }
    """

    def __init__(self, first: str | None = None) -> None:
        super().__init__(name="patrol", classes="patrol")
        self.first = first  # a checkpoint scanned before the round began: its first visit
        self.routes: list[Any] = []
        self.walking: list[Any] = []  # rounds begun and not finished (e.g. before a restart)
        self.round_id: str | None = None
        self.report: Any = None
        self.resumed = False

    def compose(self) -> ComposeResult:
        yield TitleBar()
        yield Static(id="patrol-title", classes="section-title")
        yield OptionList(id="patrol-routes")
        yield Static(id="patrol-stops")
        yield Static(id="patrol-summary")
        yield KeyBar(self.bar_keys())

    def on_mount(self) -> None:
        self.relabel()
        self.load_routes()

    @in_thread(group="routes")
    def load_routes(self) -> None:
        from fieldkit.services import patrol

        ws = self.fk.workspace
        self.post_message(RoutesLoaded(patrol.routes(ws), patrol.walking(ws)))

    def on_routes_loaded(self, message: RoutesLoaded) -> None:
        routes, self.walking = message.routes, message.walking
        if self.first:  # routes that start at the scanned checkpoint come first
            first = self.first.strip().upper()
            routes = sorted(routes, key=lambda r: not self._starts_at(r, first))
        self.routes = routes
        self.relabel()
        with suppress(NoMatches):
            self.query_one("#patrol-routes", OptionList).focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if self.round_id is not None or event.option.id is None:
            return
        from fieldkit.services import patrol

        first = self.first
        if event.option.id.startswith("w"):  # carry on: the scan that opened it is a visit
            walk = self.walking[int(event.option.id[1:])]

            def resume(ws: Any) -> Any:
                if first:
                    return patrol.scan(ws, walk.round.id, first).report
                return patrol.report(ws, walk.round.id)

            self.resumed = True
            self.fk.saves.put(self, lambda ws: PatrolStarted(resume(ws)))
            return
        route = self.routes[int(event.option.id)]

        def begin(ws: Any) -> Any:
            walk = patrol.start(ws, route.id)
            if first:
                return patrol.scan(ws, walk.id, first).report
            return patrol.report(ws, walk.id)

        self.fk.saves.put(self, lambda ws: PatrolStarted(begin(ws)))

    def _starts_at(self, route: Any, code: str) -> bool:
        places = self.fk.workspace.places if self.fk._workspace.done() else None
        target = places.by_id.get(route.stops[0].checkpoint_id) if places else None
        if target is None:
            return False
        from fieldkit.services import tags

        return target.code.upper() in code or places.by_tag.get(tags.normal(code)) is target

    def on_patrol_started(self, message: PatrolStarted) -> None:
        report = message.report
        self.round_id = report.round_id
        self.report = report
        self.notify(t("rules.patrol.resumed" if self.resumed else "registry.patrol_ui.started"))
        self.relabel()
        self.set_interval(TICK, self.tick)

    def tick(self) -> None:
        """Re-evaluate the round at the current time (nothing is written)."""
        if self.round_id is None or self.report is None or self.report.finished:
            return
        self.tick_report(self.round_id)

    @in_thread(group="tick")
    def tick_report(self, round_id: str) -> None:
        from fieldkit.services import patrol

        self.post_message(PatrolTicked(patrol.report(self.fk.workspace, round_id)))

    def on_patrol_ticked(self, message: PatrolTicked) -> None:
        if self.report is not None and not self.report.finished:
            self.report = message.report
            self.relabel()

    def on_scan_received(self, message: ScanReceived) -> None:
        """While a round is walked, every scan is a checkpoint visit (and nothing else: the
        screen's usual "open what was scanned" does not run). Visits are saved in turn on
        the saver, each with the time it was read: a burst from a fast reader is recorded
        in the order the tags were read."""
        if self.round_id is None:
            return
        message.prevent_default()
        from fieldkit.services import patrol

        round_id, code, at = self.round_id, message.code, time.time()
        self.fk.saves.put(
            self, lambda ws: CheckpointVisited(patrol.scan(ws, round_id, code, now=at))
        )

    def on_checkpoint_visited(self, message: CheckpointVisited) -> None:
        result = message.visit
        self.report = result.report
        key = f"registry.patrol_ui.{result.status}"
        self.notify(t(key, code=result.code, n=result.position))
        self.relabel()

    def action_finish(self) -> None:
        if self.round_id is None or (self.report is not None and self.report.finished):
            return
        from fieldkit.services import patrol

        round_id = self.round_id
        self.fk.saves.put(self, lambda ws: PatrolFinished(patrol.finish(ws, round_id)))

    def on_patrol_finished(self, message: PatrolFinished) -> None:
        self.report = message.report
        self.relabel()

    def relabel(self) -> None:
        with suppress(NoMatches):
            self._relabel()

    def _relabel(self) -> None:
        from fieldkit.services import patrol

        self.query_one(KeyBar).relabel()
        routes = self.query_one("#patrol-routes", OptionList)
        walking = self.round_id is not None
        routes.display = not walking
        title = "registry.patrol_ui.walking" if walking else "registry.patrol_ui.choose"
        self.query_one("#patrol-title", Static).update(t(title))
        if not walking:
            highlighted = routes.highlighted
            routes.clear_options()
            for index, walk in enumerate(self.walking):
                label = t("rules.patrol.resume", name=pick(patrol.route_name(walk.route)),
                          at=_clock(walk.started), scanned=len(walk.round.visits))  # fmt: skip
                routes.add_option(Option(label, id=f"w{index}"))
            for index, route in enumerate(self.routes):
                name = pick(patrol.route_name(route))
                label = t("registry.patrol_ui.route", name=name, stops=len(route.stops))
                routes.add_option(Option(label, id=str(index)))
            if not self.routes and not self.walking:
                routes.add_option(Option(t("registry.patrol_ui.no_routes"), disabled=True))
            else:
                routes.highlighted = highlighted if highlighted is not None else 0
        report = self.report
        stops = Text()
        if report is not None:
            for n, stop in enumerate(report.stops, start=1):
                if n > 1:
                    stops.append("\n")
                mark = MARKS[stop.timing]
                when = _clock(stop.visited) if stop.visited else "--:--"
                line = f"{mark} {n}. {stop.code}  {pick(stop.name)}  "
                line += t("registry.patrol_ui.expected", at=_clock(stop.expected), seen=when)
                if stop.timing in ("late", "early"):
                    line += "  " + t(f"rules.patrol.{stop.timing}_by", minutes=stop.off_by)
                elif stop.timing == "overdue":
                    line += "  " + t("rules.patrol.overdue")
                if stop.out_of_order:
                    line += "  " + t("registry.patrol_ui.out_of_order")
                stops.append(line, style=STYLES.get(stop.timing, ""))
        self.query_one("#patrol-stops", Static).update(stops)
        summary = ""
        if report is not None and not report.finished and report.overdue:
            summary = t("rules.patrol.live_overdue", codes=", ".join(report.overdue))
        if report is not None and report.finished:
            summary = t(
                "registry.patrol_ui.summary",
                missed=", ".join(report.missed) or "—",
                late=", ".join(report.late) or "—",
                order=", ".join(report.out_of_order) or "—",
            )
        self.query_one("#patrol-summary", Static).update(summary)
