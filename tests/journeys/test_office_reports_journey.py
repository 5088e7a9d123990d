"""The office supervisor (陈静) on the demo, in a real terminal, in zh and en: the demo says
how many cases it made and the trends screen counts the same; ``p`` saves the trends and
then the weekly report as PDFs the manager can be handed (the toast says where; the files
read as those reports); the handover opens from it; the reveal log shows the last 7 days
and Enter opens the flat a reveal names; and the closing message points at another role's
device to sync (not the one just used)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import uuid

import pytest

from fieldkit.i18n import t
from tests.journeys.demo_pane import palette
from tests.reports.pdfcheck import text as pdf_text
from tests.terminal import Pane

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")

WORDS = {
    "zh": {"lang": "zh_CN.UTF-8", "made": r"(\d+)\s*张工单", "title": "办公室主管 · 陈静",
           "palette": "趋势", "command": "高发问题趋势统计与交接班",
           "counted": "按类别统计工单：共", "trends": r"共 (\d+) 单",
           "handover": "本班已办",
           "saved": "已存为 PDF", "week": "物业服务周报", "trends_pdf": "高发问题统计（按类别）",
           "week7": "个人信息查看记录（最近 7 天）", "flat": "住户",
           "stopped": "演示办公室服务器已停止", "sync": "例如客服岗（刘洋）的设备"},
    "en": {"lang": "en_US.UTF-8", "made": r"(\d+)\s+cases\s+\(",
           "title": "Office supervisor · Chen Jing",
           "palette": "Recurring", "command": "Recurring problems and handover",
           "counted": "Cases by category:",
           "trends": r"(\d+) in all", "handover": "What this shift did",
           "saved": "Saved as a PDF", "week": "Weekly property services report",
           "trends_pdf": "Recurring problems, by category",
           "week7": "Personal data access log (the last 7 days)", "flat": "Residents",
           "stopped": "the demo office server has stopped",
           "sync": "e.g. the service desk device (Liu Yang)"},
}  # fmt: skip


def wait_until(done, what: str, patience: float = 90.0) -> None:
    import time

    give_up = time.monotonic() + patience
    while not done():
        assert time.monotonic() < give_up, what
        time.sleep(0.1)


def flowing(words: str) -> str:
    """A pattern for ``words`` as the demo prints them wrapped to the terminal's width: a
    line may break between two words, or inside a Chinese phrase."""
    return r"\s+".join(r"\s*".join(map(re.escape, word)) for word in words.split())


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_office_supervisors_counts_agree(tmp_path, lang):
    words = WORDS[lang]
    folder = tmp_path / "demo"
    socket, name = f"off22-{uuid.uuid4().hex[:8]}", "demo"
    env = {"FIELDKIT_DATA_DIR": str(tmp_path / "data"),
           "FIELDKIT_CONFIG": str(tmp_path / "no.toml"),
           "LANG": words["lang"], "TERM": "xterm-256color"}  # fmt: skip
    command = " ".join(f"{k}={v}" for k, v in env.items())
    command += (f" {sys.executable} -m fieldkit demo --folder {folder} --role office --fresh"
                " --cases 12; sleep 30")  # fmt: skip
    subprocess.run(
        ["tmux", "-L", socket, "new-session", "-d", "-s", name, "-x", "120", "-y", "40", command],
        check=True, env={**os.environ, **env},
    )  # fmt: skip
    pane = Pane(name, socket, history=True, patience=90.0)
    try:
        pane.wait_for(words["title"])
        palette(pane, words["palette"], words["command"])
        screen = pane.wait_for(words["counted"])
        counted = int(re.search(words["trends"], screen).group(1))
        reports = folder / "office" / "reports"
        pane.keys("p")  # the trends, printed
        pane.wait_match(flowing(words["saved"]))
        pane.keys("w")
        pane.wait_for(words["week"])
        pane.keys("p")  # last week's report, printed
        wait_until(lambda: len(list(reports.glob("*.pdf"))) == 2, "two PDFs written")
        (trends,) = reports.glob("trends-category-*.pdf")
        (week,) = reports.glob("week-*.pdf")
        assert words["trends_pdf"] in " ".join(pdf_text(trends).split())
        assert words["week"] in " ".join(pdf_text(week).split())
        pane.keys("h")
        pane.wait_for(words["handover"])
        pane.keys("Escape")
        pane.wait_for(words["title"])
        pane.keys("C-e")  # who saw residents' details: the last 7 days
        # each key once its screen is up: under load "3" reached the period dialog before it
        # was drawn, and went nowhere (CI)
        head = t("reveals.list.title", lang, period="PERIOD", count=0)  # the log's own title
        pane.wait_match(
            re.escape(head.split("PERIOD")[0]) + r".+?" + re.escape(head.split("0")[-1])
        )
        pane.keys("d")
        pane.wait_for(t("reveals.list.pick_period", lang))
        pane.keys("3")
        pane.wait_for(words["week7"])
        pane.keys("Enter")  # the flat the newest reveal names
        pane.wait_for(words["flat"])
        pane.keys("Escape")
        pane.wait_for(words["week7"])
        pane.keys("Escape")
        pane.keys("C-q")
        pane.wait_for(words["stopped"])
        pane.wait_match(flowing(words["sync"]))  # what the demo printed, before and after
        screen = pane.text()
        assert int(re.search(words["made"], screen).group(1)) == counted, screen
        assert f"FIELDKIT_DATA_DIR={folder / 'desk'}" in screen
    finally:
        pane.tmux("kill-server")


@pytest.mark.parametrize(("lang", "said"), [("zh", "只列这个小区的查看记录"),
                                             ("en", "only this site's reveals")])  # fmt: skip
def test_the_server_reveals_help_says_what_site_keeps(lang, said):
    """`fieldkit-server reveals --site` keeps one site's reveals (it lists no cases)."""
    out = subprocess.run(
        [sys.executable, "-c", "from fieldkit_server.cli import main; main()", "--lang", lang,
         "reveals", "--help"], capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert out.returncode == 0, out.stderr
    text = " ".join(out.stdout.split())
    assert said in text and "工单" not in text and "cases" not in text


WEEK = {
    "zh": {"lang": "zh_CN.UTF-8", "rounds": "消防设施巡查", "duty": "消防控制室值班",
           "kit": "30 天内到期的设备", "log": "消防控制室值班记录", "shift": "消防控制室每班检查",
           "floor": "灭火器月检（按楼层）", "col": "值守项目"},
    "en": {"lang": "en_US.UTF-8", "rounds": "Fire equipment rounds",
           "duty": "Fire control room duty", "kit": "Equipment falling due in 30 days",
           "log": "Fire control room duty log", "shift": "Fire control room — every shift",
           "floor": "Monthly extinguisher round", "col": "Duty check"},
}  # fmt: skip


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_weekly_report_keeps_the_control_room_duty_apart(tmp_path, make_demo, lang):
    """`fieldkit report week` on the office's device, as the supervisor types it: the fire
    equipment rounds, then the control room's duty log and shift check under their own
    heading — not among the equipment rounds — then the equipment falling due."""

    words = WEEK[lang]
    folder = tmp_path / "demo"
    make_demo(folder, cases=12, lang=lang, floors=2)
    socket, name = f"ren24-{uuid.uuid4().hex[:8]}", "week"
    env = {"FIELDKIT_DATA_DIR": str(folder / "office"), "FIELDKIT_CONFIG": str(tmp_path / "no"),
           "LANG": words["lang"], "TERM": "xterm-256color"}  # fmt: skip
    command = " ".join(f"{k}={v}" for k, v in env.items())
    command += f" {sys.executable} -m fieldkit report week; echo DONE-WEEK; sleep 30"
    subprocess.run(
        ["tmux", "-L", socket, "new-session", "-d", "-s", name, "-x", "120", "-y", "40", command],
        check=True, env={**os.environ, **env},
    )  # fmt: skip
    pane = Pane(name, socket, history=True, patience=90.0)
    try:
        screen = pane.wait_for("DONE-WEEK")
        rounds, duty = screen.index(words["rounds"]), screen.index(words["duty"] + "\n")
        kit = screen.index(words["kit"])
        assert rounds < duty < kit, screen
        equipment, watch = screen[rounds:duty], screen[duty:kit]
        assert words["floor"] in equipment and words["floor"] not in watch
        for line in (words["log"], words["shift"]):
            assert line not in equipment and line in watch, screen
        assert words["col"] in watch
    finally:
        pane.tmux("kill-server")
