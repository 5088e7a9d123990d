"""`fieldkit-server import residents|permits`: every bad row named by row and column,
nothing half-imported, re-imports update; a device pulls the result, personal values masked
for its role, and shows it on the unit card."""

from __future__ import annotations

import pytest

from fieldkit.model.personal import id_number_ok
from fieldkit.store import Store

pytest.importorskip("fastapi")

UNITS = """site_id,building_id,number,floor,label
s1,b1,3-2-1502,15,3-2-1502
s1,b1,3-2-1501,15,3-2-1501
"""
RESIDENTS = """site_id,unit,role,name,phone,id_number,special_care
s1,3-2-1502,owner,张伟,13812345678,110101199003071233,elderly_alone;evacuation_help
s1,3-2-1501,tenant,李娜,13900001111,,
"""
PERMITS = """site_id,unit,number,start,end,applicant,contractor,scope,hours,weekdays,deposit
s1,3-2-1502,ZX2026-001,2026-11-01,2026-12-31,张伟,安居装饰,水电改造;厨卫翻新,08:00-12:00;14:00-18:00,1-5,3000
"""


@pytest.fixture
def server(tmp_path):
    from fieldkit_server import cli

    url = f"sqlite:///{tmp_path / 'server.sqlite3'}"
    units = tmp_path / "units.csv"
    units.write_text(UNITS, "utf-8")
    assert cli.main(["--db", url, "import", "units", str(units)]) == 0
    return cli, url


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, "utf-8")
    return str(path)


def count(url, kind):
    from sqlalchemy import func, select

    from fieldkit_server.db import Database
    from fieldkit_server.tables import Record

    db = Database(url)
    with db.engine.connect() as conn:
        n = conn.execute(
            select(func.count()).select_from(Record).where(Record.kind == kind)
        ).scalar_one()
    db.dispose()
    return n


def test_id_number_check_character():
    assert id_number_ok("110101199003071233")
    assert id_number_ok("11010519491231002x")
    assert not id_number_ok("110101199003071234")
    assert not id_number_ok("1101011990030712")


def test_bad_rows_are_all_named_and_nothing_is_imported(server, tmp_path, capsys):
    cli, url = server
    capsys.readouterr()
    bad = RESIDENTS + (
        "s1,9-9-999,owner,王五,13800000000,,\n"
        "s1,3-2-1501,owner,赵六,12ab,,\n"
        "s1,3-2-1501,owner,钱七,,110101199003071235,\n"
        "s1,3-2-1501,landlord,孙八,,,\n"
        "s1,3-2-1501,owner,,,,\n"
    )
    assert cli.main(["--db", url, "import", "residents", write(tmp_path, "r.csv", bad)]) == 1
    err = capsys.readouterr().err
    assert "row 4, unit: no flat '9-9-999' on site s1" in err
    assert "row 5, phone: '12ab' is not a phone number" in err
    assert "row 6, id_number: '110101199003071235' is not a valid" in err
    assert "row 7, -:" in err and "landlord" in err
    assert "row 8, name: this column must not be empty" in err
    assert "5 problem(s) found; nothing was imported" in err
    assert count(url, "resident") == 0
    permits = PERMITS + "s1,3-2-1502,ZX2026-002,2026-12-01,2026-11-01,,,,,1-9,lots\n"
    assert cli.main(["--db", url, "import", "permits", write(tmp_path, "p.csv", permits)]) == 1
    err = capsys.readouterr().err
    assert "row 3, weekdays: '1-9' is not a list of weekdays" in err
    assert count(url, "renovation_permit") == 0


def test_import_then_a_device_pulls_it_masked_for_its_role(server, tmp_path, capsys):
    from fastapi.testclient import TestClient

    from fieldkit_server.app import create_app
    from fieldkit_server.devices import add_device

    cli, url = server
    residents = write(tmp_path, "r.csv", RESIDENTS)
    assert cli.main(["--db", url, "import", "residents", residents]) == 0
    assert "Imported residents: 2 new, 0 updated." in capsys.readouterr().out
    assert cli.main(["--db", url, "import", "residents", residents]) == 0
    assert "0 new, 2 updated" in capsys.readouterr().out
    assert cli.main(["--db", url, "import", "permits", write(tmp_path, "p.csv", PERMITS)]) == 0
    assert count(url, "resident") == 2 and count(url, "renovation_permit") == 1

    app = create_app(url, run_migrations=True)
    with TestClient(app) as api:
        new = add_device(app.state.db, site="s1", role="patrol", name="laptop")
        token = api.post("/v1/enroll", json={"code": new.code}).json()["token"]
        page = api.post(
            "/v1/pull", json={"cursor": 0}, headers={"Authorization": f"Bearer {token}"}
        ).json()
    app.state.db.dispose()
    changes = [{"entity": c["kind"], "record": c["body"]} for c in page["changes"]]
    with Store.open(tmp_path / "device") as store:
        result = store.apply_remote(changes, str(page["next_cursor"]))
        assert not result.refused
        owner = next(r for r in store.reference("resident") if r.role == "owner")
        assert owner.phone == "138****5678" and owner.id_number == "110***********1233"
        assert owner.special_care == ["elderly_alone", "evacuation_help"]
        (permit,) = store.reference("renovation_permit")
        assert permit.hours.weekdays == [0, 1, 2, 3, 4] and permit.deposit == 3000
        assert permit.unit_id == owner.unit_id and permit.scope == ["水电改造", "厨卫翻新"]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_an_unknown_special_care_flag_is_the_rows_problem(server, tmp_path, capsys, lang):
    cli, url = server
    capsys.readouterr()
    units = "site_id,number,building_id,special_care\ns1,9-1-101,b9,elderly_alone;disabled\n"
    units += "s1,9-1-102,b9,elderly_alone;needs_evacuation_help\n"
    path = write(tmp_path, "u.csv", units)
    assert cli.main(["--db", url, "--lang", lang, "import", "units", path]) == 1
    err = capsys.readouterr().err
    if lang == "en":
        assert "row 3, special_care: 'needs_evacuation_help' is not a special-care flag" in err
        assert "evacuation_help (needs help to evacuate)" in err
    else:
        assert "第 3 行，special_care：“needs_evacuation_help”不是可用的特别关照标记" in err
    assert "row 2" not in err and "第 2 行" not in err
    residents = "site_id,unit,name,special_care\ns1,3-2-1501,王五,alone\n"
    assert cli.main(["--db", url, "--lang", lang, "import", "residents",
                     write(tmp_path, "r.csv", residents)]) == 1  # fmt: skip
    assert ("'alone'" if lang == "en" else "“alone”") in capsys.readouterr().err
    assert count(url, "resident") == 0


def _workbook(path, rows) -> str:
    from openpyxl import Workbook

    book = Workbook()
    for row in rows:
        book.active.append(row)
    book.save(path)
    return str(path)


def test_an_excel_workbook_imports_as_its_csv_does(server, tmp_path, capsys):
    cli, url = server
    rows = [line.split(",") for line in RESIDENTS.strip().splitlines()]
    bad = [list(r) for r in rows]
    bad[1][4] = 1380  # typed in Excel as a number, too short for a phone number
    bad.insert(2, [None] * 7)  # an empty row is skipped, the rows keep their numbers
    assert cli.main(["--db", url, "import", "residents", _workbook(tmp_path / "b.xlsx", bad)]) == 1
    err = capsys.readouterr().err
    assert "row 2, phone: '1380' is not a phone number" in err
    assert count(url, "resident") == 0
    good = [list(r) for r in rows]
    good[1][4] = 13812345678  # Excel keeps a long number as a number: read as its digits
    assert cli.main(["--db", url, "import", "residents", _workbook(tmp_path / "g.xlsx", good)]) == 0
    assert count(url, "resident") == 2


def test_a_file_is_bounded_before_its_rows_are_read(server, tmp_path, capsys, monkeypatch):
    from fieldkit_server import imports

    cli, url = server
    monkeypatch.setattr(imports, "MAX_ROWS", 1)
    path = write(tmp_path, "r.csv", RESIDENTS)
    assert cli.main(["--db", url, "import", "residents", path]) == 1
    assert "more than 1 rows" in capsys.readouterr().err
    not_a_book = tmp_path / "x.xlsx"
    not_a_book.write_bytes(b"PK\x03\x04 not really a workbook")
    assert cli.main(["--db", url, "import", "residents", str(not_a_book)]) == 1
    assert "Cannot read x.xlsx" in capsys.readouterr().err
    assert count(url, "resident") == 0


def test_a_quoted_cell_keeps_its_line_break_and_rows_keep_their_numbers(server, tmp_path, capsys):
    import orjson
    from sqlalchemy import select

    from fieldkit_server.db import Database
    from fieldkit_server.tables import Record

    cli, url = server
    capsys.readouterr()
    units = (
        "site_id,number,building_id,owner_name,owner_phone\n"
        's1,9-1-101,b9,"王芳\n（租户代管）",13800001111\n'
        "s1,9-1-102,b9,李四,12ab\n"
    )
    assert cli.main(["--db", url, "import", "units", write(tmp_path, "u.csv", units)]) == 1
    err = capsys.readouterr().err
    # the row Excel shows it on: the quoted line break does not make a row of its own
    assert "row 3, owner_phone: '12ab' is not a phone number" in err
    good = write(tmp_path, "g.csv", units.replace("12ab", "13800001112"))
    assert cli.main(["--db", url, "import", "units", good]) == 0
    db = Database(url)
    with db.engine.connect() as conn:
        bodies = conn.execute(select(Record.body).where(Record.kind == "unit")).scalars()
        names = {orjson.loads(b)["number"]: orjson.loads(b)["owner_name"] for b in bodies}
    db.dispose()
    assert names["9-1-101"] == "王芳\n（租户代管）" and names["9-1-102"] == "李四"


def test_a_sheet_is_read_no_further_than_its_bound_empty_rows_counted(server, tmp_path, capsys):
    from openpyxl import Workbook
    from openpyxl.styles import Font

    from fieldkit_server import imports

    cli, url = server
    capsys.readouterr()
    book = Workbook()
    for row in [line.split(",") for line in RESIDENTS.strip().splitlines()]:
        book.active.append(row)
    # one formatted, empty cell far below: the sheet runs to row 1,000,000, all empty
    book.active.cell(row=1_000_000, column=1).font = Font(bold=True)
    path = tmp_path / "long.xlsx"
    book.save(path)
    assert path.stat().st_size < 20_000  # a small file
    assert cli.main(["--db", url, "import", "residents", str(path)]) == 1
    err = capsys.readouterr().err
    assert f"more than {imports.MAX_ROWS} rows (empty rows below the data count too)" in err
    assert count(url, "resident") == 0


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_file_not_in_utf8_or_no_workbook_is_named_in_the_readers_language(
    server, tmp_path, capsys, lang
):
    cli, url = server
    capsys.readouterr()
    gbk = tmp_path / "r.csv"
    gbk.write_bytes(RESIDENTS.encode("gbk"))  # Excel's plain "CSV" on a Chinese Windows
    assert cli.main(["--db", url, "--lang", lang, "import", "residents", str(gbk)]) == 1
    err = capsys.readouterr().err
    if lang == "en":
        assert 'r.csv is not in UTF-8: in Excel, save it as "CSV UTF-8 (Comma delimited)"' in err
    else:
        assert "r.csv 不是 UTF-8 编码：请在 Excel 里另存为“CSV UTF-8（逗号分隔）”" in err
    assert "codec" not in err
    for name, body in (("zip.xlsx", b"PK\x03\x04 not really a workbook"),
                       ("text.xlsx", RESIDENTS.encode())):  # fmt: skip
        (tmp_path / name).write_bytes(body)
        assert cli.main(["--db", url, "--lang", lang, "import", "units",
                         str(tmp_path / name)]) == 1  # fmt: skip
        err = capsys.readouterr().err
        if lang == "en":
            assert f"Cannot read {name}: it is not an Excel workbook (.xlsx)." in err
        else:
            assert f"无法读取 {name}：这个文件不是 Excel 工作簿（.xlsx）。" in err
        assert "zip file" not in err
    assert count(url, "resident") == 0
