"""Sync throughput over loopback: fieldkit's server vs Kinto, both on PostgreSQL, same run.

Workload (issue 8): push 10,000 operations, pull 50,000 changes, a no-op sync. PostgreSQL
runs with durable commits (fsync on, synchronous_commit on) in a throwaway cluster.

- fieldkit: ``fieldkit-server serve`` (one process); pushes are batches of 500 new cases
  through ``SyncClient.push``; the pull is a fresh device reading pages of 10,000 through
  ``SyncClient.pull`` (parsed into protocol models), one page after the other; the no-op
  round is ``sync_round`` on a real device store with an empty outbox, p50 of 30 rounds.
  One more figure with no Kinto counterpart: ``sync_round`` pulling everything into a
  fresh device store (pages of 10,000: each page's finished records written to their
  archive months, then the rest with its cursor in one durable write).
- A new laptop's first sync (issue 17): once the office holds 10k, 100k and 300k cases
  (``--store-sizes``), a fresh device's ``sync_round`` as the app calls it, records/s for
  the whole round and for storing alone, beside TinyDB's default storage taking the same
  pages (the floor of a TinyDB file: one whole-file rewrite per page).
- Kinto (``kinto[postgresql]``, installed into ``~/.cache/fieldkit-bench/kinto`` on first
  run): records created through ``/v1/batch`` (25 requests per batch, its default limit),
  read back with ``_since`` paging (``_limit=10000``, and ``paginate_by`` 10,000 on the
  server), and a no-op ``_since`` poll.

Before the pulls, each side's database is settled (``VACUUM ANALYZE``, ``CHECKPOINT``):
right after 50,000 writes, autovacuum and the checkpointer otherwise work through the new
rows during the first side's pull (fieldkit's load takes seconds, Kinto's minutes, so only
ours met them), taking one of the two cores. The pull is read ``--passes`` times (default
3) on each side and the median taken, so one stall from other work on a shared machine
does not decide the ratio; every pass is printed.
The load average is printed before and after: figures taken under load are noisy.

Run: ``.venv/bin/python bench/sync.py`` (``--quick`` for a smaller workload).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from fieldkit.model import Case, Target, new_id  # noqa: E402
from fieldkit.sync import protocol as p  # noqa: E402
from fieldkit.sync.client import StoreAdapter, SyncClient, sync_round  # noqa: E402
from tests.sync.pg import Cluster, find_bin_dir, free_port  # noqa: E402

KINTO_VENV = Path(os.environ.get("KINTO_VENV", Path.home() / ".cache/fieldkit-bench/kinto"))
PUSH_BATCH = 500
PULL_PAGE = 10_000
KINTO_BATCH = 25


def wait_http(url: str, proc: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{proc.args[0]} exited with {proc.returncode}")
        try:
            requests.get(url, timeout=1)
            return
        except requests.RequestException:
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer")


def settle(cluster: Cluster, database: str) -> None:
    """Let PostgreSQL finish digesting a load before reads are timed (both sides)."""
    import psycopg

    dsn = f"host=127.0.0.1 port={cluster.port} user=postgres dbname={database}"
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")
        conn.execute("CHECKPOINT")


#: A compound's history for a first sync: cases made over three years up to 2026-12-01,
#: one per HISTORY_STEP_MS in the order the office took them in; all but every tenth closed.
HISTORY_START_MS = 1_701_388_800_000
HISTORY_STEP_MS = 300_000


@contextmanager
def office(cluster: Cluster, work: Path, name: str) -> Iterator[Callable[[str], SyncClient]]:
    """A ``fieldkit-server serve`` on a fresh database ``name`` of ``cluster``, its log in
    ``work``; yields ``enrol(device_name)``, a client of a newly enrolled office device."""
    from fieldkit_server.db import Database
    from fieldkit_server.devices import add_device

    url = cluster.create_database(name)
    port = free_port()
    env = dict(os.environ, FIELDKIT_SERVER_DIR=str(work / f"server-{name}"))
    base = f"http://127.0.0.1:{port}"
    with open(work / f"fieldkit-server-{name}.log", "wb") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "fieldkit_server.cli", "--db", url, "serve",
             "--port", str(port)],
            env=env, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        try:
            wait_http(base + "/v1/health", proc)
            db = Database(url)

            def enrol(device: str) -> SyncClient:
                code = add_device(db, site="s1", role="office", name=device).code
                return SyncClient(base, SyncClient(base).enroll(code).token)

            try:
                yield enrol
            finally:
                db.dispose()
        finally:
            proc.terminate()
            proc.wait(10)


def case_op(seq: int, history: bool = False) -> p.Operation:
    """A new open case, made now; with ``history`` one of a compound's past cases, made at
    its moment of the three years and closed unless it is every tenth."""
    rid = new_id(HISTORY_START_MS + seq * HISTORY_STEP_MS) if history else new_id()
    hlc = f"{1_700_000_000_000 + seq:012x}-000000-bench"
    case = Case.new(
        rid,
        "repair",
        Target("unit", f"u{seq % 500}"),
        hlc,
        site_id="s1",
        title=f"Leak {seq}",
        category="plumbing",
        department="engineering",
    )
    if history and seq % 10:
        case.set_status("closed", f"{1_700_000_000_000 + seq:012x}-000001-bench")
    body = case.to_dict()
    return p.Operation(
        op_id=new_id(), seq=seq, hlc=hlc, kind="case", record_id=rid, site="s1", body=body
    )


def bench_first_syncs(cluster: Cluster, work: Path, sizes: tuple[int, ...]) -> list[dict]:
    """A new laptop's first round once the office holds each of ``sizes`` cases of a
    compound's history (``case_op(history=True)``: nine in ten closed, spread over three
    years, so the device archives them by month as it goes); one server and database,
    filled up to each size in turn, a fresh device each time."""
    if not sizes:
        return []
    with office(cluster, work, "firstsync") as enrol:
        pusher = enrol("pusher")
        held, rows = 0, []
        for size in sorted(sizes):
            for i in range(held, size, PUSH_BATCH):
                batch = range(i + 1, min(size, i + PUSH_BATCH) + 1)
                pusher.push([case_op(seq, history=True) for seq in batch])
            held = size
            settle(cluster, "firstsync")
            rows.append(first_sync(enrol(f"fresh {size}"), work / f"fresh-{size}", size))
        return rows


def first_sync(client: SyncClient, folder: Path, size: int) -> dict[str, float]:
    """``sync_round`` as the app and ``fieldkit sync`` call it (pages chosen by the client)
    into a fresh device store, the time spent storing pages (``StoreAdapter.apply_remote``:
    checked, merged, closed ones written to their months, the rest with the cursor) taken
    apart; then the same pages into TinyDB's default ``JSONStorage``, one
    ``insert_multiple`` per page (its whole file rewritten and fsynced each time,
    non-atomic): the floor for a page in a TinyDB file."""
    from fieldkit.store import Store

    store = Store.open(folder, command="bench")
    adapter = StoreAdapter(store, "s1")
    storing = storing_cpu = 0.0
    apply = adapter.apply_remote

    def timed(changes: Any, cursor: int) -> None:
        nonlocal storing, storing_cpu
        t, cpu = time.perf_counter(), time.process_time()
        apply(changes, cursor)
        storing += time.perf_counter() - t
        storing_cpu += time.process_time() - cpu

    adapter.apply_remote = timed  # type: ignore[method-assign]
    started = time.perf_counter()
    report = sync_round(adapter, client)
    whole = time.perf_counter() - started
    store.close()
    assert report.pulled == size, (report.pulled, size)
    return {
        "size": size,
        "pages": report.pages,
        "round": report.pulled / whole,
        "store": report.pulled / storing,
        "store_cpu": report.pulled / storing_cpu,
        "tinydb": tinydb_default(client, folder.with_name(folder.name + "-tinydb.json")),
    }


def tinydb_default(client: SyncClient, path: Path) -> float:
    """Records/s storing the office's pages (10,000 each) in TinyDB's default storage."""
    from tinydb import TinyDB

    db = TinyDB(path)
    cursor, stored, storing = 0, 0, 0.0
    while True:
        page = client.pull(cursor, p.MAX_PULL_LIMIT)
        docs = [c.body for c in page.changes]
        t = time.perf_counter()
        db.insert_multiple(docs)
        storing += time.perf_counter() - t
        stored += len(docs)
        cursor = page.next_cursor
        if not page.has_more:
            break
    db.close()
    return stored / storing


def bench_fieldkit(
    cluster: Cluster,
    work: Path,
    n_push: int,
    n_pull: int,
    passes: int,
) -> dict[str, Any]:
    from fieldkit.store import Store

    with office(cluster, work, "fieldkit") as enrol:
        pusher = enrol("pusher")
        ops = [case_op(i + 1) for i in range(max(n_push, n_pull))]
        started = time.perf_counter()
        for i in range(0, n_push, PUSH_BATCH):
            answer = pusher.push(ops[i : i + PUSH_BATCH])
            assert all(r.status == "applied" for r in answer.results)
        push_rate = n_push / (time.perf_counter() - started)
        for i in range(n_push, n_pull, PUSH_BATCH):
            pusher.push(ops[i : i + PUSH_BATCH])

        settle(cluster, "fieldkit")
        puller = enrol("puller")

        def pull_all() -> float:
            started = time.perf_counter()
            cursor, got = 0, 0
            while True:
                page = puller.pull(cursor, PULL_PAGE)
                got += len(page.changes)
                cursor = page.next_cursor
                if not page.has_more:
                    break
            assert got == max(n_push, n_pull), got
            return got / (time.perf_counter() - started)

        pull_rates = [pull_all() for _ in range(passes)]

        device = enrol("device")
        store = Store.open(work / "device", command="bench")
        adapter = StoreAdapter(store, "s1")
        started = time.perf_counter()
        caught_up = sync_round(adapter, device, page=PULL_PAGE)
        store_rate = caught_up.pulled / (time.perf_counter() - started)
        assert caught_up.pulled == max(n_push, n_pull), caught_up.pulled
        times = []
        for _ in range(30):
            t = time.perf_counter()
            sync_round(adapter, device)
            times.append(time.perf_counter() - t)
        store.close()
        return {
            "push": push_rate,
            "pull": statistics.median(pull_rates),
            "pull_passes": pull_rates,
            "store_pull": store_rate,
            "noop_ms": statistics.median(times) * 1000,
        }


def ensure_kinto() -> Path:
    kinto = KINTO_VENV / "bin" / "kinto"
    if not kinto.exists():
        print(f"installing kinto[postgresql] into {KINTO_VENV} ...", flush=True)
        subprocess.run([sys.executable, "-m", "venv", str(KINTO_VENV)], check=True)
        subprocess.run(
            [str(KINTO_VENV / "bin" / "pip"), "install", "-q", "kinto[postgresql]"], check=True
        )
    return kinto


KINTO_INI = """[app:main]
use = egg:kinto
kinto.storage_backend = kinto.core.storage.postgresql
kinto.storage_url = {db}
kinto.permission_backend = kinto.core.permission.postgresql
kinto.permission_url = {db}
kinto.cache_backend = kinto.core.cache.postgresql
kinto.cache_url = {db}
kinto.userid_hmac_secret = bench-secret
multiauth.policies = basicauth
kinto.bucket_create_principals = system.Authenticated
kinto.storage_max_fetch_size = 10000
kinto.paginate_by = 10000

[server:main]
use = egg:waitress#main
host = 127.0.0.1
port = {port}

[loggers]
keys = root

[handlers]
keys = console

[formatters]
keys = generic

[logger_root]
level = WARNING
handlers = console

[handler_console]
class = StreamHandler
args = (sys.stderr,)
level = WARNING
formatter = generic

[formatter_generic]
format = %(message)s
"""


def bench_kinto(
    cluster: Cluster, work: Path, n_push: int, n_pull: int, passes: int
) -> dict[str, Any]:
    kinto = ensure_kinto()
    cluster.create_database("kinto")
    db = f"postgresql://postgres@127.0.0.1:{cluster.port}/kinto"
    port = free_port()
    ini = work / "kinto.ini"
    ini.write_text(KINTO_INI.format(db=db, port=port))
    subprocess.run([str(kinto), "migrate", "--ini", str(ini)], check=True, capture_output=True)
    log = open(work / "kinto.log", "wb")  # noqa: SIM115
    proc = subprocess.Popen(
        [str(kinto), "start", "--ini", str(ini)], stdout=log, stderr=subprocess.STDOUT
    )
    base = f"http://127.0.0.1:{port}/v1"
    try:
        wait_http(base + "/", proc)
        s = requests.Session()
        s.auth = ("bench", "bench")
        s.put(f"{base}/buckets/b").raise_for_status()
        s.put(f"{base}/buckets/b/collections/c").raise_for_status()
        path = "/buckets/b/collections/c/records"
        bodies = [case_op(i + 1).body for i in range(max(n_push, n_pull))]

        def create(chunk):
            requests_ = [{"method": "POST", "path": path, "body": {"data": b}} for b in chunk]
            answer = s.post(f"{base}/batch", json={"requests": requests_})
            answer.raise_for_status()
            assert all(r["status"] == 201 for r in answer.json()["responses"])

        started = time.perf_counter()
        for i in range(0, n_push, KINTO_BATCH):
            create(bodies[i : i + KINTO_BATCH])
        push_rate = n_push / (time.perf_counter() - started)
        for i in range(n_push, n_pull, KINTO_BATCH):
            create(bodies[i : i + KINTO_BATCH])

        settle(cluster, "kinto")

        def pull_all() -> tuple[float, int]:
            started = time.perf_counter()
            got, since = 0, 0
            url = f"{base}{path}?_since=0&_sort=last_modified&_limit={PULL_PAGE}"
            while url:
                answer = s.get(url)
                answer.raise_for_status()
                data = answer.json()["data"]
                got += len(data)
                if data:
                    since = max(since, max(r["last_modified"] for r in data))
                url = answer.headers.get("Next-Page")
            assert got == max(n_push, n_pull), got
            return got / (time.perf_counter() - started), since

        pulled = [pull_all() for _ in range(passes)]
        since = pulled[-1][1]
        times = []
        for _ in range(30):
            t = time.perf_counter()
            answer = s.get(f"{base}{path}?_since={since}&_sort=last_modified&_limit={PULL_PAGE}")
            assert answer.json()["data"] == []
            times.append(time.perf_counter() - t)
        rates = [rate for rate, _ in pulled]
        return {
            "push": push_rate,
            "pull": statistics.median(rates),
            "pull_passes": rates,
            "noop_ms": statistics.median(times) * 1000,
        }
    finally:
        proc.terminate()
        proc.wait(10)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="1,000 pushed / 5,000 pulled")
    parser.add_argument("--no-kinto", action="store_true", help="only fieldkit's figures")
    parser.add_argument(
        "--passes", type=int, default=3, help="full pulls on each side, median taken (3)"
    )
    parser.add_argument(
        "--store-sizes", default="10000,100000,300000", metavar="N,N",
        help="first syncs of a fresh device once the office holds N cases ('' for none)",
    )  # fmt: skip
    args = parser.parse_args()
    store_sizes = tuple(int(n) for n in args.store_sizes.split(",") if n)
    n_push, n_pull = (1000, 5000) if args.quick else (10_000, 50_000)
    bin_dir = find_bin_dir()
    if bin_dir is None:
        print("PostgreSQL binaries not found (apt-get install postgresql).")
        return 1
    passes = max(1, args.passes)
    load_before = os.getloadavg()
    cluster = Cluster(bin_dir)
    cluster.start(durable=True)
    try:
        with tempfile.TemporaryDirectory(prefix="fieldkit-bench-") as tmp:
            work = Path(tmp)
            ours = bench_fieldkit(cluster, work, n_push, n_pull, passes)
            ours["first_syncs"] = bench_first_syncs(cluster, work, store_sizes)
            theirs = None if args.no_kinto else bench_kinto(cluster, work, n_push, n_pull, passes)
    finally:
        cluster.stop()
    load_after = os.getloadavg()
    total = max(n_push, n_pull)
    print(f"workload: push {n_push:,} ops, pull {total:,} changes; PostgreSQL, durable commits")
    print(
        f"load average (1/5/15 min) before {_load(load_before)}, after {_load(load_after)} "
        f"on {os.cpu_count()} cores"
    )
    print(f"{'':24}{'fieldkit':>12}{'Kinto':>12}{'ratio':>10}   target")
    rows = [
        ("push (records/s)", "push", "≥ 20× Kinto"),
        ("pull (records/s)", "pull", "≥ 1.5× Kinto"),
        ("no-op sync (ms, p50)", "noop_ms", "≤ 20 ms (fieldkit)"),
    ]
    for label, key, target in rows:
        if theirs:
            ratio = ours[key] / theirs[key] if key != "noop_ms" else theirs[key] / ours[key]
            print(f"{label:24}{ours[key]:12,.1f}{theirs[key]:12,.1f}{ratio:9.2f}×   {target}")
        else:
            print(f"{label:24}{ours[key]:12,.1f}{'-':>12}{'-':>10}   {target}")
    passes_of = {"fieldkit": ours, **({"Kinto": theirs} if theirs else {})}
    for name, figures in passes_of.items():
        shown = " / ".join(f"{rate:,.0f}" for rate in figures["pull_passes"])
        print(f"  pull passes, {name}: {shown} records/s (median above)")
    print(
        f"{'pull into device store':24}{ours['store_pull']:12,.1f}{'-':>12}{'-':>10}   "
        "(records/s, sync_round into a fresh store, pages of 10,000; no Kinto counterpart)"
    )
    if ours["first_syncs"]:
        print("first sync of a fresh device (records/s; target: stored >= 25,000/s):")
        print(f"{'office holds':>14}{'pages':>7}{'whole round':>13}{'storing':>11}"
              f"{'a CPU-second':>14}{'TinyDB default':>16}{'ratio':>8}")  # fmt: skip
        for row in ours["first_syncs"]:
            print(f"{row['size']:>14,}{row['pages']:>7}{row['round']:>13,.0f}{row['store']:>11,.0f}"
                  f"{row['store_cpu']:>14,.0f}{row['tinydb']:>16,.0f}"
                  f"{row['store'] / row['tinydb']:>7.1f}x")  # fmt: skip
    return 0


def _load(averages: tuple[float, float, float]) -> str:
    return "/".join(f"{a:.1f}" for a in averages)


if __name__ == "__main__":
    sys.exit(main())
