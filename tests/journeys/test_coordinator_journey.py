"""The emergency coordinator (王敏, role 3 of the demo) through a rainstorm, in a real
terminal, in zh and en: a typhoon / rainstorm incident over buildings 1 and 2, timeline
entries arriving fast (text and Enter in one write, as an input method or a paste sends
them), the plan (暴雨, orange warning, one step failed), a resident checked at the door
(the label scanned), a notice edited in both languages with the edits kept across F3, the
app restarted (the incident is on home), a third building added, the close with every open
point decided (a visit for one flat, a case for the failed step), then ``fieldkit report
incident ID --format md`` on the emergency device's data, read as a person reads it."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import uuid
from datetime import date

import pytest

from fieldkit.services import demo_office as demo
from fieldkit.store import Store
from tests.terminal import Pane

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")

WORDS = {
    "zh": {
        "lang": "zh_CN.UTF-8",
        "home": "应急岗 · 王敏",
        "severity": "1号楼、2号楼的台风 / 暴雨：严重程度？",
        "head": "台风 / 暴雨 · 1号楼、2号楼",
        "entries": ["车库入口开始积水，已放沙袋", "1号楼地下室水泵已启动"],
        "rain_head": "暴雨 · 1号楼、2号楼",
        "plan_done": "已完成 8/25",
        "choices": "1) 台风   2) 暴雨",
        "new": "新建事件",
        "where": "台风 / 暴雨：在哪里？",
        "close_ask": "解除应急还是结案？",
        "date": "年-月-日，回车保存",
        "ask_note": "情况如何",
        "ask_place": "增加地点",
        "ask_summary": "报告总结",
        "checked": "已探视 1/",
        "note": "老人在家，已送手电",
        "notice_title": "关于防范暴雨的紧急通知",
        "notice_lines": ["尊敬的1号楼、2号楼各位业主、住户：", "气象部门已发布暴雨橙色预警"],
        "edit": "【第一次通报】",
        "other_title": "Be prepared: orange rainstorm warning",
        "other_edit": "UPDATE 1: ",
        "other_kept": "通知的修改还在",
        "sent": "已发通知《【第一次通报】",
        "stopped": "演示物业中心服务器已停止",
        "in_progress": "进行中的应急事件",
        "added": "事件范围扩大到：3号楼",
        "close_title": "结案：",
        "left_steps": "1 不需要（不适用）",
        "ready": "全部已决定",
        "summary": "暴雨过后无人受伤，车库进水约二十厘米，已抽干。",
        "closed_head": "已结案",
        "report": [
            "事件报告：暴雨", "**地点**: 1号楼、2号楼、3号楼", "**类型**: 暴雨",
            "**状态**: 已结案", "暴雨过后无人受伤", "车库入口开始积水，已放沙袋",
            "1号楼地下室水泵已启动", "事件范围扩大到：3号楼。", "老人在家，已送手电",
            "## 结案时的决定", "| 未探视的住户 | ", "| 转客服上门回访，编号 ",
            "| 已电话联系，确认平安 |",
            "| 未达标的预案步骤 | 车库入口、配电房门口未备沙袋或挡水板 | 转为整改工单，编号 ",
            "| 未解除应急 | — | 结案时一并解除应急 |", "预案整改单", "**类型**: 暴雨（橙色预警）",
            "制表：王敏",
            "未探视（结案时：已电话联系，确认平安）",
            "> 【第一次通报】关于防范暴雨的紧急通知", "> 尊敬的1号楼、2号楼各位业主、住户：",
            "> UPDATE 1: Be prepared: orange rainstorm warning", "> 翠湖苑物业服务中心",
            "（英文），对象：1号楼、2号楼业主、住户。",
        ],
    },
    "en": {
        "lang": "en_US.UTF-8",
        "home": "Emergency coordinator · Wang Min",
        "severity": "Typhoon / rainstorm at Building 1 and Building 2: how serious?",
        "head": "Typhoon / rainstorm · Building 1 and Building 2",
        "entries": ["Water at the garage ramp, sandbags down", "Pump in building 1 basement on"],
        "rain_head": "Rainstorm · Building 1 and Building 2",
        "plan_done": "8/25 done",
        "choices": "1) Typhoon   2) Rainstorm",
        "new": "New incident",
        "where": "Typhoon / rainstorm: where?",
        "close_ask": "Stand down or close?",
        "date": "YYYY-MM-DD, then Enter",
        "ask_note": "what did you find",
        "ask_place": "Add a place",
        "ask_summary": "Summary for the report",
        "checked": "(1/",
        "note": "Elderly resident at home, torch given",
        "notice_title": "Be prepared: orange rainstorm warning",
        "notice_lines": ["Dear residents of Building 1 and Building 2,",
                         "The weather service's orange rainstorm warning is in force"],
        "edit": "UPDATE 1: ",
        "other_title": "关于防范暴雨的紧急通知",
        "other_edit": "【第一次通报】",
        "other_kept": "notice are still here",
        "sent": "Notice sent: “UPDATE 1:",
        "stopped": "the demo office server has stopped",
        "in_progress": "Incidents in progress",
        "added": "The incident now also covers Building 3",
        "close_title": "Close:",
        "left_steps": "1 not needed (does not apply)",
        "ready": "All decided",
        "summary": "No one hurt; about 20 cm of water in the garage, pumped out.",
        "closed_head": "Closed",
        "report": [
            "Incident report: Rainstorm",
            "**Place**: Building 1, Building 2 and Building 3",
            "**Type**: Rainstorm", "**Status**: Closed", "No one hurt; about 20 cm",
            "Water at the garage ramp, sandbags down", "Pump in building 1 basement on",
            "The incident now also covers Building 3.",
            "Elderly resident at home, torch given", "## Decided at close",
            "| Flats not checked on", "| passed to the service desk for a visit (",
            "| phoned, they are safe |",
            "| Plan steps failed | No sandbags at garage ramps or switch rooms | raised as a ",
            "| Never stood down | — | stood down at close |", "Plan finding",
            "**Type**: Rainstorm (orange warning)", "Prepared by: Wang Min",
            "not checked (at close: phoned, they are safe)",
            "> UPDATE 1: Be prepared: orange rainstorm warning",
            "> Dear residents of Building 1 and Building 2,",
            "> 【第一次通报】关于防范暴雨的紧急通知", "> Cuihu Garden Property Office",
            "(Chinese), to residents of Building 1 and Building 2.",
        ],
    },
}  # fmt: skip


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_rainstorm_over_two_buildings_from_opening_to_report(tmp_path, lang):
    words = WORDS[lang]
    folder = tmp_path / "demo"
    demo.make(folder, cases=10, lang=lang)
    socket, name = f"coordinator13-{uuid.uuid4().hex[:8]}", "storm"
    env = {"FIELDKIT_DATA_DIR": str(tmp_path / "data"),
           "FIELDKIT_CONFIG": str(tmp_path / "no.toml"),
           "LANG": words["lang"], "TERM": "xterm-256color"}  # fmt: skip
    start = " ".join(f"{k}={v}" for k, v in env.items())
    start += f" {sys.executable} -m fieldkit demo --folder {folder} --role emergency"
    command = f"{start}; {start}; sleep 30"  # the second start: the device restarted
    subprocess.run(
        ["tmux", "-L", socket, "new-session", "-d", "-s", name, "-x", "120", "-y", "40", command],
        check=True, env={**os.environ, **env},
    )  # fmt: skip
    pane = Pane(name, socket, patience=60.0)
    try:
        pane.wait_for(words["home"])
        pane.keys("F2")
        pane.wait_for(words["new"])
        pane.keys("6")
        pane.wait_for(words["where"])
        pane.typed("1号楼 2号楼" if lang == "zh" else "building 1, building 2")
        pane.wait_for(words["severity"])
        pane.keys("Enter")  # major
        pane.wait_for(words["head"])
        for text in words["entries"]:  # text and Enter in one write: still text
            pane.scan(text)
            pane.wait_for(text)

        pane.keys("F5")  # the plan: 暴雨, orange, arriving today, four done, one failed
        pane.wait_for(words["choices"])
        pane.keys("2", "3")
        pane.wait_for(words["date"])
        pane.typed(date.today().isoformat())
        pane.keys("p", "p", "p", "p", "f", gap=0.4)
        pane.keys("Escape")
        screen = pane.wait_for(words["plan_done"])
        assert words["rain_head"] in screen
        residents = re.findall(r"[☐☑] (\d)-\d-\d+", screen)
        assert {"1", "2"} <= set(residents), screen  # the list covers both buildings

        first = re.search(r"☐ (\d+-\d+-\d+)", screen).group(1)
        pane.scan(first)  # at the flat's door: its label ticks it on the list
        pane.wait_for(words["ask_note"])
        pane.typed(words["note"])
        pane.wait_for(words["checked"])

        pane.keys("F7")
        screen = pane.wait_for(words["notice_title"])
        for line in words["notice_lines"]:
            assert line in screen
        pane.tmux("send-keys", "-t", name, "-l", words["edit"])
        pane.wait_for(words["edit"] + words["notice_title"])
        pane.keys("F3")
        pane.wait_for(words["other_title"])
        pane.tmux("send-keys", "-t", name, "-l", words["other_edit"])
        pane.wait_for(words["other_edit"] + words["other_title"])
        pane.keys("F3")  # back: the first language as it was edited
        pane.wait_for(words["edit"] + words["notice_title"])
        pane.keys("C-s")  # sent; the other language's edits are still there
        pane.wait_for(words["other_kept"])
        pane.wait_for(words["other_edit"] + words["other_title"])
        pane.keys("C-s")
        pane.wait_for(words["sent"])

        pane.keys("C-q")  # closed for the night; started again: the incident is on home
        pane.wait_for(words["in_progress"])
        screen = pane.wait_for(words["rain_head"])
        pane.keys("Enter")
        pane.wait_for(words["plan_done"])
        pane.keys("C-n")
        pane.wait_for(words["ask_place"])
        pane.typed("3号楼" if lang == "zh" else "building 3")
        pane.wait_for(words["added"])

        pane.keys("F10")
        pane.wait_for(words["close_ask"])
        pane.keys("3")
        pane.wait_for(words["close_title"])
        pane.keys("3", "a")  # the first flat: a visit; the rest: phoned
        pane.wait_for(words["left_steps"])
        pane.keys("a", "1", "1")  # steps not needed; the failed one a case; stand down
        pane.wait_for(words["ready"])
        pane.keys("C-s")
        pane.wait_for(words["ask_summary"])
        pane.typed(words["summary"])
        pane.wait_for(words["closed_head"])
        pane.keys("C-q")
        pane.wait_for(words["stopped"])
    finally:
        pane.tmux("kill-server", check=False)

    with Store.open(folder / "emergency", readonly=True) as store:
        (incident,) = [i for i in (store.get_incident(doc["id"]) for _, doc in
                                   store.iter_records(["incident"]))]  # fmt: skip
    assert incident.status == "closed"
    report = subprocess.run(
        [sys.executable, "-m", "fieldkit", "--lang", lang, "report", "incident",
         incident.id[-6:], "--format", "md"],
        capture_output=True, text=True, check=True,
        env={**os.environ, **env, "FIELDKIT_DATA_DIR": str(folder / "emergency")},
    ).stdout  # fmt: skip
    for text in words["report"]:
        assert text in report, text
