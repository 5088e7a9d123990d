"""The workspace's caches and the store's lock: a screen reading and a save writing at the
same moment never wait for each other (the renovation newcomer's frozen card: a card
refresh rebuilt the registry index holding the workspace's lock while a re-inspection held
the store's lock inside its transaction and asked for the workspace's)."""

from __future__ import annotations

import threading
import time

from fieldkit.services.demo import generate
from fieldkit.services.types import UNFINISHED, CaseFilter
from fieldkit.services.workspace import Workspace

PATIENCE = 30.0


def _open_case(ws: Workspace) -> str:
    rows = ws.cases_page(CaseFilter(status=UNFINISHED), 0, 500).rows
    return next(r.id for r in rows if r.status == "open")


def test_a_refresh_and_a_save_never_wait_for_each_other(tmp_path):
    generate(tmp_path / "d", cases=60, floors=4, now=1_800_000_000.0)
    ws = Workspace.open(tmp_path / "d")  # not closed if the threads hang: closing would too
    case_id = _open_case(ws)
    ws.invalidate()  # as after a pull: every cache is built again on its next use
    saving, building = threading.Event(), threading.Event()
    done: list[str] = []

    def save() -> None:  # the saver: inside a transaction, it keeps the caches in step
        with ws.store.transaction():
            saving.set()
            building.wait(PATIENCE)
            time.sleep(0.3)  # let the refresh reach the store (no assertion rests on it)
            ws.add_case_note(case_id, "not put right: the wall is still open")
        done.append("save")

    def refresh() -> None:  # the card: builds an index from the store
        saving.wait(PATIENCE)

        def build(store):
            building.set()
            return len(store.open_cases())

        ws.cached("card-test", build)
        done.append("refresh")

    threads = [threading.Thread(target=f, daemon=True) for f in (save, refresh)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(PATIENCE)
    assert sorted(done) == ["refresh", "save"], "the refresh and the save waited for each other"
    notes = [e.text for e in ws.case(case_id).events if e.kind == "note"]
    assert "not put right: the wall is still open" in notes
    ws.close()


def test_a_build_begun_before_a_change_is_not_kept(tmp_path):
    """A pull's invalidate while an index is being built: the index built from what the
    store held before is used once, never kept as if current."""
    calls: list[int] = []

    def build(store):
        calls.append(1)
        if len(calls) == 1:
            ws.invalidate()  # a pull lands while the first build reads the store
        return len(calls)

    ws = Workspace.open(tmp_path / "d")  # an empty folder: the builds read nothing
    try:
        assert ws.cached("counted", build) == 1
        assert ws.cached("counted", build) == 2  # built again: the first was from before the pull
        assert ws.cached("counted", build) == 2  # and now kept
    finally:
        ws.close()
