"""``fieldkit report incident ID --format md|html|pdf [--output FILE]``.

Reads a read-only snapshot of the data folder, so it works while the app has it open.
"""

from __future__ import annotations

import sys
from pathlib import Path

from fieldkit.cli.parser import cannot_write, error
from fieldkit.i18n import get_language, t

FORMATS = ("md", "html", "pdf")


def register(subparsers) -> None:
    report = subparsers.add_parser(
        "report",
        help=t("incidents.cli.report_help"),
        description=t("incidents.cli.report_description"),
    )
    kinds = report.add_subparsers(
        dest="report_kind", required=True, metavar="incident|trends|handover|week"
    )
    incident = kinds.add_parser(
        "incident",
        help=t("incidents.cli.incident_help"),
        description=t("incidents.cli.incident_description"),
    )
    incident.add_argument("id", nargs="?", metavar="ID", help=t("incidents.cli.id_help"))
    incident.add_argument(
        "--format", choices=FORMATS, default="md", help=t("incidents.cli.format_help")
    )
    incident.add_argument(
        "--output", "-o", type=Path, metavar="FILE", help=t("incidents.cli.output_help")
    )
    incident.add_argument(
        "--list", action="store_true", dest="list_incidents", help=t("incidents.cli.list_help")
    )
    incident.set_defaults(handler=report_incident)
    from fieldkit.cli.trends import register_reports

    register_reports(kinds)


def report_incident(args, ctx) -> int:
    from fieldkit.reports.fonts import FontsMissing
    from fieldkit.services import incidents
    from fieldkit.services.incident_report import render
    from fieldkit.services.notices import local_time
    from fieldkit.services.types import pick
    from fieldkit.services.workspace import Workspace
    from fieldkit.store import Store, StoreError
    from fieldkit.store.atomic import atomic_write

    data_dir = ctx.data_dir
    if not (data_dir / "active.json").exists():
        error(t("incidents.cli.list_empty"))
        return 1 if args.list_incidents else 2
    try:
        store = Store.open(data_dir, readonly=True)
    except StoreError as exc:
        error(t("incidents.cli.store_problem", error=exc.message()))
        return 1
    ws = Workspace(data_dir, store)
    lang = get_language()
    try:
        if args.list_incidents or not args.id:
            listed = incidents.rows(ws, incidents.all_incidents(ws))
            if not listed:
                print(t("incidents.cli.list_empty"))
                return 0 if args.list_incidents else 2
            for row in listed:
                print(
                    t("incidents.cli.list_line", ref=row.ref, type=pick(row.type, lang),
                      place=pick(row.where, lang),
                      severity=t(f"incidents.severity.{row.severity}"),
                      status=t(f"incidents.status.{row.status}"),
                      started=local_time(row.started_at, lang))
                )  # fmt: skip
            return 0 if args.list_incidents else 2
        incident = incidents.find(ws, args.id)
        if incident is None:
            error(t("incidents.cli.not_found", ref=args.id))
            return 2
        if args.format == "pdf" and args.output is None:
            error(t("incidents.cli.pdf_needs_file"))
            return 2
        try:
            data = render(ws, incident.id, args.format, lang)
        except FontsMissing as exc:
            error(exc.message())
            return 1
        if args.output is None:
            sys.stdout.write(data.decode("utf-8"))
            return 0
        try:
            atomic_write(args.output, data)
        except OSError as exc:
            cannot_write(args.output, exc)
            return 1
        print(t("incidents.cli.written", path=str(args.output)))
        return 0
    finally:
        store.close()
