"""When an incident began (接警时间): when the call or the alarm came in, which is often
before the coordinator typed anything (a lift entrapment logged after the rescue). It is now
unless the coordinator says otherwise, at opening or later; the report's 历时 counts from it.

It is a ``began`` timeline entry (:data:`fieldkit.model.incident.BEGAN`) whose ``at`` is
that moment and whose data says when it was typed (``recorded_at``) and what it replaced
(``from``); the latest holds, an earlier one reads as corrected by it. A time is typed as a
person says it (:func:`read`): ``14:05`` (today, or yesterday when today's is still to
come), ``昨天 23:40`` / ``yesterday 23:40``, ``12-06 23:40``, ``12月6日 23:40``,
``2026-12-06 23:40``, ``20分钟前`` / ``20 min ago``. It is refused when it is still to come
or more than :data:`MAX_BEFORE` before the incident was logged.
"""

from __future__ import annotations

import re
import time
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from fieldkit.i18n import get_language, t
from fieldkit.model import localtime
from fieldkit.model.base import iso_epoch
from fieldkit.model.incident import BEGAN, Incident
from fieldkit.services import incidents as inc
from fieldkit.services.incidents import IncidentError, _by, _need_open
from fieldkit.services.notices import local_time

if TYPE_CHECKING:
    from fieldkit.services.workspace import Workspace

MAX_BEFORE = 7 * 24 * 3600.0  # seconds before the incident was logged: older is a typo
FUTURE_SLACK = 60.0  # a clock a little ahead is fine; later is a typing mistake
MAX_TEXT = 40

_DAYS = {"今天": 0, "今日": 0, "today": 0, "昨天": -1, "昨日": -1, "yesterday": -1, "前天": -2}
_CLOCK = r"(\d{1,2}):(\d{2})"
_FORMS = (
    (re.compile(rf"^(\d{{4}})-(\d{{1,2}})-(\d{{1,2}})\s*{_CLOCK}$"), ("y", "m", "d", "H", "M")),
    (re.compile(rf"^(\d{{4}})年(\d{{1,2}})月(\d{{1,2}})[日号]\s*{_CLOCK}$"),
     ("y", "m", "d", "H", "M")),
    (re.compile(rf"^(\d{{1,2}})-(\d{{1,2}})\s*{_CLOCK}$"), ("m", "d", "H", "M")),
    (re.compile(rf"^(\d{{1,2}})月(\d{{1,2}})[日号]\s*{_CLOCK}$"), ("m", "d", "H", "M")),
)  # fmt: skip
#: Years before this are not read as a time (a later one too early is said by ``check``).
EARLIEST_YEAR = 1970
_AGO = re.compile(r"^(\d{1,5})\s*(分钟前|min ago|mins ago|minutes ago)$")


def read(text: str, now: float | None = None) -> float:
    """The moment ``text`` names, as epoch seconds (compound time; see the module
    docstring); IncidentError ``incidents.began.bad`` when it names none."""
    now = time.time() if now is None else now
    said = " ".join(text.replace("：", ":").replace("点", ":").split()).lower()
    if len(said) > MAX_TEXT or not said:
        raise IncidentError("incidents.began.bad", value=text.strip()[:MAX_TEXT])
    here = localtime.local(now)
    assert here is not None
    ago = _AGO.match(said)
    if ago:
        return now - int(ago.group(1)) * 60
    try:
        for pattern, names in _FORMS:
            found = pattern.match(said)
            if found:
                parts = dict(zip(names, (int(g) for g in found.groups()), strict=True))
                if parts.get("y", here.year) < EARLIEST_YEAR:
                    break  # 0001-01-01 ended in a traceback (year 0 once in UTC)
                moment = here.replace(year=parts.get("y", here.year), month=parts["m"],
                                      day=parts["d"], hour=parts["H"], minute=parts["M"],
                                      second=0, microsecond=0)  # fmt: skip
                return moment.timestamp()
        day = None
        for word, shift in _DAYS.items():
            if said.startswith(word):
                day, said = shift, said[len(word) :].strip()
                break
        found = re.match(rf"^{_CLOCK}$", said)
        if found:
            moment = here.replace(hour=int(found.group(1)), minute=int(found.group(2)),
                                  second=0, microsecond=0)  # fmt: skip
            if day is None and moment.timestamp() > now + FUTURE_SLACK:
                day = -1  # 23:40 typed at 00:10 is last night's
            return (moment + timedelta(days=day or 0)).timestamp()
    except ValueError:  # 25:00, 2-30
        pass
    raise IncidentError("incidents.began.bad", value=text.strip()[:MAX_TEXT])


def check(moment: float, logged: float, now: float | None = None) -> None:
    """Refuse a moment still to come, or more than :data:`MAX_BEFORE` before ``logged``."""
    now = time.time() if now is None else now
    if moment > now + FUTURE_SLACK:
        raise IncidentError("incidents.began.future", value=_said(moment))
    if moment < logged - MAX_BEFORE:
        raise IncidentError("incidents.began.too_early", value=_said(moment),
                            days=int(MAX_BEFORE // 86400))  # fmt: skip


def _said(moment: float) -> str:
    return localtime.fmt(moment, "minute")


def iso(moment: float) -> str:
    return (
        datetime.fromtimestamp(moment, UTC)
        .isoformat(timespec="milliseconds")
        .replace("+00:00", "Z")
    )


def open_incident(ws: Workspace, *args: Any, began: float | None = None,
                  now: float | None = None, **kwargs: Any) -> Incident:  # fmt: skip
    """:func:`fieldkit.services.incidents.open_incident`, begun at ``began`` (epoch seconds,
    from :func:`read`) when the call came before it was logged: the incident and its
    ``began`` entry in one write."""
    if began is None:
        return inc.open_incident(ws, *args, **kwargs)
    now = time.time() if now is None else now
    check(began, now, now)
    with ws.store.transaction():
        incident = inc.open_incident(ws, *args, **kwargs)
        ws.store.add_timeline_entry(
            incident.id, BEGAN, "", by=incident.created_by, at=iso(began),
            data={"recorded_at": iso(now), "from": incident.started_at},
        )  # fmt: skip
    return inc._need(ws, incident.id)


def set_began(ws: Workspace, incident_id: str, text: str, *, by: str = "",
              now: float | None = None) -> Any:  # fmt: skip
    """Say when the incident began (text as :func:`read` takes it): a ``began`` entry at
    that moment, durable when this returns; a time refused changes nothing."""
    now = time.time() if now is None else now
    incident = _need_open(ws, incident_id)
    moment = read(text, now)
    check(moment, iso_epoch(incident.started_at) or now, now)
    return ws.store.add_timeline_entry(
        incident_id, BEGAN, "", by=_by(incident, by), at=iso(moment),
        data={"recorded_at": iso(now), "from": incident.began_at},
    )  # fmt: skip


def preview(text: str, logged: float | None = None) -> str:
    """What a typed time reads as (将记为：12月6日 23:40), or why it is refused — shown
    under the box as it is typed; ``logged``: when the incident was logged (now, while it
    is being opened)."""
    if not text.strip():
        return ""
    try:
        moment = read(text)
        check(moment, time.time() if logged is None else logged)
    except IncidentError as error:
        return error.message()
    lang = get_language()
    return t("incidents.began.understood", lang, time=local_time(iso(moment), lang))
