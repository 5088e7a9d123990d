"""Patrol rounds in the store: a round being walked stays on this device; a finished one is
queued for the office and never changes."""

from __future__ import annotations

from typing import Any

from fieldkit.model import ModelError
from fieldkit.model.patrol import PatrolRound


class Rounds:
    """Part of :class:`~fieldkit.store.store.Store`: patrol rounds."""

    def save_patrol_round(self, patrol_round: Any) -> Any:
        """Keep a :class:`~fieldkit.model.patrol.PatrolRound` durably. A round being
        walked stays on this device; a finished one is queued for the office in the same
        write (and is never changed after)."""
        with self._write():
            old = self._doc("patrol_round", patrol_round.id)
            if old is not None and old.get("status") == "finished":
                raise ModelError(f"patrol round {patrol_round.id} is finished and cannot change")
            patrol_round.device = patrol_round.device or self.device_id
            patrol_round.validate()
            self._put("patrol_round", patrol_round)
            if patrol_round.status == "finished":
                self._enqueue("patrol_round", patrol_round, "submit", self._stamp())
        self._archive_if_due()
        return patrol_round

    def walking_rounds(self) -> list[Any]:
        """Patrol rounds begun on this device and not finished yet (never archived)."""
        return self._live(PatrolRound, lambda d: d.get("status") == "walking")
