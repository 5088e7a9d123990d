"""Archive months read lazily, each with its case index in the same write: what a case list
reads is always what the records say, after any kill, and a month from before the index is
upgraded once."""

from __future__ import annotations

import random

import orjson

from fieldkit.model import Clock, Target
from fieldkit.store import Store
from fieldkit.store import months as month_files
from fieldkit.store.case_index import encode, row, rows_of
from fieldkit.store.layout import ARCHIVE_DIR
from fieldkit.store.schema import new_file
from tests.store.test_crash import _open_after_crash, _run_and_kill


def closed_cases(store: Store, n: int, start: int = 0) -> list[str]:
    ids = []
    for k in range(start, start + n):
        case = store.create_case("repair", Target("unit", f"u{k % 7}"), title=f"漏水 {k}",
                                 department="engineering" if k % 2 else "security")  # fmt: skip
        store.set_case_status(case.id, "closed")
        ids.append(case.id)
    return ids


def month_paths(data) -> list:
    return sorted((data / ARCHIVE_DIR).glob("*.json"))


def indexed(store: Store) -> dict[str, tuple]:
    """Every archived case row the months' indexes hold, by id."""
    history = store.case_history()
    out = {}
    for month in history.months:
        with history.month(month) as held:
            chunks = list(held.chunks())
            out.update((r[0], r) for r in rows_of(chunks, {i for c in chunks for i in c["ids"]}))
    return out


def test_a_month_is_json_with_its_index_written_in_the_same_bytes(tmp_path):
    data = tmp_path / "d"
    with Store.open(data) as store:
        ids = closed_cases(store, 12)
        assert store.archive() == 12
        (path,) = month_paths(data)
        whole = orjson.loads(path.read_bytes())  # still one JSON object any reader reads
        assert set(whole["case"]) == set(ids)
        assert month_files.check(path) == (True, True)
        assert indexed(store) == {i: row(whole["case"][i]) for i in ids}
        with month_files.open_index(path) as index:
            assert index.statuses == {"closed": 12} and len(index) == 1


def test_a_record_is_read_from_its_bytes_and_the_month_is_not_kept_whole(tmp_path):
    data = tmp_path / "d"
    with Store.open(data) as store:
        ids = closed_cases(store, 30)
        store.archive()
    with Store.open(data) as store:
        case = store.get_case(ids[7])
        assert case.title == "漏水 7" and case.status == "closed"
        (month,) = store._archives.values()
        table = month.storage.read()["case"]
        assert isinstance(table, month_files.LazyTable)
        assert table.changed == {}  # nothing parsed and kept: the record came from its span
        assert table.spans._all is None  # found through one bucket of the table of contents
        assert len(table.spans._buckets) == 1


def test_rewriting_a_month_keeps_old_records_and_indexes_the_new(tmp_path):
    data = tmp_path / "d"
    with Store.open(data) as store:
        first = closed_cases(store, 10)
        store.archive()
        second = closed_cases(store, 10, start=10)
        store.reopen_case(first[3], status="open")  # its live copy hides the archived one
        store.archive()
        (path,) = month_paths(data)
        assert month_files.check(path) == (True, True)
        assert set(indexed(store)) == set(first + second)
        assert first[3] in store.case_history().hidden
        assert [store.get_case(i).title for i in first[:2]] == ["漏水 0", "漏水 1"]


def test_only_a_live_case_with_an_archived_copy_hides_a_row(tmp_path):
    data = tmp_path / "d"
    with Store.open(data) as store:
        first = closed_cases(store, 6)
        store.archive()
        store.reopen_case(first[2], status="open")
        new = store.create_case("repair", Target("unit", "u1"), title="新报修").id
        history = store.case_history()
        assert first[2] in history.hidden and new not in history.hidden
        assert {d["id"] for d in history.live} == {first[2], new}


def test_a_month_from_before_the_index_is_read_whole_then_upgraded(tmp_path):
    data = tmp_path / "d"
    with Store.open(data) as store:
        ids = closed_cases(store, 8)
        store.archive()
    (path,) = month_paths(data)
    whole = orjson.loads(path.read_bytes())
    legacy = {**new_file("archive"), "case": whole["case"]}
    path.write_bytes(orjson.dumps(legacy))  # as an older fieldkit wrote it
    with Store.open(data) as store:
        store.rebuild_last_runs()  # the month was changed behind the store's back
        assert store.months_without_index() == [path.stem]
        assert set(indexed(store)) == set(ids)  # built from the records meanwhile
        seen = []
        assert store.upgrade_months(lambda n, total, month: seen.append((n, total, month))) == 1
        assert seen == [(0, 1, path.stem)]
        assert store.months_without_index() == []
        assert month_files.check(path) == (True, True)
    with Store.open(data) as store:
        assert store.last_runs_current  # the upgrade restamped the month: no rebuild


def test_a_read_only_store_reads_the_same_index(tmp_path):
    data = tmp_path / "d"
    with Store.open(data) as store:
        ids = closed_cases(store, 9)
        store.archive()
        with_lock = indexed(store)
    snapshot = Store.open(data, readonly=True)
    assert indexed(snapshot) == with_lock and set(with_lock) == set(ids)
    assert snapshot.get_case(ids[0]).title == "漏水 0"


def test_a_month_of_many_cases_is_indexed_in_chunks_newest_first(tmp_path, monkeypatch):
    from fieldkit.store import case_index

    monkeypatch.setattr(case_index, "CHUNK", 4)
    data = tmp_path / "d"
    with Store.open(data) as store:
        ids = closed_cases(store, 10)
        store.archive()
        (path,) = month_paths(data)
        with month_files.open_index(path) as index:
            chunks = list(index.chunks())
        assert [len(c["ids"]) for c in chunks] == [4, 4, 2]
        assert [i for c in chunks for i in c["ids"]] == sorted(ids, reverse=True)
        assert month_files.check(path) == (True, True)


def test_the_index_encodes_each_word_once():
    clock = Clock("dev")
    docs = [
        {"id": f"0190{n:04d}", "status": "closed", "kind": "repair",
         "department": "engineering", "title": "漏水", "hlc": str(clock.now())}
        for n in range(50)
    ]  # fmt: skip
    index = encode(row(d) for d in docs)
    assert index["ids"] == sorted((d["id"] for d in docs), reverse=True)
    assert index["words"].count("engineering") == 1
    assert index["statuses"] == {"closed": 50}


def crash_cases(tmp_path, kills: int, seed: int) -> dict:
    data = tmp_path / "data"
    Store.open(data).close()
    rng = random.Random(seed)
    stats = {"kills": 0, "temps_left": 0}
    acked: set[str] = set()
    for _ in range(kills):
        lines = _run_and_kill(["cases", str(data)], rng, 0.6)
        acked |= {line.split()[1] for line in lines if line.startswith("s ")}
        stats["kills"] += 1
        store = _open_after_crash(data, stats)
        try:
            for path in month_paths(data):
                assert month_files.check(path) == (True, True), path
            history = store.case_history()
            live = {d["id"] for d in history.live}
            archived = set(indexed(store))
            assert acked <= live | archived, "an acknowledged case is missing from the list"
            for doc_id in archived - set(history.hidden):
                assert store.get_case(doc_id).status == "closed"
        finally:
            store.close()
    return stats


def test_kill_while_archiving_cases_leaves_every_index_true(tmp_path):
    stats = crash_cases(tmp_path, kills=6, seed=17)
    assert stats["kills"] == 6


def test_doctor_finds_an_index_that_disagrees_and_writes_it_again(tmp_path):
    from fieldkit.store.doctor import diagnose

    data = tmp_path / "d"
    with Store.open(data) as store:
        ids = closed_cases(store, 6)
        store.archive()
    (path,) = month_paths(data)
    raw = path.read_bytes()
    cases_at = raw.rindex(b'"_cases":')
    counts_at = raw.rindex(b'"_counts":')
    wrong = raw[cases_at:counts_at].replace(b'"closed"', b'"closex"')
    path.write_bytes(raw[:cases_at] + wrong + raw[counts_at:])
    assert month_files.check(path) == (True, False)
    report = diagnose(data)
    keys = [(f.level, f.key) for f in report.findings]
    assert ("fixed", "store.doctor.month_index_rebuilt") in keys
    assert month_files.check(path) == (True, True)
    with Store.open(data) as store:
        assert {r[2] for r in indexed(store).values()} == {"closed"}
        assert set(indexed(store)) == set(ids)
    again = diagnose(data)
    assert "store.doctor.month_index_rebuilt" not in [f.key for f in again.findings]


def test_doctor_says_so_when_the_index_cannot_be_written_again(tmp_path):
    from fieldkit.i18n import t
    from fieldkit.store.doctor import diagnose

    data = tmp_path / "d"
    with Store.open(data) as store:
        closed_cases(store, 6)
        store.archive()
    (path,) = month_paths(data)
    raw = path.read_bytes()
    cases_at, counts_at = raw.rindex(b'"_cases":'), raw.rindex(b'"_counts":')
    wrong = raw[cases_at:counts_at].replace(b'"closed"', b'"closex"')
    path.write_bytes(raw[:cases_at] + wrong + raw[counts_at:])
    prev = path.with_name(path.name + ".prev")
    prev.unlink(missing_ok=True)
    (prev / "in-the-way").mkdir(parents=True)  # the previous copy cannot be kept: no rewrite
    report = diagnose(data)
    (unwritten,) = [f for f in report.findings if f.key == "store.doctor.month_index_unwritten"]
    assert unwritten.level == "problem" and unwritten.params["path"] == f"archive/{path.name}"
    assert ("problem", "store.doctor.month_index_differs") in [
        (f.level, f.key) for f in report.findings
    ]
    assert "store.doctor.bad_record" not in [f.key for f in report.findings]
    for lang in ("zh", "en"):
        said = t(unwritten.key, lang, **unwritten.params)
        assert path.name in said and unwritten.params["reason"] in said
    assert month_files.check(path) == (True, False)  # left as it was


def test_a_table_of_contents_finds_every_id_even_one_with_a_space():
    from fieldkit.store.months import Toc

    for ids in (["a", "bb", "c-1"], ["a", "with space", "c"], []):
        spans = {i: [n * 10, n * 10 + 5] for n, i in enumerate(ids)}
        stored = orjson.loads(orjson.dumps(Toc.encode(spans)))
        toc = Toc(stored["ids"], stored["at"])
        assert list(toc) == ids and len(toc) == len(ids)
        assert all(toc[i] == spans[i] for i in ids)
        assert "b" not in toc and "" not in toc and "a b" not in toc
