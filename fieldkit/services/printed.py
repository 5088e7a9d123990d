"""The office's reports saved as PDF from the app, to print or send (``p`` on the report
screen): a supervisor who reads the weekly report or the trends on screen gets the same
pages the command line writes (``fieldkit report week --format pdf``), without the command.

Files go to the data folder's ``reports/``, named by what they hold and the day they were
made, written whole (``atomic_write``): a printout never reads a half-written file.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fieldkit.model import localtime
from fieldkit.reports.document import Document
from fieldkit.store.atomic import atomic_write
from fieldkit.store.modes import make_dir

REPORTS_DIR = "reports"


def save_pdf(ws: Any, view: str, found: Any, lang: str, back: int = 1) -> Path:
    """Write the report a screen shows as a PDF and return its path. ``view``: ``week``
    (``found`` its document, of the week ``back`` weeks before this one: its Monday names
    the file), ``handover``, ``incident`` (``found``: its id and report), or a trends
    grouping (``found``: the trends and the category names).
    :class:`~fieldkit.reports.fonts.FontsMissing` when the report fonts are not there."""
    if view == "week":
        import time

        from fieldkit.reports.pdf import to_pdf
        from fieldkit.services import equipment, weekly

        assert isinstance(found, Document)
        monday, _ = weekly.calendar_week(equipment.today(ws, time.time()), back)
        data, name = to_pdf(found), f"week-{monday.isoformat()}"
    elif view == "incident":  # found: the incident's id and its report
        from fieldkit.reports.pdf import to_pdf

        incident_id, document = found
        data, name = to_pdf(document), f"incident-{incident_id[-6:]}"
    elif view == "handover":
        from fieldkit.services.handover import of_device, render_pdf

        data, name = render_pdf(of_device(ws), lang), "handover"
    else:
        from fieldkit.services import trends as tr

        result, names = found
        data, name = tr.to_pdf(result, lang, names), f"trends-{view}"
    folder = ws.data_dir / REPORTS_DIR
    make_dir(folder)
    stamp = localtime.fmt(localtime.now(), "stamp")
    path = folder / f"{name}-{stamp}-{lang}.pdf"
    atomic_write(path, data)
    return path
