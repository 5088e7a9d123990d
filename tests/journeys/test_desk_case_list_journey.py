"""The service desk's case list on a demo of 120 cases, in a real terminal (tmux), in zh and
en, as a newcomer clerk walked it: the findings nobody has picked up under their own state, one
kind of case at a time, a repair's phone key that never reads as the follow-up, a search that
finds a leak however it was said (finished cases no longer counting down), and filters that
hide every case named and cleared at once. (Apart from the desk's day in
test_desk_journey.py, so the two run side by side.)"""

from __future__ import annotations

import re
import shutil
import sys
import time

import pytest

from tests.journeys.session import start

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")


#: What the desk reads walking its case list (a newcomer's trips, fixed): the findings' own
#: 待处理 / Open under a number key, a kind per row and `k`, a search that finds a leak
#: however it was said, finished cases that no longer count down, `c` reading as showing a
#: phone number (never 回电 / "call back", read as the follow-up visit).
LIST_WORDS = {
    "zh": {
        "home": "fieldkit 演示 — 客服岗 · 刘洋", "unfinished": "状态：未完结",
        "kind_col": "类型", "any_kind": "类型：全部",
        "open_state": "待处理 / 待整改 /",  # the line wraps after
        "only_open": "状态：待处理 / 待整改", "finding": "巡查", "open": "待处理",
        "pick_status": "按状态筛选工单", "pick_kind": "按类型筛选工单",
        "only_repairs": "类型：报修", "repair": "报修",
        "show_phone": " c  显示电话", "call_back": "回电", "help_phone": "显示业主电话",
        "find": "查找工单", "leak": "漏水", "searching": "查找：漏水",
        "said_otherwise": "楼上渗水到客厅墙面", "page2": "第 51–", "closed": "已结案",
        "done": "已办完", "overdue": "超期",
        "widened": "状态：全部（查找时不限状态）",
        "hidden": "没有符合筛选条件的工单（类型：装修违规；查找：漏水）。按 c 清除全部筛选。",
        "clear_bar": " c  清除筛选 ", "cleared": "已清除全部筛选",
    },
    "en": {
        "home": "fieldkit demo — Service desk · Liu Yang", "unfinished": "Status: unfinished",
        "kind_col": "Kind", "any_kind": "Kind: any",
        "open_state": "Open / To visit (patrol finding",  # the line wraps after
        "only_open": "Status: Open / To visit (patrol finding", "finding": "Finding",
        "open": "Open",
        "pick_status": "Show cases with which status?", "pick_kind": "Show which kind of case?",
        "only_repairs": "Kind: Repair", "repair": "Repair",
        "show_phone": " c  show phone", "call_back": "call back",
        "help_phone": "show the owner's phone number",
        "find": "Find a case", "leak": "leak", "searching": "Search: leak",
        "said_otherwise": "Water from", "page2": "51–", "closed": "Closed",
        "done": "done", "overdue": "overdue",
        "widened": "Status: any (a search looks at every status)",
        "hidden": "No case matches these filters (Kind: Renovation violation; Search: leak). "
                  "Press c to clear them all.",
        "clear_bar": " c  clear filters ", "cleared": "Filters cleared",
    },
}  # fmt: skip
ROW = re.compile(r"^ [0-9a-f]{6}  ")


def _rows(screen: str) -> list[str]:
    return [line for line in screen.splitlines() if ROW.match(line)]


def _rows_once_drawn(pane, needle: str, ok) -> list[str]:
    """The rows under the filter line ``needle`` once every one passes ``ok``: under load
    tmux can catch the new filter line above rows the app has not redrawn yet."""
    give_up = time.monotonic() + pane.patience
    rows = _rows(pane.wait_for(needle))
    while not (rows and all(ok(r) for r in rows)) and time.monotonic() < give_up:
        time.sleep(0.2)
        rows = _rows(pane.wait_for(needle))
    return rows


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_desk_reads_its_case_list(tmp_path, make_demo, lang):
    w = LIST_WORDS[lang]
    folder = tmp_path / "demo"
    make_demo(folder, cases=120, lang=lang)
    pane = start(tmp_path, f"{sys.executable} -m fieldkit demo --folder {folder} --role desk", lang)
    try:
        pane.wait_for(w["home"])
        pane.keys("c")
        screen = pane.wait_for(w["unfinished"])
        assert w["any_kind"] in screen and f" {w['kind_col']} " in screen

        # -- the findings nobody has picked up: their own state, under key 3 ------------------
        pane.keys("o")
        screen = pane.wait_for(w["open_state"])
        assert f"3  {w['open_state']}" in screen
        pane.keys("3")
        rows = _rows_once_drawn(
            pane, w["only_open"], lambda r: w["finding"] in r and f" {w['open']} " in r
        )
        assert rows and all(w["finding"] in r and f" {w['open']} " in r for r in rows), rows

        # -- one kind of case: the repairs --------------------------------------------------
        pane.keys("o")
        pane.wait_for(w["pick_status"])
        pane.keys("1")  # every unfinished case again
        pane.wait_gone(w["only_open"])
        pane.keys("k")
        pane.wait_for(w["pick_kind"])
        pane.keys("2")
        rows = _rows_once_drawn(pane, w["only_repairs"], lambda r: f" {w['repair']} " in r)
        assert rows and all(f" {w['repair']} " in r for r in rows), rows

        # -- in a repair, c shows the owner's phone: it never reads as the follow-up ---------
        pane.keys("Enter")
        screen = pane.wait_for(w["show_phone"])
        assert w["call_back"] not in screen
        pane.keys("?")
        screen = pane.wait_for(w["help_phone"])
        assert w["call_back"] not in screen
        pane.keys("Escape")
        pane.wait_gone(w["help_phone"])
        pane.keys("Escape")
        pane.wait_for(w["only_repairs"])
        pane.keys("k")
        pane.wait_for(w["pick_kind"])
        pane.keys("1")  # any kind
        pane.wait_gone(w["only_repairs"])

        # -- a leak, however it was said; finished cases no longer count down ---------------
        pane.keys("/")
        pane.wait_for(w["find"])
        pane.typed(w["leak"])
        screen = pane.wait_for(w["searching"])
        assert w["said_otherwise"] in screen  # its title never says 漏水 / leak
        assert w["widened"] in screen  # the search looks at closed cases too, and says so
        pane.keys("]")
        screen = pane.wait_for(w["page2"])
        finished = [r for r in _rows(screen) if f" {w['closed']} " in r]
        assert finished, screen
        assert all(w["done"] in r and w["overdue"] not in r for r in finished), finished

        # -- filters that hide every case are named, and c clears them all at once ----------
        pane.keys("k")
        pane.wait_for(w["pick_kind"])
        pane.keys("7")  # renovation violations (after the visits): none is about a leak
        screen = pane.wait_for(w["hidden"])
        assert w["clear_bar"] in screen.splitlines()[-1]
        pane.keys("c")
        screen = pane.wait_for(w["cleared"])
        assert w["unfinished"] in screen and w["any_kind"] in screen
        assert w["searching"] not in screen and _rows(screen)
    finally:
        pane.tmux("kill-server")
