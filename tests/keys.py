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


#: seconds between two keys typed by hand (a quick typist; no scanner is this slow)
HAND_GAP = 0.15


def typed_by_hand(app, data: str) -> None:
    """Keys as a person types them: each in its own read, ``HAND_GAP`` apart. Stamped in
    the past and posted at once, so the gaps hold however busy the machine is."""
    events = [event for char in data for event in XTermParser().feed(char)]
    start = get_time() - HAND_GAP * (len(events) + 1)
    for n, event in enumerate(events):
        event.time = start + n * HAND_GAP
        app.post_message(event)


async def type_text(pilot, text: str) -> None:
    """``text`` pressed key by key through the Pilot, spaces, dashes and colons by name."""
    await pilot.press(*[{" ": "space", "-": "minus", ":": "colon"}.get(c, c) for c in text])
