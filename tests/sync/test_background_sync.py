"""Background sync in the app: rounds come by themselves while the office answers, back
off with jitter while it does not, and the app starts them without a key press."""

from __future__ import annotations

import pytest

from fieldkit.cli import main
from fieldkit.i18n import set_language
from fieldkit.services import workspace as workspace_module
from fieldkit.services.demo import generate
from fieldkit.services.workspace import Workspace
from fieldkit.sync.client import Credentials
from fieldkit.ui.screens.home import sync_line
from fieldkit_server.db import Database
from fieldkit_server.devices import add_device


@pytest.fixture
def compound(_isolated_home):
    generate(_isolated_home, cases=10, floors=2)
    return _isolated_home


def enrol(server, site: str = "CH") -> None:
    db = Database(server.db_url)
    new = add_device(db, site=site, role="patrol", name="Laptop 1")
    db.dispose()
    assert main(["enroll", server.url, new.code]) == 0


def test_offline_rounds_back_off_and_keep_the_outbox(compound):
    Credentials(url="http://127.0.0.1:9", device_id="d1", token="t", site="CH",
                role="patrol", name="laptop").save(compound)  # fmt: skip
    ws = Workspace.open(compound)
    ws._sync_rng.uniform = lambda low, high: high  # the longest wait full jitter may draw
    try:
        ws.store.add_case_event(ws.store.open_cases()[0].id, "note", "to send")
        pending = ws.store.outbox_count()
        before = ws.sync_state()
        assert before.online is None  # no round tried yet: neither online nor offline
        set_language("zh")  # the conftest sets English again for the next test
        assert sync_line(before).startswith("正在连接办公室 · 上次同步")
        t0 = 1_000.0
        state = ws.background_sync(now=t0)
        assert state is not None and state.online is False and state.pending == pending
        assert sync_line(state).startswith("离线 · 上次同步")
        assert ws.background_sync(now=t0 + 1.9) is None  # waits 2 s after the first failure
        assert ws.background_sync(now=t0 + 2.0) is not None
        assert ws.background_sync(now=t0 + 5.9) is None  # then 4 s, 8 s ... up to 5 min
        assert ws.background_sync(now=t0 + 6.0) is not None
        assert ws.store.outbox_count() == pending
    finally:
        ws.close()


def test_rounds_repeat_while_the_office_answers(server_process, compound):
    enrol(server_process)
    ws = Workspace.open(compound)
    try:
        ws.store.add_case_event(ws.store.open_cases()[0].id, "note", "to send")
        state = ws.background_sync(now=1_000.0)
        assert state is not None and state.online and state.pending == 0
        assert ws.background_sync(now=1_000.0 + workspace_module.SYNC_EVERY - 1) is None
        ws.store.add_case_event(ws.store.open_cases()[0].id, "note", "and this")
        state = ws.background_sync(now=1_000.0 + workspace_module.SYNC_EVERY)
        assert state is not None and state.pending == 0
    finally:
        ws.close()


def test_a_device_told_to_re_enrol_stops_trying(server_process, compound):
    enrol(server_process)
    creds = Credentials.load(compound)
    Credentials(url=creds.url, device_id=creds.device_id, token="revoked-or-wrong",
                site=creds.site, role=creds.role, name=creds.name).save(compound)  # fmt: skip
    ws = Workspace.open(compound)
    try:
        assert ws.background_sync(now=1_000.0) is not None
        assert ws.background_sync(now=1_000.0 + 10 * workspace_module.RETRY_MAX) is None
    finally:
        ws.close()


async def test_the_app_syncs_without_being_asked(server_process, compound, monkeypatch):
    from fieldkit.ui.app import FieldkitApp

    enrol(server_process)
    ws = Workspace.open(compound)
    ws.store.add_case_event(ws.store.open_cases()[0].id, "note", "to send")
    assert ws.store.outbox_count() > 0
    monkeypatch.setattr(FieldkitApp, "SYNC_TICK", 0.1)
    app = FieldkitApp(ws)
    async with app.run_test() as pilot:
        for _ in range(300):
            if ws.store.outbox_count() == 0:
                break
            await pilot.pause(0.05)
        assert ws.store.outbox_count() == 0

        def line() -> str:
            return str(app.screen.query_one("#sync").render())

        for _ in range(100):
            if line().startswith("Online") and "0 to send" in line():
                break
            await pilot.pause(0.05)
        assert line().startswith("Online") and "0 to send" in line(), line()
    ws.close()


def test_not_enrolled_asks_again_later_quietly(compound):
    ws = Workspace.open(compound)
    try:
        assert ws.background_sync(now=1_000.0) is None
        assert ws._next_background == 1_000.0 + workspace_module.SYNC_EVERY
    finally:
        ws.close()
