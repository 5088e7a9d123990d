"""A journey's terminal: a tmux session of its own (120x40 unless told) running one command in
a clean environment (no user config, the language asked for), read as a person reads it."""

from __future__ import annotations

import os
import subprocess
import uuid
from pathlib import Path

from tests.terminal import Pane

LANGS = {"zh": "zh_CN.UTF-8", "en": "en_US.UTF-8"}


def start(
    tmp_path: Path, command: str, lang: str, *, size: tuple[int, int] = (120, 40),
    env: dict[str, str] | None = None, patience: float = 60.0,
) -> Pane:  # fmt: skip
    """``command`` (a shell line) in a new session; the session stays 30 s after it ends so
    what it printed last can be read. Kill it with ``pane.tmux("kill-server")``."""
    values = {"FIELDKIT_DATA_DIR": str(tmp_path / "data"),
              "FIELDKIT_CONFIG": str(tmp_path / "no-config.toml"),
              "LANG": LANGS[lang], "TERM": "xterm-256color", **(env or {})}  # fmt: skip
    line = " ".join(f"{k}={v}" for k, v in values.items()) + f" {command}; sleep 30"
    socket, name = f"journey-{uuid.uuid4().hex[:8]}", "journey"
    width, height = size
    subprocess.run(
        ["tmux", "-L", socket, "new-session", "-d", "-s", name, "-x", str(width), "-y",
         str(height), line],
        check=True, env={**os.environ, **values},
    )  # fmt: skip
    return Pane(name, socket, history=True, patience=patience)
