"""The ``fieldkit`` command line.

Each command group is a module here with ``register(subparsers)``; its handlers take
``(args, ctx)`` and return an exit code. Heavy imports happen inside handlers, so
``fieldkit --help`` stays quick and the device never loads what a command does not need.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from fieldkit.cli.parser import error
from fieldkit.config import (
    Config,
    ConfigError,
    language_from_environment,
    load_config,
    normalise_language,
)
from fieldkit.i18n import set_language, t
from fieldkit.i18n.parser import (
    Parser,
    add_to_every_command,
    end_quietly_on_broken_pipe,
    install_argparse_translations,
    prescan_language,
    without_language,
)

log = logging.getLogger("fieldkit.cli")


class _Version(argparse.Action):
    """``--version``, reading the installed version only when asked (it costs a metadata
    lookup that every other launch, the app's included, would pay for nothing)."""

    def __init__(self, option_strings: Sequence[str], dest: str, help: str | None = None):
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS, help=help)

    def __call__(self, parser, namespace, values, option_string=None) -> None:
        import fieldkit

        print(f"fieldkit {fieldkit.__version__}")
        parser.exit()


COMMAND_MODULES: tuple[str, ...] = (
    "fieldkit.cli.app",
    "fieldkit.cli.checklist",
    "fieldkit.cli.store",
    "fieldkit.cli.reveals",
    "fieldkit.cli.sync",
    "fieldkit.cli.qr",
    "fieldkit.cli.report",
    "fieldkit.cli.lifecycle",
    "fieldkit.cli.equipment",
)


@dataclass
class Context:
    """What every command handler gets besides its arguments."""

    config: Config

    @property
    def data_dir(self) -> Path:
        return self.config.data_dir

    def start_logging(self, data_dir: Path | None = None) -> Path:
        """Log to ``data_dir`` (default: the data folder): the demo moves its log to the
        device it opens, then back to its own folder."""
        from fieldkit.logs import setup_logging

        return setup_logging(data_dir or self.data_dir)


#: The module of the command that opens the app: all a launch of the app needs to parse.
APP_MODULE = "fieldkit.cli.app"


def opens_the_app(argv: Sequence[str]) -> bool:
    """Whether ``argv`` is a launch of the app (``fieldkit``, ``fieldkit app``, with
    ``--lang`` anywhere) rather than a command or a request for help: then the other
    commands' modules are not imported (they cost a tenth of a second and more, before the
    first screen)."""
    return without_language(argv)[1] in ([], ["app"])


def build_parser(ctx: Context, modules: Sequence[str] = COMMAND_MODULES) -> Parser:
    parser = Parser(
        prog="fieldkit",
        description=t("cli.description"),
        epilog=t("cli.epilog", data_dir=str(ctx.data_dir)),
    )
    parser.add_argument("--version", action=_Version, help=t("cli.version_help"))
    parser.add_argument("--lang", metavar="zh|en", help=t("cli.lang_help"))
    sub = parser.add_subparsers(dest="command", title=t("cli.commands"), metavar="COMMAND")
    for name in modules:
        importlib.import_module(name).register(sub)
    add_to_every_command(parser, "--lang", metavar="zh|en", help=t("cli.lang_help"))
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    asked = prescan_language(argv)
    lang = normalise_language(asked) if asked else None
    set_language(lang or language_from_environment())
    if asked and lang is None:
        error(t("cli.bad_lang", value=asked))
        return 2
    try:
        config = load_config()
    except ConfigError as exc:
        error(t(exc.key, **exc.params))
        return 2
    set_language(lang or config.language or language_from_environment())
    install_argparse_translations()

    ctx = Context(config=config)
    parser = build_parser(ctx, (APP_MODULE,) if opens_the_app(argv) else COMMAND_MODULES)
    args = parser.parse_args(argv)
    handler = getattr(args, "handler", None)
    if handler is None and sys.stdin.isatty() and sys.stdout.isatty():
        from fieldkit.cli.app import run_app

        handler = run_app  # bare `fieldkit` in a terminal opens the app
    if handler is None:
        print(t("cli.no_command"), file=sys.stderr)
        return 2
    log_path = ctx.start_logging()
    try:
        code = int(handler(args, ctx) or 0)
        sys.stdout.flush()  # a closed pipe shows here, not at exit after the return
        return code
    except KeyboardInterrupt:
        print(t("cli.interrupted"), file=sys.stderr)
        return 130
    except BrokenPipeError:
        end_quietly_on_broken_pipe()
        return 0
    except Exception as exc:  # the last guard: a person gets a sentence, the log a traceback
        log.exception("unexpected error in %s", args.command)
        print(t("cli.unexpected", error=exc, log=str(log_path)), file=sys.stderr)
        return 70
