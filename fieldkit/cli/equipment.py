"""``fieldkit equipment due --days 30|60|90 [--format text|csv]``: equipment due for service
or to be scrapped. Reads a read-only snapshot of the data folder (works while the app runs)."""

from __future__ import annotations

import csv
import sys
import time

from fieldkit.cli.parser import command_group, error
from fieldkit.i18n import plural, t


def register(subparsers) -> None:
    actions = command_group(subparsers, "equipment", "rules.equipment.cli")
    due = actions.add_parser(
        "due", help=t("rules.equipment.cli.due_help"), description=t("rules.equipment.cli.due_help")
    )
    due.add_argument(
        "--days",
        type=int,
        choices=(30, 60, 90),
        default=30,
        help=t("rules.equipment.cli.days_help"),
    )
    due.add_argument(
        "--format",
        choices=("text", "csv"),
        default="text",
        help=t("rules.equipment.cli.format_help"),
    )
    due.set_defaults(handler=due_command)


def due_command(args, ctx) -> int:
    from fieldkit.services import equipment
    from fieldkit.services.types import pick
    from fieldkit.services.workspace import Workspace
    from fieldkit.store import Store

    if not (ctx.data_dir / "active.json").exists():
        error(t("rules.equipment.cli.no_data"))
        return 2
    store = Store.open(ctx.data_dir, readonly=True)
    try:
        ws = Workspace(ctx.data_dir, store)
        now = time.time()
        day = equipment.today(ws, now)
        items = equipment.due(ws, args.days, now)
        rows = [
            (
                item.dates.asset.code,
                pick(item.dates.type.names),
                equipment.what_words(item),
                item.on.isoformat(),
                item.left(day),
                pick(item.dates.asset.name),
            )
            for item in items
        ]
    finally:
        store.close()
    if args.format == "csv":
        out = csv.writer(sys.stdout, lineterminator="\n")
        out.writerow(t("rules.equipment.cli.csv_head").split(","))
        out.writerows(rows)
        return 0
    if not rows:
        print(t("rules.equipment.cli.none", days=args.days))
        return 0
    print(plural("rules.equipment.cli.head", len(rows), days=args.days))
    width = max(len(r[0]) for r in rows)
    for code, _kind, what, on, left, place in rows:
        print(f"  {code:<{width}}  {on}  {equipment.left_words(left)} · {what} · {place}")
    return 0
