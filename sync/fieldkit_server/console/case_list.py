"""The console's case list: filters, search and keyset paging over ``case_index``.

A page is the newest cases first: ``record_id`` descending (UUIDv7 ids sort by when the
case was raised), ``after`` the last id of the page before. Each filter is one indexed
column of ``case_index`` (``case_index.py``), so a page reads at most a page's worth of
index entries past the ones it skips, whatever the number of cases; only the page's
cases are read from ``records`` and decoded. The count beside the list stops at
:data:`COUNT_MOST` so it stays cheap too; a search by words (a ``LIKE`` no index serves)
is not counted past its page: it says "more than 50" instead of reading every case again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import orjson
from sqlalchemy import func, select

from fieldkit.sync.protocol import ALL_SITES
from fieldkit_server.console.people import Person
from fieldkit_server.db import Database
from fieldkit_server.tables import CaseIndex, Record

PAGE = 50
#: The status filter's "every case not closed or cancelled" (not a status of any kind).
UNFINISHED = "unfinished"
#: The department filter's "not sent to any department yet".
NOT_SENT = "none"
COUNT_MOST = 10_000
SEARCH_MAX = 100
_FIELD_MAX = 100


@dataclass(frozen=True)
class Filter:
    status: str = UNFINISHED  # "" every case, UNFINISHED not closed or cancelled, else one
    department: str = ""
    category: str = ""
    building: str = ""
    overdue: bool = False
    text: str = ""

    @classmethod
    def from_query(cls, query: Any) -> Filter:
        def get(name: str, most: int = _FIELD_MAX) -> str:
            return str(query.get(name, "") or "").strip()[:most]

        status = get("status") if "status" in query else UNFINISHED
        return cls(status=status, department=get("department"), category=get("category"),
                   building=get("building"), overdue=get("overdue") in ("1", "on", "true"),
                   text=get("q", SEARCH_MAX))  # fmt: skip

    def query(self) -> dict[str, str]:
        return {
            "status": self.status, "department": self.department, "category": self.category,
            "building": self.building, "overdue": "1" if self.overdue else "", "q": self.text,
        }  # fmt: skip


def _escape(word: str) -> str:
    return word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _where(select_, person: Person, flt: Filter, now: datetime):
    q = select_.where(CaseIndex.deleted.is_(False))
    if person.site != ALL_SITES:
        q = q.where(CaseIndex.site == person.site)
    if flt.status == UNFINISHED:
        q = q.where(CaseIndex.done.is_(False))
    elif flt.status:
        q = q.where(CaseIndex.status == flt.status)
    if flt.department == NOT_SENT:
        q = q.where(CaseIndex.department == "")
    for column, value in (
        (CaseIndex.department, "" if flt.department == NOT_SENT else flt.department),
        (CaseIndex.category, flt.category),
        (CaseIndex.building, flt.building),
    ):
        if value:
            q = q.where(column == value)
    if flt.overdue:
        q = q.where(CaseIndex.waiting.is_(False), CaseIndex.due_at < now)
    for word in flt.text.lower().lstrip("#").split()[:5]:
        q = q.where(CaseIndex.search.like(f"%{_escape(word)}%", escape="\\"))
    return q


@dataclass(frozen=True)
class Page:
    cases: list[tuple[str, str, dict]]  # (record id, site, body) newest first
    after: str | None  # the next page's ``after``, None on the last page
    count: int
    more: bool  # count stopped at COUNT_MOST


def page(db: Database, person: Person, flt: Filter, after: str = "") -> Page:
    now = datetime.now(UTC)
    ids_q = _where(select(CaseIndex.record_id), person, flt, now)
    if after:
        ids_q = ids_q.where(CaseIndex.record_id < after)
    ids_q = ids_q.order_by(CaseIndex.record_id.desc()).limit(PAGE + 1)
    counted = _where(select(CaseIndex.record_id), person, flt, now).limit(COUNT_MOST + 1)
    with db.read() as conn:
        ids = list(conn.execute(ids_q).scalars())
        if flt.text:  # words match no index: a count would read every case a second time
            count = len(ids) if len(ids) <= PAGE else PAGE + 1
        else:
            count = conn.execute(select(func.count()).select_from(counted.subquery())).scalar_one()
        found = {}
        if ids:
            rows = conn.execute(
                select(Record.record_id, Record.site, Record.body).where(
                    Record.kind == "case", Record.record_id.in_(ids[:PAGE])
                )
            ).all()
            found = {r.record_id: (r.record_id, r.site, orjson.loads(r.body)) for r in rows}
    cases = [found[i] for i in ids[:PAGE] if i in found]
    nxt = ids[PAGE - 1] if len(ids) > PAGE else None
    most = PAGE if flt.text else COUNT_MOST
    return Page(cases, nxt, min(count, most), count > most)


def choices(db: Database, person: Person) -> dict[str, list[str]]:
    """The departments, categories and buildings the person's cases carry (for filters)."""
    out: dict[str, list[str]] = {}
    with db.read() as conn:
        for name, column in (
            ("department", CaseIndex.department),
            ("category", CaseIndex.category),
            ("building", CaseIndex.building),
        ):
            q = select(column).where(CaseIndex.deleted.is_(False), column != "").distinct()
            if person.site != ALL_SITES:
                q = q.where(CaseIndex.site == person.site)
            out[name] = sorted(conn.execute(q.limit(200)).scalars())
    return out
