"""A closed incident can be read again: nc24 and nc20 found none on the coordinator's home
(it lists open ones) and the office's weekly report named incidents nothing opened. The
coordinator's home lists the last ones closed; the weekly report's ``i`` picks one of the
week's; either opens it read only, and F7 there shows its report, each notice in full, and
``p`` saves it as a PDF (nc34 found that only on the command line)."""

from __future__ import annotations

import shutil
import subprocess
import time

import pytest

from fieldkit.i18n import set_language, t
from fieldkit.services import incident_close, notices
from fieldkit.services import incidents as inc
from fieldkit.ui.app import FieldkitApp
from fieldkit.ui.dialogs.picker import Picker
from fieldkit.ui.screens.home import HomeScreen
from fieldkit.ui.screens.incident import IncidentScreen
from fieldkit.ui.screens.incident_report import IncidentReportScreen
from tests.incidents.helpers import open_lift_entrapment, screen_lines
from tests.ui.helpers import open_trends
from tests.waits import shown

SUMMARY = "困人25分钟后放出，无人受伤。"


def closed_lift(ws, lang: str):
    """A lift entrapment with a notice sent, closed."""
    incident = open_lift_entrapment(ws)
    notice = notices.draft(ws, incident.id, lang)
    notices.send(ws, incident.id, notice.text, lang)
    points = incident_close.open_points(ws, incident.id)
    decisions = {p.key: ("stand_down" if p.point == "stand_down" else p.choices[0])
                 for p in points}  # fmt: skip
    incident_close.close(ws, incident.id, SUMMARY, decisions)
    return incident, notice


def text(app) -> str:
    return "\n".join(screen_lines(app))


async def read_only_with_report(pilot, app, incident, notice, lang) -> None:
    """The incident screen says it is read only, and F7 shows the report with the notice."""
    await shown(pilot, lambda: isinstance(app.screen, IncidentScreen) and app.screen.view)
    assert app.screen.incident_id == incident.id
    shown_text = text(app)
    assert t("incidents.status.closed", lang) in shown_text
    assert t("incidents.ui.closed_hint", lang) in shown_text
    assert f"F7  {t('incidents.ui.keys.report', lang)}" in screen_lines(app)[-1]
    await pilot.press("f7")
    await shown(pilot, lambda: isinstance(app.screen, IncidentReportScreen) and app.screen.text)
    report = app.screen.text
    assert SUMMARY in report
    first = notice.text.splitlines()[0].strip()
    assert first and first in report  # the notice's own text, not only its title line
    body = max(notice.text.splitlines(), key=len).strip()  # what happened, what to do
    assert body[:8] in report
    assert f"p  {t('week.bar.pdf', lang)}" in screen_lines(app)[-1]
    await pilot.press("p")  # the manager's copy, from the screen (nc34: only by command)
    saved = t("week.pdf.saved", lang, path="")[:6]
    await shown(pilot, lambda: any(n.message.startswith(saved) for n in app._notifications))
    (pdf,) = (app.screen.fk.workspace.data_dir / "reports").glob(
        f"incident-{incident.id[-6:]}-*.pdf"
    )
    if shutil.which("pdftotext"):
        printed = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                                 check=True, timeout=60).stdout  # fmt: skip
        assert SUMMARY[:6] in printed.replace("\n", "")
    await pilot.press("escape")
    await shown(pilot, lambda: isinstance(app.screen, IncidentScreen))
    await pilot.press("f8")  # escalating a closed incident: said, and nothing changes
    await shown(pilot, lambda: t("incidents.closed_keys.said", lang) in [
        n.message for n in app._notifications])  # fmt: skip


@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_the_coordinators_home_opens_a_closed_incident(ws, lang):
    set_language(lang)
    ws.store.set_device_state(role="emergency")
    incident, notice = closed_lift(ws, lang)
    before = len(ws.store.get_incident(incident.id).timeline)
    closed = notices.local_time(inc.closed_time(ws.store.get_incident(incident.id)), lang)
    app = FieldkitApp(ws, lang=lang)
    async with app.run_test(size=(80, 30)) as pilot:  # its title and lines whole at 80
        await shown(pilot, lambda: isinstance(app.screen, HomeScreen) and app.screen.summary)
        lines = screen_lines(app)
        assert any(t("incidents.ui.home_closed_title", lang) in line for line in lines)
        row = next(line for line in lines if incident.id[-6:] in line)
        assert t("incidents.type.lift_entrapment", lang) in row and row.endswith(closed), row
        await pilot.press("enter")
        await read_only_with_report(pilot, app, incident, notice, lang)
    assert len(ws.store.get_incident(incident.id).timeline) == before


@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_the_weekly_report_opens_the_weeks_incidents(ws, lang):
    set_language(lang)
    ws.store.set_device_state(role="office")
    incident, notice = closed_lift(ws, lang)
    app = FieldkitApp(ws, lang=lang)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_trends(app, pilot)
        await pilot.press("right_square_bracket")  # this week, to date
        await shown(pilot, lambda: app.screen.back == 0 and app.screen.incidents)
        assert f"i  {t('week.bar.incidents', lang)}" in screen_lines(app)[-1]
        await pilot.press("i")
        await shown(pilot, lambda: isinstance(app.screen, Picker))
        assert any(incident.id[-6:] in line for line in screen_lines(app))
        await pilot.press("1")
        await read_only_with_report(pilot, app, incident, notice, lang)


def test_the_home_reads_only_the_newest_months_for_the_last_closed(tmp_path):
    """The coordinator's home is drawn from ``recent_closed``: it read every archive month
    of a device's years to find the last five closed. Closed incidents in four months, the
    last two holding more than five: the oldest is never opened, and the newest five are
    found (the month after the five is opened as the search reaches it, no further)."""
    import random

    from fieldkit.services import incidents as inc
    from fieldkit.services.demo import DAY, past_id
    from fieldkit.store import Store
    from fieldkit.store.layout import month_of
    from tests.incidents.helpers import make_compound, open_workspace

    folder = tmp_path / "c"
    make_compound(folder, floors=2)
    ws = open_workspace(folder)
    try:
        made = closed_lift(ws, "zh")[0]
        record = ws.store.get_incident(made.id).to_dict()
    finally:
        ws.close()
    rng, now = random.Random(7), time.time()
    changes = []
    for days_ago in (200, 100, *range(10, 17)):  # one in each of two old months, 7 recent
        doc = {**record, "id": past_id(now - days_ago * DAY, rng)}
        changes.append({"entity": "incident", "record": doc})
    with Store.open(folder) as store:
        assert not store.apply_remote(changes, None, stream="test").refused
        store.archive()
    ws = open_workspace(folder)
    try:
        opened = []
        archive = type(ws.store)._archive

        def counted(store, month, *args, **kwargs):
            opened.append(month)
            return archive(store, month, *args, **kwargs)

        type(ws.store)._archive = counted
        try:
            rows = inc.recent_closed(ws)
        finally:
            type(ws.store)._archive = archive
        every = [made.id, *(c["record"]["id"] for c in changes)]  # the one closed here too
        newest = sorted(every, reverse=True)[:5]
        assert [r.id for r in rows] == newest
        oldest = month_of(changes[0]["record"]["id"])  # 200 days ago: past the five
        assert oldest not in opened and len(set(opened)) < 4, opened  # not every month
    finally:
        ws.close()
