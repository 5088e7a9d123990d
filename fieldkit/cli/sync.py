"""``fieldkit enroll URL CODE`` and ``fieldkit sync``: the device side of office sync."""

from __future__ import annotations

import sys

from fieldkit.i18n import t


def register(subparsers) -> None:
    enroll = subparsers.add_parser(
        "enroll", help=t("sync.cli.enroll_help"), description=t("sync.cli.enroll_description")
    )
    enroll.add_argument("url", metavar="URL", help=t("sync.cli.url_help"))
    enroll.add_argument("code", metavar="CODE", help=t("sync.cli.code_help"))
    enroll.set_defaults(handler=_enroll)

    sync = subparsers.add_parser(
        "sync", help=t("sync.cli.sync_help"), description=t("sync.cli.sync_description")
    )
    sync.set_defaults(handler=_sync)


def _enroll(args, ctx) -> int:
    from fieldkit.i18n import get_language
    from fieldkit.sync.client import NeedsEnrolment, Offline, SyncRefused, enroll_device

    url = args.url if "://" in args.url else f"http://{args.url}"
    try:
        creds = enroll_device(ctx.data_dir, url, args.code, lang=get_language())
    except Offline as exc:
        print(t("sync.cli.offline", url=url, reason=exc), file=sys.stderr)
        return 1
    except (SyncRefused, NeedsEnrolment) as exc:
        print(t("sync.cli.refused", reason=exc), file=sys.stderr)
        return 2
    from fieldkit.services.role_names import role_name

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
        sync_store,
    )

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
        report = sync_store(store, creds, lang=get_language())
        if store.damage():
            store.damage_recovered()  # what fell back to a previous copy is filled in again
        attention = len(
            [
                d
                for d in store.needs_attention()
                if not (d.get("kind") == "damage" and d.get("recovered"))
            ]
        )
        pending = store.outbox_count()
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
    if attention:
        print(t("sync.cli.attention", count=attention))
        return 1
    return 0
