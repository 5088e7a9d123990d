"""``fieldkit lifecycle validate [FILE]``: check the case lifecycle file."""

from __future__ import annotations

import json
from pathlib import Path

from fieldkit.cli.parser import command_group, error
from fieldkit.i18n import t


def register(subparsers) -> None:
    actions = command_group(subparsers, "lifecycle", "lifecycle.cli")
    validate = actions.add_parser(
        "validate",
        help=t("lifecycle.cli.validate_help"),
        description=t("lifecycle.cli.validate_description"),
    )
    validate.add_argument("file", nargs="?", metavar="FILE", help=t("lifecycle.cli.file_help"))
    validate.add_argument(
        "--format", choices=("text", "json"), default="text", help=t("lifecycle.cli.format_help")
    )
    validate.set_defaults(handler=validate_command)


def validate_command(args, ctx) -> int:
    from fieldkit.checklists.lifecycle import load_lifecycle_file
    from fieldkit.services.lifecycle import lifecycle_path

    path = Path(args.file) if args.file else lifecycle_path(ctx.data_dir)
    if not path.is_file():
        error(t("lifecycle.cli.missing", path=path))
        return 2
    result = load_lifecycle_file(path)
    if args.format == "json":
        doc = {
            "path": str(path),
            "ok": result.ok,
            "diagnostics": [d.to_dict() for d in result.diagnostics],
        }
        print(json.dumps(doc, ensure_ascii=False, indent=2))
    else:
        for d in result.diagnostics:
            print(d.render())
        if result.ok and result.lifecycles is not None:
            kinds = result.lifecycles.kinds
            moves = sum(len(k.moves) for k in kinds.values())
            print(t("lifecycle.cli.ok", path=path, kinds=len(kinds), moves=moves))
    return 0 if result.ok else 1
