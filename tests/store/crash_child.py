"""Run by the crash tests as a separate process, then SIGKILLed at a random moment.

``python crash_child.py answers DATA DRAFT_ID START``: saves answers to the draft in a loop
(value = a running number, key = q<number % 40>); every fifth number it also raises a case
titled with the number (a record and its outbox entry in one write). After each call
returns — the save is acknowledged — it prints ``a <n>`` or ``c <n>`` and flushes.

``python crash_child.py archive DATA``: creates an inspection, answers it, submits it, prints
``s <id>``, runs ``archive()`` and prints ``m <id>``, over and over. Inside ``archive()``, once
the month files are written and before active.json is, it prints ``between`` and waits a
moment, so the parent can kill it exactly there (the window archiving must survive).

``python crash_child.py incident DATA``: the same pause for the timeline: each entry's write
prints ``writing`` once its temp file is on disk, before it replaces the live file.

``python crash_child.py cases DATA``: raises a case, closes it and prints ``s <id>``, over and
over; every fifth case it archives as well (the month file and its case index in one write).

``python crash_child.py runs DATA``: submits runs on routes r0..r10 in turn, printing
``s <id> <route>`` after each submit returns; every seventh run it archives as well.

``python crash_child.py keyed DATA``: puts a resident of flat u<n % 9> into the reference
data (``reference.json`` and its keyed index in one write) and prints ``r <id> <unit>``,
then submits an inspection of that flat and prints ``s <id> <unit>``; every third round it
archives (the month and its keyed index in one write).

``python crash_child.py journal DATA MARK``: answers runs of five checks (each answer one
line of the answer journal) and submits each run (a whole write, which folds the journal),
printing ``a <run> <key> <n>`` after each answer returns and ``s <run>`` after each submit;
every fourth run it archives. With MARK ``append`` it prints ``appended`` once each
journal line is fsynced, before ``save_answer`` returns; with ``fold``, ``folding`` once a
whole write's ``active.json`` is durable and before the journal is emptied, and waits a
moment there, so the parent can kill it exactly in each window.

``python crash_child.py half DATA DRAFT GO``: answers ``q0`` of the draft, then ``q1`` with
its journal line written in two parts: the first half, ``half`` printed, and the rest only
once the file GO exists (an append the reader catches in the middle); prints ``a q1`` when
it returns, then holds the folder until killed.
"""

from __future__ import annotations

import os
import sys
import time

from fieldkit.model import ChecklistRef, Target
from fieldkit.store import Store

CHECKLIST = ChecklistRef("fire.extinguisher.monthly", 3, "ab" * 32)


def answers(store: Store, draft: str, start: int) -> None:
    n = start
    while True:
        store.save_answer(draft, f"q{n % 40}", n)
        print(f"a {n}", flush=True)
        if n % 5 == 0:
            store.create_case("finding", Target("unit", "u1"), title=str(n))
            print(f"c {n}", flush=True)
        n += 1


def _announce_between_writes() -> None:
    """Print ``between`` inside archive(), after the month files, before active.json."""
    restamp = Store._restamp_months

    def announced(self, months):
        print("between", flush=True)
        time.sleep(0.05)
        return restamp(self, months)

    Store._restamp_months = announced


def archive(store: Store) -> None:
    _announce_between_writes()
    while True:
        run = store.create_inspection(CHECKLIST, Target("asset", "ext-1"))
        store.save_answer(run.id, "pressure", 1.2)
        store.submit_inspection(run.id)
        print(f"s {run.id}", flush=True)
        store.archive()
        print(f"m {run.id}", flush=True)


def runs(store: Store) -> None:
    n = 0
    while True:
        route = f"r{n % 11}"
        run = store.create_inspection(CHECKLIST, Target("route", route))
        store.save_answer(run.id, "q", "pass")
        store.submit_inspection(run.id)
        print(f"s {run.id} {route}", flush=True)
        if n % 7 == 0:
            store.archive()
        n += 1


def cases(store: Store) -> None:
    n = 0
    while True:
        case = store.create_case("repair", Target("unit", f"u{n % 13}"), title=f"漏水 {n}")
        store.set_case_status(case.id, "closed")
        print(f"s {case.id}", flush=True)
        if n % 5 == 0:
            store.archive()
        n += 1


def keyed(store: Store) -> None:
    from fieldkit.model import new_id
    from fieldkit.model.registry import Resident

    n = 0
    while True:
        unit = f"u{n % 9}"
        resident = Resident(new_id(), "site", unit, role="owner", name=f"王{n}")
        store.put_reference("resident", [resident])
        print(f"r {resident.id} {unit}", flush=True)
        draft = store.create_inspection(CHECKLIST, Target("unit", unit))
        store.submit_inspection(draft.id)
        print(f"s {draft.id} {unit}", flush=True)
        if n % 3 == 0:
            store.archive()
        n += 1


def journal(store: Store, mark: str) -> None:
    from fieldkit.store import journal as answer_journal

    if mark == "append":
        real_append = answer_journal.append

        def announced_append(path, line):
            real_append(path, line)
            print("appended", flush=True)

        answer_journal.append = announced_append
    elif mark == "fold":
        real_empty = answer_journal.empty

        def announced_empty(path):
            print("folding", flush=True)
            time.sleep(0.05)
            real_empty(path)

        answer_journal.empty = announced_empty
    n = 0
    while True:
        run = store.create_inspection(CHECKLIST, Target("unit", f"u{n % 7}"))
        for key in ("a", "b", "c", "d", "e"):
            store.save_answer(run.id, key, n)
            print(f"a {run.id} {key} {n}", flush=True)
            n += 1
        store.submit_inspection(run.id)
        print(f"s {run.id}", flush=True)
        if n % 20 == 0:
            store.archive()


def half(store: Store, draft: str, go: str) -> None:
    from fieldkit.store import journal as answer_journal

    store.save_answer(draft, "q0", "pass")
    print("a q0", flush=True)
    real_append = answer_journal.append

    def halted_append(path, line):
        fd = os.open(path, os.O_WRONLY | os.O_APPEND)
        try:
            os.write(fd, line[: len(line) // 2])
        finally:
            os.close(fd)
        print("half", flush=True)
        while not os.path.exists(go):
            time.sleep(0.01)
        real_append(path, line[len(line) // 2 :])

    answer_journal.append = halted_append
    store.save_answer(draft, "q1", "fail")
    print("a q1", flush=True)
    while True:
        time.sleep(1)


def main() -> None:
    mode, data = sys.argv[1], sys.argv[2]
    store = Store.open(data, command=f"crash-child {mode}")
    print("ready", flush=True)
    if mode == "answers":
        answers(store, sys.argv[3], int(sys.argv[4]))
    elif mode == "runs":
        runs(store)
    elif mode == "cases":
        cases(store)
    elif mode == "keyed":
        keyed(store)
    elif mode == "journal":
        journal(store, sys.argv[3])
    elif mode == "half":
        half(store, sys.argv[3], sys.argv[4])
    else:
        archive(store)


if __name__ == "__main__":
    main()
