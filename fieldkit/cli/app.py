"""``fieldkit app`` opens the app on the data folder; ``fieldkit demo`` makes a demo compound
in a folder of its own and opens the app on it."""

from __future__ import annotations

import sys
from pathlib import Path

from fieldkit.cli.parser import error
from fieldkit.i18n import get_language, plural, t

DEMO_FOLDER = "demo"
DEMO_ROLES = ("patrol", "renovation", "emergency", "desk", "office")
#: What people call a role in English besides its code: "the coordinator" is the emergency
#: role (a newcomer's ``--role coordinator`` was refused).
ROLE_WORDS = {"coordinator": "emergency", "inspector": "renovation", "supervisor": "office"}


def demo_role(text: str) -> str:
    """``--role`` as typed: a role's code, or what people call it (:data:`ROLE_WORDS`)."""
    word = text.strip().lower()
    return ROLE_WORDS.get(word, word)


def register(subparsers) -> None:
    app = subparsers.add_parser(
        "app", help=t("ui.cli.app_help"), description=t("ui.cli.app_description")
    )
    app.set_defaults(handler=run_app)
    demo = subparsers.add_parser(
        "demo", help=t("ui.cli.demo_help"), description=t("demo.cli.description")
    )
    demo.add_argument("--folder", type=Path, metavar="DIR", help=t("demo.cli.folder_help"))
    demo.add_argument("--cases", type=int, default=None, metavar="N", help=t("demo.cli.cases_help"))
    demo.add_argument("--role", type=demo_role, choices=DEMO_ROLES, help=t("demo.cli.role_help"))
    demo.add_argument("--fresh", action="store_true", help=t("demo.cli.fresh_help"))
    demo.add_argument("--no-open", action="store_true", help=t("demo.cli.no_open_help"))
    demo.set_defaults(handler=run_demo)


def run_app(args, ctx) -> int:
    if not sys.stdout.isatty():
        print(t("ui.cli.app_no_terminal"), file=sys.stderr)
        return 2
    from fieldkit.ui.app import run_app as run

    run(
        ctx.data_dir,
        lang=get_language(),
        theme=ctx.config.theme,
        watch_folder=_watch(ctx),
        scan_gap_ms=ctx.config.scan_gap_ms,
        scan_prefix=ctx.config.scan_prefix,
    )
    _say_unsent(ctx.data_dir)
    return 0


def _say_unsent(data_dir: Path) -> None:
    """On leaving the app: what has not reached the office yet, so nobody shuts the laptop
    away thinking the day's work is at the office."""
    from fieldkit.i18n import plural
    from fieldkit.store import Store
    from fieldkit.store.errors import StoreError

    try:
        with Store.open(data_dir, readonly=True) as store:
            unsent = store.outbox_count()
    except StoreError:  # no data folder yet, or another process has it: nothing to say
        return
    if unsent:
        say(plural("ui.cli.unsent", unsent))


def run_demo(args, ctx) -> int:
    """Make the demo if there is none, start its office, open the app as one role; a switch
    of role in the app reopens it on that role's device, with a sync round on each side."""
    from dataclasses import replace

    from fieldkit.i18n.roles import role_name, role_names
    from fieldkit.services import demo_camera
    from fieldkit.services import demo_office as demo

    folder: Path = (args.folder or ctx.data_dir / DEMO_FOLDER).absolute()
    lang = get_language()
    if args.cases is not None and args.cases < 0:
        return _fail(t("ui.cli.demo_bad_cases"))
    if not args.no_open and not sys.stdout.isatty():
        return _fail(t("ui.cli.app_no_terminal"))
    try:
        if args.fresh:
            demo.remove(folder)
        layout = demo.read_layout(folder)
        if layout is None:
            say(t("demo.cli.making"))
            counts = demo.make(folder, cases=120 if args.cases is None else args.cases, lang=lang)
            violations = counts.get("renovation_violation", 0)  # all the cases, as trends count
            patterns, followups = counts.get("pattern_case", 0), counts.get("incident_case", 0)
            say(
                t("services.demo.made", path=str(folder), buildings=counts["building"],
                  units=counts["unit"], assets=counts["asset"], history=counts["case"],
                  patterns=patterns, violations=violations, followups=followups,
                  incidents=counts.get("incident", 0), reveals=counts.get("reveal", 0),
                  cases=counts["case"] + violations + patterns + followups)
            )  # fmt: skip
            layout = demo.read_layout(folder)
            assert layout is not None
        elif args.cases is not None and args.cases != layout.cases:
            say(t("demo.cli.cases_kept", made=layout.cases, asked=args.cases))
        ctx.start_logging(folder)  # the launcher's own log; each device's in its folder
        camera = demo_camera.make(folder)
        say(t("demo.cli.starting"))
        office = demo.DemoOffice(layout)
        office.start()
    except demo.DemoError as exc:
        return _fail(t(exc.key, **exc.params))
    _stop_on_hangup()
    try:
        say(t("demo.cli.started", url=office.url, path=str(layout.server_dir)))
        enrolled = office.connect_devices()
        if enrolled:
            say(t("demo.cli.enrolled", roles=role_names(enrolled)))
        if not args.no_open:
            role, ask = args.role or layout.last, args.role is None
            while role:
                person = layout.person(role, lang)
                say(t("demo.cli.opening", role=role_name(role), person=person))
                if error := demo.open_device(layout, role, lang, office):
                    say(t("demo.cli.sync_failed", role=role_name(role), reason=error))
                layout = replace(layout, last=role)
                layout.save()
                chosen = _open_demo_device(ctx, layout, role, ask, office, camera)
                say_closed(role, demo.close_device(layout, role, office))
                role, ask = chosen, False
                lang = get_language()  # the app may have switched it
    except demo.DemoError as exc:
        return _fail(t(exc.key, **exc.params))
    finally:
        office.stop()
    say(t("demo.cli.stopped"))
    _demo_guide(layout, lang)
    return 0


def demo_roles(layout, role: str, ask: bool):
    """The demo's people as the app names them: each with the one name the demo gave them
    (in the language it was made in), whatever language the app is switched to."""
    from fieldkit.services.demo_office import ROLES
    from fieldkit.ui.app import DemoRoles

    people = {r: layout.person(r, get_language()) for r in ROLES}
    return DemoRoles(current=role, people=people, ask=ask)


def _open_demo_device(ctx, layout, role: str, ask: bool, office, camera: Path) -> str | None:
    """The app on one demo device, logging to that device's folder; the role to switch to
    when the person chose another. Photos come from the demo's camera folder unless the
    config names one."""
    from fieldkit.ui.app import run_app

    ctx.start_logging(layout.device(role))
    try:
        return run_app(
            layout.device(role),
            lang=get_language(),
            theme=ctx.config.theme,
            watch_folder=_watch(ctx) or camera,
            scan_gap_ms=ctx.config.scan_gap_ms,
            scan_prefix=ctx.config.scan_prefix,
            demo=demo_roles(layout, role, ask),
            on_hangup=office.stop,
        )
    finally:
        ctx.start_logging(layout.folder)


#: The command the demo's closing lines suggest for the device last used: what that role
#: would print (the desk's device has no incidents to list).
EXAMPLES = {"patrol": "report handover", "emergency": "report incident --list",
            "desk": "report handover", "office": "report week"}  # fmt: skip


def _demo_guide(layout, lang: str) -> None:
    from fieldkit.i18n.roles import role_name, role_title
    from fieldkit.services.demo_office import ROLES

    say(t("demo.cli.guide_title"))
    for role in ROLES:
        say(t("demo.cli.guide_line", role=role_title(role), person=layout.person(role, lang),
              path=str(layout.device(role))))  # fmt: skip
    last = layout.last  # the device just used holds what was done on it
    say(t("demo.cli.cli_title", role=role_name(last), person=layout.person(last, lang)))
    say(t("demo.cli.cli_export", path=str(layout.device(last))))
    if last == "renovation":  # the inspector's work to take away: the notices written
        from fieldkit.services.renovation import NOTICES_DIR

        say(t("demo.cli.renovation.notices", path=str(layout.device(last) / NOTICES_DIR)))
    else:
        say(t("demo.cli.cli_example", fieldkit=_fieldkit_command(), command=EXAMPLES[last]))
    other = "office" if last != "office" else "desk"  # a device not the one just used
    say(t("demo.cli.cli_sync", fieldkit=_fieldkit_command(), role=role_name(other),
          person=layout.person(other, lang), path=str(layout.device(other))))  # fmt: skip


def say_closed(role: str, closed) -> None:
    """What the sync after closing ``role``'s device did: why it failed, and whether the
    changes made there all reached the office or how many still wait on the device."""
    from fieldkit.i18n.roles import role_name

    if closed.error:
        say(t("demo.cli.sync_failed", role=role_name(role), reason=closed.error))
    if closed.waiting:
        say(plural("demo.cli.waiting", closed.waiting, role=role_name(role)))
    else:
        say(t("demo.cli.all_sent", role=role_name(role)))


def say(text: str) -> None:
    """Print ``text`` wrapped to the terminal's width at phrase boundaries (a Chinese line
    never starts with closing punctuation, an English word is never split); its indented
    lines, commands and paths to copy, are printed whole. Output to a file or a pipe is
    not wrapped."""
    import shutil

    from fieldkit.ui.widgets.phrases import lines

    if not sys.stdout.isatty():
        print(text, flush=True)
        return
    width = shutil.get_terminal_size().columns
    for line in text.split("\n"):
        print(line if line.startswith(" ") else "\n".join(lines(line, width)), flush=True)


def _stop_on_hangup() -> None:
    """A closed terminal (SIGHUP) or a kill (SIGTERM) between two apps of the demo still
    stops its office server (while an app is open, ``run_app`` handles it: ``on_hangup``)."""
    import signal

    def leave(signum, _frame) -> None:
        raise SystemExit(128 + signum)

    for signum in (signal.SIGHUP, signal.SIGTERM):
        signal.signal(signum, leave)


def _fieldkit_command() -> str:
    """How to type ``fieldkit`` here: the name when it is on PATH, else the virtual
    environment's copy (``make demo`` runs ``.venv/bin/fieldkit``), relative when short."""
    import shutil

    mine = Path(sys.executable).with_name("fieldkit")
    found = shutil.which("fieldkit")
    if not mine.exists() or (found and Path(found).resolve() == mine.resolve()):
        return "fieldkit"
    try:
        return str(mine.relative_to(Path.cwd()))
    except ValueError:
        return str(mine)


def _fail(message: str) -> int:
    error(message)
    return 2


def _watch(ctx) -> Path | None:
    folder = ctx.config.watch_folder
    return Path(folder).expanduser() if folder else None
