"""The office prints what it reads (nc26: the weekly report and the trends could only be
made a PDF from the command line, which a supervisor does not use): ``p`` on the report
screen saves what is shown as a PDF in the data folder's ``reports/``, says where, and the
bar and help name it, at 80 columns too; zh and en."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest

from fieldkit.i18n import set_language, t
from fieldkit.services import equipment
from fieldkit.ui.app import FieldkitApp
from fieldkit.ui.widgets.keybar import KeyBar
from tests.reports import pdfcheck
from tests.ui.helpers import open_trends
from tests.waits import shown


def _said(app, words: str) -> str:
    return next((n.message for n in app._notifications if words in n.message), "")


@pdfcheck.needs_poppler
@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_p_saves_the_weekly_report_and_the_trends_as_pdf(workspace, lang):
    set_language(lang)
    saved_words = t("week.pdf.saved", lang, path="\0").split("\0")[0]
    app = FieldkitApp(workspace, lang=lang)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_trends(app, pilot)
        bar = " ".join(str(screen.query_one(KeyBar).render()).split())
        assert f"p {t('week.bar.pdf', lang)} esc" in bar, bar
        assert ("p", "week.keys.pdf") in screen.HELP_KEYS
        await pilot.press("p")
        await shown(pilot, lambda: _said(app, saved_words), "the week saved")
        files = sorted((workspace.data_dir / "reports").glob("week-*.pdf"))
        assert len(files) == 1 and str(files[0]) in _said(app, saved_words)
        today = equipment.today(workspace, time.time())
        monday = today - timedelta(days=today.weekday() + 7)
        assert files[0].name.startswith(f"week-{monday.isoformat()}-")
        printed = " ".join(pdfcheck.text(files[0]).split())
        assert t("week.title", lang) in printed and t("week.last_week", lang) in printed

        app._notifications.clear()
        await pilot.press("c")
        await shown(pilot, lambda: screen.view == "category" and screen.text)
        bar = " ".join(str(screen.query_one(KeyBar).render()).split())
        assert f"p {t('week.bar.pdf', lang)} esc" in bar, bar
        await pilot.press("p")
        await shown(pilot, lambda: _said(app, saved_words), "the trends saved")
        (trends,) = (workspace.data_dir / "reports").glob("trends-category-*.pdf")
        assert str(trends) in _said(app, saved_words)
        assert t("trends.doc.header", lang) in " ".join(pdfcheck.text(trends).split())
    set_language("en")
