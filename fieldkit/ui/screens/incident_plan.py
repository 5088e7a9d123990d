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

    def on_run_not_opened(self, message: RunNotOpened) -> None:
        """No plan for this type (or none to start): say so and go back."""
        message.prevent_default()  # instead of the runner's notice
        self.notify(message.error, severity="warning")
        self.app.pop_screen()
