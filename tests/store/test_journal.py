"""The answer journal: an answer durable with one fsync, nothing lost, nothing doubled.

Kill tests (a real child process, SIGKILLed; ``crash_child.py journal``): at random while
answering many answers a second, right after a journal line is fsynced, and in the middle
of a fold (``active.json`` written with the submit, the journal not yet emptied — where a
replayed draft line would undo the submit). After each restart every acknowledged answer
is there once with its value, every acknowledged submit is submitted and in one place,
and the outbox holds each submit once. Then the journal's own cases: a torn last line,
a damaged line, the previous copy of ``active.json``, a failed change, doctor.
"""

from __future__ import annotations

import random
from pathlib import Path

import orjson
import pytest

from fieldkit.model import ChecklistRef, Target
from fieldkit.store import Store, journal
from fieldkit.store.doctor import diagnose
from tests.store.test_crash import _open_after_crash, _placement, _run_and_kill

CHECKLIST = ChecklistRef("fire.extinguisher.monthly", 3, "ab" * 32)


def _kill_journal(tmp_path: Path, kills: int, seed: int, mark: str) -> dict:
    rng = random.Random(seed)
    data = tmp_path / "journal"
    Store.open(data).close()
    acked: dict[tuple[str, str], int] = {}
    submitted: set[str] = set()
    stats = {"kills": 0, "acked": 0, "temps_left": 0, "lines_left": 0}
    for _ in range(kills):
        at = {"append": "appended", "fold": "folding"}.get(mark)
        lines = _run_and_kill(["journal", str(data), mark], rng, 0.4, at=at)
        stats["kills"] += 1
        for line in lines:
            word, *rest = line.split()
            if word == "a":
                run, key, n = rest
                acked[(run, key)] = int(n)
                stats["acked"] += 1
            elif word == "s":
                submitted.add(rest[0])
        if mark == "fold":
            # killed inside the submit's fold: its active.json is durable, so the run is
            # submitted though the child never said so; its lines must not undo that
            submitted.add(next(ln.split()[1] for ln in reversed(lines) if ln.startswith("a ")))
        path = journal.path_of(data / "active.json")
        stats["lines_left"] += path.exists() and path.stat().st_size > 0
        store = _open_after_crash(data, stats)
        try:
            for (run, key), n in acked.items():
                inspection = store.get_inspection(run)
                assert inspection is not None, (run, key)
                assert inspection.answers[key].value == n, (run, key, n)
            for run in submitted:
                assert store.get_inspection(run).status == "submitted", run
            drafts = {d.id for d in store.drafts()}
            # a run the child was answering when killed is still a draft, not submitted
            assert not drafts & submitted
            for run in {run for run, _ in acked}:
                assert (
                    len(store.get_inspection(run).answers) == sum(1 for r, _ in acked if r == run)
                    or run in drafts
                ), run
            outbox = [e.id for e in store.outbox_pending() if e.entity == "inspection"]
            assert len(outbox) == len(set(outbox)), "a submit was queued twice"
            assert submitted <= set(outbox)
            assert [e.seq for e in store.outbox_pending()] == list(
                range(1, len(store.outbox_pending()) + 1)
            )
        finally:
            store.close()
        placed = _placement(data)
        assert all(len(p) == 1 for p in placed.values()), placed
    return stats


def test_kill_at_random_while_answering(tmp_path):
    stats = _kill_journal(tmp_path, kills=25, seed=17, mark="none")
    assert stats["acked"] > 100, stats


def test_kill_right_after_a_journal_line(tmp_path):
    stats = _kill_journal(tmp_path, kills=12, seed=23, mark="append")
    assert stats["lines_left"] == stats["kills"], "no kill left a line in the journal"


def test_kill_in_the_middle_of_a_fold(tmp_path):
    """Killed after the submit's ``active.json`` is durable, before the journal is emptied:
    the draft's lines are still there, of the old generation, and must not undo it."""
    stats = _kill_journal(tmp_path, kills=12, seed=29, mark="fold")
    assert stats["lines_left"] == stats["kills"], "no kill landed inside a fold"


def _draft(data: Path) -> str:
    with Store.open(data) as store:
        return store.create_inspection(CHECKLIST, Target("unit", "u1")).id


def test_an_answer_is_one_journal_line_and_the_next_whole_write_folds_it(tmp_path):
    data = tmp_path / "d"
    run = _draft(data)
    active = (data / "active.json").read_bytes()
    path = journal.path_of(data / "active.json")
    with Store.open(data) as store:
        store.save_answer(run, "q1", "pass")
        store.save_answer(run, "q2", "fail", note="灭火器压力不足")
        assert (data / "active.json").read_bytes() == active  # not rewritten
        assert len(path.read_bytes().splitlines()) == 2
    with Store.open(data, readonly=True) as store:  # a snapshot reads the journal too
        assert store.get_inspection(run).answers["q2"].note == "灭火器压力不足"
    with Store.open(data) as store:
        assert store.get_inspection(run).answers["q1"].value == "pass"
        store.create_case("finding", Target("unit", "u1"), title="灭火器压力不足")
        assert path.read_bytes() == b""  # folded by the case's whole write
        on_disk = orjson.loads((data / "active.json").read_bytes())
        assert set(on_disk["inspection"][run]["answers"]) == {"q1", "q2"}
        store.submit_inspection(run)
    with Store.open(data) as store:
        store.ack([e.op for e in store.outbox_pending() if e.entity == "case"])
        assert [e.id for e in store.outbox_pending()] == [run]
        assert store.outbox_pending()[0].record["answers"]["q2"]["value"] == "fail"


def test_a_torn_last_line_is_dropped_reported_and_doctor_finds_the_journal_clean(tmp_path):
    data = tmp_path / "d"
    run = _draft(data)
    with Store.open(data) as store:
        store.save_answer(run, "q1", "pass")
        store.save_answer(run, "q2", "pass")
    path = journal.path_of(data / "active.json")
    whole = path.read_bytes()
    path.write_bytes(whole[: len(whole) - 7])  # the second line cut by a kill
    report = diagnose(data)
    torn = [f for f in report.findings if f.key == "store.notice.journal_torn"]
    assert [(f.level, f.params) for f in torn] == [("fixed", {"count": 1})]
    assert report.problems == []
    assert path.read_bytes() == b""  # folded: the next line follows no torn one
    with Store.open(data) as store:
        assert store.notices == []
        answers = store.get_inspection(run).answers
        assert set(answers) == {"q1"}
        store.save_answer(run, "q3", "fail")
    with Store.open(data) as store:
        assert set(store.get_inspection(run).answers) == {"q1", "q3"}


def test_a_damaged_line_is_kept_aside_and_reported_as_a_problem(tmp_path):
    data = tmp_path / "d"
    run = _draft(data)
    with Store.open(data) as store:
        for key in ("q1", "q2", "q3"):
            store.save_answer(run, key, "pass")
    path = journal.path_of(data / "active.json")
    lines = path.read_bytes().splitlines(keepends=True)
    lines[1] = lines[1].replace(b'"pass"', b'"fail"')  # the checksum no longer holds
    path.write_bytes(b"".join(lines))
    report = diagnose(data)
    assert [f.key for f in report.problems] == ["store.notice.journal_damaged"]
    kept = Path(report.problems[0].params["kept"])
    assert kept.read_bytes() == b"".join(lines)
    with Store.open(data) as store:
        # each line holds the whole draft: the third still carries every answer
        assert set(store.get_inspection(run).answers) == {"q1", "q2", "q3"}
        assert store.get_inspection(run).answers["q2"].value == "pass"


def test_a_failed_change_after_journaled_answers_keeps_them(tmp_path):
    data = tmp_path / "d"
    run = _draft(data)
    with Store.open(data) as store:
        store.save_answer(run, "q1", "pass")
        try:
            with store.transaction():
                store.save_answer(run, "q2", "pass")
                raise RuntimeError("a service failed half-way")
        except RuntimeError:
            pass
        assert set(store.get_inspection(run).answers) == {"q1"}
        store.create_case("finding", Target("unit", "u1"), title="漏水")
    with Store.open(data) as store:
        assert set(store.get_inspection(run).answers) == {"q1"}
        assert [c.title for c in store.open_cases()] == ["漏水"]


def test_the_previous_copy_takes_the_journal_lines_and_keeps_its_outbox_count(tmp_path):
    data = tmp_path / "d"
    run = _draft(data)
    with Store.open(data) as store:
        store.create_case("finding", Target("unit", "u1"), title="漏水")
        store.save_answer(run, "q1", "pass")
    (data / "active.json").write_bytes(b'{"_meta": {"1": {"schema": 1, "ki')  # damaged
    with Store.open(data) as store:
        assert [n.key for n in store.notices] == ["store.notice.damaged"]
        assert store.get_inspection(run).answers["q1"].value == "pass"
        # the case's write was lost with the damaged file: its number is free again
        assert store.outbox_pending() == []
        assert store.device_state()["seq"] == 0


def test_a_failed_append_leaves_no_part_of_a_line_before_the_next(tmp_path, monkeypatch):
    """A full disk or a failed fsync inside the append: the answer is refused, the part of
    its line cut off, and the next answer is written whole (which empties the journal)."""
    data = tmp_path / "d"
    run = _draft(data)
    real_append = journal.append

    def disk_full(path, line):
        with open(path, "ab") as f:
            f.write(line[: len(line) // 2])
        raise OSError(28, "No space left on device")

    with Store.open(data) as store:
        store.save_answer(run, "q1", "pass")
        monkeypatch.setattr(journal, "append", disk_full)
        with pytest.raises(OSError):
            store.save_answer(run, "q2", "pass")
        assert set(store.get_inspection(run).answers) == {"q1"}
        monkeypatch.setattr(journal, "append", real_append)
        store.save_answer(run, "q3", "fail")
        assert journal.path_of(data / "active.json").read_bytes() == b""
    with Store.open(data) as store:
        assert store.notices == []
        assert {k: a.value for k, a in store.get_inspection(run).answers.items()} == {
            "q1": "pass",
            "q3": "fail",
        }
