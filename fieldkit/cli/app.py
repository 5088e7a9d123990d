"""``fieldkit app`` opens the app on the data folder; ``fieldkit demo`` makes a demo compound
in a folder of its own and opens the app on it."""

from __future__ import annotations

import sys
from pathlib import Path

from fieldkit.i18n import get_language, t

DEMO_FOLDER = "demo"


def register(subparsers) -> None:
    app = subparsers.add_parser(
        "app", help=t("ui.cli.app_help"), description=t("ui.cli.app_description")
    )
    app.set_defaults(handler=run_app)
    demo = subparsers.add_parser(
        "demo", help=t("ui.cli.demo_help"), description=t("ui.cli.demo_description")
    )
    demo.add_argument("--folder", type=Path, metavar="DIR", help=t("ui.cli.demo_folder_help"))
    demo.add_argument(
        "--cases", type=int, default=120, metavar="N", help=t("ui.cli.demo_cases_help")
    )
    demo.add_argument("--no-open", action="store_true", help=t("ui.cli.demo_no_open_help"))
    demo.set_defaults(handler=run_demo)


def run_app(args, ctx) -> int:
    if not sys.stdout.isatty():
        print(t("ui.cli.app_no_terminal"), file=sys.stderr)
        return 2
    from fieldkit.ui.app import run_app as run

    return run(
        ctx.data_dir,
        lang=get_language(),
        theme=ctx.config.theme,
        watch_folder=_watch(ctx),
        scan_gap_ms=ctx.config.scan_gap_ms,
        scan_prefix=ctx.config.scan_prefix,
    )


def run_demo(args, ctx) -> int:
    from fieldkit.services.demo import generate

    folder: Path = args.folder or ctx.data_dir / DEMO_FOLDER
    if args.cases < 0:
        print(t("cli.error_prefix") + t("ui.cli.demo_bad_cases"), file=sys.stderr)
        return 2
    if not (folder / "reference.json").exists():
        counts = generate(folder, cases=args.cases)
        print(
            t("services.demo.made", path=str(folder), buildings=counts["building"],
              units=counts["unit"], assets=counts["asset"], cases=counts["case"])
        )  # fmt: skip
    if args.no_open:
        return 0
    if not sys.stdout.isatty():
        print(t("ui.cli.app_no_terminal"), file=sys.stderr)
        return 2
    from fieldkit.ui.app import run_app as run

    return run(
        folder,
        lang=get_language(),
        theme=ctx.config.theme,
        watch_folder=_watch(ctx),
        scan_gap_ms=ctx.config.scan_gap_ms,
        scan_prefix=ctx.config.scan_prefix,
    )


def _watch(ctx) -> Path | None:
    folder = ctx.config.watch_folder
    return Path(folder).expanduser() if folder else None
