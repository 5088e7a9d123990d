"""``fieldkit-server``: serve, migrate, enroll, devices, revoke, publish, import, report,
reveals, attachments sweep, blobs migrate, user (the office console's accounts).

Options every command takes, before or after it: ``--data DIR`` (or
``FIELDKIT_SERVER_DIR``), ``--db URL`` (or ``FIELDKIT_SERVER_DB``; with neither, SQLite in
the data folder) and ``--lang zh|en``. The parser is the device's (``fieldkit.i18n.parser``),
so argparse's own words are in the user's language too. Exit codes as for ``fieldkit``: 0
done, 1 found problems, 2 bad usage or input.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from fieldkit.config import language_from_environment, normalise_language
from fieldkit.i18n import plural, set_language, t
from fieldkit.i18n.parser import (
    Parser,
    add_to_every_command,
    end_quietly_on_broken_pipe,
    install_argparse_translations,
    prescan_language,
)
from fieldkit.i18n.roles import role_name
from fieldkit.sync.protocol import ROLES

DEFAULT_PORT = 8470
#: The console's roles (``fieldkit_server.console.people.ROLES``; listed here so that
#: ``--help`` does not load the database code).
PEOPLE_ROLES = ("desk", "supervisor", "manager", "admin")
#: ``attachments sweep``: unreferenced uploads older than this many hours are deleted.
DEFAULT_SWEEP_HOURS = 72
MAX_SWEEP_HOURS = 100 * 365 * 24  # a century: a cut-off further back is not a date


def _global_options(server_dir: Path) -> list[tuple[tuple[str, ...], dict]]:
    """The options every command takes, before or after its name."""
    return [
        (("--data",), {"type": Path, "metavar": "DIR",
                       "help": t("server.cli.data_help", default=server_dir)}),
        (("--db",), {"metavar": "URL", "help": t("server.cli.db_help")}),
        (("--lang",), {"metavar": "zh|en", "help": t("server.cli.lang_help")}),
    ]  # fmt: skip


def _parser() -> argparse.ArgumentParser:
    from fieldkit_server.db import server_dir

    parser = Parser(prog="fieldkit-server", description=t("server.cli.description"))
    options = _global_options(server_dir())
    for flags, kwargs in options:
        parser.add_argument(*flags, **kwargs)
    sub = parser.add_subparsers(
        dest="command", required=True, title=t("cli.commands"), metavar="COMMAND"
    )

    serve = sub.add_parser("serve", help=t("server.cli.serve_help"))
    serve.add_argument("--host", default="127.0.0.1", help=t("server.cli.host_help"))
    serve.add_argument("--port", type=int, default=DEFAULT_PORT, help=t("server.cli.port_help"))
    serve.add_argument("--workers", type=int, default=1, help=t("server.cli.workers_help"))
    serve.add_argument("--log-file", metavar="FILE", help=t("server.cli.log_file_help"))
    serve.add_argument("--tls-cert", metavar="FILE", help=t("trust.serve.tls_cert_help"))
    serve.add_argument("--tls-key", metavar="FILE", help=t("trust.serve.tls_key_help"))
    serve.add_argument(
        "--forwarded-allow-ips", default="127.0.0.1", help=t("trust.serve.forwarded_help")
    )
    _blobs_option(serve)
    serve.add_argument("--public-url", metavar="URL", help=t("server.cli.serve_public_url_help"))
    serve.set_defaults(handler=_serve)

    sub.add_parser("migrate", help=t("server.cli.migrate_help")).set_defaults(handler=_migrate)

    enroll = sub.add_parser("enroll", help=t("server.cli.enroll_help"))
    enroll.add_argument("--site", required=True, help=t("server.cli.site_help"))
    enroll.add_argument(
        "--role", required=True, choices=ROLES, action="append", help=t("server.cli.role_help")
    )
    enroll.add_argument("--name", required=True, action="append", help=t("server.cli.name_help"))
    enroll.add_argument("--expires", type=float, default=24, help=t("server.cli.expires_help"))
    enroll.add_argument(
        "--public-url", "--url", metavar="URL", help=t("server.cli.public_url_help")
    )
    enroll.add_argument("--no-qr", action="store_true", help=t("server.cli.no_qr_help"))
    enroll.add_argument(
        "--format", choices=("text", "json"), default="text",
        help=t("server.cli.enroll_format_help"),
    )  # fmt: skip
    enroll.set_defaults(handler=_enroll)

    devices = sub.add_parser("devices", help=t("server.cli.devices_help"))
    devices.add_argument(
        "--format", choices=("table", "json"), default="table", help=t("server.cli.format_help")
    )
    devices.set_defaults(handler=_devices)

    revoke = sub.add_parser("revoke", help=t("server.cli.revoke_help"))
    revoke.add_argument("device_id", help=t("server.cli.device_id_help"))
    revoke.set_defaults(handler=_revoke)

    publish = sub.add_parser("publish", help=t("server.cli.publish_help"))
    publish.add_argument("path", type=Path, help=t("server.cli.publish_path_help"))
    publish.set_defaults(handler=_publish)

    imports = sub.add_parser("import", help=t("server.cli.import_help"))
    imports.add_argument(
        "what", choices=("units", "residents", "permits"), help=t("server.cli.import_what_help")
    )
    imports.add_argument("file", type=Path, help=t("server.cli.import_file_help"))
    imports.set_defaults(handler=_import)

    repair = sub.add_parser("repair", help=t("trust.repair.help"))
    repair.add_argument("--site", help=t("trust.repair.site_help"))
    repair.add_argument("--dry-run", action="store_true", help=t("trust.repair.dry_run_help"))
    repair.set_defaults(handler=_repair)

    report = sub.add_parser("report", help=t("server.report.help"))
    kinds = report.add_subparsers(dest="report_kind", required=True, metavar="trends")
    trends = kinds.add_parser(
        "trends",
        help=t("server.report.trends_help"),
        description=t("server.report.trends_description"),
    )
    trends.add_argument(
        "--by", choices=("category", "building", "month"), default="category",
        help=t("trends.cli.by_help"),
    )  # fmt: skip
    trends.add_argument("--since", metavar="YYYY-MM-DD", help=t("trends.cli.since_help"))
    trends.add_argument("--site", help=t("server.report.site_help"))
    trends.add_argument(
        "--format", choices=("text", "csv", "html", "pdf", "json"), default="text",
        help=t("server.report.format_help"),
    )  # fmt: skip
    trends.add_argument(
        "--output", "-o", type=Path, metavar="FILE", help=t("trends.cli.output_help")
    )
    trends.set_defaults(handler=_report_trends)

    reveals = sub.add_parser("reveals", help=t("reveals.server.help"),
                             description=t("reveals.server.description"))  # fmt: skip
    reveals.add_argument("--since", metavar="YYYY-MM-DD", help=t("reveals.cli.since_help"))
    reveals.add_argument("--site", help=t("reveals.server.site_help"))
    reveals.add_argument("--format", choices=("text", "csv"), default="text",
                         help=t("reveals.cli.format_help"))  # fmt: skip
    reveals.set_defaults(handler=_reveals)

    user = sub.add_parser("user", help=t("console.cli.user_help"))
    users = user.add_subparsers(dest="user_command", required=True,
                                metavar="add|list|disable|password")  # fmt: skip
    add = users.add_parser("add", help=t("console.cli.user_add_help"))
    add.add_argument("--name", required=True, help=t("console.cli.name_help"))
    add.add_argument("--role", required=True, choices=PEOPLE_ROLES, help=t("console.cli.role_help"))
    add.add_argument("--site", required=True, help=t("console.cli.site_help"))
    add.add_argument("--password-stdin", action="store_true",
                     help=t("console.cli.password_stdin_help"))  # fmt: skip
    add.set_defaults(handler=_user_add)
    users.add_parser("list", help=t("console.cli.user_list_help")).set_defaults(handler=_user_list)
    disable = users.add_parser("disable", help=t("console.cli.user_disable_help"))
    disable.add_argument("--name", required=True, help=t("console.cli.name_help"))
    disable.set_defaults(handler=_user_disable)
    password = users.add_parser("password", help=t("console.cli.user_password_help"))
    password.add_argument("--name", required=True, help=t("console.cli.name_help"))
    password.add_argument("--password-stdin", action="store_true",
                          help=t("console.cli.password_stdin_help"))  # fmt: skip
    password.set_defaults(handler=_user_password)

    files = sub.add_parser("attachments", help=t("attachments.server.sweep_help"))
    files_sub = files.add_subparsers(dest="attachments_command", required=True, metavar="sweep")
    sweep = files_sub.add_parser("sweep", help=t("attachments.server.sweep_help"))
    sweep.add_argument(
        "--hours", type=float, default=float(DEFAULT_SWEEP_HOURS),
        help=t("attachments.server.sweep_hours_help", default=DEFAULT_SWEEP_HOURS),
    )  # fmt: skip
    _blobs_option(sweep)
    sweep.set_defaults(handler=_sweep)

    blobs = sub.add_parser("blobs", help=t("attachments.server.migrate_help"))
    blobs_sub = blobs.add_subparsers(dest="blobs_command", required=True, metavar="migrate")
    move = blobs_sub.add_parser("migrate", help=t("attachments.server.migrate_help"))
    move.add_argument("--to", required=True, choices=("s3", "db"),
                      help=t("attachments.server.migrate_to_help"))  # fmt: skip
    move.add_argument("--limit", type=int, help=t("attachments.server.migrate_limit_help"))
    _blobs_option(move)
    move.set_defaults(handler=_blobs_migrate)
    for flags, kwargs in options:
        add_to_every_command(parser, *flags, **kwargs)
    return parser


def _url_host(host: str) -> str:
    return f"[{host}]" if ":" in host else host


def _blobs_option(parser: argparse.ArgumentParser) -> None:
    from fieldkit_server.blobs import BLOBS_ENV

    parser.add_argument(
        "--blobs",
        metavar="db|s3://BUCKET/PREFIX",
        default=os.environ.get(BLOBS_ENV, "db"),
        help=t("attachments.server.blobs_help"),
    )


def _blob_store(args: argparse.Namespace, db):
    """The attachments of ``db`` where ``--blobs`` says; None (message printed) if wrong."""
    from fieldkit_server.blobs import Blobs

    try:
        return Blobs.from_spec(db, args.blobs)
    except ValueError as exc:
        print(t("attachments.server.blobs_bad", spec=args.blobs, reason=exc), file=sys.stderr)
        return None


def _url(args: argparse.Namespace) -> str:
    from fieldkit_server.db import SERVER_DB_ENV, default_url, server_dir

    return args.db or os.environ.get(SERVER_DB_ENV) or default_url(args.data or server_dir())


def _open(args: argparse.Namespace):
    from fieldkit_server.db import Database, migrate

    db = Database(_url(args))
    migrate(db.engine)
    return db


def _shown_url(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


def _migrate(args: argparse.Namespace) -> int:
    from fieldkit_server.db import current_revision

    db = _open(args)
    print(t("server.cli.migrated", url=_shown_url(db.url), revision=current_revision(db.engine)))
    return 0


def _serve(args: argparse.Namespace) -> int:
    import uvicorn

    from fieldkit.store.modes import make_dir
    from fieldkit_server.address import announce
    from fieldkit_server.blobs import BLOBS_ENV
    from fieldkit_server.db import SERVER_DB_ENV, server_dir
    from fieldkit_server.requestlog import LOG_FILE_ENV, default_log_file, log_to_file

    log_file = args.log_file or os.environ.get(LOG_FILE_ENV)
    if not log_file:  # in the data folder: made 0700 here, not by the log's parent folders
        make_dir(args.data or server_dir())
        log_file = str(default_log_file(args.data or server_dir()))
    try:
        written = log_to_file(log_file)
    except OSError as exc:
        print(t("server.cli.log_file_bad", path=log_file, reason=exc.strerror), file=sys.stderr)
        return 2
    if bool(args.tls_cert) != bool(args.tls_key):
        print(t("trust.serve.tls_pair"), file=sys.stderr)
        return 2
    for path in (args.tls_cert, args.tls_key):
        if path and not os.access(path, os.R_OK):
            print(t("trust.serve.tls_missing", path=path), file=sys.stderr)
            return 2
    db = _open(args)
    blobs = _blob_store(args, db)
    if blobs is None:
        db.dispose()
        return 2
    os.environ[SERVER_DB_ENV] = db.url
    os.environ[LOG_FILE_ENV] = str(written or "-")
    os.environ[BLOBS_ENV] = args.blobs
    scheme = "https" if args.tls_cert else "http"
    listening = f"{scheme}://{_url_host(args.host)}:{args.port}"
    public = announce(args.data or server_dir(), args.public_url, scheme, args.host, args.port)
    print(t("server.cli.serving", address=listening, url=_shown_url(db.url)))
    print(t("server.cli.serving_public", address=public))
    from fieldkit_server.console.people import has_admin

    if not has_admin(db):
        print(t("console.cli.first_admin"))
    db.dispose()
    if blobs.s3 is None:
        print(t("attachments.server.stored_in_db"))
    else:
        print(t("attachments.server.stored_in_s3", where=blobs.shown))
    if written:
        print(t("server.cli.logging_to", path=written))
    uvicorn.run(
        "fieldkit_server.app:create_app_from_env",
        factory=True,
        host=args.host,
        port=args.port,
        workers=args.workers,
        log_level="info",
        access_log=False,  # its lines carry query strings; requestlog writes one without
        ssl_certfile=args.tls_cert,
        ssl_keyfile=args.tls_key,
        proxy_headers=True,
        forwarded_allow_ips=args.forwarded_allow_ips,
    )
    return 0


def _enroll(args: argparse.Namespace) -> int:
    """One device per ``--role``/``--name`` pair (the demo enrols all its devices in one
    run; each run of this command loads the database code, which takes seconds)."""
    from fieldkit_server.devices import DeviceError, add_device

    if len(args.role) != len(args.name):
        print(t("server.cli.enroll_pairs"), file=sys.stderr)
        return 2
    from fieldkit_server.address import announced
    from fieldkit_server.db import server_dir
    from fieldkit_server.devices import active_named

    url = args.public_url or announced(args.data or server_dir())
    db = _open(args)
    made = []
    try:
        for role, name in zip(args.role, args.name, strict=True):
            taken = active_named(db, name)
            made.append((role, name, taken, add_device(db, site=args.site, role=role, name=name,
                                                       hours=args.expires)))  # fmt: skip
    except DeviceError as exc:
        print(t(exc.key, **exc.params), file=sys.stderr)
        return 2
    for role, name, taken, new in made:
        if args.format == "json":
            line = {"device_id": new.device_id, "code": new.code, "site": args.site,
                    "role": role, "name": name, "url": url}  # fmt: skip
            print(json.dumps(line, ensure_ascii=False))
            continue
        _show_enrolled(args, role, name, new, url)
        for device_id in taken:
            print(t("server.cli.name_taken", name=name, device_id=device_id))
    return 0


def _show_enrolled(args: argparse.Namespace, role: str, name: str, new, url: str | None) -> None:
    shown = url or f"http://HOST:{DEFAULT_PORT}"
    print(
        t(
            "server.cli.enrolled",
            name=name,
            role=role_name(role),
            site=args.site,
            device_id=new.device_id,
            hours=f"{args.expires:g}",
            code=new.code,
            url=shown,
        )
    )
    if url is None:
        print(t("server.cli.no_url"))
    if not args.no_qr:
        import io

        import qrcode

        qr = qrcode.QRCode(border=1)
        qr.add_data(new.code)
        out = io.StringIO()
        qr.print_ascii(out=out)
        print(t("server.cli.qr_intro", url=shown))
        print(out.getvalue(), end="")


def _devices(args: argparse.Namespace) -> int:
    from fieldkit_server.devices import device_state, list_devices

    devices = list_devices(_open(args))
    if args.format == "json":
        rows = [
            {
                "id": d.id,
                "name": d.name,
                "site": d.site,
                "role": d.role,
                "state": device_state(d),
                "last_seen_at": _utc(d.last_seen_at).isoformat() if d.last_seen_at else None,
                "last_seq": d.last_seq,
            }
            for d in devices
        ]
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    if not devices:
        print(t("server.cli.no_devices"))
        return 0
    print(t("server.cli.devices_header"))
    for d in devices:
        seen = _local_time(d.last_seen_at) if d.last_seen_at else t("server.cli.never")
        state = t(f"server.cli.state_{device_state(d)}")
        print(f"{d.id} | {d.name} | {d.site} | {role_name(d.role)} | {state} | {seen}")
    return 0


def _utc(when):
    """A stored time as an aware UTC datetime (SQLite hands it back naive)."""
    from datetime import UTC

    return when.replace(tzinfo=UTC) if when.tzinfo is None else when.astimezone(UTC)


def _local_time(when) -> str:
    """A stored time in the office's (this machine's) time zone, to the minute."""
    return _utc(when).astimezone().strftime("%Y-%m-%d %H:%M")


def _revoke(args: argparse.Namespace) -> int:
    from fieldkit_server.devices import DeviceError, revoke_device

    try:
        device, was_active = revoke_device(_open(args), args.device_id)
    except DeviceError as exc:
        print(t(exc.key, **exc.params), file=sys.stderr)
        return 2
    if not was_active:
        print(t("server.cli.already_revoked", device_id=device.id))
        return 0
    print(t("server.cli.revoked", device_id=device.id, name=device.name))
    return 0


def _publish(args: argparse.Namespace) -> int:
    from fieldkit.i18n import get_language
    from fieldkit_server.publish import find_files, publish

    if not args.path.exists():
        print(t("server.cli.not_found_path", path=args.path), file=sys.stderr)
        return 2
    files = find_files(args.path)
    if not files:
        print(t("server.cli.no_checklists", path=args.path), file=sys.stderr)
        return 2
    outcomes = publish(_open(args), files, get_language())
    counts = {"published": 0, "unchanged": 0, "failed": 0}
    for o in outcomes:
        if o.status == "invalid":
            counts["failed"] += 1
            print(t("server.cli.publish_invalid", path=o.path), file=sys.stderr)
            for line in o.errors:
                print(f"  {line}", file=sys.stderr)
        elif o.status == "version_clash":
            counts["failed"] += 1
            print(
                t("server.cli.version_clash", checklist=o.checklist, version=o.version),
                file=sys.stderr,
            )
        else:
            counts[o.status] += 1
            key = "server.cli.published" if o.status == "published" else "server.cli.unchanged"
            print(t(key, checklist=o.checklist, version=o.version))
    print(t("server.cli.publish_summary", **counts))
    return 1 if counts["failed"] else 0


def _repair(args: argparse.Namespace) -> int:
    from fieldkit_server.repair import repair

    db = _open(args)
    try:
        checked, fixes = repair(db, args.site, dry_run=args.dry_run)
    finally:
        db.dispose()
    if not fixes:
        print(plural("trust.repair.nothing", checked))
        return 0
    for fix in fixes:
        print(
            t(
                "trust.repair.fixed",
                kind=fix.kind,
                record_id=fix.record_id,
                site=fix.site,
                problem=t(f"trust.problem.{fix.problem}"),
                action=t(f"trust.repair.action_{fix.action}"),
            )
        )
    if args.dry_run:
        print(plural("trust.repair.dry_summary", checked, fixed=len(fixes)))
        return 1
    print(t("trust.repair.kept"))
    print(plural("trust.repair.summary", checked, fixed=len(fixes)))
    return 0


def _import(args: argparse.Namespace) -> int:
    from fieldkit_server.imports import import_records, read_units

    if not args.file.is_file():
        print(t("server.cli.not_found_path", path=args.file), file=sys.stderr)
        return 2
    if args.what != "units":
        from fieldkit_server.registry_import import run_import

        return run_import(_open(args), args.what, args.file)
    report = import_records(_open(args), read_units(args.file))
    if report.problems:
        for line in report.problems:
            print(line, file=sys.stderr)
        print(t("server.import.nothing_imported", count=len(report.problems)), file=sys.stderr)
        return 1
    print(t("server.import.done", created=report.created, updated=report.updated))
    return 0


def _report_trends(args: argparse.Namespace) -> int:
    from datetime import date

    from fieldkit.i18n import get_language
    from fieldkit_server.reports import compute_trends, render

    since = None
    if args.since:
        try:
            since = date.fromisoformat(args.since)
        except ValueError:
            print(t("trends.cli.bad_since", value=args.since), file=sys.stderr)
            return 2
    if args.format == "pdf" and args.output is None:
        print(t("incidents.cli.pdf_needs_file"), file=sys.stderr)
        return 2
    from fieldkit.reports.fonts import FontsMissing

    db = _open(args)
    try:
        text = render(compute_trends(db, args.by, since, args.site), args.format, get_language())
    except FontsMissing as exc:
        print(t("cli.error_prefix") + exc.message(), file=sys.stderr)
        return 1
    finally:
        db.dispose()
    if args.output is None:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
        return 0
    try:
        if isinstance(text, bytes):
            args.output.write_bytes(text)
        else:
            args.output.write_text(text, encoding="utf-8")
    except OSError as exc:
        print(
            t("server.report.cannot_write", path=args.output, reason=exc.strerror), file=sys.stderr
        )
        return 1
    print(t("trends.cli.written", path=str(args.output)))
    return 0


def _reveals(args: argparse.Namespace) -> int:
    from fieldkit.i18n import get_language
    from fieldkit.reports.reveals import since_utc, to_csv, to_text
    from fieldkit_server.reveals import reveal_rows

    try:
        since = since_utc(args.since) if args.since else ""
    except ValueError:
        print(t("reveals.error.bad_since", value=args.since), file=sys.stderr)
        return 2
    db = _open(args)
    try:
        rows = reveal_rows(db, since, args.site)
    finally:
        db.dispose()
    render = to_csv if args.format == "csv" else to_text
    sys.stdout.write(render(rows, get_language()))
    print(plural("reveals.cli.count", len(rows)), file=sys.stderr)
    return 0


def _sweep(args: argparse.Namespace) -> int:
    from fieldkit_server.push import now
    from fieldkit_server.uploads import sweep

    if not 0 <= args.hours <= MAX_SWEEP_HOURS:  # refuses nan and inf too
        print(
            t("attachments.server.sweep_hours_bad", value=f"{args.hours:g}", most=MAX_SWEEP_HOURS),
            file=sys.stderr,
        )
        return 2
    db = _open(args)
    try:
        blobs = _blob_store(args, db)
        if blobs is None:
            return 2
        count, size = sweep(db, args.hours, now(), blobs)
    finally:
        db.dispose()
    print(t("attachments.server.swept", count=count, size=size, hours=f"{args.hours:g}"))
    return 0


def _read_password(args: argparse.Namespace, name: str) -> str | None:
    """The new password: one line of stdin with ``--password-stdin``, else typed twice at
    a prompt that does not echo. Never an argument, so never in a shell history or ``ps``."""
    from fieldkit_server.console.people import PASSWORD_MIN

    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        import getpass

        password = getpass.getpass(t("console.cli.password_prompt", name=name, least=PASSWORD_MIN))
        if password and getpass.getpass(t("console.cli.password_again")) != password:
            print(t("console.cli.password_mismatch"), file=sys.stderr)
            return None
    if not password:
        print(t("console.cli.password_empty"), file=sys.stderr)
        return None
    return password


def _user_add(args: argparse.Namespace) -> int:
    from fieldkit_server.console.people import PeopleError, add_user, check_password

    password = _read_password(args, args.name)
    if password is None:
        return 2
    try:
        check_password(password)
        person = add_user(_open(args), name=args.name, role=args.role, site=args.site,
                          password=password)  # fmt: skip
    except PeopleError as exc:
        print(t(exc.key, **exc.params), file=sys.stderr)
        return 2
    role = t(f"console.role.{person.role}")
    print(t("console.cli.added", name=person.name, role=role, site=person.site))
    return 0


def _user_list(args: argparse.Namespace) -> int:
    from fieldkit_server.console.people import list_users

    users = list_users(_open(args))
    if not users:
        print(t("console.cli.no_users"))
        print(t("console.cli.first_admin"))
        return 0
    print(t("console.cli.users_header"))
    for u in users:
        state = t("console.cli.state_disabled" if u.disabled_at else "console.cli.state_active")
        seen = _local_time(u.last_login_at) if u.last_login_at else t("console.cli.never")
        print(f"{u.name} | {t(f'console.role.{u.role}')} | {u.site} | {state} | {seen}")
    return 0


def _user_disable(args: argparse.Namespace) -> int:
    from fieldkit_server.console.people import PeopleError, disable_user

    try:
        done = disable_user(_open(args), args.name)
    except PeopleError as exc:
        print(t(exc.key, **exc.params), file=sys.stderr)
        return 2
    print(t("console.cli.disabled" if done else "console.cli.already_disabled", name=args.name))
    return 0


def _user_password(args: argparse.Namespace) -> int:
    from fieldkit_server.console.people import PeopleError, check_password, set_password

    password = _read_password(args, args.name)
    if password is None:
        return 2
    try:
        check_password(password)
        set_password(_open(args), args.name, password)
    except PeopleError as exc:
        print(t(exc.key, **exc.params), file=sys.stderr)
        return 2
    print(t("console.cli.password_changed", name=args.name))
    return 0


def _blobs_migrate(args: argparse.Namespace) -> int:
    """Move stored files one at a time, each switched in the database only once its bytes
    are verified at the other end: stop it at any point and run it again to carry on."""
    from fieldkit_server.blobs import S3, BlobDamaged, BlobsUnavailable

    if args.limit is not None and args.limit < 1:
        print(t("attachments.server.migrate_limit_bad", value=args.limit), file=sys.stderr)
        return 2
    db = _open(args)
    try:
        blobs = _blob_store(args, db)
        if blobs is None:
            return 2
        if blobs.s3 is None:
            print(t("attachments.server.migrate_needs_store"), file=sys.stderr)
            return 2
        where = blobs.shown if args.to == S3 else t("attachments.server.the_database")
        moved = damaged = 0
        after = ""
        while args.limit is None or moved < args.limit:
            batch = blobs.to_move(args.to, after, 100)
            if not batch:
                break
            for sha in batch:
                after = sha
                if args.limit is not None and moved >= args.limit:
                    break
                try:
                    if blobs.move(sha, args.to):
                        moved += 1
                        print(t("attachments.server.moved_file", sha=sha, to=args.to), flush=True)
                except BlobDamaged as exc:
                    damaged += 1
                    print(t("attachments.server.migrate_damaged", reason=exc), file=sys.stderr)
                except BlobsUnavailable as exc:
                    print(
                        t("attachments.server.migrate_unreachable", reason=exc, count=moved),
                        file=sys.stderr,
                    )
                    return 1
        left = blobs.left_to_move(args.to)
    finally:
        db.dispose()
    print(t("attachments.server.migrated", count=moved, where=where, left=left))
    return 1 if damaged else 0


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    asked = prescan_language(argv)
    lang = normalise_language(asked) if asked else None
    set_language(lang or language_from_environment())
    if asked and lang is None:
        print(t("cli.error_prefix") + t("cli.bad_lang", value=asked), file=sys.stderr)
        return 2
    install_argparse_translations()
    args = _parser().parse_args(argv)
    if args.data is not None:  # said whole in every message (the database's URL included)
        args.data = args.data.expanduser().resolve()
    from sqlalchemy.exc import OperationalError

    try:
        code = int(args.handler(args) or 0)
        sys.stdout.flush()  # a closed pipe shows here, not at exit after the return
        return code
    except OperationalError as exc:
        print(
            t("server.cli.db_unreachable", url=_shown_url(_url(args)), reason=exc.orig),
            file=sys.stderr,
        )
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        end_quietly_on_broken_pipe()
        return 0


if __name__ == "__main__":
    sys.exit(main())
