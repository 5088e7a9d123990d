"""What the device's commands share on top of :mod:`fieldkit.i18n.parser` (the parser both
command lines use): an error said in the user's language, and a command made of actions."""

from __future__ import annotations

import argparse
import functools
import sys

from fieldkit.i18n import t


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
