"""Keys as the terminal delivers one read: parsed, stamped with the one instant they arrived
and posted at once. A scanner's burst (or a paste) is one read; stamping it once keeps a
test from depending on how fast a loaded machine runs the loop that posts the keys."""

from __future__ import annotations

from textual._time import get_time
from textual._xterm_parser import XTermParser


def one_read(app, data: str) -> None:
    now = get_time()
    for event in XTermParser().feed(data):
        event.time = now
        app.post_message(event)
