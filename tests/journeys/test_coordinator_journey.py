"""The emergency coordinator (王敏, role 3 of the demo) through a rainstorm that floods two
basements, in a real terminal, in zh and en, walked as the newcomer of issue #13 walked it:
the place said as people say it (1号楼和2号楼地下室, read back before it is taken), five lines
typed back to back, F6 and then typing (the text reaches the timeline), calls to the power
company and municipal drainage, ctrl+r and six quick ↑ (the pick reaches the first entry),
the plan (暴雨, orange, 今天, four steps done, one not), the flood's residents lowest floor
first, a resident checked at the door (the label scanned), a notice of what is happening
with the service centre's phone, edited in both languages, the app restarted (the incident
on home), an update notice (续报), a garage added with ctrl+n (its preview read), the close
with every open point decided and ``a`` used right (it names the decision and the count,
and asks), the demo's closing guide, then the notice files and ``fieldkit report incident``
on the emergency device's data, read as a person reads them."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import uuid
from datetime import datetime, timedelta

import pytest

from fieldkit.model.qr import encode
from fieldkit.services.demo import SITE_PHONE
from fieldkit.store import Store
from tests.terminal import Pane

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")

WORDS = {
    "zh": {
        "lang": "zh_CN.UTF-8",
        "home": "应急岗 · 王敏",
        "new": "新建事件",
        "where": "台风 / 暴雨：在哪里？",
        "place": "1号楼和2号楼地下室",
        "read": "地点：1号楼地下室、2号楼地下室（回车选这个）",
        "severity": "1号楼地下室、2号楼地下室的台风 / 暴雨：严重程度？",
        "severity_keys": "1 2 3  等级",
        "head": "台风 / 暴雨 · 1号楼地下室、2号楼地下室",
        "lines": ["车库入口开始积水", "1号楼地下室进水", "已放沙袋", "2号楼地下室进水约十厘米",
                  "已通知工程部带水泵"],
        "on_list": "住户列表：回车打勾",
        "typed": "移动水泵已在2号楼车库抽水",
        "who": "接听人是谁",
        "calls": ["已联系供电公司，接听人：刘工。", "已联系市政排水部门，接听人：值班室。"],
        "call_rest": "已联系市政排水部门，接听人：值班室。",
        "correction": "更正后的内容",
        "choices": "1) 台风   2) 暴雨",
        "date": "年-月-日，如 2026-03-15（也可写 昨天、今天、明天）",
        "today": "今天",
        "step_keys": "p  已完成   f  未完成   n  不适用",
        "plan_done": "（完成 7 项，",
        "plan_noticed": "（完成 8 项，",  # the notice saved answered 通知方式
        "rain_head": "暴雨 · 1号楼地下室、2号楼地下室",
        "ask_note": "的住户情况如何",
        "note": "老人在家，已送手电",
        "checked": "已确认 1/",
        "notice_title": "关于暴雨影响的紧急通知",
        "notice_lines": ["尊敬的1号楼、2号楼各位业主、住户：", "受暴雨橙色预警影响",
                         "1号楼地下室、2号楼地下室出现积水"],
        "edit": "【第一次通报】",
        "other_title": "Urgent: the rainstorm is affecting the compound",
        "other_edit": "UPDATE 1: ",
        "other_kept": "通知的修改还在",
        "sent": "已保存通知《【第一次通报】",
        "in_progress": "进行中的应急事件",
        "update_title": "关于暴雨影响的紧急通知（续报）",
        "sent_update": "已保存通知《关于暴雨影响的紧急通知（续报）》",
        "ask_place": "增加地点",
        "garage": "3号楼车库",
        "garage_read": "将加上：3号楼车库（回车确认）",
        "added": "事件范围扩大到：3号楼车库",
        "close_ask": "事件进展到哪一步了？",
        "group_title": "未确认情况的住户（",
        "group": r"未确认情况的住户（(\d+)）",
        "confirm_any": "只在确实如此时这样记",
        "all_as": "a：其余 {n} 户也记为“不受影响，无需上门”",
        "confirm": "把其余 {n}",
        "all_as_visit": "a：其余 {n} 户也记为“转客服上门回访”",
        "write_ask": "这次暴露的问题：",
        "to_write": r"预案里要写的内容（(\d+)）",
        "to_write_head": "预案里要写的内容（",
        "lessons": "车库入口沙袋不够",
        "ready": "全部已决定",
        "ask_summary": "报告总结",
        "summary": "暴雨致地下室进水约二十厘米，已抽干，无人受伤。",
        "closed_head": "已结案",
        "closed_plan": "结案时决定",
        "stopped": "演示办公室服务器已停止",
        "guide": "刚才用的是应急岗（王敏）的设备",
        "notice_file": ["关于暴雨影响的紧急通知", "尊敬的1号楼、2号楼各位业主、住户：",
                        f"拨打物业服务中心电话 {SITE_PHONE}", "翠湖苑物业服务中心"],
        "report": [
            "事件报告：暴雨", "**地点**: 1号楼地下室、2号楼地下室、3号楼车库",
            "**类型**: 暴雨（橙色预警）", "**状态**: 已结案", "暴雨致地下室进水约二十厘米",
            "车库入口开始积水", "移动水泵已在2号楼车库抽水", "已联系供电公司，接听人：刘工。",
            "已联系市政排水部门，接听人：值班室。", "事件范围扩大到：3号楼车库。",
            "的住户情况。老人在家，已送手电", "| 应急值班表已排好、人员到岗待命 | 已完成 |",
            "| 车库入口、配电房门口已备沙袋或挡水板 | 未完成 |",
            "| 集水坑排水泵已试运行 | 结案时：未完成，转为工单跟进（编号 ",
            "| 这次暴露的问题 | 车库入口沙袋不够（结案时填写） |",
            "## 结案时的决定", "| 已电话联系，确认平安 |", "| 不受影响，无需上门 |",
            "| 转客服上门回访（编号 ", "| 结案前没有宣布解除应急 | — | 结案时一并解除应急 |",
            "《关于暴雨影响的紧急通知（续报）》", "未确认（结案时：转客服上门回访）",
            "（英文），供张贴或转发，对象：1号楼、2号楼业主、住户。", "制表：王敏",
        ],
        "wrong": ["合格", "上门查看", "未完成：已做", "已探视", "{"],
    },
    "en": {
        "lang": "en_US.UTF-8",
        "home": "Emergency coordinator · Wang Min",
        "new": "New incident",
        "where": "Typhoon / rainstorm: where?",
        "place": "building 1 and building 2 basement",
        "read": "Place: Building 1 basement and Building 2 basement (Enter picks this)",
        "severity": "Typhoon / rainstorm at Building 1 basement and Building 2 basement: how "
                    "serious?",
        "severity_keys": "1 2 3  severity",
        "head": "Typhoon / rainstorm · Building 1 basement and Building 2 basement",
        "lines": ["Water at the garage ramp", "Water in building 1 basement", "Sandbags down",
                  "Building 2 basement: 10 cm of water", "Engineering told to bring pumps"],
        "on_list": "Residents — Enter ticks",
        "typed": "Portable pump running in building 2 garage",
        "who": "who answered",
        "calls": ["Called the power company; answered by Liu.",
                  "Called municipal drainage; answered by the duty"],  # "room." wraps
        "call_rest": "room.  — Wang Min",  # the wrapped line, under the text
        "correction": "The corrected text",
        "choices": "1) Typhoon   2) Rainstorm",
        "date": "YYYY-MM-DD, e.g. 2026-03-15 (or yesterday, today, tomorrow)",
        "today": "today",
        "step_keys": "p  Done   f  Not done   n  N/A",
        "plan_done": "(7 done, ",
        "plan_noticed": "(8 done, ",  # the notice saved answered "how residents were told"
        "rain_head": "Rainstorm · Building 1 basement and Building 2 basement",
        "ask_note": "How are the residents of",
        "note": "Elderly resident at home, torch given",
        "checked": "(1/",
        "notice_title": "Urgent: the rainstorm is affecting the compound",
        "notice_lines": ["Dear residents of Building 1 and Building 2,",
                         "Under the orange rainstorm warning, there has been flooding at "
                         "Building 1 basement and Building 2 basement"],
        "edit": "UPDATE 1: ",
        "other_title": "关于暴雨影响的紧急通知",
        "other_edit": "【第一次通报】",
        "other_kept": "notice are still here",
        "sent": "Notice saved: “UPDATE 1:",
        "in_progress": "Incidents in progress",
        "update_title": "Update: Urgent: the rainstorm is affecting the compound",
        "sent_update": "Notice saved: “Update: Urgent: the rainstorm",
        "ask_place": "Add a place",
        "garage": "building 3 garage",
        "garage_read": "Adds: Building 3 garage (Enter to confirm)",
        "added": "The incident now also covers Building 3 garage",
        "close_ask": "Where does the incident stand?",
        "group_title": "Residents not checked on (",
        "group": r"Residents not checked on \((\d+)\)",
        "confirm_any": "Only if that is what happened",
        "all_as": "a: the other {n} flats too: “not affected, no visit needed”",
        "confirm": "The other {n} flats not checked on",
        "all_as_visit": "a: the other {n} flats too: “passed to the service desk for a visit”",
        "write_ask": "Problems this storm exposed:",
        "to_write": r"Plan entries to write \((\d+)\)",
        "to_write_head": "Plan entries to write (",
        "lessons": "Not enough sandbags at the garage ramp",
        "ready": "All decided",
        "ask_summary": "Summary for the report",
        "summary": "About 20 cm of water in the basements, pumped out; no one hurt.",
        "closed_head": "Closed",
        "closed_plan": "decided at close",
        "stopped": "the demo office server has stopped",
        "guide": "You last used the emergency coordinator device (Wang Min)",
        "notice_file": ["Urgent: the rainstorm is affecting the compound",
                        "Dear residents of Building 1 and Building 2,",
                        f"call the property office on {SITE_PHONE}",
                        "Cuihu Garden Property Office"],
        "report": [
            "Incident report: Rainstorm",
            "**Place**: Building 1 basement, Building 2 basement and Building 3 garage",
            "**Type**: Rainstorm (orange warning)", "**Status**: Closed",
            "About 20 cm of water in the basements", "Water at the garage ramp",
            "Portable pump running in building 2 garage",
            "Called the power company; answered by Liu.",
            "Called municipal drainage; answered by the duty room.",
            "The incident now also covers Building 3 garage.",
            "Elderly resident at home, torch given",
            "| Standby roster set and staff in place | Done |",
            "| Sandbags at garage ramps and switch rooms | Not done |",
            "| Sump pumps test-run | at close: not done yet — a case follows it up (case ",
            "| Problems this storm exposed | Not enough sandbags at the garage ramp (written "
            "at close) |",
            "## Decided at close", "| phoned, they are safe |",
            "| not affected, no visit needed |", "| passed to the service desk for a visit (",
            "| Not declared over (stood down) before the close | — | stood down at close |",
            "Update: Urgent: the rainstorm is affecting the compound",
            "not checked (at close: passed to the service desk for a visit)",
            "(Chinese), for residents of Building 1 and Building 2; to print and post or pass on.",
            "Prepared by: Wang Min",
        ],
        "wrong": ["| Pass", "| Fail", "not done: done", "{"],
    },
}  # fmt: skip


def _first_flat(screen: str) -> tuple[str, list[int]]:
    """The first flat on the residents list, and the floors of the flats shown."""
    flats = re.findall(r"[☐☑] (\d+-\d+-(\d+?)\d{2})\b", screen)
    return flats[0][0], [int(floor) for _, floor in flats]


def made_by_the_demo(folder) -> tuple[set[str], set[str]]:
    """The incidents the demo holds as last week's, and their notice files: not this
    journey's (the office reads them in its weekly report)."""
    with Store.open(folder / "emergency", readonly=True) as store:
        ids = {doc["id"] for _, doc in store.iter_records(["incident"])}
    return ids, {p.name for p in (folder / "emergency" / "notices").glob("*")}


def this_journeys(folder, earlier: set[str]) -> list:
    with Store.open(folder / "emergency", readonly=True) as store:
        return [store.get_incident(doc["id"]) for _, doc in store.iter_records(["incident"])
                if doc["id"] not in earlier]  # fmt: skip


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_flood_in_two_basements_from_opening_to_report(tmp_path, make_demo, lang):
    words = WORDS[lang]
    folder = tmp_path / "demo"
    make_demo(folder, cases=10, lang=lang)
    earlier, earlier_notices = made_by_the_demo(folder)
    socket, name = f"coordinator13-{uuid.uuid4().hex[:8]}", "storm"
    env = {"FIELDKIT_DATA_DIR": str(tmp_path / "data"),
           "FIELDKIT_CONFIG": str(tmp_path / "no.toml"),
           "LANG": words["lang"], "TERM": "xterm-256color"}  # fmt: skip
    start = " ".join(f"{k}={v}" for k, v in env.items())
    start += f" {sys.executable} -m fieldkit demo --folder {folder} --role emergency"
    command = f"{start}; {start}; sleep 60"  # the second start: the device restarted
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
        pane.tmux("send-keys", "-t", name, "-l", words["place"])
        pane.wait_for(words["read"])  # what it understood, before it is taken
        pane.keys("Enter")
        screen = pane.wait_for(words["severity"])
        assert words["severity_keys"] in screen  # the keys of this step, not the type's
        pane.keys("Enter")  # major
        pane.wait_for(words["head"])

        # five lines typed back to back, in one write: five entries, in order
        pane.tmux("send-keys", "-t", name, "-l", "".join(f"{line}\r" for line in words["lines"]))
        for line in words["lines"]:
            pane.wait_for(line)
        pane.keys("F6")  # the residents list; then typing goes to the line, never nowhere
        pane.wait_for(words["on_list"])
        pane.typed(words["typed"])
        pane.wait_for(words["typed"])

        pane.keys("F4", "6")  # the power company
        pane.wait_for(words["who"])
        pane.typed("刘工" if lang == "zh" else "Liu")
        pane.wait_for(words["calls"][0])
        pane.keys("F4", "8")  # municipal drainage
        pane.wait_for(words["who"])
        pane.typed("值班室" if lang == "zh" else "the duty room")
        screen = pane.wait_for(words["calls"][1])
        assert words["call_rest"] in screen  # who answered reads whole, wrapped or not

        # ctrl+r and quick ↑, one more than there are entries: at the first, it stops there
        pane.tmux("send-keys", "-t", name, "C-r", *["Up"] * 9)
        pane.keys("Enter")
        screen = pane.wait_for(words["correction"])
        assert re.search(rf"▊\s+{re.escape(words['lines'][0])}\s", screen), screen
        pane.keys("Escape")

        pane.keys("F5")  # the plan: 暴雨, orange, today, four done, one not done
        pane.wait_for(words["choices"])
        pane.keys("2", "3")
        pane.wait_for(words["date"])
        pane.typed(words["today"])
        screen = pane.wait_for(words["step_keys"])  # steps of work, not pass / fail
        pane.keys("p", "p", "p", "p", "f", gap=0.4)
        pane.keys("Escape")
        screen = pane.wait_for(words["plan_done"])
        assert words["rain_head"] in screen
        first, floors = _first_flat(screen)
        assert floors[:4] == sorted(floors[:4]), floors  # a flood: the lowest floors first

        pane.scan(encode("unit", "CH", first))  # at the flat's door: its label ticks it
        pane.wait_for(words["ask_note"])
        pane.typed(words["note"])
        pane.wait_for(words["checked"])

        pane.keys("F7")
        screen = pane.wait_for(words["notice_title"])
        for line in words["notice_lines"]:
            assert line in screen, line
        assert SITE_PHONE in screen
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
        pane.wait_for(words["rain_head"])
        pane.keys("Enter")
        pane.wait_for(words["plan_noticed"])
        pane.keys("F7")  # the second notice is an update
        pane.wait_for(words["update_title"])
        pane.keys("C-s")
        pane.wait_for(words["sent_update"])

        pane.keys("C-n")
        pane.wait_for(words["ask_place"])
        pane.tmux("send-keys", "-t", name, "-l", words["garage"])
        pane.wait_for(words["garage_read"])  # what it will add, before it is added
        pane.keys("Enter")
        pane.wait_for(words["added"])

        pane.keys("F10")
        pane.wait_for(words["close_ask"])
        pane.keys("3")
        screen = pane.wait_for(words["group_title"])
        flats = int(re.search(words["group"], screen).group(1))
        pane.keys("1", "2")  # the first flat phoned; the second not affected
        pane.wait_for(words["all_as"].format(n=flats - 2))  # a names what it would record
        pane.keys("a")
        pane.wait_for(words["confirm"].format(n=flats - 2))  # and asks, with the count
        pane.keys("n")  # not so: nobody phoned them
        pane.keys("3")  # the third: a visit by the service desk
        pane.wait_for(words["all_as_visit"].format(n=flats - 3))
        pane.keys("a")
        pane.wait_for(words["confirm"].format(n=flats - 3))
        pane.keys("y")  # the rest: a visit each, as decided
        pane.keys("2", "3")  # a step not done (a case); the next did not apply
        pane.keys("a")
        pane.wait_for(words["confirm_any"])
        pane.keys("y")  # the rest of the steps did not apply
        # the plan's facts not recorded during the storm did not apply; the lessons, the
        # plan's last entry, are written here
        (to_write,) = pane.wait_match(words["to_write"])
        pane.keys(*["1"] * (int(to_write) - 1), "2")
        pane.wait_for(words["write_ask"])
        pane.typed(words["lessons"])
        pane.keys("1", "1")  # the failed step: a case; stood down with the close
        pane.wait_for(words["ready"])
        pane.keys("C-s")
        pane.wait_for(words["ask_summary"])
        pane.typed(words["summary"])
        screen = pane.wait_for(words["closed_head"])
        screen = pane.wait_for(words["closed_plan"])
        assert "☐" not in screen, screen  # the decisions show: nothing left unticked
        pane.keys("C-q")
        pane.wait_for(words["stopped"])
        screen = pane.wait_for(words["guide"])
        assert f"export FIELDKIT_DATA_DIR={folder / 'emergency'}" in screen  # the incident's
    finally:
        pane.tmux("kill-server", check=False)

    (incident,) = this_journeys(folder, earlier)
    assert incident.status == "closed"
    sent = sorted(p for p in (folder / "emergency" / "notices").glob(f"*-{lang}.txt")
                  if p.name not in earlier_notices)  # fmt: skip
    assert len(sent) == 2  # the first notice and its update
    first_notice = sent[0].read_text("utf-8")
    for line in words["notice_file"]:
        assert line in first_notice, line
    assert "  " not in first_notice
    assert sent[1].read_text("utf-8").startswith(words["update_title"])
    report = subprocess.run(
        [sys.executable, "-m", "fieldkit", "--lang", lang, "report", "incident",
         incident.id[-6:], "--format", "md"],
        capture_output=True, text=True, check=True,
        env={**os.environ, **env, "FIELDKIT_DATA_DIR": str(folder / "emergency")},
    ).stdout  # fmt: skip
    for text in words["report"]:
        assert text in report, text
    at = [report.index(f"| {line} |") for line in words["lines"]]
    assert at == sorted(at)  # the five quick lines: five entries, in the order typed
    for text in words["wrong"]:
        assert text not in report, text


LIFT = {
    "zh": {
        "lang": "zh_CN.UTF-8",
        "home": "应急岗 · 王敏",
        "new": "新建事件",
        "where": "电梯困人：在哪里？",
        "home_cases": "未完结工单",
        "place": "2号楼1单元",
        "read": "地点：2号楼1单元（回车选这个）",
        "head": "电梯困人 · 2号楼1单元",
        "reference_head": "楼内需要帮助的住户（",
        "reference": r"楼内需要帮助的住户（(\d+) 户，需要时联系）— F6",
        "line": "东梯停在8、9楼之间，困两人",
        "began_now": "接警时间：现在（按 t 修改）",
        "began_ask": "什么时候接到电话或报警的？",
        "began_typed": "30分钟前",
        "began_read": "将记为：",
        "began_set": "接警时间：",
        "began_head": "接警 ",
        "began_line": "接到电话或报警（",
        "one_by_one": "“已完成”要逐项确认",
        "two_keys": "1 2  决定这一项",
        "no_such_key": "这一项没有 3：请按 1 或 2 决定。",
        "close_ask": "事件进展到哪一步了？",
        "steps": "预案里还没记录的步骤（",
        "flats_asked": "未确认情况的住户",
        "confirm_any": "只在确实如此时这样记",
        "ready": "全部已决定",
        "ask_summary": "报告总结",
        "summary": "维保25分钟到场放出两人，无人受伤，电梯停用待修。",
        "closed_head": "已结案",
        "closed_bar": "F6  住户   ctrl+o  后续工单   F1  帮助   esc  返回",
        "closed_said": "不能再记录或修改。",
        "fire": "火情：在哪里？",
        "fire_head": "火情 · 2号楼1单元",
        "counter": "需要帮助的住户（已确认 {done}/{total}）— F6",
        "group": r"未确认情况的住户（(\d+)）",
        "all_as": "a：其余 {n} 户也记为“已电话联系，确认平安”",
        "confirm": "把其余 {n} 户",
        "grouped": ("结案时确认了 {n} 户住户的情况：", "电话确认平安 {n} 户。"),
        "fire_summary": "楼道电动车电池冒烟，已扑灭，无人受伤。",
        "per_flat": r"2-1-\d+ 的住户",
    },
    "en": {
        "lang": "en_US.UTF-8",
        "home": "Emergency coordinator · Wang Min",
        "new": "New incident",
        "where": "Lift entrapment: where?",
        "home_cases": "press c for every case",  # the home: its post's cases, or none
        "place": "building 2 entrance 1",
        "read": "Place: Building 2 entrance 1 (Enter picks this)",
        "head": "Lift entrapment · Building 2 entrance 1",
        "reference_head": "Residents to contact if needed (",
        "reference": r"Residents to contact if needed \((\d+)\) — F6",
        "line": "East lift stuck at floor 8, two inside",
        "began_now": "Reported: now (t to change)",
        "began_ask": "When did the call or alarm come in?",
        "began_typed": "30 min ago",
        "began_read": "Will be recorded as ",
        "began_set": "Reported at ",
        "began_head": "Reported ",
        "began_line": "The call or alarm came in (recorded at",
        "one_by_one": "“Done” is confirmed step by step",
        "two_keys": "1 2  decide this one",
        "no_such_key": "There is no 3 for this point: press 1 or 2.",
        "close_ask": "Where does the incident stand?",
        "steps": "Plan steps with no answer (",
        "flats_asked": "Residents not checked on",
        "confirm_any": "Only if that is what happened",
        "ready": "All decided",
        "ask_summary": "Summary for the report",
        "summary": "Contractor released both in 25 minutes; no one hurt; lift out of service.",
        "closed_head": "Closed",
        "closed_bar": "F6  residents   ctrl+o  follow-up case   F1  help   esc  back",
        "closed_said": "This incident is closed",
        "fire": "Fire: where?",
        "fire_head": "Fire · Building 2 entrance 1",
        "counter": "Residents who need help ({done}/{total} checked) — F6",
        "group": r"Residents not checked on \((\d+)\)",
        "all_as": "a: the other {n} flats too: “phoned, they are safe”",
        "confirm": "The other {n} flats not checked on",
        "grouped": ("At close, {n} flats accounted for:", "phoned, safe."),  # wraps after "{n}"
        "fire_summary": "E-bike battery smoking in the corridor, put out, no one hurt.",
        "per_flat": r"Residents of 2-1-\d+",
    },
}  # fmt: skip


def _decide_the_rest(pane: Pane, ready: str) -> str:
    """1 on each point left, one at a time as a person does, until all are decided."""
    for _ in range(60):
        screen = pane.text()
        if ready in screen:
            return screen
        pane.keys("1")
    return pane.wait_for(ready)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_lift_entrapment_and_a_fire_closed_as_a_coordinator_reads_them(tmp_path, make_demo, lang):
    """inc22: a lift entrapment asks nothing about the building's residents at close (its
    list is there to call on); a fire in the same entrance asks each flat, decided at once
    with a, and reads back as one line, the counter full; a closed incident's bar offers
    only what works, and a key pressed anyway says why."""
    words = LIFT[lang]
    folder = tmp_path / "demo"
    make_demo(folder, cases=10, lang=lang)
    earlier = made_by_the_demo(folder)[0]
    socket, name = f"coordinator22-{uuid.uuid4().hex[:8]}", "lift"
    env = {"FIELDKIT_DATA_DIR": str(tmp_path / "data"),
           "FIELDKIT_CONFIG": str(tmp_path / "no.toml"),
           "LANG": words["lang"], "TERM": "xterm-256color"}  # fmt: skip
    start = " ".join(f"{k}={v}" for k, v in env.items())
    start += f" {sys.executable} -m fieldkit demo --folder {folder} --role emergency; sleep 60"
    subprocess.run(
        ["tmux", "-L", socket, "new-session", "-d", "-s", name, "-x", "120", "-y", "40", start],
        check=True, env={**os.environ, **env},
    )  # fmt: skip
    pane = Pane(name, socket, patience=60.0)
    try:
        pane.wait_for(words["home"])
        pane.keys("F2")
        pane.wait_for(words["new"])
        pane.keys("5")
        pane.wait_for(words["where"])
        pane.tmux("send-keys", "-t", name, "-l", words["place"])
        pane.wait_for(words["read"])
        pane.keys("Enter")
        pane.wait_for(words["began_now"])  # when the call came: now, unless said otherwise
        pane.keys("t")  # logged after the rescue: the call came half an hour ago
        pane.wait_for(words["began_ask"])
        pane.tmux("send-keys", "-t", name, "-l", words["began_typed"])
        pane.wait_for(words["began_read"])  # read back as it is typed
        pane.keys("Enter")
        pane.wait_for(words["began_set"])
        pane.keys("Enter")  # major
        screen = pane.wait_for(words["head"])
        screen = pane.wait_for(words["began_line"])  # first on the timeline, said late
        assert words["began_head"] in screen
        screen = pane.wait_for(words["reference_head"])
        listed = int(re.search(words["reference"], screen).group(1))
        assert listed > 0 and "☐ 2-" not in screen  # to call on, not to tick off at close
        pane.typed(words["line"])
        pane.wait_for(words["line"])

        pane.keys("F10")
        pane.wait_for(words["close_ask"])
        pane.keys("3")
        screen = pane.wait_for(words["steps"])
        assert words["flats_asked"] not in screen  # no flat asked about, one by one
        pane.keys("1")  # the first step was done; a does not make the others done
        pane.wait_for(words["one_by_one"])
        pane.keys("a")
        pane.keys("3")  # the next did not apply, nor the rest: a asks first
        pane.keys("a")
        pane.wait_for(words["confirm_any"])
        pane.keys("y")
        _decide_the_rest(pane, words["ready"])
        pane.keys("End")  # the stand-down: two choices, and the bar says so
        pane.wait_for(words["two_keys"])
        pane.keys("3")
        pane.wait_for(words["no_such_key"])
        pane.keys("C-s")
        pane.wait_for(words["ask_summary"])
        pane.typed(words["summary"])
        screen = pane.wait_for(words["closed_head"])
        screen = pane.wait_for(words["closed_bar"])
        assert "F10" not in screen.splitlines()[-1] and "F3" not in screen.splitlines()[-1]
        pane.keys("F4")  # pressed anyway: why not, at once, and no dialog
        pane.wait_for(words["closed_said"])

        pane.keys("Escape")
        pane.wait_for(words["home_cases"])  # home again (its title bar is every screen's)
        pane.keys("F2")
        pane.wait_for(words["new"])
        pane.keys("1")
        pane.wait_for(words["fire"])
        pane.tmux("send-keys", "-t", name, "-l", words["place"])
        pane.wait_for(words["read"])
        pane.keys("Enter")
        pane.keys("Enter")
        screen = pane.wait_for(words["fire_head"])
        screen = pane.wait_for(words["counter"].format(done=0, total=listed))
        pane.keys("F10")
        pane.wait_for(words["close_ask"])
        pane.keys("3")
        screen = pane.wait_for(words["flats_asked"])
        flats = int(re.search(words["group"], screen).group(1))
        assert flats == listed  # smoke: every flagged flat of the entrance is asked
        pane.keys("1")  # the first flat phoned; a names the rest and asks, with the count
        pane.wait_for(words["all_as"].format(n=flats - 1))
        pane.keys("a")
        pane.wait_for(words["confirm"].format(n=flats - 1))
        pane.keys("y")
        _decide_the_rest(pane, words["ready"])
        pane.keys("C-s")
        pane.wait_for(words["ask_summary"])
        pane.typed(words["fire_summary"])
        pane.wait_for(words["closed_head"])
        first, rest = (part.format(n=flats) for part in words["grouped"])
        screen = pane.wait_for(first)  # one line for the flats (wrapped between phrases)
        assert rest in screen and screen.count(first) == 1
        assert words["counter"].format(done=flats, total=flats) in screen  # the counter follows
        assert not re.search(words["per_flat"], screen), screen  # no line per flat
        assert "☐" not in screen
    finally:
        pane.tmux("kill-server", check=False)
    lift = min(this_journeys(folder, earlier), key=lambda i: i.id)
    logged = datetime.fromisoformat(lift.started_at.replace("Z", "+00:00"))
    began = datetime.fromisoformat(lift.began_at.replace("Z", "+00:00"))
    assert timedelta(minutes=29) < logged - began < timedelta(minutes=31)
