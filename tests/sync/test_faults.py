"""Sync through a hostile network: nothing acknowledged is lost, nothing is doubled.

Three devices make changes (new cases, notes on their own and each other's cases) and sync
through :class:`FaultProxy`, which refuses, resets after the server applied, truncates and
stalls requests. At the end, over a clean network, every outbox must be empty, every op the
server acknowledged must be on it once, every note once in its case, and every replica the
same as the server's. The default suite runs a short version; ``-m soak`` runs 1,000+ rounds.
"""

from __future__ import annotations

import random

import orjson
import pytest
import requests
from sqlalchemy import select

from fieldkit.sync.client import SyncClient, SyncError, sync_round
from fieldkit_server.db import Database
from fieldkit_server.tables import Op, Record
from tests.sync.device import TestDevice
from tests.sync.faultproxy import FaultProxy

HOSTILE = {"pass": 0.55, "refuse": 0.12, "reset": 0.15, "truncate": 0.15, "stall": 0.02}


def client_for(url: str, token: str, timeout: float = 0.5) -> SyncClient:
    session = requests.Session()
    session.headers["Connection"] = "close"  # one TCP connection per request: one fate each
    return SyncClient(url, token, timeout=(timeout, timeout), session=session)


def make_devices(server, tmp_path, n=3):
    devices = []
    for i in range(n):
        enrolled = server.enroll(name=f"laptop {i}")
        device = TestDevice(tmp_path / f"device{i}", enrolled.device_id)
        devices.append((device, enrolled.token))
    return devices


def work(device: TestDevice, rng: random.Random) -> None:
    """A few local changes: a new case, or notes on cases this device knows."""
    for _ in range(rng.randint(0, 3)):
        known = device.case_ids()
        if not known or rng.random() < 0.3:
            device.new_case(f"leak {rng.randint(1, 999)}")
        else:
            device.add_note(rng.choice(known), f"note {rng.randint(1, 10**6)}")


def settle(devices, url: str, rounds: int = 20) -> None:
    """Clean network: sync until every outbox is empty and every device has pulled all."""
    for _ in range(rounds):
        for device, token in devices:
            sync_round(device.adapter, client_for(url, token, timeout=10), batch=50, page=100)
        if all(d.store.outbox_count() == 0 for d, _ in devices):
            for device, token in devices:
                sync_round(device.adapter, client_for(url, token, timeout=10), batch=50, page=100)
            return
    raise AssertionError("outboxes did not drain on a clean network")


def check_exactly_once(server, devices) -> dict[str, int]:
    db = Database(server.db_url)
    try:
        with db.engine.connect() as conn:
            ops = conn.execute(
                select(Op.device_id, Op.op_id, Op.seq, Op.status, Op.code, Op.detail)
            ).all()
            records = {
                r.record_id: orjson.loads(r.body)
                for r in conn.execute(select(Record).where(Record.kind == "case"))
            }
    finally:
        db.dispose()
    on_server = {(o.device_id, o.op_id) for o in ops}
    assert len(on_server) == len(ops)
    refused = [(o.device_id, o.seq, o.code, o.detail) for o in ops if o.status == "rejected"]
    assert refused == [], refused
    events_everywhere = [e["id"] for body in records.values() for e in body["events"]]
    assert len(events_everywhere) == len(set(events_everywhere)), "an event was doubled"
    total_acked = 0
    for device, _ in devices:
        assert device.store.outbox_count() == 0, "an outbox did not drain"
        assert device.store.needs_attention() == []
        acked = device.acked
        total_acked += len(set(acked))
        assert {(device.device_id, a) for a in acked} <= on_server, "an acknowledged op is missing"
        seqs = sorted(o.seq for o in ops if o.device_id == device.device_id)
        assert seqs == list(range(1, device.made + 1)), "an op is missing or doubled"
        assert set(device.events) <= set(events_everywhere), "a note was lost"
        for case_id, body in records.items():
            assert device.store.get_case(case_id).to_dict() == body, "a replica diverged"
    return {"ops": len(ops), "acked_log": total_acked, "cases": len(records)}


def run_rounds(server, tmp_path, rounds: int, seed: int) -> dict[str, int]:
    rng = random.Random(seed)
    proxy = FaultProxy(("127.0.0.1", server.port), weights=HOSTILE, stall_seconds=0.6, seed=seed)
    devices = make_devices(server, tmp_path)
    failures = 0
    try:
        for r in range(rounds):
            proxy.offline(r % 25 >= 22)  # an offline window now and then
            for device, token in devices:
                work(device, rng)
                try:
                    sync_round(
                        device.adapter,
                        client_for(proxy.url, token),
                        batch=rng.randint(1, 8),
                        page=rng.randint(1, 20),
                    )
                except SyncError:
                    failures += 1
        proxy.offline(False)
        proxy.set_weights({"pass": 1.0})
        settle(devices, proxy.url)
        stats = check_exactly_once(server, devices)
    finally:
        proxy.close()
        for device, _ in devices:
            device.close()
    assert failures > 0 and proxy.fates["reset"] > 0 and proxy.fates["truncate"] > 0
    return {**stats, "failed_rounds": failures, **proxy.fates}


def test_sync_through_a_hostile_network(server_process, tmp_path):
    stats = run_rounds(server_process, tmp_path, rounds=60, seed=7)
    print(stats)
    assert stats["ops"] > 20


@pytest.mark.soak
def test_sync_through_a_hostile_network_soak(server_process, tmp_path):
    stats = run_rounds(server_process, tmp_path, rounds=340, seed=11)  # 3 devices: 1,020 rounds
    print(stats)
