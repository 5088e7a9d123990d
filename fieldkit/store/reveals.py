"""The reveal log in the store: each reveal kept and queued before the value is shown."""

from __future__ import annotations

from typing import Any


class Reveals:
    """Part of :class:`~fieldkit.store.store.Store`: the reveal log."""

    def log_reveal(self, reveal: Any) -> Any:
        """Keep a :class:`~fieldkit.model.reveal.Reveal` (someone saw a personal value in
        full) and queue it for the office, in one write, before the value is shown."""
        with self._write():
            reveal.device = reveal.device or self.device_id
            reveal.validate()
            hlc = self._stamp()
            self._put("reveal", reveal)
            self._enqueue("reveal", reveal, "create", hlc)
        self._archive_if_due()
        return reveal
