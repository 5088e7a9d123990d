"""Make the gallery of docs/reports.md: the first page of each printed report, as PNG.

    .venv/bin/python scripts/report_gallery.py

Builds a demo in a temporary folder (the office's device with a year of cases, and a
rainstorm logged on the coordinator's, as tests/reports/storm.py logs it, the clock stepping
a few minutes an entry so the timeline reads as it would), writes each report as PDF in zh
and en, and turns the first page into docs/reports/<report>-<lang>.png with pdftoppm.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
OUT = ROOT / "docs" / "reports"
DPI = 70


class SteppingClock(datetime):
    """``datetime.now`` that starts on a July afternoon and moves on 7 minutes a call."""

    start = datetime(2026, 7, 18, 8, 5, tzinfo=UTC)
    calls = 0

    @classmethod
    def now(cls, tz=None):
        cls.calls += 1
        return cls.start + timedelta(minutes=7 * cls.calls)


def storm_on(folder: Path, lang: str) -> str:
    from fieldkit.i18n import set_language
    from fieldkit.model import records
    from fieldkit.services.workspace import Workspace
    from tests.reports.storm import storm

    set_language(lang)
    real = records.datetime
    records.datetime = SteppingClock  # the store stamps entries through model.records
    try:
        ws = Workspace.open(folder, command="gallery")
        try:
            return storm(ws, lang).id
        finally:
            ws.close()
    finally:
        records.datetime = real


def main() -> None:
    from fieldkit.services import demo_office

    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        for lang in ("zh", "en"):
            folder = Path(tmp) / lang
            demo_office.make(folder, cases=120, lang=lang, floors=18)
            incident = storm_on(folder / "emergency", lang)
            jobs = {
                "incident": ("emergency", ["incident", incident[-6:]]),
                "handover": ("emergency", ["handover", "--hours", "12"]),
                "trends": ("office", ["trends"]),
            }
            for name, (role, args) in jobs.items():
                pdf = Path(tmp) / f"{name}-{lang}.pdf"
                env = {"FIELDKIT_DATA_DIR": str(folder / role), "FIELDKIT_CONFIG": "/nope",
                       "PATH": "/usr/bin:/bin"}  # fmt: skip
                command = [sys.executable, "-m", "fieldkit", "--lang", lang, "report", *args,
                           "--format", "pdf", "-o", str(pdf)]  # fmt: skip
                subprocess.run(command, check=True, env=env)
                stem = OUT / f"{name}-{lang}"
                subprocess.run(["pdftoppm", "-png", "-r", str(DPI), "-f", "1", "-l", "1",
                                "-singlefile", str(pdf), str(stem)], check=True)  # fmt: skip
                print(stem.with_suffix(".png").relative_to(ROOT))


if __name__ == "__main__":
    main()
