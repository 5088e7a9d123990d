"""``fieldkit export`` for spreadsheets, run as the office would: an Excel workbook with a
sheet per kind and columns a person reads, CSV files that Excel on a Chinese Windows opens
(a UTF-8 BOM), personal data masked exactly as the device's role sees it."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook

from fieldkit.model.personal import as_shown
from fieldkit.services.demo import generate
from fieldkit.store import Store


def fieldkit(data: Path, *args: str, lang: str = "zh") -> subprocess.CompletedProcess:
    env = {**os.environ, "FIELDKIT_DATA_DIR": str(data), "FIELDKIT_CONFIG": "/nope"}
    return subprocess.run([sys.executable, "-m", "fieldkit", "--lang", lang, *args],
                          capture_output=True, text=True, env=env, timeout=180)  # fmt: skip


@pytest.fixture(scope="module")
def device(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("export") / "office"
    generate(folder, cases=40, floors=6, person="陈静")
    return folder


def _role(folder: Path, role: str) -> None:
    with Store.open(folder) as store:
        store.set_device_state(role=role)


def _sheet(path: Path, title: str) -> list[dict]:
    book = load_workbook(path)
    rows = list(book[title].iter_rows(values_only=True))
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def test_the_workbook_has_a_sheet_per_kind_in_words(device, tmp_path):
    _role(device, "office")
    target = tmp_path / "导出.xlsx"
    out = fieldkit(device, "export", "--format", "xlsx", "--out", str(target))
    assert out.returncode == 0, out.stderr
    book = load_workbook(target)
    assert book.sheetnames[:2] == ["工单", "应急事件"]
    assert {"房屋", "住户", "楼栋", "设施设备", "装修许可"} <= set(book.sheetnames)
    cases = _sheet(target, "工单")
    with Store.open(device, readonly=True) as store:
        assert len(cases) == sum(1 for _ in store.iter_records(["case"]))
    assert {c["楼栋"] for c in cases} <= {"1号楼", "2号楼", "3号楼", ""}
    assert all(isinstance(c["登记时间"], datetime) for c in cases)  # a date, not text
    kinds = {c["类型"] for c in cases}
    assert kinds <= {"报修", "投诉", "巡查问题", "邻里纠纷"}, kinds
    assert any(c["类别"] in ("漏水渗水", "电梯故障", "噪音扰民") for c in cases)
    for c in cases:  # ids are in the last column only, for matching; words elsewhere
        assert c["状态"] and not c["状态"].isascii(), c
        assert c["部门"] and not c["部门"].isascii(), c
    flats = _sheet(target, "房屋")
    assert flats[0]["房号"] == "1-1-101" and flats[0]["楼栋"] == "1号楼"


def test_english_heads_and_words(device, tmp_path):
    _role(device, "office")
    target = tmp_path / "export.xlsx"
    out = fieldkit(device, "export", "--format", "xlsx", "--kind", "case", "--out",
                   str(target), lang="en")  # fmt: skip
    assert out.returncode == 0, out.stderr
    cases = _sheet(target, "Cases")
    assert {c["Building"] for c in cases} <= {"Building 1", "Building 2", "Building 3", ""}
    kinds = {"Repair", "Complaint", "Patrol finding", "Neighbour dispute"}
    assert {c["Kind"] for c in cases} <= kinds


@pytest.mark.parametrize("role", ["patrol", "office"])
def test_personal_data_is_masked_as_the_role_sees_it(device, tmp_path, role):
    _role(device, role)
    target = tmp_path / f"{role}.xlsx"
    out = fieldkit(device, "export", "--format", "xlsx", "--kind", "resident", "--out",
                   str(target))  # fmt: skip
    assert out.returncode == 0, out.stderr
    with Store.open(device, readonly=True) as store:
        stored = [doc for _, doc in store.iter_records(["resident"])]
    shown = {d["id"]: as_shown("resident", d, role) for d in stored}
    rows = _sheet(target, "住户")
    assert len(rows) == len(stored)
    for row in rows:
        want = shown[row["记录 ID"]]
        assert (row["姓名"] or "") == want["name"] and (row["电话"] or "") == want["phone"]
        assert (row["身份证号"] or "") == want["id_number"]
        assert "*" in row["电话"]
    raw = {d["phone"] for d in stored}
    assert not raw & {r["电话"] for r in rows}


def test_csv_files_open_in_excel_as_chinese(device, tmp_path):
    _role(device, "office")
    folder = tmp_path / "csv"
    out = fieldkit(device, "export", "--format", "csv", "--out", str(folder))
    assert out.returncode == 0, out.stderr
    assert {"case.csv", "unit.csv", "resident.csv"} <= {p.name for p in folder.iterdir()}
    for path in folder.iterdir():
        assert path.read_bytes().startswith(b"\xef\xbb\xbf"), path.name
    rows = list(csv.DictReader(io.StringIO((folder / "case.csv").read_text("utf-8-sig"))))
    assert rows and rows[0]["楼栋"].endswith("号楼")
    assert rows[0]["登记时间"][:2] == "20" and "T" not in rows[0]["登记时间"]
    several = fieldkit(device, "export", "--format", "csv")
    assert several.returncode == 2 and "--out" in several.stderr
    assert "Traceback" not in several.stderr
    workbook = fieldkit(device, "export", "--format", "xlsx", lang="en")
    assert workbook.returncode == 2 and "--out" in workbook.stderr


def test_inspections_are_dated_by_when_they_were_walked(device, tmp_path):
    """A past floor round was started before it was submitted, by the patroller, with its
    answers; a period holds the rounds walked in it (the demo's are 12 and 41 days old)."""
    from datetime import date, timedelta

    _role(device, "office")
    target = tmp_path / "week.xlsx"
    start = (date.today() - timedelta(days=20)).isoformat()
    out = fieldkit(device, "export", "--format", "xlsx", "--kind", "inspection", "--from", start,
                   "--to", date.today().isoformat(), "--out", str(target))  # fmt: skip
    assert out.returncode == 0, out.stderr
    rounds = [r for r in _sheet(target, "检查记录") if r["检查表"] == "灭火器月检（按楼层）"]
    assert rounds
    for r in rounds:
        assert r["开始时间"] <= r["提交时间"], r
        assert r["开始时间"].date() >= date.fromisoformat(start), r
        assert r["检查人"] == "张伟" and r["已答项数"] > 0, r
    everything = tmp_path / "all.xlsx"
    out = fieldkit(device, "export", "--format", "xlsx", "--kind", "inspection", "--out",
                   str(everything))  # fmt: skip
    assert out.returncode == 0, out.stderr
    walked = [r for r in _sheet(everything, "检查记录") if r["检查表"] == "灭火器月检（按楼层）"]
    assert len(walked) > len(rounds)  # those of 41 days ago are outside the period


@pytest.fixture(scope="module")
def english_device(tmp_path_factory) -> Path:
    """A demo made in English, with the control room's week (runs on the whole compound)."""
    from fieldkit.services import demo_rules

    folder = tmp_path_factory.mktemp("export_en") / "office"
    generate(folder, cases=12, floors=3, person="Chen Jing", lang="en")
    demo_rules.add_to(folder, lang="en")
    _role(folder, "office")
    return folder


def test_every_sheet_says_what_the_screens_say(english_device, tmp_path):
    """Flats name their owner (masked as the role sees it), a run on the compound names
    the compound, people are named in the demo's language, words alone in a cell start
    with a capital, and the checklists sheet lists the checklists in use."""
    target = tmp_path / "all.xlsx"
    out = fieldkit(english_device, "export", "--format", "xlsx", "--out", str(target), lang="en")
    assert out.returncode == 0, out.stderr
    owners = {r["Flat"]: r for r in _sheet(target, "Residents") if r["Role"] == "Owner"}
    flats = _sheet(target, "Flats")
    assert flats and all(f["Owner"] and f["Phone"] for f in flats if f["Flat"] in owners)
    for flat in flats:
        if flat["Flat"] in owners:
            assert (flat["Owner"], flat["Phone"]) == (owners[flat["Flat"]]["Name"],
                                                      owners[flat["Flat"]]["Phone"])  # fmt: skip
            assert "*" in flat["Phone"]
    duty = [r for r in _sheet(target, "Inspections") if r["Checked"] == "Cuihu Garden"]
    # the control room's week: its two operators, named in English
    assert duty and {r["Inspector"] for r in duty} == {"Zhao Gang", "Huang Hai"}, duty
    assert all(r["Started"] <= r["Submitted"] and r["Items answered"] > 0 for r in duty)
    severities = {r["Severity"] for r in _sheet(target, "Cases")}
    assert severities <= {"Critical", "Major", "Minor"}, severities
    payers = {r["Property fee paid by"] for r in _sheet(target, "Rentals")}
    assert payers and all(p[:1].isupper() for p in payers), payers
    checklists = _sheet(target, "Checklists")
    assert "Monthly extinguisher round" in {c["Checklist"] for c in checklists}
    assert all(c["How often"] and c["Version"] for c in checklists)


def test_the_reveals_sheet_heads_the_role_as_the_reveals_list_does(english_device, tmp_path):
    target = tmp_path / "reveals.xlsx"
    out = fieldkit(english_device, "export", "--format", "xlsx", "--kind", "reveal", "--out",
                   str(target))  # fmt: skip
    assert out.returncode == 0, out.stderr
    heads = next(load_workbook(target)["个人信息查看记录"].iter_rows(values_only=True))
    assert "岗位" in heads and "身份" not in heads
