"""Logging to a file in the data folder; never to the terminal, which belongs to the app."""

from __future__ import annotations

import logging
import logging.handlers
from pathlib import Path

LOG_NAME = "fieldkit.log"


def setup_logging(data_dir: Path, level: int = logging.INFO) -> Path:
    """Send the ``fieldkit`` loggers to ``<data_dir>/logs/fieldkit.log``; return its path."""
    log_dir = data_dir / "logs"
    log_dir.mkdir(parents=True, exist_ok=True)
    path = log_dir / LOG_NAME
    root = logging.getLogger("fieldkit")
    for handler in list(root.handlers):
        root.removeHandler(handler)
        handler.close()
    handler = logging.handlers.RotatingFileHandler(
        path, maxBytes=2_000_000, backupCount=3, encoding="utf-8"
    )
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)
    root.setLevel(level)
    root.propagate = False
    return path
