"""A power cut in building 2, in a real terminal on the demo, in zh and en, as nc34 walked
it: the coordinator logs it (F2 3, 2号楼), says in the plan that it is the grid's fault,
calls the power company (F4 6) and the site manager (F4 a) — each call ticks its plan step,
not to be answered again at the close —, reads a first notice that gives the cause and
warns the high floors of the water, stands down when the power is back and reads the
notice after it: the power back since when, the cause, what to do if a flat is still dark
— not the flood's all-clear with its damaged common areas. The residents are listed highest
floor first (the lifts are down)."""

from __future__ import annotations

import re
import shutil

import pytest

from tests.journeys.demo_pane import demo_pane

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")

WORDS = {
    "zh": {"title": "应急岗 · 王敏", "cases": "未完结工单", "pick": "3  停电",
           "where": "停电：在哪里？", "place": "2号楼", "read": "地点：2号楼（回车选这个）",
           "severity": "2号楼的停电：严重程度？", "default": "回车：较大",
           "plan": "处置预案：停电应急处置", "runner": "停电范围", "scope": "→ 一栋或几栋楼",
           "answered": "已答 2/",
           "cause": "外部电网故障", "whom": "联系了哪个单位或哪位负责人？",
           "who_power": "已联系供电公司：接听人是谁", "power": "95598 工号3021",
           "who_manager": "已联系项目经理：接听人是谁",
           "manager_key": "a) 项目经理", "manager": "王经理",
           "power_step": "✔ 已联系供电公司（95598）问清原因和时间",
           "manager_step": "✔ 已报告项目经理", "logged": "已联系项目经理，接听人：王经理。",
           "notice": "关于2号楼停电的通知",
           "first": ("经了解，停电原因是外部电网故障", "高层住户家中可能同时停水"),
           "saved": "通知已保存到", "stage": "事件进展到哪一步了？",
           "why": "解除应急的说明", "back_note": "供电已恢复",
           "after": "关于2号楼恢复供电的通知",
           "after_words": ("恢复供电。经了解，停电原因是外部电网故障。", "户内配电箱的空气开关"),
           "not_after": ("险情", "受损的公共设施"), "flat": re.compile(r"☐ 2-(\d)-(\d+?)\d\d ")},
    "en": {"title": "Emergency coordinator · Wang Min", "cases": "press c for every case",
           "pick": "3  Power cut", "where": "Power cut: where?", "place": "2号楼",
           "read": "Place: Building 2 (Enter picks this)",
           "severity": "Power cut at Building 2: how serious?", "default": "Enter: major",
           "plan": "Plan: Power cut", "runner": "How far it reaches",
           "scope": "→ One or more buildings", "answered": "2/",
           "cause": "Grid fault outside", "whom": "Whom did you call?",
           "who_power": "Called the power company: who answered", "power": "95598 no. 3021",
           "who_manager": "Called the site manager: who answered",
           "manager_key": "a) Site manager", "manager": "Mr Wang",
           "power_step": "✔ Power company (95598) asked",
           "manager_step": "✔ Site manager told", "logged": "Mr Wang",
           "notice": "Power cut in Building 2",
           "first": ("The cause is a fault on the power company's network",
                     "Upper floors may lose water too"),
           "saved": "Notice saved to", "stage": "Where does the incident stand?",
           "why": "A note for standing down", "back_note": "Power back",
           "after": "Power back in Building 2",
           "after_words": ("The cause was a fault on the power company's network.",
                           "circuit breakers"),
           "not_after": ("damaged common areas", "stood down"),
           "flat": re.compile(r"☐ 2-(\d)-(\d+?)\d\d ")},
}  # fmt: skip


def joined(screen: str) -> str:
    """The screen's lines as one text, each line's frame and padding taken off (a notice in
    its editor wraps at the box's edge)."""
    return "".join(line.strip(" ▊▎") for line in screen.splitlines())


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_power_cut_from_the_call_to_power_back(tmp_path, make_demo, lang):
    words = WORDS[lang]
    folder = tmp_path / "demo"
    make_demo(folder, cases=5, lang=lang)
    with demo_pane(tmp_path, folder, lang, "3") as pane:
        pane.wait_for(words["title"])
        pane.wait_for(words["cases"])
        pane.keys("F2")
        pane.wait_for(words["pick"])
        pane.keys("3")
        pane.wait_for(words["where"])
        pane.tmux("send-keys", "-t", pane.name, "-l", words["place"])
        pane.wait_for(words["read"])  # read back before it is taken
        pane.keys("Enter")
        pane.wait_for(words["severity"])
        pane.wait_for(words["default"])
        pane.keys("Enter")
        screen = pane.wait_for(words["plan"])
        listed = [(int(m.group(1)), int(m.group(2))) for m in words["flat"].finditer(screen)]
        stairs = [entrance for entrance, _ in listed]  # one stairwell at a time, from the top
        assert len(listed) > 1 and stairs == sorted(stairs), listed
        for stair in set(stairs):
            floors = [floor for entrance, floor in listed if entrance == stair]
            assert floors == sorted(floors, reverse=True), listed

        pane.keys("F5")  # the plan: its scope taken from the place, the cause asked first
        screen = pane.wait_for(words["cause"])
        assert words["runner"] in screen and words["scope"] in screen
        pane.keys("2")  # the grid's fault
        pane.wait_for(words["answered"])
        pane.keys("Escape")
        pane.wait_for(words["plan"])

        pane.keys("F4")
        pane.wait_for(words["whom"])
        pane.keys("6")  # the power company
        pane.wait_for(words["who_power"])
        pane.typed(words["power"])  # and Enter
        pane.wait_for(words["power_step"])  # ticked by the call
        pane.keys("F4")
        pane.wait_for(words["manager_key"])  # our own manager, under a
        pane.keys("a")
        pane.wait_for(words["who_manager"])
        pane.typed(words["manager"])  # and Enter
        pane.wait_for(words["logged"])
        pane.wait_for(words["manager_step"])

        pane.keys("F7")
        screen = pane.wait_for(words["notice"])
        text = joined(pane.wait_for(words["first"][0][:8]))
        for said in words["first"]:
            assert said.replace(" ", "") in text.replace(" ", ""), (said, screen)
        pane.keys("C-s")
        pane.wait_for(words["saved"])

        pane.keys("F10")
        pane.wait_for(words["stage"])
        pane.keys("2")  # stood down: the power is back
        pane.wait_for(words["why"])
        pane.typed(words["back_note"])  # and Enter
        pane.wait_for(words["back_note"])
        pane.keys("F7")
        screen = pane.wait_for(words["after"])
        text = joined(pane.wait_for(words["after_words"][1]))
        for said in words["after_words"]:
            assert said.replace(" ", "") in text.replace(" ", ""), (said, screen)
        for said in words["not_after"]:
            assert said not in text, (said, screen)
        pane.keys("Escape")
        pane.wait_for(words["plan"])
