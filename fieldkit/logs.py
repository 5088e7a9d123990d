"""Logging to a file in the data folder; never to the terminal, which belongs to the app."""

from __future__ import annotations

import logging
import logging.handlers
import os
from pathlib import Path

from fieldkit.store.modes import make_dir, open_file

LOG_NAME = "fieldkit.log"


def setup_logging(data_dir: Path, level: int = logging.INFO) -> Path:
    """Send the ``fieldkit`` loggers to ``<data_dir>/logs/fieldkit.log``; return its path."""
    log_dir = data_dir / "logs"
    make_dir(data_dir)
    make_dir(log_dir)
    path = log_dir / LOG_NAME
    root = logging.getLogger("fieldkit")
    for handler in list(root.handlers):
        root.removeHandler(handler)
        handler.close()
    handler = OwnerOnlyFileHandler(path, maxBytes=2_000_000, backupCount=3, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)
    root.setLevel(level)
    root.propagate = False
    return path


class OwnerOnlyFileHandler(logging.handlers.RotatingFileHandler):
    """Each log file, the rotated ones too, is created 0600 (it names devices and records)."""

    def _open(self):
        flags = os.O_WRONLY | os.O_CREAT | os.O_APPEND
        return os.fdopen(open_file(self.baseFilename, flags), "a", encoding=self.encoding)
