"""Retention: how long each kind of record is kept is data (``retention.toml``); the archive
never drops a record, however old; ``fieldkit doctor`` says what the device holds against
what the rules require; ``fieldkit export --from/--to`` cuts an export to a period."""

from __future__ import annotations

import time
from datetime import UTC, datetime

import orjson
import pytest
from openpyxl import load_workbook

from fieldkit.cli import main
from fieldkit.config import LANGUAGES
from fieldkit.model import Case, ChecklistRef, Inspection, Target, Unit, localtime
from fieldkit.model.hlc import HLC
from fieldkit.model.ids import new_id
from fieldkit.model.patrol import PatrolRound
from fieldkit.services import retention
from fieldkit.store import Store

DAY_MS = 86_400_000
DUTY_LOG = ChecklistRef("fire.control_room.duty_log", 1, "ab" * 32)
EXTINGUISHERS = ChecklistRef("fire.extinguisher.monthly", 1, "cd" * 32)
GATES = ChecklistRef("security.access_gates.shift", 1, "ef" * 32)


def _at(days_ago: float) -> tuple[int, str]:
    """A moment ``days_ago``: its millisecond (for the record's id) and its stored time."""
    ms = int(time.time() * 1000 - days_ago * DAY_MS)
    return ms, datetime.fromtimestamp(ms / 1000, UTC).isoformat()


def inspection(checklist: ChecklistRef, days_ago: float) -> dict:
    ms, at = _at(days_ago)
    run = Inspection(id=new_id(ms), checklist=checklist, target=Target("site", "s1"),
                     hlc=str(HLC(ms, 0, "dev")), status="submitted", started_at=at,
                     submitted_at=at)  # fmt: skip
    return {"entity": "inspection", "record": run.to_dict()}


def case(days_ago: float, status: str = "closed") -> dict:
    ms, at = _at(days_ago)
    found = Case.new(new_id(ms), "repair", Target("unit", "u1"), str(HLC(ms, 0, "dev")),
                     created_at=at, status=status, title=f"{days_ago} days ago")  # fmt: skip
    return {"entity": "case", "record": found.to_dict()}


def patrol_round(days_ago: float) -> dict:
    ms, at = _at(days_ago)
    walked = PatrolRound(id=new_id(ms), route_id="r1", started_at=at, status="finished",
                         finished_at=at)  # fmt: skip
    return {"entity": "patrol_round", "record": walked.to_dict()}


def day(days_ago: float) -> str:
    return localtime.fmt(_at(days_ago)[1], "date")


@pytest.fixture
def folder(tmp_path, monkeypatch):
    """A device holding 400 days of duty logs, a month of fire inspections, cases of five
    years ago and of last week (one still open), one patrol round, and a flat."""
    data = tmp_path / "data"
    changes = [inspection(DUTY_LOG, 400), inspection(DUTY_LOG, 200), inspection(DUTY_LOG, 1),
               inspection(EXTINGUISHERS, 30), inspection(GATES, 10),
               case(5 * 365), case(7), case(3, status="open"), patrol_round(2)]  # fmt: skip
    with Store.open(data) as store:
        store.put_reference("unit", [Unit(id="u1", site_id="s1", number="3-1201")])
        store.apply_remote(changes, None)
        store.archive()
    monkeypatch.setenv("FIELDKIT_DATA_DIR", str(data))
    return data


def test_the_rules_load_and_every_kind_has_a_period_and_a_source_in_both_languages():
    rules = retention.rules()
    assert {r.entity for r in rules} == {"inspection", "case", "incident", "patrol_round",
                                         "reveal"}  # fmt: skip
    for rule in rules:
        assert rule.keep.count > 0 and rule.keep.unit in "ymd"
        for lang in LANGUAGES:
            assert rule.names[lang] and rule.source[lang]
    by_id = {r.id: r for r in rules}
    assert (by_id["duty_log"].keep.count, by_id["duty_log"].keep.unit) == (1, "y")
    assert (
        "GB 25201" in by_id["duty_log"].source["zh"]
        and "verify" in (by_id["duty_log"].source["en"])
    )
    duty = inspection(DUTY_LOG, 1)["record"]
    fire = inspection(EXTINGUISHERS, 1)["record"]
    gates = inspection(GATES, 1)["record"]
    assert retention.rule_for("inspection", duty).id == "duty_log"
    assert retention.rule_for("inspection", fire).id == "fire_inspection"
    assert retention.rule_for("inspection", gates).id == "inspection"
    assert retention.rule_for("unit", {"id": "u1"}) is None


@pytest.mark.parametrize(
    ("doc", "where"),
    [({"rules": []}, "rules"),
     ({"rules": [{"entity": "lift", "keep": "1y"}]}, "rules[0].entity"),
     ({"rules": [{"entity": "case", "keep": "forever"}]}, "rules[0].keep"),
     ({"rules": [{"entity": "case", "keep": "1y", "names": {"zh": "工单"}}]}, "rules[0].names")],
)  # fmt: skip
def test_a_rules_file_it_cannot_use_is_refused_naming_the_value(doc, where):
    with pytest.raises(retention.RetentionRulesError) as refused:
        retention.parse_rules(doc)
    assert refused.value.params["where"] == where


def test_a_rules_file_that_leaves_a_kind_without_a_rule_is_refused():
    text = {"zh": "工单", "en": "Cases"}
    with pytest.raises(retention.RetentionRulesError) as refused:
        retention.parse_rules({"rules": [{"entity": "case", "keep": "3y", "names": text,
                                          "source": text}]})  # fmt: skip
    assert "inspection" in refused.value.params["value"]


def test_the_archive_keeps_every_record_however_old(folder):
    with Store.open(folder) as store:
        months = store.archive_months()
        found = {d["id"]: d for e, d in store.iter_records(["inspection", "case"])}
    five_years = _at(5 * 365)[1][:7]
    assert five_years in months  # archived in its own month file, years ago
    titles = sorted(d.get("title", "") for d in found.values() if "title" in d)
    assert titles == ["1825 days ago", "3 days ago", "7 days ago"]
    assert len(found) == 8  # 5 inspections, 3 cases: none dropped
    with Store.open(folder) as store:
        held = {h.rule.id: h for h in retention.held(store)}
    assert held["duty_log"].count == 3 and held["case"].count == 3
    assert held["incident"].count == 0 and held["patrol_round"].count == 1


def test_doctor_says_what_the_device_holds_and_what_the_rules_require(folder, capsys):
    assert main(["--lang", "en", "doctor"]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    at = lines.index("Records on this device and how long the rules keep them:")
    duty = f"  Fire control room duty logs: 3 records, {day(400)} to {day(1)}; keep 1 year."
    assert lines[at + 1] == duty
    assert lines[at + 2].startswith("    Rule: GB 25201-2010")  # long enough: nothing short
    fire = f"  Fire patrol and inspection records: 1 record, on {day(30)}; keep 1 year."
    assert lines[at + 3] == fire
    assert lines[at + 4] == (
        "    This device holds less than 1 year of these records. That is normal for a new "
        "device: the office server keeps the full history."
    )
    assert f"  Cases (repairs, findings): 3 records, {day(5 * 365)} to {day(3)}; keep 3 years." in (
        lines
    )
    assert "  Incidents: none on this device; keep 3 years." in lines
    assert lines[-1] == "No problems found."

    assert main(["--lang", "zh", "doctor"]) == 0
    lines = capsys.readouterr().out.splitlines()
    at = lines.index("本机保存的记录及规定的保存期限：")
    assert lines[at + 1] == f"  消防控制室值班记录：3 条，{day(400)} 至 {day(1)}；应保存 1 年。"
    assert lines[at + 3] == f"  消防巡查、检查记录：1 条，{day(30)}；应保存 1 年。"
    short = "    本机保存的不足 1 年，新设备都是这样：完整记录保存在办公室服务器上。"
    assert lines[at + 4] == short
    assert "  突发事件记录：本机没有；应保存 3 年。" in lines
    assert "    依据：《中华人民共和国个人信息保护法》第五十六条：" in "\n".join(lines)


def test_export_cut_to_a_period_holds_only_its_records_and_the_reference_data(
    folder, tmp_path, capsys
):
    out = tmp_path / "visit.jsonl"
    args = ["export", "--from", day(200), "--to", day(7), "--out", str(out)]
    assert main(["--lang", "en", *args]) == 0
    lines = [orjson.loads(line) for line in out.read_bytes().splitlines()]
    kinds = [(x["entity"], x["record"].get("checklist", {}).get("id") or x["record"].get("title"))
             for x in lines]  # fmt: skip
    assert sorted(k for k in kinds if k[0] != "unit") == [
        ("case", "7 days ago"),  # the last day is included
        ("inspection", "fire.control_room.duty_log"),  # 200 days ago: the first day included
        ("inspection", "fire.extinguisher.monthly"),
        ("inspection", "security.access_gates.shift"),
    ]
    assert ("unit", None) in kinds  # reference data whole
    err = capsys.readouterr().err
    assert f"Only records from {day(200)} to {day(7)}, by each record's own date" in err
    assert "Exported 5 records." in err

    assert main(["--lang", "zh", "export", "--from", day(2), "--kind", "patrol_round"]) == 0
    found = capsys.readouterr()
    assert [orjson.loads(x)["entity"] for x in found.out.splitlines()] == ["patrol_round"]
    assert f"只导出 {day(2)} 及以后的记录" in found.err


def test_an_excel_export_cut_to_a_period(folder, tmp_path):
    out = tmp_path / "visit.xlsx"
    assert main(["--lang", "en", "export", "--format", "xlsx", "--to", day(30), "--out",
                 str(out)]) == 0  # fmt: skip
    book = load_workbook(out)
    checked = [row[0] for row in book["Inspections"].iter_rows(min_row=2, values_only=True)]
    assert sorted(checked) == ["Fire control room duty log", "Fire control room duty log",
                               "Fire extinguisher monthly check"]  # fmt: skip
    titles = [row[3] for row in book["Cases"].iter_rows(min_row=2, values_only=True)]
    assert titles == ["1825 days ago"]
    assert book["Patrol rounds"].max_row == 1  # two days ago: after the period
    assert book["Flats"].max_row == 2


@pytest.mark.parametrize(
    ("args", "says"),
    [(["--from", "2026-02-30"], "--from 的日期“2026-02-30”无法识别，请写成 YYYY-MM-DD"),
     (["--to", "20260101"], "--to 的日期“20260101”无法识别"),
     (["--from", "2026-06-01", "--to", "2026-05-31"], "--from 2026-06-01 晚于 --to 2026-05-31")],
)  # fmt: skip
def test_a_bad_period_is_said_in_the_users_language_and_writes_nothing(
    folder, tmp_path, capsys, args, says
):
    out = tmp_path / "earlier.jsonl"
    out.write_text("an earlier export\n")
    assert main(["--lang", "zh", "export", *args, "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert says in err and "未导出任何内容。" in err and "Traceback" not in err
    assert out.read_text() == "an earlier export\n"


@pytest.mark.parametrize(
    ("lang", "says"),
    [("en", "only records from this day on (YYYY-MM-DD, the compound's date, included)"),
     ("zh", "只导出这一天及以后的记录（YYYY-MM-DD，小区当地日期，含当天）")],
)  # fmt: skip
def test_export_help_says_how_to_cut_a_period(capsys, lang, says):
    with pytest.raises(SystemExit):
        main(["--lang", lang, "export", "--help"])
    out = " ".join(capsys.readouterr().out.split())
    assert "--from YYYY-MM-DD" in out and "--to YYYY-MM-DD" in out and says in out
