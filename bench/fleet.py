"""A company's fleet on one office: N simulated devices syncing at once against
``fieldkit-server serve --workers W`` on PostgreSQL, all on loopback.

Each simulated device is enrolled like a real one (an enrolment code from the office's
database, traded for a token over ``/v1/enroll``), keeps its own outbox, sequence numbers,
clock (HLC) and pull cursor in memory, and syncs with the real client round
(``fieldkit.sync.client.sync_round``: ask/upload photos, push in batches, pull pages). Five
devices share a compound (site): two patrol, one renovation inspector, one emergency
coordinator, one service desk. Before each round a device makes 1-3 changes of the mix its
role makes: submitted inspections, new cases, notes on the compound's shared cases (so
merges meet on the server), entries on the compound's incident timeline, and cases with a
small photo (20-40 KB). A device syncs every ``--interval`` seconds (the app does every
60 s; the default 10 s is a busy hour), the first at a random moment of the first interval.

Measured over ``--seconds`` per fleet size: every round's duration (p50/p95/p99),
acknowledged changes per second, rounds that failed and why, how late rounds started
(a round waits when every client thread is busy: that is load the generator could not
offer), the CPU and peak memory of the server's processes and of PostgreSQL, and how
often PostgreSQL sessions waited on a lock (``pg_stat_activity``). Then every device syncs
until its outbox is empty and the database is checked: every operation of every device is
there exactly once (its op ids, its sequence numbers 1..n, none refused), every record it
made exists, every event it wrote is in its record exactly once, every photo is stored for
its compound, no sequence gap was recorded.

A baseline runs first in the same process: one device alone, its rounds back to back.

Bounded: at most ``--seconds`` of load per size plus the final drain, only to 127.0.0.1,
and the cluster and server are stopped at the end.

Run: ``.venv/bin/python bench/fleet.py`` (50, 200 and 500 devices, about 6 minutes),
``--devices 20 --seconds 10`` for a short look, ``--find-limit`` to go on past the last
size (x1.5 each step) until the round p95 reaches 1 s. ``--json FILE`` writes every figure
(the CI test reads it).
"""

from __future__ import annotations

import argparse
import hashlib
import heapq
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from fieldkit.model import (  # noqa: E402
    AttachmentRef,
    Case,
    ChecklistRef,
    Clock,
    Event,
    Incident,
    Inspection,
    Target,
    new_id,
)
from fieldkit.sync import protocol as p  # noqa: E402
from fieldkit.sync.client import SyncClient, SyncError, sync_round  # noqa: E402
from tests.sync.pg import Cluster, find_bin_dir, free_port  # noqa: E402

ROLES = ("patrol", "patrol", "renovation", "emergency", "desk")
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00"
MAX_DEVICES = 5000
MAX_SECONDS = 900
TICK = os.sysconf("SC_CLK_TCK")


# -- one simulated device --------------------------------------------------------------


@dataclass
class Made:
    """What a device made, to check against the server at the end."""

    ops: dict[str, int] = field(default_factory=dict)  # op id -> seq
    records: set[tuple[str, str]] = field(default_factory=set)
    events: list[str] = field(default_factory=list)
    photos: set[str] = field(default_factory=set)


class SimDevice:
    """A device's outbox, cursor and known records in memory: a ``SyncStore``."""

    def __init__(self, n: int, site: str, role: str, url: str, token: str, device_id: str):
        self.n = n
        self.site = site
        self.role = role
        self.device_id = device_id
        self.client = SyncClient(url, token)
        self.clock = Clock(device_id)
        self.rng = random.Random(n)
        self.seq = 0
        self.pending: dict[str, p.Operation] = {}
        self.cursor = 0
        self.known: dict[tuple[str, str], dict] = {}  # this compound's cases and incidents
        self.blobs: dict[str, bytes] = {}
        self.made = Made()
        self.refused: list[p.OpResult] = []
        self.lock = threading.Lock()

    # SyncStore
    def outbox(self, limit: int) -> list[p.Operation]:
        return list(self.pending.values())[:limit]

    def settle(self, done: Sequence[str], rejected: Sequence[p.OpResult]) -> None:
        for op_id in done:
            self.pending.pop(op_id, None)
        for result in rejected:
            self.pending.pop(result.op_id, None)
            self.refused.append(result)

    def pull_cursor(self) -> int:
        return self.cursor

    def apply_remote(self, changes: Sequence[p.Change], cursor: int) -> None:
        for change in changes:
            if change.kind in ("case", "incident") and not change.deleted:
                self.known[(change.kind, change.record_id)] = change.body
            self.clock.observe(change.hlc)
        self.cursor = cursor

    def read_blob(self, sha256: str) -> bytes:
        return self.blobs[sha256]

    # the work of a round
    def _queue(self, kind: str, record_id: str, body: dict, hlc: str) -> None:
        self.seq += 1
        op_id = new_id()
        self.pending[op_id] = p.Operation(
            op_id=op_id,
            seq=self.seq,
            hlc=hlc,
            kind=kind,
            record_id=record_id,
            site=self.site,
            body=body,
        )
        self.made.ops[op_id] = self.seq
        self.made.records.add((kind, record_id))
        if kind in ("case", "incident"):
            self.known[(kind, record_id)] = body

    def _stamp(self) -> str:
        return str(self.clock.now())

    def work(self) -> None:
        for _ in range(self.rng.randint(1, 3)):
            roll = self.rng.random()
            shared = [k for k in self.known if k[0] == "case"]
            incidents = [k for k in self.known if k[0] == "incident"]
            if self.role == "emergency" and not incidents:
                self.new_incident()
            elif self.role in ("patrol", "renovation") and roll < 0.35:
                self.inspection()
            elif roll < 0.5 and self.role != "renovation" and incidents:
                self.incident_entry(self.rng.choice(incidents)[1])
            elif roll < 0.75 and shared:
                self.note(self.rng.choice(shared)[1])
            elif roll < 0.88:
                self.new_case()
            else:
                self.photo_case()

    def inspection(self) -> None:
        rid = new_id()
        insp = Inspection(
            id=rid,
            checklist=ChecklistRef("fire.extinguisher.monthly", 3, "ab" * 32),
            target=Target("asset", f"ext-{self.rng.randint(1, 40)}"),
            hlc=self._stamp(),
            site_id=self.site,
        )
        insp.set_answer("in_place", self.rng.choice(["pass", "pass", "fail"]), self._stamp())
        insp.set_answer("pressure", round(self.rng.uniform(0.8, 1.4), 2), self._stamp())
        insp.submit(self._stamp())
        self._queue("inspection", rid, insp.to_dict(), insp.hlc)

    def new_case(self, photo: AttachmentRef | None = None) -> None:
        rid = new_id()
        hlc = self._stamp()
        case = Case.new(
            rid,
            "repair",
            Target("unit", f"u{self.rng.randint(1, 300)}"),
            hlc,
            site_id=self.site,
            title=self.rng.choice(["Leak under the sink", "Lamp out", "Door closer broken"]),
            category="plumbing",
            department="engineering",
        )
        if photo is not None:
            case.add_event(Event(new_id(), "photo", self._stamp(), attachments=[photo]))
            self.made.events.append(case.events[-1].id)
        self._queue("case", rid, case.to_dict(), hlc)

    def photo_case(self) -> None:
        data = JPEG + self.rng.randbytes(self.rng.randint(20_000, 40_000))
        sha = hashlib.sha256(data).hexdigest()
        self.blobs[sha] = data
        self.made.photos.add(sha)
        self.new_case(AttachmentRef(sha, len(data), "image/jpeg", "photo.jpg"))

    def note(self, case_id: str) -> None:
        case = Case.from_dict(self.known[("case", case_id)])
        event = Event(new_id(), "note", self._stamp(), text=f"checked by device {self.n}")
        case.add_event(event)
        self.made.events.append(event.id)
        self._queue("case", case_id, case.to_dict(), event.hlc)

    def new_incident(self) -> None:
        rid = new_id()
        hlc = self._stamp()
        incident = Incident.new(
            rid, "rainstorm", hlc, site_id=self.site, place="Basement car park", title="Flooding"
        )
        self._queue("incident", rid, incident.to_dict(), hlc)

    def incident_entry(self, incident_id: str) -> None:
        incident = Incident.from_dict(self.known[("incident", incident_id)])
        event = Event(new_id(), "note", self._stamp(), text=f"pumps checked by {self.n}")
        incident.add_event(event)
        self.made.events.append(event.id)
        self._queue("incident", incident_id, incident.to_dict(), event.hlc)


# -- the server, its database and what they use -----------------------------------------


class Office:
    """A throwaway PostgreSQL cluster (durable commits) and ``fieldkit-server serve``."""

    def __init__(self, work: Path, workers: int) -> None:
        bin_dir = find_bin_dir()
        if bin_dir is None:
            raise SystemExit("PostgreSQL (initdb, pg_ctl) is needed: install 'postgresql'")
        self.work = work
        self.cluster = Cluster(bin_dir)
        self.cluster.start(durable=True)
        self.port = free_port()
        self.workers = workers
        self.proc: subprocess.Popen | None = None
        self.db_url = ""
        self.generation = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        """A fresh database and a server on it (one per fleet size)."""
        self.generation += 1
        self.db_url = self.cluster.create_database(f"fleet{self.generation}")
        env = dict(os.environ, FIELDKIT_SERVER_DIR=str(self.work / "server"))
        log = open(self.work / f"server{self.generation}.log", "wb")  # noqa: SIM115
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "fieldkit_server.cli", "--db", self.db_url, "serve",
             "--port", str(self.port), "--workers", str(self.workers), "--log-file", "-"],
            env=env, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"the server exited: see {log.name}")
            try:
                if requests.get(self.url + "/v1/health", timeout=2).status_code == 200:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.2)
        raise RuntimeError("the server did not answer in 120 s")

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc = None

    def close(self) -> None:
        self.stop()
        self.cluster.stop()

    def server_pids(self) -> list[int]:
        return _tree(self.proc.pid) if self.proc else []

    def pg_pids(self) -> list[int]:
        try:
            first = (self.cluster.root / "data" / "postmaster.pid").read_text().split()[0]
        except (OSError, IndexError):
            return []
        return _tree(int(first))

    def psql(self):
        import psycopg

        name = self.db_url.rsplit("/", 1)[1]
        return psycopg.connect(
            f"host=127.0.0.1 port={self.cluster.port} user=postgres dbname={name}",
            autocommit=True,
        )


def _children() -> dict[int, list[int]]:
    kids: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                ppid = int(Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            kids.setdefault(ppid, []).append(int(entry))
    return kids


def _tree(root: int) -> list[int]:
    kids = _children()
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo += kids.get(pid, [])
    return found


def _cpu_seconds(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime
        except (OSError, IndexError, ValueError):
            pass
    return total / TICK


def _rss_mb(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except (OSError, ValueError):
            pass
    return total / 1024


# -- one run ---------------------------------------------------------------------------


def enrol(office: Office, count: int, first_site: int = 0) -> list[SimDevice]:
    from fieldkit_server.db import Database
    from fieldkit_server.devices import add_device

    db = Database(office.db_url)
    devices = []
    try:
        for n in range(count):
            site = f"compound-{first_site + n // len(ROLES):04d}"
            role = ROLES[n % len(ROLES)]
            code = add_device(db, site=site, role=role, name=f"{role} {n}").code
            answer = SyncClient(office.url).enroll(code)
            devices.append(SimDevice(n, site, role, office.url, answer.token, answer.device_id))
    finally:
        db.dispose()
    return devices


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


@dataclass
class Window:
    rounds: list[float] = field(default_factory=list)
    late: list[float] = field(default_factory=list)
    acked: int = 0
    errors: Counter = field(default_factory=Counter)


def run_fleet(
    office: Office, devices: list[SimDevice], seconds: float, interval: float, threads: int
) -> dict[str, Any]:
    """Every device syncs every ``interval`` s for ``seconds``; the figures of that window."""
    window = Window()
    lock = threading.Lock()
    rng = random.Random(len(devices))
    started = time.monotonic()
    stop_at = started + seconds
    due = [(started + rng.uniform(0, interval), d.n) for d in devices]
    heapq.heapify(due)
    by_n = {d.n: d for d in devices}
    waits: list[int] = []
    stop_sampling = threading.Event()

    def sample_locks() -> None:
        try:
            conn = office.psql()
        except Exception:  # a figure, not the run: no sampling then
            return
        with conn:
            while not stop_sampling.wait(0.2):
                row = conn.execute(
                    "SELECT count(*) FILTER (WHERE wait_event_type = 'Lock') "
                    "FROM pg_stat_activity WHERE datname = current_database()"
                ).fetchone()
                waits.append(int(row[0]))

    def one_round(device: SimDevice, planned: float) -> None:
        begun = time.monotonic()
        with device.lock:
            device.work()
            t0 = time.perf_counter()
            try:
                report = sync_round(device, device.client)
                ok, acked = True, report.acknowledged
            except SyncError as exc:
                ok, acked = False, 0
                name = f"{type(exc).__name__}: {getattr(exc, 'code', '') or str(exc)[:60]}"
            elapsed = time.perf_counter() - t0
        with lock:
            if begun <= stop_at:
                window.late.append(begun - planned)
                window.rounds.append(elapsed)
                window.acked += acked
                if not ok:
                    window.errors[name] += 1
            heapq.heappush(due, (max(planned + interval, time.monotonic()), device.n))

    sampler = threading.Thread(target=sample_locks, daemon=True)
    sampler.start()
    server_cpu0 = _cpu_seconds(office.server_pids())
    pg_cpu0 = _cpu_seconds(office.pg_pids())
    own0 = sum(os.times()[:2])
    peak_server = peak_pg = 0.0
    next_sample = 0.0
    with ThreadPoolExecutor(max_workers=threads) as pool:
        while True:
            now = time.monotonic()
            if now >= stop_at:
                break
            if now >= next_sample:
                peak_server = max(peak_server, _rss_mb(office.server_pids()))
                peak_pg = max(peak_pg, _rss_mb(office.pg_pids()))
                next_sample = now + 1.0
            with lock:
                ready = []
                while due and due[0][0] <= now:
                    ready.append(heapq.heappop(due))
            for planned, n in ready:
                pool.submit(one_round, by_n[n], planned)
            time.sleep(0.005)
        wall = time.monotonic() - started
        server_cpu = _cpu_seconds(office.server_pids()) - server_cpu0
        pg_cpu = _cpu_seconds(office.pg_pids()) - pg_cpu0
        own = sum(os.times()[:2]) - own0
    stop_sampling.set()
    sampler.join(5)
    return {
        "devices": len(devices),
        "seconds": round(wall, 1),
        "interval": interval,
        "rounds": len(window.rounds),
        "round_p50_ms": percentile(window.rounds, 0.50) * 1000,
        "round_p95_ms": percentile(window.rounds, 0.95) * 1000,
        "round_p99_ms": percentile(window.rounds, 0.99) * 1000,
        "late_p95_ms": percentile(window.late, 0.95) * 1000,
        "ops_per_s": window.acked / wall,
        "rounds_per_s": len(window.rounds) / wall,
        "errors": dict(window.errors),
        "server_cpu_pct": 100 * server_cpu / wall,
        "pg_cpu_pct": 100 * pg_cpu / wall,
        "generator_cpu_pct": 100 * own / wall,
        "server_peak_mb": round(peak_server),
        "pg_peak_mb": round(peak_pg),
        "lock_waiting_avg": statistics.fmean(waits) if waits else float("nan"),
        "lock_waiting_share": (sum(1 for w in waits if w) / len(waits)) if waits else 0.0,
    }


def baseline(office: Office, seconds: float) -> dict[str, Any]:
    """One device alone on the same server, its rounds back to back."""
    (device,) = enrol(office, 1, first_site=9000)
    rounds: list[float] = []
    acked = 0
    started = time.monotonic()
    while time.monotonic() - started < seconds:
        device.work()
        t0 = time.perf_counter()
        acked += sync_round(device, device.client).acknowledged
        rounds.append(time.perf_counter() - t0)
    wall = time.monotonic() - started
    device.client.close()
    return {
        "devices": 1,
        "rounds": len(rounds),
        "round_p50_ms": percentile(rounds, 0.5) * 1000,
        "round_p95_ms": percentile(rounds, 0.95) * 1000,
        "round_p99_ms": percentile(rounds, 0.99) * 1000,
        "ops_per_s": acked / wall,
    }


def drain_and_verify(office: Office, devices: list[SimDevice]) -> dict[str, Any]:
    """Every outbox emptied, then the database checked: each op exactly once."""
    import orjson
    from sqlalchemy import func, select

    from fieldkit_server.db import Database
    from fieldkit_server.tables import Attachment, AttachmentSite, Op, Record, SeqGap

    for device in devices:
        for _ in range(20):
            if not device.pending:
                break
            try:
                sync_round(device, device.client)
            except SyncError:
                time.sleep(1)
        device.client.close()
    problems: list[str] = []
    for device in devices:
        if device.pending:
            problems.append(f"device {device.n}: {len(device.pending)} ops never acknowledged")
        if device.refused:
            problems.append(f"device {device.n}: refused {device.refused[0].code}")

    db = Database(office.db_url)
    try:
        with db.read() as conn:
            ops: dict[str, list[tuple[str, int, str]]] = {}
            for dev, op_id, seq, status in conn.execute(
                select(Op.device_id, Op.op_id, Op.seq, Op.status)
            ):
                ops.setdefault(dev, []).append((op_id, seq, status))
            records = {}
            for kind, rid, site, body in conn.execute(
                select(Record.kind, Record.record_id, Record.site, Record.body)
            ):
                records[(kind, rid)] = (site, orjson.loads(body))
            files = {
                (sha, site)
                for sha, site in conn.execute(
                    select(AttachmentSite.sha256, AttachmentSite.site).join(
                        Attachment, Attachment.sha256 == AttachmentSite.sha256
                    )
                )
            }
            gaps = conn.execute(select(func.count()).select_from(SeqGap)).scalar_one()
    finally:
        db.dispose()

    seen = Counter()
    for _site, body in records.values():
        for entry in body.get("events", []) + body.get("timeline", []):
            seen[entry["id"]] += 1
    total_ops = 0
    for device in devices:
        mine = ops.get(device.device_id, [])
        total_ops += len(mine)
        if sorted(op_id for op_id, _s, _st in mine) != sorted(device.made.ops):
            problems.append(f"device {device.n}: the server's op ids differ from those made")
        if sorted(seq for _o, seq, _st in mine) != list(range(1, device.seq + 1)):
            problems.append(f"device {device.n}: sequence numbers are not exactly 1..{device.seq}")
        if any(status == "rejected" for _o, _s, status in mine):
            problems.append(f"device {device.n}: an op was refused")
        missing = [key for key in device.made.records if key not in records]
        if missing:
            problems.append(f"device {device.n}: {len(missing)} records missing")
        wrong = [e for e in device.made.events if seen[e] != 1]
        if wrong:
            problems.append(f"device {device.n}: {len(wrong)} events not there exactly once")
        lost = [sha for sha in device.made.photos if (sha, device.site) not in files]
        if lost:
            problems.append(f"device {device.n}: {len(lost)} photos missing")
    if gaps:
        problems.append(f"{gaps} sequence gaps recorded")
    kinds = Counter(kind for kind, _rid in records)
    return {
        "exactly_once": not problems,
        "problems": problems[:20],
        "ops": total_ops,
        "records": dict(kinds),
        "events": len(seen),
        "photos": len({sha for sha, _site in files}),
    }


def show(result: dict[str, Any]) -> str:
    errors = sum(result.get("errors", {}).values())
    line = (
        f"{result['devices']:>5} devices | round p50/p95/p99 {result['round_p50_ms']:7.1f} / "
        f"{result['round_p95_ms']:7.1f} / {result['round_p99_ms']:7.1f} ms | "
        f"{result['ops_per_s']:7.1f} ops/s"
    )
    if "rounds_per_s" in result:
        line += (
            f" | {result['rounds_per_s']:5.1f} rounds/s | late p95 {result['late_p95_ms']:6.0f} ms"
            f" | errors {errors} | CPU server {result['server_cpu_pct']:.0f}% "
            f"pg {result['pg_cpu_pct']:.0f}% generator {result['generator_cpu_pct']:.0f}% | "
            f"RSS server {result['server_peak_mb']} MB pg {result['pg_peak_mb']} MB | "
            f"lock waits {result['lock_waiting_avg']:.2f} avg, "
            f"{100 * result['lock_waiting_share']:.0f}% of samples"
        )
    return line


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--devices", default="50,200,500", help="fleet sizes, comma-separated")
    parser.add_argument("--seconds", type=float, default=60, help="load per size (default 60)")
    parser.add_argument("--interval", type=float, default=10, help="s between a device's rounds")
    parser.add_argument("--workers", type=int, default=3, help="server processes (default 3)")
    parser.add_argument("--threads", type=int, default=64, help="client threads (default 64)")
    parser.add_argument("--baseline-seconds", type=float, default=15)
    parser.add_argument(
        "--find-limit",
        action="store_true",
        help="go on past the last size (x1.5) until the round p95 reaches 1 s",
    )
    parser.add_argument("--json", type=Path, help="write every figure to this file")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.devices.split(",") if s.strip()]
    if not sizes or min(sizes) < 1 or max(sizes) > MAX_DEVICES or args.seconds > MAX_SECONDS:
        parser.error(f"1..{MAX_DEVICES} devices, at most {MAX_SECONDS} s per size")

    load = os.getloadavg()
    print(f"load average before: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}; "
          f"{os.cpu_count()} CPUs; server --workers {args.workers}; a device syncs every "
          f"{args.interval:g} s; {args.seconds:g} s per size", flush=True)  # fmt: skip
    results: dict[str, Any] = {"runs": [], "workers": args.workers, "interval": args.interval}
    with tempfile.TemporaryDirectory(prefix="fieldkit-fleet-") as tmp:
        office = Office(Path(tmp), args.workers)
        failed = False
        try:
            office.start()
            if args.baseline_seconds > 0:
                results["baseline"] = baseline(office, args.baseline_seconds)
                print("baseline " + show(results["baseline"]), flush=True)
            office.stop()
            queue = list(sizes)
            while queue:
                size = queue.pop(0)
                office.start()
                devices = enrol(office, size)
                figures = run_fleet(office, devices, args.seconds, args.interval, args.threads)
                figures.update(drain_and_verify(office, devices))
                office.stop()
                results["runs"].append(figures)
                verdict = "exactly once: yes" if figures["exactly_once"] else "exactly once: NO"
                print(f"fleet    {show(figures)} | {verdict} ({figures['ops']} ops)", flush=True)
                for problem in figures["problems"]:
                    print(f"    {problem}")
                failed |= not figures["exactly_once"]
                if (
                    args.find_limit
                    and not queue
                    and figures["round_p95_ms"] < 1000
                    and size < MAX_DEVICES
                ):
                    queue.append(min(MAX_DEVICES, int(size * 1.5)))
        finally:
            office.close()
    under = [r["devices"] for r in results["runs"] if r["round_p95_ms"] < 1000]
    results["largest_under_1s"] = max(under) if under else 0
    print(f"largest fleet measured with round p95 under 1 s: {results['largest_under_1s']}")
    load = os.getloadavg()
    print(f"load average after: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
