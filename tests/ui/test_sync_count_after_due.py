"""The home's sync line counts what waits to be sent after the due rounds are drawn:
drawing them notes missed runs as cases (a round device's due list), and the line kept the
count read before — "0 to send" — while those cases waited, so the next sync sent more.
Through a real office server: after "Sync now" the line says what is left, and a second
round has nothing more to send."""

from __future__ import annotations

import time

import pytest

from fieldkit.i18n import set_language, t
from fieldkit.services.workspace import Workspace
from fieldkit.sync.client import Credentials
from fieldkit.ui.app import FieldkitApp
from tests.rules.helpers import log_compound, missed_cases, ran, site_of
from tests.sync.conftest import server_process  # noqa: F401 - the fixture
from tests.waits import shown


class QuietApp(FieldkitApp):
    SYNC_TICK = 3600.0  # no background round: the test's "Sync now" is the only one


def line(app) -> str:
    return str(app.screen.query_one("#sync").render())


@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_the_sync_line_counts_the_missed_runs_it_just_noted(tmp_path, server_process, lang):  # noqa: F811
    ws = log_compound(tmp_path / "patrol")
    site = site_of(ws)
    enrolled = server_process.enroll(site=site.id, role="patrol", name="patrol laptop")
    creds = Credentials(url=server_process.url, device_id=enrolled.device_id,
                        token=enrolled.token, site=site.id, role="patrol", name="p")  # fmt: skip
    creds.save(tmp_path / "patrol")
    ran(ws, "test.control_room.log", site, time.time() - 5 * 3600)  # slots missed since
    assert ws.store.outbox_count() == 0
    set_language(lang)
    app = QuietApp(ws, lang=lang)
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await shown(pilot, lambda: getattr(app.screen, "due", None) is not None)
            waiting = ws.store.outbox_count()
            assert waiting >= len(missed_cases(ws)) >= 1  # noted as the due list was drawn
            words = {"zh": f"待上传 {waiting} 条", "en": f"{waiting} to send"}[lang]
            await shown(pilot, lambda: words in line(app), f"{words!r} in {line(app)!r}")
            app.action_sync_now()
            await shown(pilot, lambda: any(t("ui.sync.done", lang) in str(n.message)
                                           for n in app._notifications))  # fmt: skip
            empty = {"zh": "待上传 0 条", "en": "0 to send"}[lang]
            await shown(pilot, lambda: empty in line(app) and app.screen.due is not None)
            assert ws.store.outbox_count() == 0
    finally:
        ws.close()  # the app closed it already, unless it did not start
    later = Workspace.open(tmp_path / "patrol")
    try:
        again = later.sync_now()  # a second round: nothing was left behind
        assert again.pending == 0 and later.store.outbox_count() == 0
    finally:
        later.close()
