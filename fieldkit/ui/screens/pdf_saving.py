"""Saving a report screen's report as a PDF (``p``), off the screen's thread: one way for
the weekly report, the statistics, the handover and an incident's report. The worker says
where the file went, or why there is none (the fonts missing, a folder not writable)."""

from __future__ import annotations

from typing import Any

from fieldkit.i18n import get_language, t
from fieldkit.ui.messages.reports import ReportSaved
from fieldkit.ui.workers import in_thread


class SavesPdf:
    """Mixed into a report screen (before its screen class): ``write_pdf(view, found)``
    writes :func:`fieldkit.services.printed.save_pdf`'s file and the toast says so."""

    @in_thread(group="pdf")
    def write_pdf(self, view: str, found: Any, back: int = 1) -> None:
        from fieldkit.reports.fonts import FontsMissing
        from fieldkit.services.printed import save_pdf

        try:
            path = save_pdf(self.fk.workspace, view, found, get_language(), back)  # type: ignore[attr-defined]
        except (FontsMissing, OSError) as exc:
            said = exc.message() if isinstance(exc, FontsMissing) else str(exc)
            self.post_message(ReportSaved("", said))  # type: ignore[attr-defined]
            return
        self.post_message(ReportSaved(str(path)))  # type: ignore[attr-defined]

    def on_report_saved(self, message: ReportSaved) -> None:
        if message.error:
            self.notify(t("week.pdf.failed", reason=message.error), severity="error")  # type: ignore[attr-defined]
        else:
            self.notify(t("week.pdf.saved", path=message.path), timeout=12)  # type: ignore[attr-defined]
