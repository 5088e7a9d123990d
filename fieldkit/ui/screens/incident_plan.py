"""The incident's SOP checklist in the ordinary runner: the same keys, the same durable
answers; only where the run comes from differs (the incident's linked run, made on first
use), and a type with no plan goes back with why."""

from __future__ import annotations

from typing import TYPE_CHECKING

from fieldkit.services import incidents as inc
from fieldkit.ui.messages.runs import RunNotOpened
from fieldkit.ui.screens.runner import RunnerScreen

if TYPE_CHECKING:
    from fieldkit.services.runs import Run
    from fieldkit.services.workspace import Workspace


class IncidentPlanScreen(RunnerScreen):
    def __init__(self, incident_id: str) -> None:
        super().__init__()
        self.incident_id = incident_id

    def open_run(self, ws: Workspace) -> Run:
        return inc.plan_run(ws, self.incident_id)

    def counted(self, run: Run) -> tuple[int, int]:
        """The plan's one count (:func:`incidents.plan_tally`): every step, as the incident's
        screen, the close and the report count it, not a round's required items."""
        counts = inc.plan_tally(inc.plan_steps(run, set(self.pending)))
        total = sum(counts.values())
        return total - counts["open"], total

    def on_run_not_opened(self, message: RunNotOpened) -> None:
        """No plan for this type (or none to start): say so and go back."""
        message.prevent_default()  # instead of the runner's notice
        self.notify(message.error, severity="warning")
        self.app.pop_screen()
