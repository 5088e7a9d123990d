"""A small durable device for the sync tests: one JSON state file written atomically.

It implements :class:`fieldkit.sync.client.SyncStore` with the same durability rules as the
device store (a change and its outbox entry in one write; settle and pull pages in one
write each), so the fault tests exercise the protocol and the client's round, and it keeps
an ``acked`` log of every op id the server acknowledged, for the tests' bookkeeping.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from fieldkit.model import Case, Clock, Event, Target, merge_case, new_id
from fieldkit.sync import protocol as p


class FileDevice:
    def __init__(self, folder: Path, device_id: str, site: str = "s1") -> None:
        self.folder = folder
        self.path = folder / "state.json"
        self.device_id = device_id
        self.site = site
        folder.mkdir(parents=True, exist_ok=True)
        if self.path.exists():
            self.state = json.loads(self.path.read_text("utf-8"))
        else:
            self.state = {
                "seq": 0,
                "clock": None,
                "outbox": [],
                "attention": [],
                "cursor": 0,
                "records": {},
                "acked": [],
                "events": [],
            }
        self.clock = Clock(device_id, self.state["clock"])

    def _write(self) -> None:
        self.state["clock"] = str(self.clock.last)
        tmp = self.folder / "state.json.tmp"
        with open(tmp, "wb") as f:
            f.write(json.dumps(self.state).encode())
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, self.path)

    # --- local changes -------------------------------------------------------------------

    def _enqueue(self, kind: str, body: dict[str, Any], hlc: str) -> None:
        self.state["seq"] += 1
        self.state["records"][f"{kind}/{body['id']}"] = body
        self.state["outbox"].append(
            {
                "op_id": new_id(),
                "seq": self.state["seq"],
                "hlc": hlc,
                "kind": kind,
                "record_id": body["id"],
                "site": self.site,
                "body": body,
            }
        )

    def new_case(self, title: str) -> str:
        hlc = str(self.clock.now())
        case = Case.new(
            new_id(), "repair", Target("unit", "u1"), hlc, site_id=self.site, title=title
        )
        self._enqueue("case", case.to_dict(), hlc)
        self._write()
        return case.id

    def add_note(self, case_id: str, text: str) -> str:
        case = Case.from_dict(self.state["records"][f"case/{case_id}"])
        hlc = str(self.clock.now())
        event = Event(new_id(), "note", hlc, text=text, by=self.device_id)
        case.add_event(event)
        self._enqueue("case", case.to_dict(), hlc)
        self.state["events"].append(event.id)
        self._write()
        return event.id

    def case_ids(self) -> list[str]:
        return [k.split("/", 1)[1] for k in self.state["records"] if k.startswith("case/")]

    # --- SyncStore -----------------------------------------------------------------------

    def outbox(self, limit: int) -> list[p.Operation]:
        return [p.Operation.model_validate(e) for e in self.state["outbox"][:limit]]

    def settle(self, done: Sequence[str], rejected: Sequence[p.OpResult]) -> None:
        gone = set(done) | {r.op_id for r in rejected}
        by_id = {e["op_id"]: e for e in self.state["outbox"]}
        self.state["attention"] += [
            {"entry": by_id[r.op_id], "code": r.code, "message": r.message}
            for r in rejected
            if r.op_id in by_id
        ]
        self.state["outbox"] = [e for e in self.state["outbox"] if e["op_id"] not in gone]
        self.state["acked"] += list(done)
        self._write()

    def pull_cursor(self) -> int:
        return self.state["cursor"]

    def apply_remote(self, changes: Sequence[p.Change], cursor: int) -> None:
        for change in changes:
            key = f"{change.kind}/{change.record_id}"
            self.clock.observe(change.hlc)
            local = self.state["records"].get(key)
            if change.kind == "case" and local is not None:
                merged = merge_case(Case.from_dict(local), Case.from_dict(change.body))
                self.state["records"][key] = merged.to_dict()
            else:
                self.state["records"][key] = change.body
        self.state["cursor"] = cursor
        self._write()

    def read_blob(self, sha256: str) -> bytes:
        return (self.folder / "blobs" / sha256).read_bytes()
