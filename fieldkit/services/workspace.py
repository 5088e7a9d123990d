"""The one object the UI and the CLI talk to: a data folder opened for use.

Everything here is synchronous and may touch the disk; the UI calls it from thread workers.
Records live in the interim :class:`~fieldkit.services.journal.Journal` until
``fieldkit.store`` lands (see the note in that module).
"""

from __future__ import annotations

import re
import threading
import time
from pathlib import Path
from typing import Any

from fieldkit.checklists.definition import Checklist
from fieldkit.model.ids import new_id
from fieldkit.services import cases as case_rules
from fieldkit.services.catalog import applies, load_checklists
from fieldkit.services.journal import Journal
from fieldkit.services.pinyin import initials
from fieldkit.services.runs import Run, RunError, new_record
from fieldkit.services.types import (
    CaseFilter,
    CasePage,
    CaseView,
    Draft,
    DueRun,
    HomeSummary,
    ScanLookup,
    SyncState,
    Target,
)

SCAN_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_\-:/.]{2,63}$")
HOME_CASES = 20
DAY = 86400.0
_PERIODS = {"shift": 8 * 3600, "day": DAY, "week": 7 * DAY, "month": 30 * DAY,
            "quarter": 91 * DAY, "year": 365 * DAY}  # fmt: skip
_NOWHERE = Target(id="", kind="", code="?", name={})


def period_seconds(every: str) -> float | None:
    """Seconds between runs for a checklist's ``every``; None for on_demand."""
    if every in _PERIODS:
        return _PERIODS[every]
    try:
        return float(case_rules.due_seconds(every))
    except ValueError:
        return None


class Workspace:
    """A data folder in use. Thread-safe: one lock serialises every read and write."""

    def __init__(self, data_dir: Path, journal: Journal) -> None:
        self.data_dir = data_dir
        self.journal = journal
        self._lock = threading.RLock()
        self._targets: list[Target] | None = None
        self._by_code: dict[str, Target] = {}
        self._cases_newest: list[dict[str, Any]] | None = None
        self._checklists: dict[str, Checklist] | None = None

    @classmethod
    def open(cls, data_dir: Path) -> Workspace:
        data_dir.mkdir(parents=True, exist_ok=True)
        return cls(data_dir, Journal.open(data_dir))

    def close(self) -> None:
        with self._lock:
            self.journal.close()

    # -- preferences -------------------------------------------------------------------

    def preference(self, key: str) -> Any:
        with self._lock:
            record = self.journal.get("pref", key)
        return record["value"] if record else None

    def set_preference(self, key: str, value: Any) -> None:
        with self._lock:
            self.journal.put([("pref", key, {"id": key, "value": value})])

    # -- checklists ---------------------------------------------------------------------

    def checklists(self) -> dict[str, Checklist]:
        with self._lock:
            if self._checklists is None:
                self._checklists = load_checklists(self.data_dir)
            return self._checklists

    def checklists_for(self, target: Target) -> list[Checklist]:
        return sorted(
            (c for c in self.checklists().values() if applies(c, target)), key=lambda c: c.id
        )

    # -- runs --------------------------------------------------------------------------

    def assets_of(self, target: Target) -> list[tuple[Target, dict[str, Any]]]:
        """Assets a repeated section walks: on the target route, in the building, or itself."""
        by_id = {t.id: t for t in self.targets() if t.kind == "asset"}
        out = []
        with self._lock:
            records = list(self.journal.all("asset"))
        for rec in records:
            on = (
                (target.kind == "route" and rec.get("route") == target.code)
                or (target.kind == "building" and rec.get("building") == target.code)
                or (target.kind == "asset" and rec["id"] == target.id)
            )
            if on and rec["id"] in by_id:
                attrs = {**rec, "kind": rec.get("asset_kind", "")}
                out.append((by_id[rec["id"]], attrs))
        out.sort(key=lambda pair: (pair[1].get("route", ""), pair[1].get("floor", 0)))
        return out

    def start_run(self, checklist_id: str, target: Target) -> Run:
        checklist = self.checklists()[checklist_id]
        run = Run(self, new_record(checklist, target), checklist, target)
        self.save_inspection(run.record)
        return run

    def resume_run(self, inspection_id: str) -> Run:
        with self._lock:
            record = self.journal.get("inspection", inspection_id)
        if record is None:
            raise RunError("services.run.not_found")
        checklist = self.checklists().get(record["checklist_id"])
        target = self.target(record["target_id"])
        if checklist is None or target is None:
            raise RunError("services.run.not_found")
        return Run(self, record, checklist, target)

    def save_inspection(self, record: dict[str, Any]) -> None:
        with self._lock:
            self.journal.put([("inspection", record["id"], record)])

    def inspection(self, inspection_id: str) -> dict[str, Any] | None:
        with self._lock:
            return self.journal.get("inspection", inspection_id)

    def drafts(self) -> list[Draft]:
        with self._lock:
            records = [r for r in self.journal.all("inspection") if r["status"] == "draft"]
        out = []
        checklists = self.checklists()
        for rec in sorted(records, key=lambda r: r["updated"], reverse=True):
            checklist = checklists.get(rec["checklist_id"])
            if checklist is None:
                continue
            answered = sum(1 for a in rec["answers"].values() if "value" in a)
            total = Run(self, rec, checklist, self.target(rec["target_id"]) or _NOWHERE)
            out.append(
                Draft(
                    inspection_id=rec["id"],
                    checklist_id=checklist.id,
                    title=checklist.title.to_dict(),
                    target=self.target(rec["target_id"]),
                    answered=answered,
                    total=len(total.steps()),
                    updated=rec["updated"],
                )
            )
        return out

    def due(self, now: float, limit: int = 20) -> list[DueRun]:
        """Rounds due per route and building: last submitted run + the checklist's period."""
        last: dict[tuple[str, str], float] = {}
        with self._lock:
            for rec in self.journal.all("inspection"):
                if rec["status"] == "submitted":
                    key = (rec["checklist_id"], rec["target_id"])
                    last[key] = max(last.get(key, 0.0), rec["submitted"])
        out = []
        places = [t for t in self.targets() if t.kind in ("route", "building")]
        for checklist in self.checklists().values():
            period = period_seconds(checklist.every)
            if period is None:
                continue
            for target in places:
                if not applies(checklist, target):
                    continue
                done = last.get((checklist.id, target.id))
                due_at = done + period if done else now
                if due_at <= now + DAY:
                    out.append(
                        DueRun(
                            checklist_id=checklist.id,
                            title=checklist.title.to_dict(),
                            target=target,
                            due=due_at,
                            overdue=done is not None and due_at < now,
                            last_run=done,
                        )
                    )
        out.sort(key=lambda d: (not d.overdue, d.due, d.target.code))
        return out[:limit]

    # -- targets, search, scan ---------------------------------------------------------

    def targets(self) -> list[Target]:
        with self._lock:
            if self._targets is None:
                found: list[Target] = []
                for kind in ("building", "route", "unit", "asset"):
                    for rec in self.journal.all(kind):
                        found.append(
                            Target(
                                id=rec["id"],
                                kind=kind,
                                code=rec["code"],
                                name=rec["name"],
                                building=rec.get("building", ""),
                                asset_kind=rec.get("asset_kind", ""),
                                route=rec.get("route", ""),
                            )
                        )
                self._targets = found
                self._by_code = {t.code.lower(): t for t in found}
            return self._targets

    def target(self, target_id: str) -> Target | None:
        return next((t for t in self.targets() if t.id == target_id), None)

    def search(self, query: str, kinds: tuple[str, ...] = (), limit: int = 50) -> list[Target]:
        """Targets whose code, name (either language) or pinyin initials contain ``query``."""
        needle = query.strip().lower().replace(" ", "")
        out: list[Target] = []
        for target in self.targets():
            if kinds and target.kind not in kinds:
                continue
            if needle:
                names = " ".join(target.name.values())
                hay = f"{target.code} {names} {initials(names)}".lower().replace(" ", "")
                if needle not in hay:
                    continue
            out.append(target)
            if len(out) >= limit:
                break
        return out

    def lookup_scan(self, code: str) -> ScanLookup:
        """What a scanned label names. Never changes anything."""
        code = code.strip()
        if not SCAN_PATTERN.match(code):
            return ScanLookup(code=code, status="malformed")
        self.targets()
        key = code.lower()
        for prefix in ("fk:", "unit:", "asset:", "bldg:"):
            if key.startswith(prefix):
                key = key[len(prefix) :]
        target = self._by_code.get(key)
        return ScanLookup(code=code, status="found" if target else "unknown", target=target)

    # -- cases -------------------------------------------------------------------------

    def _cases(self) -> list[dict[str, Any]]:
        if self._cases_newest is None:
            self._cases_newest = sorted(
                self.journal.all("case"), key=lambda c: c["id"], reverse=True
            )
        return self._cases_newest

    def cases_page(
        self, flt: CaseFilter, offset: int = 0, limit: int = 50, now: float | None = None
    ) -> CasePage:
        with self._lock:
            return case_rules.page(self._cases(), flt, offset, limit, now)

    def case(self, case_id: str, now: float | None = None) -> CaseView | None:
        with self._lock:
            record = self.journal.get("case", case_id)
        return case_rules.view(record, time.time() if now is None else now) if record else None

    def move_case(self, case_id: str, status: str, reason: str = "") -> CaseView:
        now = time.time()
        with self._lock:
            record = self.journal.get("case", case_id)
            if record is None:
                raise case_rules.CaseError("services.case.not_found")
            self._save_case(case_rules.moved(record, status, reason, now))
        return case_rules.view(self.journal.get("case", case_id), now)

    def add_case_note(self, case_id: str, text: str, kind: str = "note") -> CaseView:
        now = time.time()
        with self._lock:
            record = self.journal.get("case", case_id)
            if record is None:
                raise case_rules.CaseError("services.case.not_found")
            self._save_case(case_rules.noted(record, kind, text, now))
        return case_rules.view(self.journal.get("case", case_id), now)

    def _save_case(self, record: dict[str, Any]) -> None:
        self.journal.put([("case", record["id"], record)])
        cases = self._cases()
        for i, old in enumerate(cases):
            if old["id"] == record["id"]:
                cases[i] = record
                break

    def new_case(
        self,
        *,
        title: dict[str, str],
        target: Target,
        department: str,
        severity: str,
        due_in: str,
        kind: str = "finding",
        inspection_id: str | None = None,
        item_key: str = "",
        now: float | None = None,
    ) -> dict[str, Any]:
        """A case record (not yet saved): routed, numbered, with its ``raised`` event."""
        now = time.time() if now is None else now
        if department not in case_rules.DEPARTMENTS:
            raise case_rules.CaseError("services.case.bad_department", value=department)
        if severity not in case_rules.SEVERITIES:
            raise case_rules.CaseError("services.case.bad_severity", value=severity)
        try:
            due = now + case_rules.due_seconds(due_in)
        except ValueError:
            raise case_rules.CaseError("services.case.bad_due", value=due_in) from None
        return {
            "id": new_id(),
            "number": self.journal.count("case") + 1,
            "kind": kind,
            "title": title,
            "target_id": target.id,
            "target_label": target.code,
            "building": target.building or (target.code if target.kind == "building" else ""),
            "department": department,
            "severity": severity,
            "status": "open",
            "created": now,
            "updated": now,
            "due": due,
            "inspection_id": inspection_id,
            "item": item_key,
            "events": [{"at": now, "kind": "raised", "status": "open", "text": ""}],
        }

    def save_cases(self, records: list[dict[str, Any]], extra: list | None = None) -> None:
        """Save new cases (and any other records, e.g. the inspection) in one durable write."""
        with self._lock:
            self.journal.put([*(extra or []), *(("case", r["id"], r) for r in records)])
            cases = self._cases()
            cases[:0] = sorted(records, key=lambda c: c["id"], reverse=True)

    # -- home --------------------------------------------------------------------------

    def sync_state(self) -> SyncState:
        return SyncState(available=False)

    def home(self, now: float | None = None) -> HomeSummary:
        now = time.time() if now is None else now
        page = self.cases_page(CaseFilter(status="open"), 0, HOME_CASES, now)
        return HomeSummary(
            due=tuple(self.due(now)),
            drafts=tuple(self.drafts()),
            cases=page.rows,
            sync=self.sync_state(),
        )

    def invalidate(self) -> None:
        with self._lock:
            self._targets = None
            self._cases_newest = None
