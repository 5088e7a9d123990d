"""Check a data folder: files readable, records valid, blobs intact, outbox consistent.

:func:`diagnose` returns :class:`Finding` items; ``level`` is "ok", "fixed" (opening the
store repaired it, e.g. stale temp files removed, an interrupted archive finished) or
"problem". Each carries an i18n message key under ``store.doctor``. If another fieldkit
process holds the folder, the check reads a snapshot and repairs nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fieldkit.model import REFERENCE_ENTITIES, ModelError, is_uuid7, record_from_dict
from fieldkit.store import damage as damage_rules
from fieldkit.store import lock as folder_lock
from fieldkit.store import months
from fieldkit.store.errors import BlobError, StoreError, StoreLocked
from fieldkit.store.files import StoreFile
from fieldkit.store.last_runs import LAST_RUN, build
from fieldkit.store.layout import ACTIVE, ARCHIVE_DIR, LIVE_ENTITIES, REFERENCE, month_of
from fieldkit.store.store import Store

Progress = Callable[[int, int, str], None]

NOTICE_LEVELS = {
    "store.notice.temps_removed": "fixed",
    "store.notice.reconciled": "fixed",
    "store.notice.used_previous": "problem",
    "store.notice.damaged": "problem",
    "store.notice.archive_failed": "problem",
    "store.notice.journal_torn": "fixed",
    "store.notice.journal_damaged": "problem",
    "store.notice.journal_writing": "ok",  # read from a folder the app holds: not torn
}


@dataclass(frozen=True)
class Finding:
    level: str
    key: str
    params: dict = field(default_factory=dict)

    def message(self) -> str:
        from fieldkit.i18n import t

        return t(self.key, **self.params)


@dataclass
class Report:
    findings: list[Finding] = field(default_factory=list)
    snapshot: dict | None = None  # the lock holder when the folder was read read-only
    device_state: dict = field(default_factory=dict)  # what sync keeps there, for its checks

    @property
    def problems(self) -> list[Finding]:
        return [f for f in self.findings if f.level == "problem"]

    def add(self, level: str, key: str, **params: object) -> None:
        self.findings.append(Finding(level, key, params))


def _open(data_dir: Path, report: Report) -> Store | None:
    try:
        if folder_lock.is_locked(data_dir):
            raise StoreLocked(str(data_dir), folder_lock.holder_info(data_dir))
        return Store.open(data_dir, command="fieldkit doctor")
    except StoreLocked as exc:
        report.snapshot = exc.holder
    except StoreError as exc:
        report.add("problem", exc.key, **exc.params)
        return None
    try:
        return Store.open(data_dir, readonly=True)
    except StoreError as exc:
        report.add("problem", exc.key, **exc.params)
        return None


def diagnose(data_dir: Path, progress: Progress | None = None) -> Report:
    report = Report()
    if not (data_dir / ACTIVE).exists() and not (data_dir / (ACTIVE + ".prev")).exists():
        report.add("problem", "store.doctor.no_store", path=str(data_dir))
        return report
    store = _open(data_dir, report)
    if store is None:
        return report
    try:
        _check(store, report, progress)
        report.device_state = store.device_state()
    finally:
        store.close()
    return report


def _open_every_file(store: Store) -> None:
    """Open the reference data and every archive month through the store first: a file
    that falls back to its previous copy on opening becomes a needs-attention entry now, so
    it is reported below with what may be missing — never found after the report was made
    (which would say "no problems" while the copy in use lacks the last change)."""
    with suppress(StoreError):  # reported where the reference data is read
        store._ref()
    for month in store.archive_months():
        with suppress(StoreError):  # reported where the month is read
            store._archive(month)


def _check(store: Store, report: Report, progress: Progress | None) -> None:
    _open_every_file(store)
    for notice in store.notices:
        if notice.key in damage_rules.FALLBACK_NOTICES and not store.readonly:
            continue  # a needs-attention entry now: reported below with what may be missing
        report.add(NOTICE_LEVELS.get(notice.key, "problem"), notice.key, **notice.params)
    damaged = _check_damage(store, report)
    attachments: set[str] = set()
    months = store.archive_months()
    steps = len(months) + 3
    live = 0
    runs: list[dict] | None = list(store._table("inspection").docs().values())
    for entity in LIVE_ENTITIES:
        for doc_id, doc in store._table(entity).docs().items():
            live += 1
            _check_record(report, ACTIVE, entity, doc_id, doc, attachments)
    report.add("ok", "store.doctor.file_ok", path=ACTIVE, count=live)
    if progress:
        progress(1, steps, ACTIVE)
    for n, month in enumerate(months, start=2):
        name = f"{ARCHIVE_DIR}/{month}.json"
        try:
            file = StoreFile(
                store.data_dir / ARCHIVE_DIR / f"{month}.json",
                "archive",
                readonly=True,
                create=False,
                notices=(notes := []),
            )
        except StoreError as exc:
            report.add("problem", exc.key, **exc.params)
            runs = None  # a month unread: the index cannot be checked against it
            continue
        for notice in notes:
            report.add("problem", notice.key, **notice.params)
        count = 0
        tables = {entity: dict(file.table(entity).docs().items()) for entity in LIVE_ENTITIES}
        if runs is not None:
            runs.extend(tables["inspection"].values())
        for entity, docs in tables.items():
            for doc_id, doc in docs.items():
                count += 1
                _check_record(report, name, entity, doc_id, doc, attachments)
                if month_of(doc_id) != month:
                    report.add("problem", "store.doctor.wrong_month", path=name, id=doc_id)
        report.add("ok", "store.doctor.file_ok", path=name, count=count)
        tables = _check_month_index(store, report, month, name, tables)
        _check_keys(store, report, name, "archive", tables,
                    lambda m=month: store.rebuild_month_index(m))  # fmt: skip
        if progress:
            progress(n, steps, name)
    try:
        ref_count = 0
        for entity in REFERENCE_ENTITIES:
            for doc_id, doc in store._ref().table(entity).docs().items():
                ref_count += 1
                _check_record(report, REFERENCE, entity, doc_id, doc, attachments)
        checklists = len(store._ref().table("checklist").docs())  # what a sync counts too
        report.add("ok", "store.doctor.reference_ok", path=REFERENCE, count=ref_count,
                   checklists=checklists)  # fmt: skip
        if store._ref().exists:
            tables = {n: store._ref().table(n).docs() for n in (*REFERENCE_ENTITIES, "checklist")}
            _check_keys(store, report, REFERENCE, "reference", tables,
                        store.rebuild_reference_index)  # fmt: skip
    except StoreError as exc:
        report.add("problem", exc.key, **exc.params)
    if progress:
        progress(steps - 1, steps, REFERENCE)
    if runs is not None:
        _check_last_runs(store, report, runs)
    _check_outbox(store, report, attachments)
    _check_blobs(store, report, attachments, progress)
    _what_is_missing(store, report, damaged, attachments)
    if progress:
        progress(steps, steps, "blobs")


#: Reads of a month a read-only check makes, at most, while the app holding the folder
#: writes it, before it believes what it read.
REREADS = 3


def _check_month_index(
    store: Store, report: Report, month: str, name: str, tables: dict[str, dict]
) -> dict[str, dict]:
    """A month's table of contents and case index against its records (``tables``, as
    read above: both are in the month's own bytes, so they disagree only if something else
    wrote the file); written again from the records when missing or wrong, unless the
    folder is only read. A folder the app holds may have had the month rewritten between
    the two reads (a submit moving cases into it): its records are read again, at most
    :data:`REREADS` times, before its index is called wrong. Returns the records believed."""
    path = store._month_path(month)
    try:
        has, agrees = months.check(path, tables)
        for _ in range(REREADS if store.readonly else 0):
            if not has or agrees:
                break
            file = StoreFile(path, "archive", readonly=True, create=False, notices=[])
            tables = {entity: dict(file.table(entity).docs().items()) for entity in LIVE_ENTITIES}
            has, agrees = months.check(path, tables)
    except (OSError, ValueError, StoreError):
        return tables  # an unreadable month is reported where it is read
    if has and agrees:
        return tables
    key = "store.doctor.month_index_differs" if has else "store.doctor.month_index_missing"
    if store.readonly:
        report.add("problem" if has else "ok", key, path=name)
        return tables
    try:
        store.rebuild_month_index(month)
    except (StoreError, OSError) as exc:
        report.add("problem", key, path=name)
        report.add("problem", "store.doctor.month_index_unwritten", path=name, reason=str(exc))
        return tables
    report.add("fixed", "store.doctor.month_index_rebuilt", path=name)
    return tables


def _check_keys(
    store: Store,
    report: Report,
    name: str,
    kind: str,
    tables: dict[str, Any],
    rebuild: Callable[[], None],
) -> None:
    """A file's keyed index (what a scan and a flat's card read, :mod:`fieldkit.store.
    keyed`) against its records (``tables``, as read above); written again from the records
    when missing or wrong, unless the folder is only read."""
    try:
        agrees = months.check_keys(store.data_dir / name, kind, tables)
    except (OSError, ValueError):
        return  # an unreadable file is reported where it is read
    if agrees:
        return
    key = "store.doctor.keys_missing" if agrees is None else "store.doctor.keys_differ"
    if store.readonly:
        report.add("ok" if agrees is None else "problem", key, path=name)
        return
    try:
        rebuild()
    except (StoreError, OSError) as exc:
        report.add("problem", key, path=name)
        report.add("problem", "store.doctor.keys_unwritten", path=name, reason=str(exc))
        return
    report.add("fixed", "store.doctor.keys_rebuilt", path=name)


def _check_record(
    report: Report, where: str, entity: str, doc_id: str, doc: dict, attachments: set[str]
) -> None:
    try:
        record = record_from_dict(entity, doc)
    except ModelError as exc:
        report.add("problem", "store.doctor.bad_record", path=where, id=doc_id, reason=str(exc))
        return
    if record.id != doc_id:
        report.add("problem", "store.doctor.bad_record", path=where, id=doc_id, reason="id")
    attachments.update(_attachments_of(doc))


def _attachments_of(doc: dict) -> set[str]:
    found: set[str] = set()
    for answer in (doc.get("answers") or {}).values():
        found.update(a["sha256"] for a in answer.get("attachments") or [])
    for event in (doc.get("events") or []) + (doc.get("timeline") or []):
        found.update(a["sha256"] for a in event.get("attachments") or [])
    return found


def _check_last_runs(store: Store, report: Report, runs: list[dict]) -> None:
    """The last-run index against one rebuilt from the records just read; rebuilt when it
    differs or waits for its rebuild (unless the folder is only read)."""
    expected = build(runs)
    if store.last_runs_current:
        differ = sum(
            1
            for key in expected.keys() | store._table(LAST_RUN).docs().keys()
            if expected.get(key) != store._table(LAST_RUN).doc(key)
        )
        if not differ:
            report.add("ok", "store.doctor.last_runs_ok", count=len(expected))
            return
        report.add("problem", "store.doctor.last_runs_differ", count=differ)
    if not store.readonly:
        try:
            store.rebuild_last_runs()
        except StoreError as exc:
            report.add("problem", exc.key, **exc.params)
            return
        report.add("fixed", "store.doctor.last_runs_rebuilt", count=len(expected))


def _check_outbox(store: Store, report: Report, attachments: set[str]) -> None:
    state = store.device_state()
    device_seq = int(state.get("seq", 0))
    seqs: dict[int, str] = {}
    entries = list(store._table("outbox").docs().items())
    bad = 0
    for op, entry in entries:
        reason = None
        if not is_uuid7(op) or entry.get("op") != op:
            reason = "op id"
        elif not isinstance(entry.get("seq"), int) or not 0 < entry["seq"] <= device_seq:
            reason = f"sequence {entry.get('seq')} (device is at {device_seq})"
        elif entry["seq"] in seqs:
            reason = f"sequence {entry['seq']} used twice"
        elif entry.get("entity") not in LIVE_ENTITIES:
            reason = f"entity {entry.get('entity')!r}"
        else:
            try:
                doc = store._doc(entry["entity"], entry.get("id", ""))
            except StoreError as exc:
                doc, reason = {}, exc.message()
            if doc is None and not store.deleted(entry["entity"], entry.get("id", "")):
                reason = f"its {entry['entity']} {entry.get('id')} is not on this device"
        if reason:
            bad += 1
            report.add("problem", "store.doctor.bad_outbox", op=op, reason=reason)
        else:
            seqs[entry["seq"]] = op
    if not bad:
        report.add("ok", "store.doctor.outbox_ok", count=len(entries), seq=device_seq)
    attention = len([d for d in store.needs_attention() if d.get("kind") != damage_rules.KIND])
    if attention:
        report.add("problem", "store.doctor.attention", count=attention)


def _check_blobs(
    store: Store, report: Report, referenced: set[str], progress: Progress | None
) -> None:
    present = list(store.blobs.all())
    bad = 0
    for sha in present:
        try:
            store.blobs.verify(sha)
        except BlobError as exc:
            bad += 1
            report.add("problem", exc.key, **exc.params)
    missing = sorted(referenced - set(present))
    unsent = _unsent_attachments(store)
    lost = [sha for sha in missing if sha in unsent]
    for sha in lost:
        report.add("problem", "attachments.doctor.lost", sha256=sha)
    if len(missing) > len(lost):
        # Named only by records the office already holds: it accepted each of them only
        # with its files, so they are on the server, fetched when shown or by a sync.
        report.add("ok", "attachments.doctor.not_downloaded_count", count=len(missing) - len(lost))
    if not bad and not lost:
        report.add("ok", "store.doctor.blobs_ok", count=len(present))


def _unsent_attachments(store: Store) -> set[str]:
    """Files named by changes still waiting in the outbox: the office may not have them."""
    found: set[str] = set()
    for entry in store._table("outbox").docs().values():
        try:
            doc = store._outbox_record(entry)
        except (StoreError, KeyError):
            continue
        found.update(_attachments_of(doc))
    return found


def _check_damage(store: Store, report: Report) -> set[str]:
    """Each fallback to a previous copy is a problem until the office has filled in what
    it lacked (then it is listed as fixed until a person confirms it on the needs-attention
    list). Returns the parts still lacking something: active, reference, archive."""
    lacking: set[str] = set()
    for found in store.damage():
        text = damage_rules.describe(found, store.data_dir)
        if found.get("recovered"):
            report.add("fixed", "damage.doctor.recovered", text=text)
            continue
        report.add("problem", "damage.doctor.fallback", text=text)
        name = str(found.get("file", ""))
        lacking.add(name if name in (ACTIVE, REFERENCE) else ARCHIVE_DIR)
    return lacking


def _what_is_missing(store: Store, report: Report, lacking: set[str], referenced: set[str]) -> None:
    """Where the copy in use can be seen to lack something: photos no record names (the
    lost change attached them), records on places the register no longer has."""
    if ACTIVE in lacking:
        orphans = sorted(set(store.blobs.all()) - referenced)
        if orphans:
            names = ", ".join(sha[:12] for sha in orphans[:5])
            report.add("problem", "damage.doctor.orphan_photos", count=len(orphans), names=names)
    if REFERENCE in lacking:
        known: set[str] = set()
        for entity in ("site", "building", "unit", "asset", "checkpoint"):
            known.update(store._ref().table(entity).docs().keys())
        missing: list[str] = []
        for entity in ("case", "inspection"):
            for doc in store._table(entity).docs().values():
                target = (doc.get("target") or {}).get("id")
                if target and target not in known and target not in missing:
                    missing.append(target)
        if missing:
            ids = ", ".join(m[-8:] for m in missing[:5])
            report.add("problem", "damage.doctor.missing_places", count=len(missing), ids=ids)
