"""A fresh demo gives the office supervisor a week to read: the coordinator's closed
incidents of the past week in the weekly report and the incident list, and the week's
personal-data reveals (who, when, why) in ``fieldkit reveals`` — in the demo's language."""

from __future__ import annotations

import pytest

from fieldkit.cli import main
from fieldkit.i18n import set_language
from fieldkit.services import demo_office as demo

WORDS = {
    "zh": {
        "week": ("突发事件", "暴雨", "电梯困人", "1号楼", "已结案", "1 单（未办结 1 单）"),
        "list": ("电梯困人  1号楼  较大  已结案", "暴雨  全小区  较大  已结案"),
        "reveals": ("刘洋（客服岗）", "原因：回电业主，约维修上门时间", "李强（装修巡查岗）",
                    "原因：核对装修申请人是否为业主本人", "王敏（应急岗）", "原因：应急联系"),
    },
    "en": {
        "week": ("Incidents", "Rainstorm", "Lift entrapment", "Building 1", "Closed"),
        "list": ("Lift entrapment  Building 1  Major  Closed", "Rainstorm  the whole compound"),
        "reveals": ("Liu Yang (service desk)", "Calling the owner back to book the repair visit",
                    "Li Qiang (", "Wang Min (emergency coordinator)",
                    "Emergency contact"),
    },
}  # fmt: skip


@pytest.fixture(scope="module", params=["zh", "en"])
def made(request, tmp_path_factory):
    folder = tmp_path_factory.mktemp("demo") / "demo"
    demo.make(folder, cases=20, lang=request.param)
    layout = demo.read_layout(folder)
    assert layout is not None
    return layout, request.param


def _run(monkeypatch, capsys, device, lang, *args):
    monkeypatch.setenv("FIELDKIT_DATA_DIR", str(device))
    capsys.readouterr()
    try:
        assert main(["--lang", lang, *args]) == 0
    finally:
        set_language("en")
    return capsys.readouterr().out


def test_the_office_reads_the_weeks_incidents(made, monkeypatch, capsys, tmp_path):
    layout, lang = made
    monkeypatch.setenv("FIELDKIT_CONFIG", str(tmp_path / "none.toml"))
    week = _run(monkeypatch, capsys, layout.device("office"), lang, "report", "week")
    for words in WORDS[lang]["week"]:
        assert words in week
    assert ("无。" if lang == "zh" else "None.") not in week.split(WORDS[lang]["week"][0])[-1][:80]
    for role in ("office", "emergency"):
        listed = _run(monkeypatch, capsys, layout.device(role), lang, "report", "incident",
                      "--list")  # fmt: skip
        for words in WORDS[lang]["list"]:
            assert words in listed


def test_the_office_reads_who_saw_personal_data_when_and_why(made, monkeypatch, capsys, tmp_path):
    layout, lang = made
    monkeypatch.setenv("FIELDKIT_CONFIG", str(tmp_path / "none.toml"))
    listed = _run(monkeypatch, capsys, layout.device("office"), lang, "reveals")
    for words in WORDS[lang]["reveals"]:
        assert words in listed
    lines = [line for line in listed.splitlines() if line[:2] == "20"]
    assert len(lines) == 3  # each with its day and time, newest first
    assert lines == sorted(lines, reverse=True)
