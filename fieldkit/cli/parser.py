"""An argparse parser whose help and errors speak the user's language."""

from __future__ import annotations

import argparse
import functools
import sys

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
    def add_usage(self, usage, actions, groups, prefix=None):  # type: ignore[override]
        if prefix is None:  # argparse passes "" when it builds a subcommand's prog
            prefix = t("cli.usage")
        return super().add_usage(usage, actions, groups, prefix)


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


def error(message: str) -> None:
    """Say on stderr, in the user's language, why a command did not do its work."""
    print(t("cli.error_prefix") + message, file=sys.stderr)


def command_group(subparsers, name: str, keys: str):
    """A command whose work is in its actions (``fieldkit qr labels`` / ``qr decode``): its
    help and description are ``<keys>.help`` and ``<keys>.description``, and given no action
    it prints its usage and ``<keys>.no_action`` and exits 2. Returns the subparsers its
    actions are added to."""
    group = subparsers.add_parser(
        name, help=t(f"{keys}.help"), description=t(f"{keys}.description")
    )
    group.set_defaults(handler=functools.partial(_no_action, group, f"{keys}.no_action"))
    return group.add_subparsers(dest="action", metavar="ACTION", parser_class=type(group))


def _no_action(group: argparse.ArgumentParser, key: str, args, ctx) -> int:
    group.print_usage(sys.stderr)
    print(t(key), file=sys.stderr)
    return 2
