"""The incident's SOP checklist in the ordinary runner: the same keys, the same durable
answers; only where the run comes from differs (the incident's linked run, made on first use).

``RunnerScreen.on_mount`` asks for its run through ``self.service("run", ...)``; Textual
calls every class's ``on_mount`` along the MRO, so instead of a second ``on_mount`` this
screen answers that one request with the incident's run."""

from __future__ import annotations

from typing import Any

from fieldkit.services import incidents as inc
from fieldkit.ui.screens.runner import RunnerScreen


class IncidentPlanScreen(RunnerScreen):
    def __init__(self, incident_id: str) -> None:
        super().__init__()
        self.incident_id = incident_id

    def service(self, what: str, fn: Any, *args: Any, **context: Any) -> None:
        if what == "run":
            incident_id = self.incident_id
            super().service("run", lambda ws: inc.plan_run(ws, incident_id))
            return
        super().service(what, fn, *args, **context)

    def on_work_done(self, message) -> None:
        """No plan for this type (or none to start): say so and go back."""
        if message.error and message.what == "run":
            message.prevent_default()
            self.notify(message.error, severity="warning")
            self.app.pop_screen()
