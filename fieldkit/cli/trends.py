"""``fieldkit report trends``, ``fieldkit report handover`` and ``fieldkit report week``
(added to the report group)."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

from fieldkit.cli.parser import cannot_write, error
from fieldkit.i18n import get_language, t


def register_reports(kinds) -> None:
    """Add the subcommands to ``fieldkit report``'s subparsers."""
    trends = kinds.add_parser(
        "trends", help=t("trends.cli.trends_help"), description=t("trends.cli.trends_description")
    )
    trends.add_argument(
        "--by", choices=("category", "building", "month"), default="category",
        help=t("trends.cli.by_help"),
    )  # fmt: skip
    trends.add_argument("--since", metavar="YYYY-MM-DD", help=t("trends.cli.since_help"))
    trends.add_argument(
        "--format", choices=("text", "csv", "html", "pdf"), default="text",
        help=t("trends.cli.format_help"),
    )  # fmt: skip
    trends.add_argument(
        "--output", "-o", type=Path, metavar="FILE", help=t("trends.cli.output_help")
    )
    trends.set_defaults(handler=trends_command)
    handover = kinds.add_parser(
        "handover",
        help=t("trends.cli.handover_help"),
        description=t("trends.cli.handover_description"),
    )
    handover.add_argument("--hours", default="12", help=t("trends.cli.hours_help"))
    handover.add_argument("--next", default="12", dest="next_hours", help=t("trends.cli.next_help"))
    handover.add_argument(
        "--format", choices=("text", "md", "html", "pdf"), default="text",
        help=t("trends.cli.handover_format_help"),
    )  # fmt: skip
    handover.add_argument(
        "--output", "-o", type=Path, metavar="FILE", help=t("trends.cli.output_help")
    )
    handover.set_defaults(handler=handover_command)
    week = kinds.add_parser("week", help=t("week.cli.help"), description=t("week.cli.description"))
    week.add_argument("--from", dest="start", metavar="YYYY-MM-DD", help=t("week.cli.from_help"))
    week.add_argument("--to", dest="end", metavar="YYYY-MM-DD", help=t("week.cli.to_help"))
    week.add_argument("--format", choices=("text", "md", "pdf"), default="text",
                      help=t("week.cli.format_help"))  # fmt: skip
    week.add_argument("--output", "-o", type=Path, metavar="FILE", help=t("trends.cli.output_help"))
    week.set_defaults(handler=week_command)


def _open(ctx):
    from fieldkit.store import Store, StoreError

    if not (ctx.data_dir / "active.json").exists():
        error(t("trends.cli.no_data"))
        return None
    try:
        return Store.open(ctx.data_dir, readonly=True)
    except StoreError as exc:
        error(t("trends.cli.store_problem", error=exc.message()))
        return None


def _emit_made(make: Callable[[], str | bytes], output: Path | None) -> int:
    """:func:`_emit` what ``make`` renders; a PDF with its fonts missing is said, not raised."""
    from fieldkit.reports.fonts import FontsMissing

    try:
        text = make()
    except FontsMissing as exc:
        error(exc.message())
        return 1
    return _emit(text, output)


def _emit(text: str | bytes, output: Path | None) -> int:
    """Print the report, or write it whole to ``output`` (a PDF must go to a file)."""
    if output is None:
        if isinstance(text, bytes):
            error(t("incidents.cli.pdf_needs_file"))
            return 2
        sys.stdout.write(text)
        return 0
    from fieldkit.store.atomic import atomic_write

    try:
        atomic_write(output, text if isinstance(text, bytes) else text.encode("utf-8"))
    except OSError as exc:
        cannot_write(output, exc)
        return 1
    print(t("trends.cli.written", path=str(output)))
    return 0


def trends_command(args, ctx) -> int:
    from datetime import date

    from fieldkit.services import trends as tr
    from fieldkit.services.workspace import Workspace

    since = None
    if args.since:
        try:
            since = date.fromisoformat(args.since)
        except ValueError:
            error(t("trends.cli.bad_since", value=args.since))
            return 2
    if args.format == "pdf" and args.output is None:
        error(t("incidents.cli.pdf_needs_file"))
        return 2
    store = _open(ctx)
    if store is None:
        return 2
    try:
        ws = Workspace(ctx.data_dir, store)
        result = tr.device_trends(ws, args.by, since)
        names = tr.category_names(ws=ws)
    finally:
        store.close()
    lang = get_language()
    if args.format == "csv":
        return _emit(tr.to_csv(result, lang, names), args.output)
    if args.format == "html":
        return _emit(tr.to_html(result, lang, names), args.output)
    if args.format == "pdf":
        return _emit_made(lambda: tr.to_pdf(result, lang, names), args.output)
    return _emit(tr.to_text(result, names), args.output)


def handover_command(args, ctx) -> int:
    from fieldkit.services.handover import of_device, render, render_pdf
    from fieldkit.services.workspace import Workspace

    hours: list[float] = []
    for raw in (args.hours, args.next_hours):
        try:
            value = float(raw)
        except ValueError:
            value = -1
        if not value > 0:
            error(t("trends.cli.bad_hours", value=raw))
            return 2
        hours.append(value)
    store = _open(ctx)
    if store is None:
        return 2
    if args.format == "pdf" and args.output is None:
        error(t("incidents.cli.pdf_needs_file"))
        return 2
    lang = get_language()
    try:
        h = of_device(Workspace(ctx.data_dir, store), shift_hours=hours[0],
                      next_hours=hours[1], lang=lang)  # fmt: skip
    finally:
        store.close()
    return _emit_made(
        lambda: render_pdf(h, lang) if args.format == "pdf" else render(h, args.format, lang),
        args.output,
    )


def week_command(args, ctx) -> int:
    import time
    from datetime import date, timedelta

    from fieldkit.services import equipment, weekly
    from fieldkit.services.workspace import Workspace

    days: list[date | None] = []
    for raw in (args.start, args.end):
        try:
            days.append(date.fromisoformat(raw) if raw else None)
        except ValueError:
            error(t("week.cli.bad_date", value=raw))
            return 2
    if args.format == "pdf" and args.output is None:
        error(t("incidents.cli.pdf_needs_file"))
        return 2
    store = _open(ctx)
    if store is None:
        return 2
    lang = get_language()
    try:
        ws = Workspace(ctx.data_dir, store)
        now = time.time()
        today = equipment.today(ws, now)
        if days == [None, None]:
            start, end = weekly.calendar_week(today)
        else:  # a day given: the other as before (to today, from the six days before)
            end = days[1] or today
            start = days[0] or end - timedelta(days=6)
        if start > end:
            error(t("week.cli.backwards", start=start.isoformat(), end=end.isoformat()))
            return 2
        report = weekly.week(ws, start, end, now, lang)
    finally:
        store.close()
    return _emit_made(lambda: weekly.render(report, args.format, lang), args.output)
