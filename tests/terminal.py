"""A tmux pane the end-to-end tests drive as a person would: type, press, read the screen."""

from __future__ import annotations

import re
import subprocess
import time


class Pane:
    """The pane of tmux session ``name``; ``socket`` names a server of the test's own
    (``tmux -L``) so tests running side by side never see each other's sessions."""

    def __init__(
        self, name: str, socket: str | None = None, history: bool = False, patience: float = 20.0
    ) -> None:
        self.name = name
        self.socket = socket
        self.history = history  # read the scrollback too (what the CLI printed after the app)
        self.patience = patience  # seconds wait_for waits unless told otherwise
        self._sent = float("-inf")  # when the last keys went in
        self._gap = 0.0  # how long the next keys wait after them

    def _run(self, *args: str, check: bool) -> subprocess.CompletedProcess[str]:
        base = ["tmux", "-L", self.socket] if self.socket else ["tmux"]
        return subprocess.run([*base, *args], capture_output=True, text=True, check=check)

    def tmux(self, *args: str, check: bool = True) -> str:
        """A tmux command; keys (``send-keys``) go in no sooner than the gap the last keys
        asked for (a key right after Esc would read as Alt+key), and none is slept after:
        the test's next look at the screen starts at once."""
        if args and args[0] == "send-keys":
            time.sleep(max(0.0, self._sent + self._gap - time.monotonic()))
            try:
                return self._run(*args, check=check).stdout
            finally:
                self._sent, self._gap = time.monotonic(), 0.0
        return self._run(*args, check=check).stdout

    def _paced(self, gap: float) -> None:
        """The next keys wait ``gap`` seconds after the ones just sent."""
        self._gap = gap

    def text(self) -> str:
        if self.history:
            return self.tmux("capture-pane", "-p", "-J", "-S", "-200", "-t", self.name, check=False)
        return self.tmux("capture-pane", "-p", "-t", self.name)

    def wait_for(self, needle: str, timeout: float | None = None) -> str:
        end = time.monotonic() + (self.patience if timeout is None else timeout)
        while time.monotonic() < end:
            screen = self.text()
            if needle in screen:
                return screen
            time.sleep(0.05)
        raise AssertionError(f"{needle!r} never appeared:\n{self.text()}")

    def wait_match(self, pattern: str, timeout: float | None = None) -> list:
        """Until ``pattern`` (a regular expression) is on the screen: its matches
        (``re.findall``). Reading the screen once right after a key raced the app's redraw
        on a busy machine."""
        end = time.monotonic() + (self.patience if timeout is None else timeout)
        while time.monotonic() < end:
            found = re.findall(pattern, self.text())
            if found:
                return found
            time.sleep(0.05)
        raise AssertionError(f"{pattern!r} never matched:\n{self.text()}")

    def wait_gone(self, needle: str, timeout: float | None = None) -> str:
        """Until ``needle`` is off the screen (a dialog closed). A key sent right after Esc,
        while the app is still busy with it, reaches it as Alt+key (one escape sequence)."""
        end = time.monotonic() + (self.patience if timeout is None else timeout)
        while time.monotonic() < end:
            screen = self.text()
            if needle not in screen:
                return screen
            time.sleep(0.05)
        raise AssertionError(f"{needle!r} never went:\n{self.text()}")

    def alive(self) -> bool:
        """The session still runs (``has-session`` fails once it is gone)."""
        return self._run("has-session", "-t", self.name, check=False).returncode == 0

    def keys(self, *keys: str, gap: float = 0.12) -> None:
        """Keys pressed by hand: slower than a scanner."""
        for key in keys:
            self.tmux("send-keys", "-t", self.name, key)
            self._paced(gap)

    def typed(self, text: str) -> None:
        self.tmux("send-keys", "-t", self.name, "-l", text)
        self._paced(0.15)
        self.keys("Enter")

    def scan(self, code: str) -> None:
        """A scanner or NFC reader: the whole code and Enter in one write."""
        self.tmux("send-keys", "-t", self.name, "-l", code + "\r")
