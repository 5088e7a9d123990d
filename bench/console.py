"""The office console's pages at 100,000 cases on PostgreSQL, beside the sync API's pull of
one page in the same run (issue 19: case list and case page ≤ 150 ms p95, dashboard
≤ 300 ms).

The cases are pushed through the real push (``fieldkit_server.push.push``, batches of 500
from one desk device), so ``records`` and ``case_index`` hold what a real office would:
five departments, every repair status, due times from a week ago to a week ahead, flats in
twelve buildings. Then ``fieldkit-server serve`` (one process) on the same throwaway cluster
(durable commits) answers a signed-in supervisor's requests over loopback; each figure is
the time from sending the request to the last byte of the answer (``requests``, a kept-alive
connection), p50 and p95 of ``--rounds`` requests (default 40), after 3 untimed ones.

Run: ``.venv/bin/python bench/console.py`` (``--cases N`` for another size).
"""

from __future__ import annotations

import argparse
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from fieldkit.model import Case, Event, Target, new_id  # noqa: E402
from fieldkit.sync import protocol as p  # noqa: E402
from tests.sync.pg import Cluster, find_bin_dir, free_port  # noqa: E402

SITE = "garden-court"
PASSWORD = "bench-password-19"
DEPARTMENTS = ("engineering", "security", "cleaning", "landscaping", "customer_service", "")
STATUSES = ("accepted", "dispatched", "in_progress", "done", "followed_up", "closed")
CATEGORIES = ("water_leak", "drain_blocked", "electrical", "lift", "door_lock", "other")
#: The cases were raised over three years (~90 a day, some 45 in a 12-hour shift), as an
#: office holding 100,000 would have them: a report of a period or a shift reads its part.
RAISED_OVER_DAYS = 3 * 365


def _case(n: int, rng: random.Random, now: datetime) -> Case:
    hlc = f"{1_760_000_000_000 + n:012x}-000000-bench"
    building = str(rng.randint(1, 12))
    where = f"{building}-{rng.randint(1, 4)}-{rng.randint(1, 33):02d}{rng.randint(1, 4):02d}"
    due = now + timedelta(hours=rng.randint(-7 * 24, 7 * 24))
    raised = now - timedelta(minutes=rng.randint(0, RAISED_OVER_DAYS * 24 * 60))
    case = Case.new(
        new_id(), "repair", Target("unit", f"unit-{where}"), hlc, site_id=SITE,
        status=rng.choice(STATUSES), category=rng.choice(CATEGORIES),
        department=rng.choice(DEPARTMENTS), severity=rng.choice(("minor", "major", "critical")),
        title="漏水渗水", description=f"{where} 卫生间顶棚滴水，楼下已有水渍（第 {n} 号）",
        due=due.strftime("%Y-%m-%dT%H:%M:%SZ"), created_by="刘洋",
        created_at=raised.strftime("%Y-%m-%dT%H:%M:%S.000Z"),
        extra={"where": where, "building": building, "urgency": "high",
               "titles": {"zh": "漏水渗水", "en": "Water leak"}},
    )  # fmt: skip
    for k in range(rng.randint(0, 3)):
        seen = (raised + timedelta(hours=k + 1)).strftime("%Y-%m-%dT%H:%M:%S.000Z")
        case.add_event(Event(new_id(), "note", hlc, at=seen, by="张师傅", text=f"已上门查看 {k}"))
    return case


def load(db_url: str, count: int) -> tuple[list[str], str]:
    """``count`` cases pushed by one desk device; their ids and an office device's token."""
    from fieldkit_server.console.people import add_user
    from fieldkit_server.db import Database, migrate
    from fieldkit_server.devices import add_device
    from fieldkit_server.feed import number_pending
    from fieldkit_server.push import Caller, push

    db = Database(db_url)
    migrate(db.engine)
    desk = add_device(db, site=SITE, role="desk", name="bench desk")
    caller = Caller(desk.device_id, SITE, "desk")
    rng = random.Random(19)
    now = datetime.now(UTC)
    ids: list[str] = []
    started = time.perf_counter()
    for first in range(0, count, 500):
        ops = []
        for n in range(first, min(count, first + 500)):
            case = _case(n, rng, now)
            ids.append(case.id)
            ops.append(p.Operation(op_id=new_id(), seq=n + 1, hlc=case.stamps["status"],
                                   kind="case", record_id=case.id, site=SITE,
                                   body=case.to_dict()))  # fmt: skip
        answer = push(db.sessions, caller, ops, "en")
        assert all(r.status == "applied" for r in answer.results)
    number_pending(db)  # as POST /v1/push asks after it commits (this calls push() itself)
    print(f"loaded {count:,} cases through push in {time.perf_counter() - started:.1f} s")
    add_user(db, name="王敏", role="supervisor", site=SITE, password=PASSWORD)
    office = add_device(db, site=SITE, role="office", name="bench office")
    db.dispose()
    return ids, office.code


def settle(cluster: Cluster, database: str) -> None:
    import psycopg

    dsn = f"host=127.0.0.1 port={cluster.port} user=postgres dbname={database}"
    with psycopg.connect(dsn, autocommit=True) as conn:
        # The push stamps each record with the minute of the load; an office's records
        # carry their age: each case was last changed when it was raised.
        conn.execute("UPDATE records SET updated_at = (body::jsonb ->> 'created_at')::timestamptz"
                     " WHERE kind = 'case'")  # fmt: skip
        conn.execute("VACUUM ANALYZE")
        conn.execute("CHECKPOINT")


def timed(session: requests.Session, url: str, rounds: int, **kw) -> tuple[float, float]:
    for _ in range(3):
        session.get(url, **kw).raise_for_status()
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        answer = session.get(url, **kw)
        times.append((time.perf_counter() - started) * 1000)
        answer.raise_for_status()
    times.sort()
    return statistics.median(times), times[max(0, int(len(times) * 0.95) - 1)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=40)
    args = parser.parse_args()
    bin_dir = find_bin_dir()
    if bin_dir is None:
        print("PostgreSQL binaries not found (apt-get install postgresql).")
        return 1
    load_before = os.getloadavg()
    cluster = Cluster(bin_dir)
    cluster.start(durable=True)
    proc = None
    try:
        cluster.create_database("console")
        db_url = cluster.url("console")
        ids, code = load(db_url, args.cases)
        settle(cluster, "console")
        with tempfile.TemporaryDirectory(prefix="fieldkit-bench-") as tmp:
            port = free_port()
            env = dict(os.environ, FIELDKIT_SERVER_DIR=tmp)
            proc = subprocess.Popen(
                [sys.executable, "-m", "fieldkit_server.cli", "--db", db_url, "serve",
                 "--port", str(port), "--log-file", "-"],
                env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            )  # fmt: skip
            base = f"http://127.0.0.1:{port}"
            deadline = time.monotonic() + 60
            while True:
                try:
                    requests.get(base + "/v1/health", timeout=1).raise_for_status()
                    break
                except requests.RequestException:
                    if time.monotonic() > deadline or proc.poll() is not None:
                        raise RuntimeError("the server did not start") from None
                    time.sleep(0.2)
            token = requests.post(base + "/v1/enroll", json={"code": code}).json()["token"]
            device = requests.Session()
            device.headers["Authorization"] = f"Bearer {token}"
            person = requests.Session()
            form = person.get(base + "/console/login").text
            csrf = re.search(r'name="csrf" value="([^"]+)"', form).group(1)
            person.post(base + "/console/login",
                        data={"csrf": csrf, "name": "王敏", "password": PASSWORD})  # fmt: skip
            assert "王敏" in person.get(base + "/console/dashboard").text
            ordered = sorted(ids)
            deep = ordered[len(ordered) // 10]  # a page 90% of the way down the list
            rng = random.Random(7)
            picks = [rng.choice(ids) for _ in range(args.rounds + 3)]
            rows = [
                ("sync API: pull one page of 100 (baseline)", base + "/v1/pull",
                 {"params": {"cursor": args.cases // 2, "limit": 100}}, device, None),
                ("case list, first page (open cases)", base + "/console/cases", {}, person, 150),
                ("case list, department = security", base + "/console/cases",
                 {"params": {"department": "security"}}, person, 150),
                ("case list, overdue only", base + "/console/cases",
                 {"params": {"overdue": "1"}}, person, 150),
                ("case list, search a flat (7-2-1503)", base + "/console/cases",
                 {"params": {"q": "7-2-1503", "status": ""}}, person, 150),
                ("case list, a page 90% down", base + "/console/cases",
                 {"params": {"after": deep, "status": ""}}, person, 150),
                ("dashboard", base + "/console/dashboard", {}, person, 300),
            ]  # fmt: skip
            results = []
            for label, url, kw, session, target in rows:
                results.append((label, *timed(session, url, args.rounds, **kw), target))
            case_times = []
            for case_id in picks:
                started = time.perf_counter()
                answer = person.get(f"{base}/console/cases/{case_id}")
                case_times.append((time.perf_counter() - started) * 1000)
                answer.raise_for_status()
                assert f"#{case_id[-6:]}" in answer.text, "not the case's page"
            case_times = sorted(case_times[3:])
            results.insert(
                6, ("case page (random cases)", statistics.median(case_times),
                    case_times[max(0, int(len(case_times) * 0.95) - 1)], 150),
            )  # fmt: skip
            # The reports read every case of the site (as GET /v1/reports/trends does), so
            # they are timed with fewer rounds; no target: a report, not a page of the desk.
            few = max(3, args.rounds // 8)
            for label, url, kw in (
                ("reports: trends, the last 180 days", base + "/console/reports", {}),
                ("reports: export the period's cases (xlsx)", base + "/console/reports/export",
                 {"params": {"what": "cases", "format": "xlsx"}}),
                ("reports: shift handover, the last 12 hours", base + "/console/reports/handover",
                 {}),
                ("reports: shift handover as PDF", base + "/console/reports/handover",
                 {"params": {"format": "pdf"}}),
            ):  # fmt: skip
                results.append((label, *timed(person, url, few, **kw), None))
    finally:
        if proc is not None:
            proc.terminate()
            proc.wait(timeout=30)
        cluster.stop()
    load_after = os.getloadavg()
    base_p50 = results[0][1]
    print(f"{args.cases:,} cases on PostgreSQL (durable commits), one server process, "
          f"{args.rounds} requests each")  # fmt: skip
    print(f"load average before {'/'.join(f'{a:.1f}' for a in load_before)}, after "
          f"{'/'.join(f'{a:.1f}' for a in load_after)} on {os.cpu_count()} cores")  # fmt: skip
    print(f"{'':44}{'p50 ms':>9}{'p95 ms':>9}{'p50 / baseline':>16}   target (p95)")
    for label, p50, p95, target in results:
        goal = f"≤ {target} ms" if target else ""
        print(f"{label:44}{p50:9.1f}{p95:9.1f}{p50 / base_p50:15.1f}×   {goal}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
