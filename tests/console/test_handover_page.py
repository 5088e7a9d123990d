"""The shift handover in the console, in a real headless Chromium against a real
``fieldkit-server serve``, from what a real desk device raised, moved and synced.

The desk takes two repairs this shift: one it sees through to closed, one taken three days
late whose due time has passed. After ``fieldkit sync`` the supervisor opens Reports →
Shift handover and reads the closing in "done this shift" and the other case, overdue, in
"overdue and due next" — the same sections, rows and words as the device's own
``fieldkit report handover``; then the page in English, and the Markdown download.
"""

from __future__ import annotations

import urllib.request
from datetime import timedelta

from selenium.webdriver.common.by import By

from fieldkit.model import Target, localtime
from fieldkit.services import handover, intake
from fieldkit.services import lifecycle as lc
from fieldkit.store import Store
from tests.console.conftest import PASSWORD, device_cli, enrol_device
from tests.console.pages import sign_in, wait_element, wait_for

SITE = "garden-court"


def _take(store, where: str, said: str, **kw):
    request = intake.Request(
        kind="repair", target=Target("unit", f"unit-{where}"), category="water_leak",
        description=said, urgency="high", contact="phone", building=where.split("-")[0],
        where=where,
    )  # fmt: skip
    return intake.take(store, request, by="刘洋", **kw)


def _desk_shift(folder) -> tuple[str, str]:
    """The desk's shift on its own store: (the closed case's id, the overdue one's)."""
    with Store.open(folder, command="test") as store:
        fixed = _take(store, "3-2-1502", "卫生间顶棚滴水")
        intake.dispatch(store, fixed.id, "engineering", "desk", assignee="张师傅", by="刘洋")
        lc.move(store, fixed.id, "in_progress", "desk", by="刘洋")
        lc.move(store, fixed.id, "done", "desk", note="换了水管接头", by="刘洋")
        lc.follow_up(store, fixed.id, lc.FollowUp(5, "满意"), "desk", by="刘洋")
        lc.move(store, fixed.id, "closed", "desk", by="刘洋")
        late = _take(store, "5-1-802", "阳台漏水", now=localtime.now() - timedelta(days=3))
        return fixed.id, late.id


def _section(driver, head: str) -> str:
    """The text of the page's section whose heading starts with ``head``."""
    for part in driver.find_elements(By.CSS_SELECTOR, "#handover .report-section"):
        if part.find_element(By.TAG_NAME, "h3").text.startswith(head):
            return part.text
    raise AssertionError(f"no section {head!r}")


def test_the_supervisor_reads_the_shifts_closed_case_and_the_overdue_one(
    console_server, browser, tmp_path
):
    desk = tmp_path / "desk"
    enrol_device(console_server, desk, SITE, "desk", "客服台电脑")
    fixed, late = _desk_shift(desk)
    done = device_cli(desk, "sync")
    assert done.returncode == 0, done.stdout + done.stderr

    b = browser("zh").driver
    sign_in(b, console_server.url, "王敏", PASSWORD, path="/console/reports")
    wait_element(b, "#tab-handover").click()  # the reports page, once signed in
    wait_for(b, "交接班记录", "#handover")
    wait_for(b, "交班人\n王敏", "#handover")  # the person reading it hands over
    done_rows = _section(b, "本班已办")
    assert "已回访 → 已结案" in done_rows and fixed[-6:] in done_rows
    assert "派给工程部 张师傅" in done_rows
    due_rows = _section(b, "已超期及即将到期（1）")
    assert late[-6:] in due_rows and "阳台漏水" in due_rows and "（已超期）" in due_rows
    assert fixed[-6:] not in due_rows  # closed: nothing left to hand over
    assert "正在处置的突发事件（0）" in b.find_element(By.ID, "handover").text

    # the device's own report of the same shift has the same rows
    with Store.open(desk, command="test", readonly=True) as store:
        device = handover.handover(store, lang="zh")
    assert device.done and all(d.text in done_rows for d in device.done)
    assert [d.ref for d in device.due] == [late[-6:]]

    b.find_element(By.LINK_TEXT, "English").click()
    wait_for(b, "Handed over by\n王敏", "#handover")
    assert "Overdue and due next (1)" in b.find_element(By.ID, "handover").text
    link = b.find_element(By.ID, "handover-md").get_attribute("href")
    cookies = "; ".join(f"{c['name']}={c['value']}" for c in b.get_cookies())  # as the browser
    request = urllib.request.Request(link, headers={"Cookie": cookies})
    with urllib.request.urlopen(request, timeout=60) as answer:
        text = answer.read().decode("utf-8")
    assert "# Shift handover" in text and late[-6:] in text and "(overdue)" in text
