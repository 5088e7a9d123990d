"""``fieldkit export`` and ``fieldkit doctor``: get every record out; check a data folder."""

from __future__ import annotations

import functools
import os
import sys
from contextlib import suppress
from pathlib import Path

from fieldkit.cli.parser import error
from fieldkit.i18n import plural, t
from fieldkit.i18n.roles import role_name
from fieldkit.model import RECORD_TYPES

FORMATS = ("jsonl", "csv", "xlsx")
# Every record type the model knows, plus checklists (kept as plain dicts).
KINDS = (*RECORD_TYPES, "checklist")


def register(subparsers) -> None:
    export = subparsers.add_parser(
        "export", help=t("store.export.help"), description=t("store.export.description")
    )
    export.add_argument(
        "--format", choices=FORMATS, default="jsonl", help=t("store.export.format_help")
    )
    export.add_argument(
        "--kind",
        action="append",
        metavar="KIND",
        help=t("store.export.kind_help", kinds=", ".join(KINDS)),
    )
    export.add_argument("--out", metavar="FILE", help=t("store.export.out_help"))
    export.add_argument(
        "--from", dest="start", metavar="YYYY-MM-DD", help=t("retention.export.from_help")
    )
    export.add_argument(
        "--to", dest="end", metavar="YYYY-MM-DD", help=t("retention.export.to_help")
    )
    export.add_argument("--full", action="store_true", help=t("store.export.full_help"))
    export.add_argument("--reason", metavar="TEXT", default="", help=t("store.export.reason_help"))
    export.set_defaults(handler=export_command)

    doctor = subparsers.add_parser(
        "doctor", help=t("store.doctor.help"), description=t("store.doctor.description")
    )
    doctor.set_defaults(handler=doctor_command)


def _progress(label_key: str):
    if not sys.stderr.isatty():
        return None

    def show(step: int, total: int, what: str) -> None:
        end = "\n" if step >= total else ""
        line = t(label_key, step=step, total=total, what=what)
        print("\r\x1b[K" + line, end=end, file=sys.stderr)  # a shorter line leaves no tail

    return show


def _kinds(args) -> list[str] | None:
    if not args.kind:
        return None
    kinds = [k.strip() for raw in args.kind for k in raw.split(",") if k.strip()]
    unknown = [k for k in kinds if k not in KINDS]
    if unknown:
        error(t("store.export.bad_kind", kind=unknown[0], kinds=", ".join(KINDS)))
        return []
    return kinds


def _period(args):
    """The period asked for with --from/--to (either may be left open), None for all; an
    exit code after saying why when a date is not one or the period runs backwards."""
    import re
    from datetime import date

    found: list[date | None] = []
    for option, value in (("--from", args.start), ("--to", args.end)):
        if value is None:
            found.append(None)
            continue
        try:
            if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
                raise ValueError(value)
            found.append(date.fromisoformat(value.strip()))
        except ValueError:
            error(t("retention.export.bad_date", option=option, value=value))
            return 2
    start, end = found
    if start is None and end is None:
        return None
    if start is not None and end is not None and start > end:
        error(t("retention.export.backwards", start=start.isoformat(), end=end.isoformat()))
        return 2
    return start, end


def _open_for_reading(data_dir: Path, command: str):
    """The store, or a read-only snapshot when the app holds the folder; None on failure."""
    from fieldkit.store import Store, StoreError, StoreLocked

    try:
        return Store.open(data_dir, command=command)
    except StoreLocked as exc:
        print(
            t("store.cli.snapshot", pid=exc.params["pid"], command=exc.params["command"]),
            file=sys.stderr,
        )
    except StoreError as exc:
        error(exc.message())
        return None
    try:
        return Store.open(data_dir, readonly=True)
    except StoreError as exc:
        error(exc.message())
        return None


def _what_to_write(args, store, data_dir: Path, kinds: list[str] | None):
    """(kinds, shown, note) for this device's role, or an exit code when refused: what
    its screens show, masked (:func:`~fieldkit.model.personal.as_shown`); every personal
    value as stored only with ``--full`` on the office's device, for a reason, recorded
    before anything is written. The reveal log is the office's to read."""
    from fieldkit.model.personal import as_shown
    from fieldkit.services import reveals
    from fieldkit.services.device_role import device_role
    from fieldkit.services.workspace import Workspace

    ws = Workspace(data_dir, store)
    role = device_role(ws)
    office = reveals.AUDITOR
    if role != office:
        if kinds and "reveal" in kinds:
            error(reveals.RevealError("store.export.reveals_office", role=role, office=office)
                 .message())  # fmt: skip
            return 2
        kinds = kinds or [k for k in KINDS if k != "reveal"]
    if not args.full:
        note = "store.export.masked_office" if role == office else "store.export.masked"
        shown = functools.partial(as_shown, role=role)
        return kinds, shown, t(note, role=role_name(role), office=role_name(office))
    if not reveals.may_export_full(role):
        error(reveals.RevealError("reveals.error.full_export", role=role, office=office).message())
        return 2
    if not args.reason.strip():
        error(t("store.export.full_reason"))
        return 2
    if store.readonly:
        error(t("store.export.full_locked"))
        return 2
    try:
        record = reveals.log_export(ws, kinds or list(KINDS), args.reason)
    except reveals.RevealError as exc:
        error(exc.message())
        return 2
    return kinds, None, t("store.export.full_done", by=record.by, reason=record.reason)


def export_command(args, ctx) -> int:
    kinds = _kinds(args)
    if kinds == []:
        return 2
    period = _period(args)
    if isinstance(period, int):
        return period
    data_dir = ctx.data_dir
    if not (data_dir / "active.json").exists():
        error(t("store.cli.no_store", path=str(data_dir)))
        return 2
    store = _open_for_reading(data_dir, "fieldkit export")
    if store is None:
        return 1
    try:
        chosen = _what_to_write(args, store, data_dir, kinds)
        if isinstance(chosen, int):
            return chosen
        kinds, shown, note = chosen
        count, failed = _write(args, store, kinds, shown, data_dir, period)
    finally:
        store.close()
    if count is None:
        return failed
    print(note, file=sys.stderr)
    if period is not None:
        start, end = (d.isoformat() if d else None for d in period)
        key = "period" if start and end else "period_from" if start else "period_to"
        print(t(f"retention.export.{key}", start=start, end=end), file=sys.stderr)
    print(plural("store.export.done", count), file=sys.stderr)
    return 0


def _to_file(target: Path, write) -> int:
    """``write(out)`` into ``target``, which is replaced only once the file is whole."""
    from fieldkit.store.atomic import replace, temp_path
    from fieldkit.store.modes import open_file

    tmp = temp_path(target)
    try:
        with os.fdopen(open_file(tmp), "wb") as out:  # owner-only: it holds personal data
            count = write(out)
            out.flush()
            os.fsync(out.fileno())
        replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
    return count


def _write(args, store, kinds, shown, data_dir: Path, period) -> tuple[int | None, int]:
    """Export to ``--out`` (replaced only once whole) or stdout: (how many records, 0), or
    (None, the exit code) after saying why not."""
    from fieldkit.store import StoreError
    from fieldkit.store.export import export

    progress = _progress("store.export.progress")
    out = Path(args.out) if args.out else None
    try:
        if args.format != "jsonl":
            return _write_sheets(args, store, kinds, shown, data_dir, progress, period)
        if out is not None:
            return _to_file(out, lambda f: export(store, f, kinds, progress, shown, period)), 0
        count = export(store, sys.stdout.buffer, kinds, progress, shown, period)
        sys.stdout.flush()
        return count, 0
    except BrokenPipeError:
        raise  # the reader of stdout went away (| head): the command ends quietly
    except OSError as exc:
        error(t("store.export.cannot_write", path=args.out, reason=exc.strerror or exc))
        return None, 2
    except StoreError as exc:
        error(exc.message())
        return None, 1


def _write_sheets(args, store, kinds, shown, data_dir, progress, period) -> tuple[int | None, int]:
    """A workbook (xlsx, to a file), or CSV: one kind to a file or stdout, several to a
    folder, one file per kind (``case.csv`` ...)."""
    from fieldkit.i18n import get_language
    from fieldkit.reports.spreadsheet import write_csv, write_xlsx
    from fieldkit.services.sheets import owners_of, sheets
    from fieldkit.services.workspace import Workspace
    from fieldkit.store.export import chosen, records

    wanted = chosen(kinds)
    out = Path(args.out) if args.out else None
    if args.format == "xlsx" and out is None:
        error(t("store.export.xlsx_needs_file"))
        return None, 2
    single = len(wanted) == 1 and (out is None or out.suffix.lower() == ".csv")
    if args.format == "csv" and out is None and not single:
        error(t("store.export.csv_needs_folder"))
        return None, 2
    found = records(store, wanted, progress, shown, period)
    ws = Workspace(data_dir, store)
    # every flat's owner, whatever the period: the registry is given whole
    owners = owners_of(d for _, d in records(store, ["resident"], None, shown)) if (
        "unit" in wanted) else {}  # fmt: skip
    tables = sheets(found, wanted, get_language(), places=ws.places,
                    checklists=ws.checklists().values(), ws=ws, owners=owners)  # fmt: skip
    count = sum(len(s.rows) for s in tables)
    if args.format == "xlsx":
        _to_file(out, lambda f: write_xlsx(tables, f))
    elif out is None:
        write_csv(tables[0], sys.stdout.buffer)
        sys.stdout.flush()
    elif single:
        _to_file(out, lambda f: write_csv(tables[0], f))
    else:
        from fieldkit.store.modes import make_dir

        make_dir(out)  # 0700: the sheets hold personal data
        for table in tables:
            _to_file(out / f"{table.name}.csv", lambda f, table=table: write_csv(table, f))
        print(t("store.export.csv_folder", path=str(out), count=len(tables)), file=sys.stderr)
    return count, 0


def doctor_command(args, ctx) -> int:
    from fieldkit.store.doctor import diagnose

    report = diagnose(ctx.data_dir, _progress("store.doctor.progress"))
    print(t("store.doctor.checking", path=str(ctx.data_dir)))
    if report.snapshot is not None:
        print(
            t(
                "store.cli.snapshot",
                pid=report.snapshot.get("pid", "?"),
                command=report.snapshot.get("command", "?"),
            )
        )
    marks = {
        "ok": t("store.doctor.mark_ok"),
        "fixed": t("store.doctor.mark_fixed"),
        "problem": t("store.doctor.mark_problem"),
    }
    from fieldkit.i18n import get_language
    from fieldkit.sync.enrolment import check

    report.findings += check(ctx.data_dir, report.device_state or None, lang=get_language(),
                             configured=ctx.config.server_url)  # fmt: skip
    retention_lines: list[str] = []
    if (ctx.data_dir / "active.json").exists():  # else doctor said there is no data here
        from fieldkit.services.lifecycle import check_kept

        report.findings += check_kept(ctx.data_dir, repair=report.snapshot is None)
        found, retention_lines = _workspace_checks(ctx.data_dir, report.snapshot is None)
        report.findings += found
    for finding in report.findings:
        print(f"  {marks[finding.level]} {finding.message()}")
    for line in retention_lines:
        print(line)
    problems = len(report.problems)
    if problems:
        print(plural("store.doctor.summary_problems", problems))
        return 1
    print(t("store.doctor.summary_ok"))
    return 0


def _workspace_checks(data_dir: Path, repair: bool) -> tuple[list, list[str]]:
    """What doctor reads through the app's own services, on one read-only open of the
    store: the counts of the rounds in progress kept for the home's start against a count
    made now (``services.draft_progress.check``), and what the device holds against the
    retention rules. Nothing when there is no store to read (doctor has said why)."""
    from fieldkit.services import draft_progress, retention
    from fieldkit.services.workspace import Workspace
    from fieldkit.store import Store, StoreError

    try:
        store = Store.open(data_dir, readonly=True)
    except StoreError:
        return [], []
    findings: list = []
    try:
        ws = Workspace(data_dir, store)  # the compound's clock, for the dates
        with suppress(StoreError):
            findings = draft_progress.check(ws, repair=repair)
        return findings, retention.report(store)
    except (StoreError, OSError) as exc:
        reason = exc.message() if isinstance(exc, StoreError) else str(exc)
        return findings, [t("retention.doctor.cannot_read", reason=reason)]
    finally:
        store.close()
