"""A store file that falls back to its previous copy is said, not hidden: a needs-attention
entry with what may be missing, doctor calls it a problem (exit non-zero), every pull cursor
is reset, and on a device enrolled with a real office server the next sync brings back the
register the previous copy lacked (and an archive month with no good copy)."""

from __future__ import annotations

import argparse

import pytest

from fieldkit.cli.store import doctor_command
from fieldkit.i18n import set_language
from fieldkit.model import Target
from fieldkit.services import attention
from fieldkit.services.demo import compound
from fieldkit.services.demo_registry import registry
from fieldkit.store import Store
from fieldkit.store.doctor import diagnose
from fieldkit.sync.client import Credentials, StoreAdapter, sync_store

pytest.importorskip("fastapi")


class Ctx:
    def __init__(self, data_dir):
        from fieldkit.config import Config

        self.data_dir = data_dir
        self.config = Config()  # what fieldkit.cli.Context carries (doctor reads server_url)


def _write(server, kind, records, site):
    from fieldkit_server.db import Database
    from fieldkit_server.imports import write_office_records

    db = Database(server.db_url)
    try:
        write_office_records(db, kind, [{"site_id": site, **r.to_dict()} for r in records])
    finally:
        db.dispose()


def _office(server):
    """The compound and its register at the office, as an import would put them there;
    the rental registrations come later (a second import)."""
    refs = compound(buildings=1, entrances=1, floors=6, flats=2)
    people = registry(refs, seed=5)
    site = refs["site"][0].id
    for kind, records in (*refs.items(), *people.items()):
        if records and kind != "rental":
            _write(server, kind, records, site)
    return site, people


def _enrolled(server, folder, site):
    from fieldkit.sync.client import enroll_device
    from fieldkit_server.db import Database
    from fieldkit_server.devices import add_device

    db = Database(server.db_url)
    try:
        new = add_device(db, site=site, role="office", name="desk")
    finally:
        db.dispose()
    folder.mkdir()
    with Store.open(folder):
        pass
    return enroll_device(folder, server.url, new.code)


def _sync(folder):
    creds = Credentials.load(folder)
    with Store.open(folder) as store:
        sync_store(store, creds)
        store.damage_recovered()


def test_register_lost_to_a_fallback_is_said_and_pulled_again(server_process, tmp_path, capsys):
    set_language("zh")
    site, people = _office(server_process)
    folder = tmp_path / "device"
    _enrolled(server_process, folder, site)
    _sync(folder)
    _write(server_process, "rental", people["rental"], site)  # 46 rentals registered later
    _sync(folder)
    with Store.open(folder) as store:
        rentals = len(store.reference("rental"))
    assert rentals == len(people["rental"]) > 0
    (folder / "reference.json").write_bytes(b"\x00garbage\x00")  # overwritten by garbage

    with Store.open(folder) as store:
        assert len(store.reference("rental")) < rentals  # the previous copy lacks them
        assert store.cursor(StoreAdapter.STREAM) is None  # everything is pulled again
        (found,) = store.damage()
        assert found["file"] == "reference.json" and found["kept"]
    report = diagnose(folder)
    problems = [f.message() for f in report.problems]
    assert any("reference.json" in p and "重新下载" in p for p in problems), problems
    assert doctor_command(argparse.Namespace(), Ctx(folder)) == 1
    out = capsys.readouterr().out
    assert "未发现问题" not in out and "reference.json" in out

    _sync(folder)
    with Store.open(folder) as store:
        assert len(store.reference("rental")) == rentals  # back from the office
        (found,) = store.damage()
        assert found["recovered"]
    assert not [f for f in diagnose(folder).problems if "reference.json" in f.message()]


def test_active_file_fallback_is_on_the_list_with_what_may_be_missing(tmp_path):
    set_language("en")
    folder = tmp_path / "device"
    with Store.open(folder) as store:
        first = store.create_case("repair", Target("unit", "u1"), by="张伟", title="漏水")
        store.create_case("repair", Target("unit", "u2"), by="张伟", title="停电")
    (folder / "active.json").write_bytes(b"{not json")

    with Store.open(folder) as store:
        assert store.get_case(first.id) is not None  # the previous copy holds the first case
        (found,) = store.damage()
        assert found["file"] == "active.json"

        class Ws:
            data_dir = folder

        Ws.store = store
        (item,) = attention.items(Ws)
        assert "active.json" in item.said() and "may be missing" in item.said()
        assert "press x" in item.todo()
    report = diagnose(folder)
    assert any("active.json" in f.message() for f in report.problems)


def test_archive_month_with_no_good_copy_comes_back_from_the_office(server_process, tmp_path):
    set_language("en")
    site, _ = _office(server_process)
    folder = tmp_path / "device"
    _enrolled(server_process, folder, site)
    with Store.open(folder) as store:
        case = store.create_case("repair", Target("unit", "u1"), by="张伟", title="漏水")
        store.set_case_status(case.id, "cancelled", by="张伟")
        store.archive()
    _sync(folder)  # acknowledged by the office
    with Store.open(folder) as store:
        (month,) = store.archive_months()
    path = folder / "archive" / f"{month}.json"
    path.write_bytes(b"garbage")
    path.with_name(path.name + ".prev").unlink(missing_ok=True)

    with Store.open(folder) as store:
        assert store.get_case(case.id) is None  # the month is empty until the office refills it
        (found,) = store.damage()
        assert found["no_previous"] and found["file"] == f"archive/{month}.json"
    _sync(folder)
    with Store.open(folder) as store:
        assert store.get_case(case.id).status == "cancelled"  # nothing acknowledged is lost


def _local_register(folder):
    """A device with the compound's register imported locally, in two writes (the previous
    copy of reference.json lacks the second), its previous copy dated a day back; returns
    that time on the compound's clock, as the device says it."""
    import os
    import time

    from fieldkit.model import localtime

    refs = compound(buildings=1, entrances=1, floors=3, flats=2)
    with Store.open(folder) as store:
        store.put_reference("site", refs["site"])
        store.put_reference("unit", refs["unit"])
    prev = folder / "reference.json.prev"
    day_ago = time.time() - 86400
    os.utime(prev, (day_ago, day_ago))
    return localtime.fmt(day_ago)


def test_doctor_run_first_reports_a_damaged_register_and_when_the_copy_was_saved(tmp_path, capsys):
    """doctor is the first to open the folder after the damage: the register's fallback is
    found while it checks, and said — never "未发现问题" with exit 0."""
    set_language("zh")
    folder = tmp_path / "device"
    saved = _local_register(folder)
    (folder / "reference.json").write_bytes(b"garbage{{{")
    assert doctor_command(argparse.Namespace(), Ctx(folder)) == 1
    out = capsys.readouterr().out
    assert "未发现问题" not in out
    said = "reference.json（房屋、住户、装修和出租等登记资料）已损坏，现改用上一份副本"
    assert f"{said}（保存于 {saved}）" in out
    assert "请重新导入登记资料" in out  # not enrolled: what to do instead of a sync


def test_a_full_pull_without_that_part_says_it_is_not_back(server_process, tmp_path):
    """The office holds no register for this device (it was imported locally): after the
    fallback and a full pull, the entry says nothing came back and what to do; doctor still
    calls it a problem. Never "what was missing is back" when nothing was."""
    set_language("en")
    folder = tmp_path / "device"
    _enrolled(server_process, folder, "CH")
    _local_register(folder)
    (folder / "reference.json").write_bytes(b"\x00garbage")
    creds = Credentials.load(folder)
    with Store.open(folder) as store:
        assert store.reference("site")  # the app reads the register at start: the fallback
        started = store.begin_pull()
        sync_store(store, creds)
        assert "reference.json" not in store.pulled_parts
        assert store.damage_recovered(started) == 0
        (found,) = store.damage()
        assert found["not_back"] and not found["recovered"]

        class Ws:
            data_dir = folder

        Ws.store = store
        (item,) = attention.items(Ws)
        assert "the office sent nothing of this part" in item.said()
        assert "tell the office" in item.todo()
    problems = [f.message() for f in diagnose(folder).problems]
    assert any("is not back" in p for p in problems), problems
