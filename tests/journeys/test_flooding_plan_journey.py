"""A burst pipe runs its plan, in a real terminal on the demo, in zh and en: the emergency
coordinator opens incident type 2 (burst pipe / flooding) over the whole compound, reads the
type and the level in the incident's own words (较大, not a case's 严重), sees the burst-pipe
plan beside the timeline, runs its first step (F5, p) and comes back to it counted — the
plan found through the one table of incident types (``flooding`` runs the checklist with
``applies_to: incident:flooding``), not a mapping of names."""

from __future__ import annotations

import shutil

import pytest

from tests.journeys.demo_pane import demo_pane

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")

WORDS = {
    "zh": {"title": "fieldkit 演示 — 应急岗 · 王敏", "cases": "未完结工单",
           "pick": "2  爆管 / 水浸", "where": "爆管 / 水浸：在哪里？",
           "severity": "全小区的爆管 / 水浸：严重程度？", "default": "回车：较大",
           "head": "爆管 / 水浸 · 全小区", "state": "等级：较大   处置中",
           "plan": "（完成 0 项，",
           "runner": "爆管与水浸处置 — ", "step": "工程人员已到场确认漏点",
           "done": "（完成 1 项，", "started": "[预案] 已启动处置预案。"},
    "en": {"title": "fieldkit demo — Emergency coordinator · Wang Min",
           "cases": "press c for every case",
           "pick": "2  Burst pipe / flooding", "where": "Burst pipe / flooding: where?",
           "severity": "Burst pipe / flooding at the whole compound: how serious?",
           "default": "Enter: major",
           "head": "Burst pipe / flooding · the whole compound",
           "state": "Severity: Major   Active",
           "plan": "(0 done, ",
           "runner": "Burst pipe and flooding — ", "step": "Engineer on site and leak found",
           "done": "(1 done, ", "started": "[Plan]"},
}  # fmt: skip


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_burst_pipe_runs_the_burst_pipe_plan(tmp_path, make_demo, lang):
    words = WORDS[lang]
    folder = tmp_path / "demo"
    make_demo(folder, cases=5, lang=lang)
    with demo_pane(tmp_path, folder, lang, "3") as pane:
        pane.wait_for(words["title"])
        pane.wait_for(words["cases"])  # the home is up
        pane.keys("F2")
        pane.wait_for(words["pick"])
        pane.keys("2")
        pane.wait_for(words["where"])
        pane.keys("Enter")  # nothing typed: the whole compound
        pane.wait_for(words["severity"])
        pane.wait_for(words["default"])  # the question's body is drawn after its title
        pane.keys("Enter")
        screen = pane.wait_for(words["plan"])
        assert words["head"] in screen and words["state"] in screen and words["step"] in screen
        pane.keys("F5")
        screen = pane.wait_for(words["runner"])
        assert words["step"] in screen
        pane.keys("p")
        pane.keys("Escape")
        screen = pane.wait_for(words["done"])
        assert words["started"] in screen and words["head"] in screen and words["state"] in screen
