"""The case lifecycles as read from the lifecycle file: each kind's states, moves,
categories and due times. Plain data, apart from the reader (:mod:`.lifecycle`), so what
uses the lifecycles — every status label on the home — does not import the YAML composer.

:func:`to_json` and :func:`from_json` are the form kept beside the data
(``fieldkit.services.lifecycle``): a start reads that copy instead of parsing the file
(issue 17). ``from_json`` checks every part and raises ValueError on anything else, so a
damaged copy is read from the file again, never half used.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from datetime import time as dt_time
from typing import Any

#: A same-day case taken at or after this hour (the office's day is over, the fitters have
#: gone home) is due by :data:`NEXT_MORNING_DUE` the next day, not at 23:59 that night: a
#: repair taken at 21:58 cannot be done in two hours by the one fitter on duty, and a
#: promise of "tonight" the desk cannot keep is worse than "by noon tomorrow".
EVENING = dt_time(18, 0)
NEXT_MORNING_DUE = dt_time(12, 0)


def evening(taken: datetime) -> bool:
    """Whether a same-day case taken at ``taken`` (compound time) is due the next morning."""
    return taken.timetz().replace(tzinfo=None) >= EVENING


@dataclass(frozen=True)
class State:
    id: str
    label: dict[str, str]


@dataclass(frozen=True)
class Move:
    source: str
    to: str
    roles: frozenset[str]
    needs: frozenset[str]
    reopen: bool = False


@dataclass
class KindLifecycle:
    kind: str
    states: tuple[State, ...]
    moves: dict[tuple[str, str], Move]
    reopen_to: str | None = None
    categories: tuple[State, ...] = ()
    urgency: dict[str, timedelta] = field(default_factory=dict)
    #: urgencies due by the end of the day the case was taken (``high: today``)
    same_day: frozenset[str] = frozenset()

    def due(self, urgency: str, taken: datetime) -> datetime | None:
        """When a case of this urgency taken at ``taken`` (an aware time in the compound's
        zone) is due: after its span, or for ``today`` at the end of that day — or, taken in
        the evening (:data:`EVENING`), by noon the next day; None when the file gives this
        urgency no due time."""
        if urgency in self.same_day:
            if evening(taken):
                next_day = taken.date() + timedelta(days=1)
                return datetime.combine(next_day, NEXT_MORNING_DUE, taken.tzinfo)
            # the day's end, midnight: read "24:00" as a violation's deadline is (nc15: the
            # desk's cases said 23:59 beside the inspector's 24:00)
            return datetime.combine(taken.date() + timedelta(days=1), dt_time(0), taken.tzinfo)
        span = self.urgency.get(urgency)
        return taken + span if span is not None else None

    def label(self, state: str, lang: str) -> str:
        for s in self.states:
            if s.id == state:
                return s.label.get(lang) or s.label.get("en") or state
        return state

    def next_states(self, current: str, role: str | None = None) -> tuple[str, ...]:
        """The states reachable from ``current`` (by ``role`` when given), in path order."""
        order = [s.id for s in self.states]
        found = [
            m.to
            for (src, _), m in self.moves.items()
            if src == current and (role is None or role in m.roles)
        ]
        return tuple(sorted(set(found), key=lambda s: order.index(s)))


@dataclass
class Lifecycles:
    kinds: dict[str, KindLifecycle] = field(default_factory=dict)


def to_json(lifecycles: Lifecycles) -> dict[str, Any]:
    """Lifecycles as JSON values (orjson): due times in seconds, sets as sorted lists."""
    return {
        kind: {
            "states": [[s.id, s.label] for s in life.states],
            "moves": [
                [m.source, m.to, sorted(m.roles), sorted(m.needs), m.reopen]
                for m in life.moves.values()
            ],
            "reopen_to": life.reopen_to,
            "categories": [[c.id, c.label] for c in life.categories],
            "urgency": {u: span.total_seconds() for u, span in life.urgency.items()},
            "same_day": sorted(life.same_day),
        }
        for kind, life in lifecycles.kinds.items()
    }


def from_json(found: Any) -> Lifecycles:
    """What :func:`to_json` made; ValueError when any part is missing or of another shape."""
    try:
        return _read(found)
    except (KeyError, TypeError) as exc:  # a part missing, a list of the wrong length
        raise ValueError(f"lifecycles: {exc!r}") from None


def _read(found: Any) -> Lifecycles:
    if not isinstance(found, dict):
        raise ValueError("lifecycles: not a mapping")
    out = Lifecycles()
    for kind, life in found.items():
        if not isinstance(life, dict):
            raise ValueError(f"{kind}: not a mapping")
        moves = {}
        for source, to, roles, needs, reopen in _list(life["moves"]):
            move = Move(_str(source), _str(to), _words(roles), _words(needs), _bool(reopen))
            moves[(move.source, move.to)] = move
        reopen_to = life["reopen_to"]
        urgency = life["urgency"]
        if not isinstance(urgency, dict):
            raise ValueError(f"{kind}: urgency is not a mapping")
        out.kinds[_str(kind)] = KindLifecycle(
            kind=kind,
            states=_states(life["states"]),
            moves=moves,
            reopen_to=None if reopen_to is None else _str(reopen_to),
            categories=_states(life["categories"]),
            urgency={_str(u): timedelta(seconds=_seconds(s)) for u, s in urgency.items()},
            same_day=_words(life["same_day"]),
        )
    return out


def _states(found: Any) -> tuple[State, ...]:
    out = []
    for sid, label in _list(found):
        if not isinstance(label, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in label.items()
        ):
            raise ValueError(f"{sid}: label is not text by language")
        out.append(State(_str(sid), dict(label)))
    return tuple(out)


def _list(found: Any) -> list:
    if not isinstance(found, list):
        raise ValueError("not a list")
    return found


def _str(found: Any) -> str:
    if not isinstance(found, str):
        raise ValueError(f"{found!r} is not text")
    return found


def _bool(found: Any) -> bool:
    if not isinstance(found, bool):
        raise ValueError(f"{found!r} is not true or false")
    return found


def _seconds(found: Any) -> float:
    if isinstance(found, bool) or not isinstance(found, int | float) or found < 0:
        raise ValueError(f"{found!r} is not a number of seconds")
    return found


def _words(found: Any) -> frozenset[str]:
    return frozenset(_str(word) for word in _list(found))
