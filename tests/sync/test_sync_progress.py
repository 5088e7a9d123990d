"""The sync line while a round runs: a step that moved something is said; an idle round
(the app's background round every minute) leaves the home's sync line alone."""

from __future__ import annotations

from fieldkit.i18n import set_language
from fieldkit.services.sync_progress import SyncProgress


def test_only_steps_that_moved_something_are_said():
    said: list[str] = []
    progress = SyncProgress(said.append)
    set_language("zh")
    progress("push", 0)
    progress("pull", 0)
    assert said == []
    progress("pull", 12000)
    set_language("en")
    progress("pull", 21000)
    assert said[0].startswith("同步中：已收到并保存 12,000 条修改")
    assert said[1].startswith("Syncing:") and "21,000" in said[1]
