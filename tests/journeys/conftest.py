"""The journeys' demo folders: each journey walks a demo of its own, made by
``demo_office.make``. Generating one takes seconds of CPU (the compound, its history, five
device stores), and most journeys ask for one of a few sizes in each language: a size is
made once per test worker and copied into each test's folder, which then reads exactly as a
fresh make (the app enrols, signs in and syncs at its first start, as on a new demo)."""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from fieldkit.services import demo_office

#: Seconds a made demo is copied for: its history is dated from the moment it was made, as
#: a demo made a few minutes before it is opened.
FRESH_FOR = 300.0
_CHINA = timezone(timedelta(hours=8))  # the demo compound's day
#: A journey takes up to a few minutes under load, and reads dates it worked out when it
#: began (today, a deadline 15 days on) against what the app shows later: one begun this
#: close to the compound's midnight waits for the new day rather than straddle it (CI at
#: 23:59 read a renovation deadline range a day short).
CLEAR_OF_MIDNIGHT = 360.0


def clear_of_midnight(now: datetime | None = None) -> float:
    """Seconds to wait for the compound's next day when it is less than
    :data:`CLEAR_OF_MIDNIGHT` away (a margin after it), else 0."""
    now = now or datetime.now(_CHINA)
    midnight = datetime.combine(now.date() + timedelta(days=1), datetime.min.time(), _CHINA)
    left = (midnight - now).total_seconds()
    return left + 2.0 if left < CLEAR_OF_MIDNIGHT else 0.0


@pytest.fixture(scope="session")
def make_demo(tmp_path_factory) -> Callable[..., None]:
    """``make_demo(folder, cases=..., lang=..., floors=...)``: ``demo_office.make`` into
    ``folder``, from this worker's copy of that size when it made one in the last
    FRESH_FOR seconds the same compound day."""
    made: dict[tuple, tuple[float, Path]] = {}

    def make(folder: Path, *, cases: int, lang: str = "zh", floors: int = 18) -> None:
        time.sleep(clear_of_midnight())
        key = (cases, lang, floors, datetime.now(_CHINA).date())
        at, source = made.get(key, (float("-inf"), Path()))
        if time.monotonic() - at > FRESH_FOR:
            source = tmp_path_factory.mktemp("made") / "demo"
            demo_office.make(source, cases=cases, lang=lang, floors=floors)
            made[key] = (time.monotonic(), source)
        shutil.copytree(source, folder, symlinks=True)

    return make
