"""``fieldkit reveals``: the reveal log, for the office — who saw which resident's personal
data in full, when, why and under which incident (:mod:`fieldkit.services.reveals`)."""

from __future__ import annotations

import sys

from fieldkit.cli.parser import error
from fieldkit.i18n import get_language, plural, t

FORMATS = ("text", "csv")


def register(subparsers) -> None:
    command = subparsers.add_parser(
        "reveals", help=t("reveals.cli.help"), description=t("reveals.cli.description")
    )
    command.add_argument("--since", metavar="YYYY-MM-DD", default="",
                         help=t("reveals.cli.since_help"))  # fmt: skip
    command.add_argument("--format", choices=FORMATS, default="text",
                         help=t("reveals.cli.format_help"))  # fmt: skip
    command.set_defaults(handler=reveals_command)


def reveals_command(args, ctx) -> int:
    from fieldkit.cli.store import _open_for_reading
    from fieldkit.reports.reveals import to_csv, to_text
    from fieldkit.services import reveals
    from fieldkit.services.workspace import Workspace

    data_dir = ctx.data_dir
    if not (data_dir / "active.json").exists():
        error(t("store.cli.no_store", path=str(data_dir)))
        return 2
    store = _open_for_reading(data_dir, "fieldkit reveals")
    if store is None:
        return 1
    try:
        rows = reveals.listing(Workspace(data_dir, store), args.since)
    except reveals.RevealError as exc:
        error(exc.message())
        return 2
    finally:
        store.close()
    render = to_csv if args.format == "csv" else to_text
    sys.stdout.write(render(rows, get_language()))
    print(plural("reveals.cli.count", len(rows)), file=sys.stderr)
    return 0
