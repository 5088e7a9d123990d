"""The demo with every role: one device folder per role, a real office server between them.

``fieldkit demo`` makes this layout in its folder::

    demo.json          what the demo was made with (cases, seed, site, the language its people
                       are named in) and the last role used
    office-server/     the office: ``fieldkit-server`` on SQLite (database, request log)
    patrol/ renovation/ emergency/ desk/ office/   one device data folder per role

Every device holds the same compound and history (cloned from one generated copy, so a case
has the same id on every device), with the personal data its role may see and no more —
masked exactly as the office masks what it sends that role. Each is enrolled with the demo's
office for its role, and a named person is signed in on it. While the demo runs, the server
listens on a free loopback port (the devices' credentials are pointed at it at every start),
so a case raised on the patrol device reaches the desk by sync.
"""

from __future__ import annotations

import json
import logging
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from fieldkit.i18n import UserError
from fieldkit.model.personal import mask_record
from fieldkit.model.records import REFERENCE_ENTITIES
from fieldkit.services import signin
from fieldkit.services.demo_names import PEOPLE
from fieldkit.services.device_role import ROLES  # one demo device per role a device can have
from fieldkit.store import Store
from fieldkit.store.atomic import atomic_write

#: Their work mobiles (made up): a notice the inspector writes gives the owner theirs.
PHONES: dict[str, str] = {
    "patrol": "138 2690 1101", "renovation": "139 2690 2202", "emergency": "137 2690 3303",
    "desk": "136 2690 4404", "office": "135 2690 5505",
}  # fmt: skip
LAYOUT_FILE = "demo.json"
SERVER_DIR = "office-server"
TEMPLATE_DIR = ".template"
INCIDENTS_DIR = ".incidents"  # the scratch device the week's incidents are made on
LAYOUT_VERSION = 1
START_TIMEOUT = 30.0  # seconds the server may take to answer its health check
STOP_TIMEOUT = 5.0
_LIVE = ("inspection", "case", "incident", "patrol_round")


class DemoError(UserError):
    """The demo folder cannot be used as asked; ``key`` names the message."""


@dataclass(frozen=True)
class Layout:
    folder: Path
    cases: int
    seed: int
    site: str
    last: str = "patrol"
    lang: str = ""  # the language its people's names were written in when it was made

    def device(self, role: str) -> Path:
        return self.folder / role

    @property
    def server_dir(self) -> Path:
        return self.folder / SERVER_DIR

    def person(self, role: str, lang: str) -> str:
        """The role's person, named as the demo's records name people: one person keeps one
        name whatever language the app is switched to later (a zh report never shows the
        Liu Yang who signed in while the app spoke English). ``lang`` names them in a demo
        made before its language was kept."""
        return PEOPLE[role].get(self.lang or lang) or PEOPLE[role]["zh"]

    def save(self) -> None:
        doc = {"version": LAYOUT_VERSION, "cases": self.cases, "seed": self.seed,
               "site": self.site, "last": self.last, "lang": self.lang}  # fmt: skip
        atomic_write(self.folder / LAYOUT_FILE, json.dumps(doc, indent=2).encode("utf-8"))


def read_layout(folder: Path) -> Layout | None:
    """The demo in ``folder``; None when there is none yet. DemoError when the folder holds
    something else (an older one-device demo, a real data folder, an unreadable file)."""
    path = folder / LAYOUT_FILE
    if not path.exists():
        if (folder / "reference.json").exists() or (folder / "active.json").exists():
            raise DemoError("demo.error.old_layout", path=str(folder))
        if folder.exists() and any(
            p.name not in (TEMPLATE_DIR, INCIDENTS_DIR) for p in folder.iterdir()
        ):
            raise DemoError("demo.error.not_demo", path=str(folder))
        return None
    try:
        doc = json.loads(path.read_text("utf-8"))
        layout = Layout(folder, int(doc["cases"]), int(doc["seed"]), str(doc["site"]),
                        str(doc.get("last") or "patrol"),
                        str(doc.get("lang") or ""))  # fmt: skip
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise DemoError("demo.error.unreadable", path=str(path), reason=str(exc)) from None
    if int(doc.get("version", 0)) != LAYOUT_VERSION:
        raise DemoError("demo.error.old_layout", path=str(folder))
    return replace(layout, last=layout.last if layout.last in ROLES else "patrol")


def remove(folder: Path) -> None:
    """Delete a demo folder: only one this module made (DemoError for anything else, so
    ``--fresh`` never deletes a real data folder), or an empty one."""
    read_layout(folder)
    if folder.exists():
        shutil.rmtree(folder)


def make(
    folder: Path, *, cases: int, seed: int = 7, lang: str = "zh", floors: int = 18
) -> dict[str, int]:
    """Write a new demo into ``folder`` (empty or absent): the compound once, then one
    device per role, each with what its role may see and its person signed in. ``floors``
    per building (a journey test walks a floor round of a low compound in seconds)."""
    from fieldkit.services.demo import generate

    folder.mkdir(parents=True, exist_ok=True)
    template = folder / TEMPLATE_DIR
    for scratch in (template, folder / INCIDENTS_DIR):
        if scratch.exists():
            shutil.rmtree(scratch)  # left by a make that was interrupted
    counts = generate(template, cases=cases, seed=seed, person="", floors=floors, patterns=True,
                      lang=lang)  # fmt: skip
    from fieldkit.services import demo_rules

    counts.update(demo_rules.add_to(template, seed=seed, lang=lang))
    from fieldkit.services import demo_renovation

    counts.update(demo_renovation.add_to(template, seed=seed, lang=lang))
    source = Store.open(template, readonly=True)
    try:
        sites = source.reference("site")
        reference = {entity: source.reference_docs(entity) for entity in REFERENCE_ENTITIES}
        history = [{"entity": e, "record": d} for e, d in source.iter_records(_LIVE)]
    finally:
        source.close()
    from fieldkit.services import demo_incidents

    week = demo_incidents.week(
        folder / INCIDENTS_DIR, folder / "emergency", reference, time.time(), lang
    )
    counts["incident"] = sum(1 for change in week if change["entity"] == "incident")
    counts["incident_case"] = sum(1 for change in week if change["entity"] == "case")
    history += week
    history.sort(key=lambda change: change["record"]["id"])
    for role in ROLES:
        _clone(folder / role, role, reference, history, PEOPLE[role].get(lang, ""))
    from fieldkit.services import demo_reveals

    names = {role: PEOPLE[role].get(lang) or PEOPLE[role]["zh"] for role in ROLES}
    counts["reveal"] = demo_reveals.add_to(folder, reference, history, time.time(), lang, names)
    shutil.rmtree(template)
    Layout(folder, cases, seed, sites[0].id, lang=lang).save()
    return counts


def _clone(device: Path, role: str, reference: dict, history: list[dict], person: str) -> None:
    store = Store.open(device, command="fieldkit demo")
    try:
        for entity, docs in reference.items():
            if docs:
                store.put_reference(entity, [mask_record(entity, d, role) for d in docs])
        for start in range(0, len(history), 2000):
            store.apply_remote(history[start : start + 2000], None, stream="demo")
            store.archive()
        store.set_device_state(role=role)
        if person:
            signin.sign_in(store, person, PHONES.get(role, ""))
    finally:
        store.close()


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class DemoOffice:
    """``fieldkit-server serve`` for the demo, in a child process on a loopback port.

    ``start`` returns once the server answers its health check (polled, bounded by
    START_TIMEOUT); ``stop`` ends it (SIGTERM, then SIGKILL after STOP_TIMEOUT). Usable
    as a context manager."""

    def __init__(self, layout: Layout) -> None:
        self.layout = layout
        self.port = 0
        self.proc: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def log_file(self) -> Path:
        return self.layout.server_dir / "server.log"

    def _command(self, *args: str) -> list[str]:
        data = str(self.layout.server_dir)
        return [sys.executable, "-m", "fieldkit_server.cli", "--data", data, *args]

    def start(self) -> str:
        import importlib.util

        from fieldkit.sync import trust
        from fieldkit.sync.client import SyncClient, SyncError

        if importlib.util.find_spec("fieldkit_server") is None:  # a field laptop's install
            raise DemoError("demo.error.no_server")
        self.layout.server_dir.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        # the same process group as the demo: a closed terminal ends both
        with open(self.log_file, "ab") as log:
            self.proc = subprocess.Popen(
                self._command("serve", "--port", str(self.port), "--log-file",
                              str(self.layout.server_dir / "requests.log")),
                stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            )  # fmt: skip
        client = SyncClient(self.url, timeout=(0.5, 2.0))
        deadline = time.monotonic() + START_TIMEOUT
        # a refused check while the server starts is expected: not ~40 warnings in the log
        requests_log = trust.log
        level = requests_log.level
        requests_log.setLevel(logging.ERROR)
        try:
            while time.monotonic() < deadline:
                if self.proc.poll() is not None:
                    break
                try:
                    client.health()
                    return self.url
                except SyncError:
                    time.sleep(0.1)
        finally:
            requests_log.setLevel(level)
            client.close()
        self.stop()
        raise DemoError("demo.error.server", log=str(self.log_file))

    def stop(self) -> None:
        proc, self.proc = self.proc, None
        if proc is None or proc.poll() is not None:
            return
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()

    @property
    def running(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def __enter__(self) -> DemoOffice:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def connect_devices(self) -> list[str]:
        """Enrol every device not enrolled yet, and point every device at this run's port;
        the roles newly enrolled. The codes are asked for in one run of the server's CLI
        (each run loads the database code, which takes seconds)."""
        from fieldkit.sync.client import Credentials, enroll_device

        missing = []
        for role in ROLES:
            device = self.layout.device(role)
            creds = Credentials.load(device)
            if creds is None:
                missing.append(role)
            elif creds.url != self.url:
                replace(creds, url=self.url).save(device)
        if not missing:
            return []
        pairs = [arg for role in missing for arg in ("--role", role, "--name", f"demo-{role}")]
        answer = subprocess.run(
            self._command("enroll", "--site", self.layout.site, *pairs, "--format", "json"),
            capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=120,
        )  # fmt: skip
        if answer.returncode != 0:
            raise DemoError("demo.error.enrol", reason=answer.stderr.strip()[-300:])
        for line in answer.stdout.splitlines():
            made = json.loads(line)
            enroll_device(self.layout.device(made["role"]), self.url, str(made["code"]))
        return missing


def open_device(layout: Layout, role: str, lang: str, office: DemoOffice | None) -> str:
    """Ready one device to be opened: its demo person signed in (named as the demo names
    them, :meth:`Layout.person`; someone who signed in by hand stays), then a sync round
    with the office. Returns the sync's error message, "" when it synced."""
    store = Store.open(layout.device(role), command="fieldkit demo")
    try:
        current = signin.signed_in(store).name
        if not current or current in PEOPLE[role].values():
            signin.sign_in(store, layout.person(role, lang), PHONES.get(role, ""))
        return sync_device(store, layout.device(role)) if office and office.running else ""
    finally:
        store.close()


def sync_device(store: Any, device: Path) -> str:
    """One sync round for a demo device's open store; the error's text, "" when it worked."""
    from fieldkit.sync.client import Credentials, SyncError, sync_and_recover

    creds = Credentials.load(device)
    if creds is None:
        return "not enrolled"
    try:
        sync_and_recover(store, creds)
    except SyncError as exc:
        return str(exc) or type(exc).__name__
    return ""


@dataclass(frozen=True)
class Closed:
    """What the sync after closing a device did: its error ("" when it worked or did not
    run) and how many changes still wait on the device for its next sync."""

    error: str
    waiting: int


def close_device(layout: Layout, role: str, office: DemoOffice | None) -> Closed:
    """After the app closed on a device: send what was done there to the office."""
    store = Store.open(layout.device(role), command="fieldkit demo")
    try:
        error = ""
        if office is not None and office.running:
            error = sync_device(store, layout.device(role))
        return Closed(error, store.outbox_count())
    finally:
        store.close()
