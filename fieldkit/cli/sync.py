"""``fieldkit enroll URL CODE`` and ``fieldkit sync``: the device side of office sync."""

from __future__ import annotations

import sys

from fieldkit.i18n import plural, t


def register(subparsers) -> None:
    enroll = subparsers.add_parser(
        "enroll", help=t("sync.cli.enroll_help"), description=t("sync.cli.enroll_description")
    )
    enroll.add_argument("url", metavar="URL", nargs="?", help=t("sync.cli.url_help"))
    enroll.add_argument("code", metavar="CODE", nargs="?", help=t("sync.cli.code_help"))
    enroll.add_argument("--ca", metavar="FILE", help=t("trust.enrol.ca_help"))
    enroll.add_argument("--move-to", metavar="URL", help=t("sync.cli.move_help"))
    enroll.set_defaults(handler=_enroll)

    sync = subparsers.add_parser(
        "sync", help=t("sync.cli.sync_help"), description=t("sync.cli.sync_description")
    )
    from fieldkit.config import PREFETCH_DEFAULT_MB, PREFETCH_MAX_MB

    sync.add_argument(
        "--prefetch-mb",
        type=lambda text: _megabytes(text, PREFETCH_MAX_MB),
        metavar="MB",
        help=t("attachments.sync.prefetch_help", default=PREFETCH_DEFAULT_MB),
    )
    sync.set_defaults(handler=_sync)


def _megabytes(text: str, most: int) -> int:
    import argparse

    if not text.isdigit() or int(text) > most:
        raise argparse.ArgumentTypeError(f"0 .. {most}")
    return int(text)


def _enroll(args, ctx) -> int:
    from fieldkit.i18n import get_language
    from fieldkit.sync.client import (
        CAUnreadable,
        Credentials,
        NeedsEnrolment,
        Offline,
        RateLimited,
        SyncError,
        SyncRefused,
        Untrusted,
        enroll_device,
    )
    from fieldkit.sync.enrolment import normalise_url

    if args.move_to:
        if args.url or args.code:
            print(t("sync.cli.url_or_move"), file=sys.stderr)
            return 2
        return _move(args, ctx)
    if not args.url:
        print(t("sync.cli.url_or_move"), file=sys.stderr)
        return 2
    code = args.code or _ask_code()
    if not code:
        print(t("sync.cli.no_code"), file=sys.stderr)
        return 2
    url = normalise_url(args.url)
    lang = get_language()
    try:
        before = Credentials.load(ctx.data_dir)
    except SyncError:
        before = None
    try:
        creds = enroll_device(ctx.data_dir, url, code, lang=lang, ca=args.ca)
    except CAUnreadable as exc:
        print(t("trust.enrol.bad_ca", reason=exc.reason()), file=sys.stderr)
        return 2
    except RateLimited as exc:
        print(t("trust.enrol.refused", reason=exc.reason()), file=sys.stderr)
        return 1
    except (Offline, Untrusted) as exc:
        key = "trust.enrol.offline" if isinstance(exc, Offline) else "trust.enrol.untrusted"
        print(t(key, url=url, reason=exc.reason(enrolling=True)), file=sys.stderr)
        print(_standing(before), file=sys.stderr)
        return 1
    except (SyncRefused, NeedsEnrolment) as exc:
        print(t("trust.enrol.refused", reason=exc), file=sys.stderr)
        print(_standing(before), file=sys.stderr)
        return 2
    from fieldkit.i18n.roles import role_name

    role = role_name(creds.role)
    print(t("sync.cli.enrolled", name=creds.name, site=creds.site, role=role, url=creds.url))
    if before is not None and before.device_id != creds.device_id:
        print(t("sync.cli.replaced", name=before.name, device_id=before.device_id))
    return 0


def _standing(before) -> str:
    """Whether this device is enrolled after an enrolment that did not happen: an enrolled
    device is never told it is not."""
    if before is None:
        return t("trust.enrol.not_yet")
    return t("trust.enrol.still", name=before.name, url=before.url)


def _ask_code() -> str:
    """The enrolment code, typed or scanned (a scanner types the QR's text and Enter)."""
    try:
        if sys.stdin.isatty():
            return input(t("sync.cli.ask_code")).strip()
        return sys.stdin.readline().strip()
    except (EOFError, OSError):
        return ""


def _move(args, ctx) -> int:
    from fieldkit.i18n import get_language
    from fieldkit.i18n.roles import role_name
    from fieldkit.sync.client import CAUnreadable, Credentials, SyncError
    from fieldkit.sync.enrolment import move_to, normalise_url

    url = normalise_url(args.move_to)
    try:
        before = Credentials.load(ctx.data_dir)
    except SyncError as exc:
        print(t("sync.cli.bad_credentials", reason=exc), file=sys.stderr)
        return 2
    if before is None:
        print(t("sync.cli.not_enrolled"), file=sys.stderr)
        return 2
    try:
        moved = move_to(ctx.data_dir, url, args.ca, get_language())
    except CAUnreadable as exc:
        print(t("trust.enrol.bad_ca", reason=exc.reason()), file=sys.stderr)
        return 2
    except SyncError as exc:
        print(t("sync.cli.move_failed", url=url, reason=exc.reason(), old=before.url),
              file=sys.stderr)  # fmt: skip
        return 1
    creds = moved.creds
    print(t("sync.cli.moved", url=creds.url, name=creds.name, role=role_name(creds.role),
            site=creds.site))  # fmt: skip
    if creds.ca_file:
        print(t("sync.cli.checks_pinned", path=creds.ca_file))
    elif creds.url.startswith("https://"):
        print(t("sync.cli.checks_system"))
    else:
        print(t("sync.cli.checks_nothing"))
    return 0


def _sync(args, ctx) -> int:
    from fieldkit.i18n import get_language
    from fieldkit.store import Store
    from fieldkit.store.errors import StoreError
    from fieldkit.sync.client import (
        CAUnreadable,
        Credentials,
        NeedsEnrolment,
        Offline,
        SyncError,
        SyncRefused,
        Untrusted,
        sync_and_recover,
    )
    from fieldkit.sync.stamps import MAX_AHEAD_MS, describe_ahead

    try:
        creds = Credentials.load(ctx.data_dir)
    except SyncError as exc:
        print(t("sync.cli.bad_credentials", reason=exc), file=sys.stderr)
        return 2
    if creds is None:
        print(t("sync.cli.not_enrolled"), file=sys.stderr)
        return 2
    try:
        store = Store.open(ctx.data_dir, command="fieldkit sync")
    except StoreError as exc:
        print(exc.message(), file=sys.stderr)
        return 1
    try:
        line = _ProgressLine()
        try:
            report = sync_and_recover(store, creds, lang=get_language(), progress=line.step)
        finally:
            line.end()
        attention = len(
            [
                d
                for d in store.needs_attention()
                if not (d.get("kind") == "damage" and d.get("recovered"))
            ]
        )
        pending = store.outbox_count()
        budget = args.prefetch_mb if args.prefetch_mb is not None else ctx.config.prefetch_mb
        fetched = _prefetch(store, creds, budget * 1024 * 1024)
    except NeedsEnrolment as exc:
        print(exc.reason(), file=sys.stderr)
        return 1
    except Offline as exc:
        print(t("sync.cli.offline", url=creds.url, reason=exc.reason()), file=sys.stderr)
        return 1
    except (Untrusted, CAUnreadable) as exc:
        print(t("sync.cli.untrusted", url=creds.url, reason=exc.reason()), file=sys.stderr)
        if isinstance(exc, CAUnreadable):
            print(t("sync.cli.ca_again", url=creds.url), file=sys.stderr)
        return 1
    except SyncRefused as exc:
        print(t("sync.cli.refused", reason=exc), file=sys.stderr)
        return 1
    finally:
        store.close()
    sent = "sync.cli.sent_refused" if report.rejected else "sync.cli.sent"
    print(
        t(
            "sync.cli.done",
            sent=plural(
                sent, report.acknowledged, refused=report.rejected, count=f"{report.acknowledged:,}"
            ),
            uploaded=plural("sync.cli.uploaded", report.uploaded),
            received=plural("sync.cli.received", report.pulled, count=f"{report.pulled:,}"),
            waiting=plural("sync.cli.waiting", pending, count=f"{pending:,}"),
            seconds=f"{report.seconds:.2f}",
        )
    )
    skew = report.clock_skew_ms
    if skew is not None and abs(skew) > MAX_AHEAD_MS:
        print(t("trust.enrol.clock_skew", skew=describe_ahead(abs(skew), get_language())))
    if fetched is not None and (fetched.fetched or fetched.left):
        size = f"{fetched.bytes / 1024 / 1024:.1f} MB"
        print(t("attachments.sync.prefetched", count=fetched.fetched, size=size,
                left=fetched.left))  # fmt: skip
    if report.held:
        print(plural("attachments.sync.held", report.held))
    if attention:
        print(plural("sync.cli.attention", attention))
        return 1
    return 1 if report.held else 0


class _ProgressLine:
    """How far the round has come, on one line of the terminal rewritten at each step
    (nothing when stderr is not a terminal: a script reads the summary on stdout)."""

    def __init__(self) -> None:
        from fieldkit.services.sync_progress import SyncProgress

        self.shown = False
        self.step = SyncProgress(self._say) if sys.stderr.isatty() else None

    def _say(self, text: str) -> None:
        sys.stderr.write(f"\r\x1b[K{text}")
        sys.stderr.flush()
        self.shown = True

    def end(self) -> None:
        if self.shown:  # the last step stays on screen, above the summary
            sys.stderr.write("\n")
            sys.stderr.flush()


def _prefetch(store, creds, budget: int):
    """Photos of open cases within the budget; a failure here never fails the sync (they
    are fetched when shown)."""
    from fieldkit.i18n import get_language
    from fieldkit.services.attachments import prefetch
    from fieldkit.sync.client import SyncError, client_for

    client = client_for(creds, get_language())
    try:
        return prefetch(store, client, budget)
    except SyncError:
        return None
    finally:
        client.close()
