"""``fieldkit enroll URL CODE`` and ``fieldkit sync``: the device side of office sync."""

from __future__ import annotations

import sys

from fieldkit.i18n import plural, t


def register(subparsers) -> None:
    enroll = subparsers.add_parser(
        "enroll", help=t("sync.cli.enroll_help"), description=t("sync.cli.enroll_description")
    )
    enroll.add_argument("url", metavar="URL", help=t("sync.cli.url_help"))
    enroll.add_argument("code", metavar="CODE", help=t("sync.cli.code_help"))
    enroll.add_argument("--ca", metavar="FILE", help=t("trust.enrol.ca_help"))
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
        NeedsEnrolment,
        Offline,
        RateLimited,
        SyncRefused,
        enroll_device,
    )

    url = args.url if "://" in args.url else f"http://{args.url}"
    try:
        creds = enroll_device(ctx.data_dir, url, args.code, lang=get_language(), ca=args.ca)
    except RateLimited as exc:
        print(t("trust.enrol.refused", reason=exc), file=sys.stderr)
        return 1
    except Offline as exc:
        print(t("trust.enrol.offline", url=url, reason=exc), file=sys.stderr)
        return 1
    except (SyncRefused, NeedsEnrolment) as exc:
        print(t("trust.enrol.refused", reason=exc), file=sys.stderr)
        return 2
    from fieldkit.i18n.roles import role_name

    role = role_name(creds.role)
    print(t("sync.cli.enrolled", name=creds.name, site=creds.site, role=role, url=creds.url))
    return 0


def _sync(args, ctx) -> int:
    from fieldkit.i18n import get_language
    from fieldkit.store import Store
    from fieldkit.store.errors import StoreError
    from fieldkit.sync.client import (
        Credentials,
        NeedsEnrolment,
        Offline,
        SyncError,
        SyncRefused,
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
        report = sync_and_recover(store, creds, lang=get_language())
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
        print(t("sync.cli.reenrol", reason=exc), file=sys.stderr)
        return 1
    except Offline as exc:
        print(t("sync.cli.offline", url=creds.url, reason=exc), file=sys.stderr)
        return 1
    except SyncRefused as exc:
        print(t("sync.cli.refused", reason=exc), file=sys.stderr)
        return 1
    finally:
        store.close()
    print(
        t(
            "sync.cli.done",
            pushed=report.acknowledged,
            rejected=report.rejected,
            uploaded=report.uploaded,
            pulled=report.pulled,
            pending=pending,
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
    if attention:
        print(plural("sync.cli.attention", attention))
        return 1
    return 0


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
