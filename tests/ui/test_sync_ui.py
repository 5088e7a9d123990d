"""'Sync now' from the app: a clear sentence when the device is not enrolled or the office is
unreachable, and nothing leaves the outbox unless the office took it."""

from __future__ import annotations

from fieldkit.sync.client import Credentials
from fieldkit.ui.app import FieldkitApp
from tests.waits import shown


def messages(app) -> list[str]:
    return [n.message for n in app._notifications]


async def test_sync_now_without_enrolment_says_how(workspace):
    app = FieldkitApp(workspace)
    async with app.run_test() as pilot:
        await shown(pilot, lambda: getattr(app.screen, "summary", None) is not None)
        assert "not set up" in str(app.screen.query_one("#sync").render())
        app.action_sync_now()
        await shown(pilot, lambda: any("fieldkit enroll" in m for m in messages(app)))


async def test_sync_now_offline_keeps_the_outbox(demo_dir):
    from fieldkit.services.workspace import Workspace

    Credentials(url="http://127.0.0.1:9", device_id="d1", token="t", site="CH",
                role="patrol", name="laptop").save(demo_dir)  # fmt: skip
    ws = Workspace.open(demo_dir)
    ws.store.add_case_event(ws.store.open_cases()[0].id, "note", "to send")
    pending = ws.store.outbox_count()
    assert pending > 0
    app = FieldkitApp(ws)
    async with app.run_test() as pilot:
        await shown(pilot, lambda: getattr(app.screen, "summary", None) is not None)
        assert f"{pending} to send" in str(app.screen.query_one("#sync").render())
        app.action_sync_now()
        await shown(pilot, lambda: any("cannot be reached" in m for m in messages(app)))
        assert ws.store.outbox_count() == pending
    ws.close()
