"""An argparse parser whose help and errors speak the user's language, for both command
lines (``fieldkit`` and the office server's ``fieldkit-server``, which may not import
``fieldkit.cli``), and what both do alike: ``--lang`` read before parsing, options that go
before or after the command, a pipe closed early (``| head``) ending quietly."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from fieldkit.i18n import get_language, t

# argparse looks its own strings up through ``argparse._`` at run time; these are the ones
# a user meets. Each maps argparse's English text to a key in ``cli.toml``'s [argparse].
_ARGPARSE_STRINGS = {
    "the following arguments are required: %s": "required",
    "unrecognized arguments: %s": "unrecognized",
    "argument %(argument_name)s: %(message)s": "argument",
    "expected one argument": "expected_one",
    "expected at least one argument": "expected_at_least_one",
    "invalid choice: %(value)r (choose from %(choices)s)": "invalid_choice",
    "invalid %(type)s value: %(value)r": "invalid_value",
    "ambiguous option: %(option)s could match %(matches)s": "ambiguous",
    "show program's version number and exit": "version",
    "show this help message and exit": "help",
    "positional arguments": "positionals",
    "options": "options",
    "usage: ": "usage",
}


def _translate(message: str) -> str:
    key = _ARGPARSE_STRINGS.get(message)
    if key is None or get_language() == "en":
        return message
    return t(f"cli.argparse.{key}")


def install_argparse_translations() -> None:
    argparse._ = _translate  # type: ignore[attr-defined]


class _Formatter(argparse.RawDescriptionHelpFormatter):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._headings: list[str] = []

    def add_usage(self, usage, actions, groups, prefix=None):  # type: ignore[override]
        if prefix is None:  # argparse passes "" when it builds a subcommand's prog
            prefix = t("cli.usage")
        return super().add_usage(usage, actions, groups, prefix)

    def start_section(self, heading) -> None:  # type: ignore[override]
        if heading:
            self._headings.append(heading)
        super().start_section(heading)

    def format_help(self) -> str:
        """argparse ends each section's heading with an ASCII colon; Chinese text takes the
        full-width one (选项：)."""
        text = super().format_help()
        if get_language() == "zh":
            for heading in self._headings:
                text = text.replace(f"{heading}:\n", f"{heading}：\n")
        return text


class Parser(argparse.ArgumentParser):
    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("formatter_class", _Formatter)
        kwargs["add_help"] = False
        super().__init__(*args, **kwargs)
        self._positionals.title = t("cli.positionals")
        self._optionals.title = t("cli.optionals")
        self.add_argument("-h", "--help", action="help", help=t("cli.help_help"))

    def error(self, message: str):  # type: ignore[override]
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: {t('cli.error_prefix')}{message}\n")

    def add_subparsers(self, **kwargs):  # type: ignore[override]
        kwargs.setdefault("parser_class", Parser)
        return super().add_subparsers(**kwargs)


def add_to_every_command(parser: argparse.ArgumentParser, *flags: str, **kwargs) -> None:
    """Accept the option ``flags`` (already on ``parser``) after every command and
    subcommand too, so ``fieldkit sync --lang zh`` works as ``fieldkit --lang zh sync``
    does. After a command it wins; left out there, the value before the command stays (the
    subcommands' default is SUPPRESS, so they never overwrite it)."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in dict.fromkeys(action.choices.values()):  # aliases share a parser
                if not any(f in sub._option_string_actions for f in flags):
                    sub.add_argument(*flags, **{**kwargs, "default": argparse.SUPPRESS})
                add_to_every_command(sub, *flags, **kwargs)


def without_language(argv: Sequence[str]) -> tuple[str | None, list[str]]:
    """``--lang`` found before parsing, wherever it stands (the help text itself depends on
    it; given twice, the last one, as argparse would take it), and the words without it."""
    found, words = None, []
    args = iter(enumerate(argv))
    for i, arg in args:
        if arg == "--":
            words += argv[i:]
            break
        if arg == "--lang" and i + 1 < len(argv):
            found = argv[i + 1]
            next(args)
        elif arg.startswith("--lang="):
            found = arg.split("=", 1)[1]
        else:
            words.append(arg)
    return found, words


def prescan_language(argv: Sequence[str]) -> str | None:
    return without_language(argv)[0]


def end_quietly_on_broken_pipe() -> None:
    """After a ``BrokenPipeError`` (the reader, e.g. ``| head -1``, went away): point stdout
    at the null device, so the interpreter's last flush at exit does not print a second
    traceback. The command then ends with status 0, as ``ls | head -1`` does."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):  # no real stdout (a test's capture): nothing to flush
        pass
