"""The service desk's day on the demo, in a real terminal (tmux), in zh and en, as a newcomer
clerk walked it: 刘洋 at the desk takes a repair by phone (with a photo, wanted today),
dispatches it to a fitter, reassigns it — the history saying each as a sentence that names
the person, the numbers of the people offered never changing — and closes it after a long
note that is read whole; a noise complaint; a neighbour dispute with a statement given the
evening before and typed now (a late record, in the history where it happened and in the
shift's handover), each side's call-back. On the way, the refusals a clerk meets (an empty
description, a key with no choice behind it, text typed where a number is asked, a note left
empty, a dissatisfied score without its reason, a statement's time written 2026-13-01) are
said in place, keeping what was typed. Then the office supervisor (陈静) opens the repair by
its number on the office device — it arrived by sync with its whole history — and reads the
trends, every category in words."""

from __future__ import annotations

import re
import shutil
import sys
import time

import pytest

from fieldkit.services.workspace import Workspace
from tests.journeys.demo_pane import palette
from tests.journeys.session import start
from tests.journeys.test_desk_case_list_journey import LIST_WORDS

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")

WORDS = {
    "zh": {
        "desk": "fieldkit 演示 — 客服岗 · 刘洋",
        "office": "fieldkit 演示 — 办公室主管 · 陈静",
        "home_cases": "未完结工单",
        "home_new": "新建受理",
        "picker": "选择岗位",
        "stopped": "演示办公室服务器已停止",
        "kind": "新建受理：报修、投诉还是邻里纠纷？",
        "which": "哪一户？",
        "other": "对方是哪一户？",
        "flat": "房号：2-1-1502",
        "leak": "漏水渗水",
        "describe": "新建报修：情况描述",
        "no_text": "请写上业主反映的情况",
        "leak_said": "卫生间顶上往下滴水，楼上可能漏水",
        "counted": "已输入 16 / 2000 字",
        "photos": "新建报修：照片",
        "urgency": "新建报修：紧急程度",
        "today": "2  当天处理（今天之内）",
        "tomorrow": "2  尽快处理（今天来不及，明天 12:00 前）",  # taken from 18:00: not "today"
        "who_calls": "谁打来的？",
        "caller_short": "王芳 1381234",
        "caller_bad": "电话号码“1381234”不对",
        "caller": "王芳 139 0021 4567",
        "caller_so_far": "来电人：王*  139****4567",
        "by_owner": "来电人：业主本人",
        "caller_row": "2-1-1502  王*  139****4567",
        "caller_label": "来电人",
        "whose": "显示哪一位的电话？",
        "why_phone": "为什么要查看电话",
        "visit_caller": "回访：先回电给来电人 王*",
        "no_choice": "没有选项 9，请按 1–4 选择。",
        "by_number": "这里请按数字键选择",
        "contact_caller": "新建报修：来电人希望怎样联系？",
        "caller_said": "来电人反映",
        "taken": "登记人",
        "said_row": "业主反映",
        "high": "当天处理",
        "high_evening": "尽快处理",  # taken from 18:00: due the next noon
        "wechat": "微信",
        "severity": "严重",
        "department": "派给哪个部门？",
        "who_eng": "派给工程部的哪位同事？",
        "fitter": "张师傅",
        "other_fitter": "王师傅",
        "new_fitter": "赵师傅",
        "sent_eng": "派给工程部 张师傅",
        "again": "改派给工程部 王师傅（原为工程部 张师傅）",
        "r1": "已受理 → 已派工",
        "r2": "已派工 → 维修中",
        "required": "此项必填",
        "fixed": "更换了楼上卫生间下水管接头",
        "long_tail": "，吊顶由业主自行修补，费用双方各承担一半" * 8 + "，到此为止",
        "end_mark": "到此为止",
        "r3": "维修中 → 已完工 — 更换了楼上卫生间下水管接头",
        "drop": "还没有保存。要放弃吗？",
        "score": "5分，很满意",
        "visit": "回访：满意 5 分 — 很满意",
        "r5": "已回访 → 已结案",
        "final": "此工单已结案，不再流转。",
        "ask_close": "”？之后不再流转，不能撤回。",
        "no_dispatch": "此工单已结案，不能再派单或改派。",
        "closed_bar": " a  备注 ",
        "noise": "噪音扰民",
        "noise_said": "楼上903每晚十一点后有敲打声",
        "c_example": "例如：楼下小广场每晚跳舞音响太吵",
        "c1": "已受理 → 已登记分类",
        "who_sec": "派给安保部的哪位同事？",
        "guard": "赵刚",
        "sent_sec": "派给安保部 赵刚",
        "c2": "已登记分类 → 核实调查中",
        "c3": "核实调查中 → 协调处理中",
        "reply": "已电话告知业主：安保已上门提醒903住户",
        "c4": "协调处理中 → 已答复业主 — 已电话告知业主",
        "why": "业主不满意（2 分），请写上原因",
        "visit4": "回访：满意 4 分 — 安静多了",
        "score4": "4 安静多了",
        "c6": "已回访 → 已结案",
        "reported": "反映方：3-2-502",
        "sides": "3-2-502 ↔ 3-2-602",
        "quarrel": "邻里噪音纠纷",
        "quarrel_said": "楼上每晚十点后拖动家具，老人睡不好",
        "d1": "已受理 → 了解情况中",
        "sent_cs": "派给客服中心",
        "who_cs": "派给客服中心的哪位同事？",
        "statement": "记录纠纷一方的陈述",
        "speaker": "何秀兰",
        "words": "每晚十点后楼上拖动家具",
        "bad_when": "不是有效时间",
        "said": "陈述已保存。",
        "heard": "甲方 3-2-502 何**陈述：每晚十点后楼上拖动家具",
        "shown": "何**",
        "late": "（补记，",
        "unheard": "乙方（对方）：尚未陈述",
        "agreed": "双方同意晚十点后不再搬动家具",
        "d3": "了解情况中 → 已达成调解 — 双方同意",
        "ask_agreed": "写明双方达成的调解协议",
        "side_a": "回访甲方（3-2-502）",
        "side_b": "回访乙方（3-2-602）",
        "visit_a": "回访甲方：满意 5 分",
        "visit_b": "回访乙方：满意 4 分",
        "d4": "已达成调解 → 已回访",
        "d5": "已回访 → 已结案",
        "trends_cmd": "高发问题趋势",
        "trends_shown": "高发问题趋势统计与交接班",
        "handover": "本班已办",
        "find": "查找工单",
        "by": "刘洋",
        "note": "的说明（做了什么，或原因）",
        "visit_q": "回访：业主评分 1-5",
        "c_describe": "新建投诉：情况描述",
        "c_photos": "新建投诉：照片",
        "d_describe": "新建邻里纠纷：情况描述",
        "d_photos": "新建邻里纠纷：照片",
        "by_category": "按类别统计工单",
        "leak_row": "漏水渗水",
    },
    "en": {
        "desk": "fieldkit demo — Service desk · Liu Yang",
        "office": "fieldkit demo — Office supervisor · Chen Jing",
        "home_cases": "Unfinished cases",
        "home_new": "new case",
        "picker": "Choose a role",
        "stopped": "the demo office server has stopped",
        "kind": "New request: repair, complaint or neighbour dispute?",
        "which": "which flat?",
        "other": "which is the other flat?",
        "flat": "Flat: 2-1-1502",
        "leak": "Water leak",
        "describe": "New repair: description",
        "no_text": "Write what the owner reports",
        "leak_said": "Water dripping from the bathroom ceiling",
        "counted": "40 / 2000 characters",
        "photos": "New repair: photos",
        "urgency": "New repair: how urgent?",
        "today": "2  Today (by the end of today)",
        "tomorrow": "2  As soon as possible (too late today: by 12:00 tomorrow)",  # from 18:00
        "who_calls": "who is calling?",
        "caller_short": "Wang Fang 1381234",
        "caller_bad": "'1381234' is not a phone number we can call",
        "caller": "Wang Fang 139 0021 4567",
        "caller_so_far": "Caller: Wang F***  139****4567",
        "by_owner": "Caller: the owner",
        "caller_row": "2-1-1502  Wang F***  139****4567",
        "caller_label": "Caller",
        "whose": "Whose number?",
        "why_phone": "Why do you need the phone number",
        "visit_caller": "Call-back: ring the caller first, Wang F***",
        "no_choice": "There is no choice 9: press 1–4.",
        "by_number": "Choose here with a number key",
        "contact_caller": "New repair: how should we contact the caller?",
        "caller_said": "What the caller said",
        "taken": "Taken by",
        "said_row": "What the owner said",
        "high": "Today",
        "high_evening": "As soon as possible",  # taken from 18:00: due the next noon
        "wechat": "WeChat",
        "severity": "major",
        "department": "Which department?",
        "who_eng": "Who in Engineering?",
        "fitter": "Mr Zhang",
        "other_fitter": "Mr Wang",
        "new_fitter": "Mr Zhao",
        "sent_eng": "Dispatched to Engineering, Mr Zhang",
        "again": "Reassigned to Engineering, Mr Wang (was Engineering, Mr Zhang)",
        "r1": "Received → Dispatched",
        "r2": "Dispatched → In progress",
        "required": "This needs an answer",
        "fixed": "replaced the drain joint upstairs",
        "long_tail": "; the owner mends the ceiling, each side pays half" * 8 + "; that is all",
        "end_mark": "thatisall",
        "r3": "In progress → Done — replaced the drain joint upstairs",
        "drop": "are not saved. Drop them?",
        "score": "5 very happy",
        "visit": "Call-back: satisfied, 5 of 5 — very happy",
        "r5": "Called back → Closed",
        "final": "This case is “Closed”: nothing more to do on it.",
        "ask_close": 'to "Closed"? After that it moves no further',
        "no_dispatch": "This case is Closed: it can no longer be dispatched",
        "closed_bar": " a  note ",
        "noise": "Noise",
        "noise_said": "Knocking upstairs every night after 11",
        "c_example": "e.g. loud music from the square downstairs",
        "c1": "Received → Registered",
        "who_sec": "Who in Security?",
        "guard": "Zhao Gang",
        "sent_sec": "Dispatched to Security, Zhao Gang",
        "c2": "Registered → Investigating",
        "c3": "Investigating → Being resolved",
        "reply": "Called the owner: the guard spoke to 903",
        "c4": "Being resolved → Replied — Called the owner",
        "why": "The owner is not satisfied (2 of 5)",
        "visit4": "Call-back: satisfied, 4 of 5 — quiet now",
        "score4": "4 quiet now",
        "c6": "Called back → Closed",
        "reported": "Reported by flat 3-2-502",
        "sides": "3-2-502 ↔ 3-2-602",
        "quarrel": "Noise between neighbours",
        "quarrel_said": "Furniture dragged upstairs every night after ten",
        "d1": "Received → Hearing both sides",
        "sent_cs": "Dispatched to Customer service",
        "who_cs": "Who in Customer service?",
        "statement": "A statement for this dispute",
        "speaker": "He Xiulan",
        "words": "Furniture dragged after ten every night",
        "bad_when": "is not a time",
        "said": "Statement saved.",
        "heard": "He X*** for side 1, 3-2-502, said: Furniture",
        "shown": "He X***",
        "late": " (recorded late, on ",
        "unheard": "Side 2: no statement yet",
        "agreed": "Both agree: no moving furniture after ten",
        "d3": "Hearing both sides → Settled — Both agree",
        "ask_agreed": "write down what both sides agreed",
        "side_a": "Call-back, side 1 (3-2-502)",
        "side_b": "Call-back, side 2 (3-2-602)",
        "visit_a": "Call-back, side 1: satisfied, 5 of 5",
        "visit_b": "Call-back, side 2: satisfied, 4 of 5",
        "d4": "Settled → Called back",
        "d5": "Called back → Closed",
        "trends_cmd": "Recurring problems",
        "trends_shown": "Recurring problems and handover",
        "handover": "What this shift did",
        "find": "Find a case",
        "by": "Liu Yang",
        "note": "(what was done, or why)",
        "visit_q": "Call-back: the owner's score",
        "c_describe": "New complaint: description",
        "c_photos": "New complaint: photos",
        "d_describe": "New neighbour dispute: description",
        "d_photos": "New neighbour dispute: photos",
        "by_category": "Cases by category",
        "leak_row": "Water leak",
    },
}
RAW_ID = re.compile(r"\b[a-z]+_?[a-z]*\.[a-z_]+(\.[a-z_]+)*\b")  # equipment.scrap, fire.x.y


def _ref(screen: str) -> str:
    return re.findall(r"#([0-9a-f]{6})", screen)[-1]


def _joined(screen: str) -> str:
    """The screen with blanks and table rules taken out: a note that wraps reads on."""
    return re.sub(r"[\s│┃]", "", screen)


#: The keys a person scrolls a case with, tried in turn until the line sought is in view.
SCROLL = ("End", "Home", "PageDown", "PageDown")


def _page_to(pane, needle: str, pages: int = 8) -> str:
    """PageDown through a long report until ``needle`` is on the screen. Each page is read
    once it has settled (two reads alike, 0.3 s apart: under load the app draws a page a
    while after the key, and the status line may change meanwhile)."""

    def settled() -> str:
        before, end = pane.text(), time.monotonic() + 10
        while time.monotonic() < end:
            time.sleep(0.3)
            now = pane.text()
            if now == before:
                return now
            before = now
        return before

    screen = settled()
    for _ in range(pages):
        if _joined(needle) in _joined(screen):
            return screen
        pane.keys("PageDown")
        screen = settled()
    return screen


def _in_history(pane, needle: str) -> str:
    """Wait until ``needle`` is on screen, read on across the rows it wraps to (``_joined``),
    scrolling the case as a person does when its history is longer than the terminal (the
    newest steps are under the fold) and waiting out a notice that covers it for a few
    seconds. The first look is short: a step just taken is most often drawn under the fold,
    and End (harmless on a case at its end) brings it in; after a scroll, the app is given
    two seconds to draw."""
    give_up = time.monotonic() + pane.patience
    for n in range(10_000):
        look_until = time.monotonic() + (0.6 if n == 0 else 2.0)
        while time.monotonic() < look_until:
            screen = pane.text()
            if _joined(needle) in _joined(screen):
                return screen
            time.sleep(0.05)
        if time.monotonic() > give_up:
            break
        pane.keys(SCROLL[n % len(SCROLL)])
    raise AssertionError(f"{needle!r} never appeared:\n{pane.text()}")


def _open_case_list(pane, filter_line: str) -> None:
    """c on home opens the case list: pressed again when a busy machine drew the home's
    title before its keys were bound (c in the list clears filters: a second c is harmless)."""
    for _ in range(3):
        pane.keys("c")
        try:
            pane.wait_for(filter_line, timeout=pane.patience / 2)
            return
        except AssertionError:
            continue
    pane.wait_for(filter_line)


def _evening() -> bool:
    """Whether the demo compound (UTC+8) is past 18:00 now: a case wanted today is then due
    by noon the next day."""
    from datetime import datetime, timedelta, timezone

    from fieldkit.checklists.lifecycle_rules import EVENING

    return datetime.now(timezone(timedelta(hours=8))).time() >= EVENING


def _names_line(screen: str) -> str:
    return next(line for line in screen.splitlines() if " 1  " in line and "█" in line)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_desk_takes_a_repair_a_complaint_and_a_dispute_to_closed(tmp_path, make_demo, lang):
    w = WORDS[lang]
    folder = tmp_path / "demo"
    make_demo(folder, cases=12, lang=lang)
    photo = tmp_path / "ceiling.jpg"
    photo.write_bytes(b"\xff\xd8\xff\xe0 a wet ceiling")
    pane = start(tmp_path, f"{sys.executable} -m fieldkit demo --folder {folder} --role desk", lang)
    try:
        pane.wait_for(w["desk"])
        screen = pane.wait_for(w["home_new"])  # the desk's keys, and its cases first
        assert w["home_cases"] in "\n".join(screen.splitlines()[:4]), screen

        # -- a repair by phone, with a photo, wanted today -----------------------------------
        pane.keys("n")
        pane.wait_for(w["kind"])
        pane.keys("1")
        pane.wait_for(w["which"])
        pane.typed("2-1-1502")
        screen = pane.wait_for(w["who_calls"])  # the tenant is calling, not the owner
        assert w["flat"] in screen  # what was chosen stays in view
        pane.typed(w["caller_short"])  # a number too short to ring: said, and kept
        pane.wait_for(w["caller_bad"])
        pane.keys("C-u")
        pane.typed(w["caller"])
        screen = pane.wait_for(w["caller_so_far"])  # masked, as the case will show it
        assert w["flat"] in screen and w["leak"] in screen
        pane.keys("1")
        pane.wait_for(w["describe"])
        pane.keys("Enter")  # nothing described yet: said, and the step stays
        pane.wait_for(w["no_text"])
        pane.tmux("send-keys", "-t", pane.name, "-l", w["leak_said"])
        pane.wait_for(w["counted"])  # the length against the limit, while typing
        pane.keys("Enter")
        pane.wait_for(w["photos"])
        pane.typed(str(photo))
        pane.wait_for(f"✓ {photo}")
        pane.keys("Enter")
        before = _evening()
        screen = pane.wait_for(w["urgency"])
        # how soon, and when that falls due: in the evening (either side of 18:00 while it
        # was drawn) the same-day choice is 尽快处理, by noon the next day
        assert any(w["tomorrow" if late else "today"] in screen for late in {before, _evening()})
        pane.keys("9")  # no such urgency
        pane.wait_for(w["no_choice"])
        pane.keys("x")  # a letter where a number is asked: said, not swallowed
        pane.wait_for(w["by_number"])
        pane.keys("2")  # today
        pane.wait_for(w["contact_caller"])  # the tenant called: how to reach them
        pane.keys("3")  # WeChat: saved, and the new case opens
        pane.wait_for(w["taken"])  # a row only the case detail has
        taken_late = {before, _evening()}  # the hour it was taken, either side of 18:00
        screen = pane.wait_for(w["caller_row"])  # the caller, above the owner, masked
        row = next(line for line in screen.splitlines() if w["caller_row"] in line)
        assert row.split()[0] == w["caller_label"], row
        for shown in (w["caller_said"], w["leak_said"], w["wechat"], w["by"]):
            assert shown in screen, shown
        # its urgency as taken: 当天处理, or 尽快处理 when taken in the evening
        urgencies = [w["high_evening" if late else "high"] for late in taken_late]
        assert any(urgency in screen for urgency in urgencies), urgencies
        assert "13900214567" not in screen
        repair = _ref(screen)
        pane.keys("c")  # ring the caller: the caller is offered first
        pane.wait_for(w["whose"])
        pane.keys("1")
        pane.wait_for(w["why_phone"])
        pane.keys("4")  # the call-back
        pane.wait_for("13900214567")  # in full, for this call
        pane.keys("1")  # dispatch: a department, then a person of it
        pane.wait_for(w["department"])
        pane.keys("1")
        pane.wait_for(w["who_eng"])
        pane.typed(w["fitter"])
        _in_history(pane, w["r1"])
        _in_history(pane, w["sent_eng"])  # once the intake's notices have gone from over it
        pane.keys("d", "1")  # reassigned, to a person typed
        pane.wait_for(w["who_eng"])
        pane.typed(w["other_fitter"])
        _in_history(pane, w["again"])  # a sentence naming both
        pane.keys("d", "1")  # someone new: added at the end
        pane.wait_for(w["who_eng"])
        first = _names_line(pane.text()).strip().strip("█").strip()
        pane.typed(w["new_fitter"])
        pane.wait_for(w["new_fitter"])
        pane.keys("d", "1")
        pane.wait_for(w["who_eng"])
        names = _names_line(pane.text())  # everyone keeps their number; the new name last
        assert first in names and names.index(first) < names.index(w["new_fitter"])
        pane.keys("Escape")
        pane.wait_gone(w["who_eng"])
        pane.keys("1")
        _in_history(pane, w["r2"])
        pane.keys("1")  # done: needs a note of what was done
        pane.wait_for(w["note"])
        pane.keys("Enter")
        pane.wait_for(w["required"])  # an empty note is refused where it is typed
        pane.tmux("send-keys", "-t", pane.name, "-l", w["fixed"] + w["long_tail"])
        time.sleep(0.3)
        pane.keys("Escape")  # Esc with text typed: asked first
        pane.wait_for(w["drop"])
        pane.keys("n")  # back to the text, as it was
        pane.keys("Enter")
        _in_history(pane, w["r3"])
        pane.keys("End")
        _in_history(pane, w["end_mark"])  # a long note is read whole
        pane.keys("1")  # the call-back, typed as a clerk types it: ring the caller
        pane.wait_for(w["visit_caller"])
        pane.typed(w["score"])
        _in_history(pane, w["visit"])
        pane.keys("1")  # closing cannot be undone: the desk is asked once more
        pane.wait_for(w["ask_close"])
        pane.keys("y")
        screen = pane.wait_for(w["final"])
        bar = screen.splitlines()[-1]  # a closed case: no move or dispatch keys
        assert w["closed_bar"] in bar and "1-9" not in bar and " d " not in bar
        _in_history(pane, w["r5"])  # the newest step, under the long note
        pane.keys("d")  # a closed case is not sent to anyone any more
        pane.wait_for(w["no_dispatch"])
        pane.keys("Escape")
        pane.wait_gone(w["final"])  # home again: Esc and n sent together read as alt+n

        # -- a noise complaint -----------------------------------------------------------------
        pane.keys("n")
        pane.wait_for(w["kind"])
        pane.keys("2")
        pane.wait_for(w["which"])
        pane.typed("1-1-803")
        pane.wait_for(w["who_calls"])
        pane.keys("Enter")  # the owner is calling
        pane.wait_for(w["noise"])
        pane.wait_for(w["by_owner"])  # nobody else called
        pane.keys("1")
        screen = pane.wait_for(w["c_describe"])
        assert w["c_example"] in screen  # a complaint's example, not a repair's
        pane.typed(w["noise_said"])
        pane.wait_for(w["c_photos"])
        pane.keys("Enter", "Enter", "Enter")  # no photo, routine, by phone
        screen = pane.wait_for(w["taken"])  # the new case, opened
        assert w["noise_said"] in screen and w["said_row"] in screen  # the owner called
        assert " s " not in screen.splitlines()[-1]  # a complaint takes no statements
        pane.keys("1")
        _in_history(pane, w["c1"])
        pane.keys("1")  # investigating: needs the department, asked for
        pane.wait_for(w["department"])
        pane.keys("2")
        pane.wait_for(w["who_sec"])
        pane.typed(w["guard"])
        _in_history(pane, w["c2"])
        _in_history(pane, w["sent_sec"])  # once the intake's notices have gone from over it
        pane.keys("1")
        _in_history(pane, w["c3"])
        pane.keys("1")
        pane.wait_for(w["note"])
        pane.typed(w["reply"])
        _in_history(pane, w["c4"])
        pane.keys("1")
        pane.wait_for(w["visit_q"])
        pane.typed("2")  # dissatisfied without a reason: the dialog asks for it
        pane.wait_for(w["why"])
        pane.keys("C-u")
        pane.typed(w["score4"])
        _in_history(pane, w["visit4"])
        pane.keys("1")
        pane.wait_for(w["ask_close"])
        pane.keys("y")
        _in_history(pane, w["c6"])
        pane.keys("Escape")

        # -- a neighbour dispute between two flats ---------------------------------------------
        pane.keys("n")
        pane.wait_for(w["kind"])
        pane.keys("3")
        pane.wait_for(w["which"])
        pane.typed("3-2-502")
        pane.wait_for(w["other"])
        assert w["reported"] in pane.wait_for(w["other"])
        pane.typed("3-2-602")
        pane.wait_for(w["who_calls"])
        pane.keys("Enter")
        pane.wait_for(w["quarrel"])
        pane.keys("1")
        pane.wait_for(w["d_describe"])
        pane.typed(w["quarrel_said"])
        pane.wait_for(w["d_photos"])
        pane.keys("Enter", "Enter", "Enter")
        screen = pane.wait_for(w["taken"])
        assert w["quarrel_said"] in screen
        assert w["sides"] in screen
        pane.keys("1")
        pane.wait_for(w["department"])
        pane.keys("5")  # customer service
        pane.wait_for(w["who_cs"])
        pane.keys("Enter")  # to the department, no one named
        _in_history(pane, w["d1"])
        _in_history(pane, w["sent_cs"])  # once the intake's notices have gone from over it
        pane.keys("s")
        pane.wait_for(w["statement"])
        pane.keys("1", "1")  # side 1, the owner
        pane.typed(w["speaker"])
        pane.typed(w["words"])
        pane.typed("2026-13-01 09:30")  # no such month: said, everything kept
        screen = pane.wait_for(w["bad_when"])
        assert w["speaker"] in screen and w["words"] in screen
        evening = time.localtime(time.time() - 20 * 3600)  # given last evening, typed now
        pane.keys("C-u")
        pane.typed(time.strftime("%Y-%m-%d %H:%M", evening))
        pane.wait_for(w["said"])
        screen = pane.wait_for(w["heard"])  # the name masked, as the contact rows (n shows it)
        assert _joined(w["late"]) in _joined(screen)  # typed after the time it names
        dispute = screen.split(w["unheard"])[0]
        assert w["shown"] in dispute  # the side heard first, the one not yet after it
        pane.keys("2")  # settled: what was agreed
        pane.wait_for(w["ask_agreed"])
        pane.typed(w["agreed"])
        _in_history(pane, w["d3"])
        pane.keys("1")  # the call-back: each side in turn
        pane.wait_for(w["side_a"])
        pane.typed("5")
        pane.wait_for(w["side_b"])
        pane.typed("4")
        _in_history(pane, w["d4"])
        _in_history(pane, w["visit_a"])
        _in_history(pane, w["visit_b"])
        pane.keys("1")
        pane.wait_for(w["ask_close"])
        pane.keys("y")
        _in_history(pane, w["d5"])
        pane.keys("Escape")

        # -- the shift's handover: every step, the late statement at the time it names ---------
        palette(pane, w["trends_cmd"], w["trends_shown"])
        pane.wait_for(w["by_category"])
        pane.keys("h")
        pane.wait_for(w["handover"])
        screen = _page_to(pane, w["late"])
        joined = _joined(screen)
        assert time.strftime("%m-%d %H:%M", evening).replace(" ", "") in joined
        assert _joined(w["late"]) in joined and _joined(w["words"]) in joined
        pane.keys("Home")
        screen = _page_to(pane, w["again"])
        assert _joined(w["again"]) in _joined(screen)  # the reassignment, a sentence
        pane.keys("Escape")
        pane.wait_gone(w["handover"])

        # -- the office supervisor finds the repair by its number, then reads the trends --------
        pane.keys("F12")
        pane.wait_for(w["picker"])
        pane.keys("5")
        pane.wait_for(w["office"])
        _open_case_list(pane, LIST_WORDS[lang]["unfinished"])
        pane.keys("/")
        pane.wait_for(w["find"])
        pane.typed(repair)
        pane.wait_for(repair)
        pane.keys("Enter")
        _in_history(pane, w["visit"])  # synced with its whole history
        for line in (w["sent_eng"], w["r1"], w["r3"], w["r5"], w["leak_said"]):
            _in_history(pane, line)
        pane.keys("Escape", "Escape")
        palette(pane, w["trends_cmd"], w["trends_shown"])
        screen = pane.wait_for(w["by_category"])
        screen = pane.wait_for(w["leak_row"])
        assert not RAW_ID.search(screen), RAW_ID.search(screen)  # every category in words
        pane.keys("C-q")
        pane.wait_for(w["stopped"])
    finally:
        pane.tmux("kill-server")
    office = Workspace.open(folder / "office")  # every case reached the office, closed
    try:
        said = (w["leak_said"], w["noise_said"], w["quarrel_said"])
        mine = [c for _, c in office.store.iter_records(["case"]) if c["description"] in said]
    finally:
        office.close()
    assert sorted((c["kind"], c["status"]) for c in mine) == [
        ("complaint", "closed"), ("dispute", "closed"), ("repair", "closed")]  # fmt: skip
