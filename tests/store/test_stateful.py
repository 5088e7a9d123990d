"""Random sequences of store operations, with restarts in between, read back what was written.

A Hypothesis state machine drives the Store and a plain in-memory model side by side; after
every step the store must agree with the model — drafts and their answers, submitted runs,
cases with their status and events, the outbox, attachments — whether the records are in
the active file, archived, or read again after a restart.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    consumes,
    invariant,
    precondition,
    rule,
)

from fieldkit.model import CASE_LIFECYCLE, ChecklistRef, Target
from fieldkit.store import Store

CHECKLIST = ChecklistRef("patrol.daily", 1, "cd" * 32)
values = st.one_of(
    st.integers(-5, 5),
    st.sampled_from(["pass", "fail", "n/a", "漏水", ""]),
    st.none(),
    st.floats(0, 4),
)
FINAL = ("closed", "cancelled")
keys = st.sampled_from(["in_place", "pressure@ext-1", "pressure@ext-2", "note", "photo"])


class StoreMachine(RuleBasedStateMachine):
    drafts = Bundle("drafts")
    cases = Bundle("cases")

    def __init__(self) -> None:
        super().__init__()
        self.folder = Path(tempfile.mkdtemp(prefix="fk-stateful-"))
        self.store = Store.open(self.folder)
        self.model_drafts: dict[str, dict] = {}
        self.model_submitted: dict[str, dict] = {}
        self.model_cases: dict[str, dict] = {}
        self.model_blobs: dict[str, bytes] = {}
        self.queued = 0

    def teardown(self) -> None:
        self.store.close()
        shutil.rmtree(self.folder, ignore_errors=True)

    @rule(target=drafts)
    def create_draft(self):
        run = self.store.create_inspection(CHECKLIST, Target("route", "r1"))
        self.model_drafts[run.id] = {}
        return run.id

    @rule(run=drafts, key=keys, value=values)
    def save_answer(self, run, key, value):
        if run in self.model_drafts:
            self.store.save_answer(run, key, value)
            self.model_drafts[run][key] = value

    @rule(run=consumes(drafts))
    def submit(self, run):
        self.store.submit_inspection(run)
        self.model_submitted[run] = self.model_drafts.pop(run)
        self.queued += 1

    @rule(target=cases, title=st.text(max_size=8))
    def create_case(self, title):
        case = self.store.create_case("finding", Target("unit", "u1"), title=title)
        self.model_cases[case.id] = {"title": title, "status": "open", "events": []}
        self.queued += 1
        return case.id

    @rule(case=cases, step=st.integers(0, 3))
    def advance_status(self, case, step):
        current = self.model_cases[case]["status"]
        forward = [s for s, r in CASE_LIFECYCLE.items() if r >= CASE_LIFECYCLE[current]]
        status = forward[min(step, len(forward) - 1)]
        self.store.set_case_status(case, status)
        self.model_cases[case]["status"] = status
        self.model_cases[case]["events"].append(f"status:{status}")
        self.queued += 1

    @rule(case=cases, text=st.text(max_size=12))
    def note(self, case, text):
        self.store.add_case_event(case, "note", text)
        self.model_cases[case]["events"].append(text)
        self.queued += 1

    @rule(case=cases, data=st.binary(max_size=64))
    def photo(self, case, data):
        ref = self.store.put_blob(data, media_type="image/jpeg")
        self.model_blobs[ref.sha256] = data
        self.store.add_case_event(case, "photo", attachments=[ref])
        self.model_cases[case]["events"].append(f"photo:{ref.sha256}")
        self.queued += 1

    @rule(count=st.integers(0, 5))
    def ack(self, count):
        pending = self.store.outbox_pending(limit=count)
        assert self.store.ack([e.op for e in pending]) == len(pending)
        self.queued -= len(pending)

    @rule()
    def archive(self):
        self.store.archive()

    @rule()
    def restart(self):
        self.store.close()
        self.store = Store.open(self.folder)

    def _closed(self) -> list[str]:
        return sorted(c for c, m in self.model_cases.items() if m["status"] in FINAL)

    @precondition(lambda self: self._closed())
    @rule(data=st.data())
    def reopen_one_closed(self, data):
        case = data.draw(st.sampled_from(self._closed()))
        self.store.reopen_case(case)
        self.model_cases[case]["status"] = "open"
        self.model_cases[case]["events"].append("status:open")
        self.queued += 1

    @invariant()
    def reads_back(self):
        store = self.store
        assert {r.id: {k: a.value for k, a in r.answers.items()} for r in store.drafts()} == (
            self.model_drafts
        )
        for run_id, answers in self.model_submitted.items():
            run = store.get_inspection(run_id)
            assert run.status == "submitted"
            assert {k: a.value for k, a in run.answers.items()} == answers
        for case_id, expected in self.model_cases.items():
            case = store.get_case(case_id)
            assert case.title == expected["title"] and case.status == expected["status"]
            seen = []
            for event in case.events:
                if event.type == "status":
                    seen.append(f"status:{event.data['to']}")
                elif event.type == "photo":
                    seen.append(f"photo:{event.attachments[0].sha256}")
                else:
                    seen.append(event.text)
            assert seen == expected["events"]
        outbox = store.outbox_pending()
        assert len(outbox) == self.queued
        assert [e.seq for e in outbox] == sorted(e.seq for e in outbox)
        for sha, data in self.model_blobs.items():
            assert store.read_blob(sha) == data


StoreMachine.TestCase.settings = settings(max_examples=30, stateful_step_count=30, deadline=None)
test_store_reads_back_what_was_written = StoreMachine.TestCase
