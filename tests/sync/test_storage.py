"""Migrations match the tables; the server CLI; concurrent pushes never let a pull skip."""

from __future__ import annotations

import threading

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from fieldkit.model import new_id
from fieldkit_server import cli
from fieldkit_server.db import Database, current_revision, migrate
from fieldkit_server.tables import Base
from tests.sync.records import case_body, op


def test_migrated_schema_matches_the_tables(db_url):
    db = Database(db_url)
    migrate(db.engine)
    migrate(db.engine)  # a second start changes nothing
    assert current_revision(db.engine) == "0008_handover_indexes"
    with db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    db.dispose()
    assert diff == []


def test_cli_enrol_list_revoke(db_url, capsys):
    base = ["--db", db_url]
    assert (
        cli.main([*base, "enroll", "--site", "s1", "--role", "patrol", "--name", "Laptop 7"]) == 0
    )
    out = capsys.readouterr().out
    assert "Laptop 7" in out and "fieldkit enroll" in out and "█" in out
    assert cli.main([*base, "devices"]) == 0
    listing = capsys.readouterr().out
    device_id = listing.splitlines()[1].split(" | ")[0]
    assert "waiting for enrolment" in listing
    assert cli.main([*base, "--lang", "zh", "revoke", device_id]) == 0
    assert "已停用" in capsys.readouterr().out
    assert cli.main([*base, "revoke", "nope"]) == 2
    assert "No device" in capsys.readouterr().err
    assert cli.main([*base, "enroll", "--site", "*", "--role", "patrol", "--name", "x"]) == 2


def test_sqlite_default_lives_in_the_data_folder(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("FIELDKIT_SERVER_DIR", str(tmp_path / "srv"))
    monkeypatch.delenv("FIELDKIT_SERVER_DB", raising=False)
    assert cli.main(["migrate"]) == 0
    assert (tmp_path / "srv" / "fieldkit-server.sqlite3").exists()
    assert "0008_handover_indexes" in capsys.readouterr().out


def test_unreachable_database_is_a_sentence(capsys):
    url = "postgresql+psycopg://nobody@127.0.0.1:1/none"
    assert cli.main(["--db", url, "devices"]) == 1
    assert "Cannot open the database" in capsys.readouterr().err


def test_concurrent_pushes_never_let_a_pull_skip_a_change(app, enroll):
    """Writers in parallel threads; a reader pulling all the while must see every change."""
    from fastapi.testclient import TestClient

    devices = [enroll(name=f"w{i}") for i in range(3)]
    reader = enroll(name="reader")
    per_writer, batch = 60, 5
    done = threading.Event()
    errors: list[str] = []

    def write(dev):
        with TestClient(app) as client:
            for start in range(0, per_writer, batch):
                ops = []
                for seq in range(start + 1, start + batch + 1):
                    rid = new_id()
                    ops.append(op(seq, "case", rid, case_body(rid)))
                answer = client.post("/v1/push", json={"ops": ops}, headers=dev.headers)
                if answer.status_code != 200:
                    errors.append(answer.text)

    seen: set[str] = set()
    cursor = 0

    def read():
        nonlocal cursor
        with TestClient(app) as client:
            while True:
                finished = done.is_set()
                page = client.post(
                    "/v1/pull", json={"cursor": cursor, "limit": 7}, headers=reader.headers
                ).json()
                seen.update(c["record_id"] for c in page["changes"])
                cursor = page["next_cursor"]
                if finished and not page["has_more"]:
                    return

    writers = [threading.Thread(target=write, args=(d,)) for d in devices]
    pulling = threading.Thread(target=read)
    pulling.start()
    for w in writers:
        w.start()
    for w in writers:
        w.join()
    done.set()
    pulling.join()
    assert errors == []
    assert len(seen) == per_writer * len(devices)


CHECKLIST = """id: test.fire.monthly
version: {version}
title: {{zh: 灭火器检查, en: Extinguisher check}}
applies_to: unit
every: month
sections:
  - id: main
    title: {{zh: 检查, en: Check}}
    items:
      - id: in_place
        type: check
        label: {{zh: {label}, en: In place}}
"""


def test_publish_checklists_keeps_every_version(db_url, tmp_path, capsys):
    folder = tmp_path / "lists"
    folder.mkdir()
    (folder / "a.yaml").write_text(CHECKLIST.format(version=1, label="在位"), "utf-8")
    base = ["--db", db_url]
    assert cli.main([*base, "publish", str(folder)]) == 0
    assert "Published test.fire.monthly version 1" in capsys.readouterr().out
    assert cli.main([*base, "publish", str(folder)]) == 0
    assert "already published" in capsys.readouterr().out
    (folder / "a.yaml").write_text(CHECKLIST.format(version=1, label="在原位"), "utf-8")
    assert cli.main([*base, "publish", str(folder)]) == 1
    assert "raise its version" in capsys.readouterr().err
    (folder / "a.yaml").write_text(CHECKLIST.format(version=2, label="在原位"), "utf-8")
    (folder / "b.yaml").write_text("id: broken\nversion: x\n", "utf-8")
    assert cli.main([*base, "publish", str(folder)]) == 1
    captured = capsys.readouterr()
    assert "version 2" in captured.out and "b.yaml has errors" in captured.err
    db = Database(db_url)
    with db.engine.connect() as conn:
        from sqlalchemy import select

        from fieldkit_server.tables import Record

        ids = sorted(
            conn.execute(select(Record.record_id).where(Record.kind == "checklist")).scalars()
        )
    db.dispose()
    assert ids == ["test.fire.monthly@1", "test.fire.monthly@2"]
    assert cli.main([*base, "publish", str(tmp_path / "missing")]) == 2


UNITS = """site_id,building_id,number,floor,label,owner_name,owner_phone,special_care
s1,b1,101,1,U-0101,张伟,13812345678,elderly_alone;disabled
s1,b1,102,1,U-0102,,,
"""


def test_import_units_all_or_nothing(db_url, tmp_path, capsys):
    from sqlalchemy import func, select

    from fieldkit_server.tables import Record

    base = ["--db", db_url]
    bad = tmp_path / "bad.csv"
    bad.write_text(UNITS + "s1,b1,103,first,,,12ab,\ns1,b1,101,,,,,\n,b2,,,,,,\n", "utf-8")
    assert cli.main([*base, "import", "units", str(bad)]) == 1
    err = capsys.readouterr().err
    assert "row 4, floor: 'first' is not a whole number" in err
    assert "row 4, owner_phone" in err and "row 5, id: the same record as row 2" in err
    assert "row 6, site_id" in err and "nothing was imported" in err

    def units():
        db = Database(db_url)
        with db.engine.connect() as conn:
            n = conn.execute(
                select(func.count()).select_from(Record).where(Record.kind == "unit")
            ).scalar_one()
        db.dispose()
        return n

    assert units() == 0
    good = tmp_path / "units.csv"
    good.write_text(UNITS, "utf-8")
    assert cli.main([*base, "import", "units", str(good)]) == 0
    assert "2 new, 0 updated" in capsys.readouterr().out
    assert cli.main([*base, "import", "units", str(good)]) == 0
    assert "0 new, 2 updated" in capsys.readouterr().out
    assert units() == 2
    header = tmp_path / "header.csv"
    header.write_text("site,number\ns1,1\n", "utf-8")
    assert cli.main([*base, "import", "units", str(header)]) == 1
    assert "unknown columns site" in capsys.readouterr().err
