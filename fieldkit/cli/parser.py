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


def cannot_write(path, exc: OSError) -> None:
    """Say why a report could not be written to ``path`` (``-o``): its folder missing, no
    right to write there, else the system's reason — not the data folder's problem, nor
    the temporary file's name (nc34)."""
    from pathlib import Path

    folder = Path(path).parent
    if isinstance(exc, FileNotFoundError) and not folder.is_dir():
        error(t("cli.output.no_folder", path=str(path), folder=str(folder)))
    elif isinstance(exc, PermissionError):
        error(t("cli.output.no_right", path=str(path)))
    else:
        error(t("cli.output.failed", path=str(path), reason=exc.strerror or str(exc)))


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
