"""The office console in a real headless Chromium, against a real ``fieldkit-server serve``
and real device data folders synced with ``fieldkit sync``: what the 客服主管 reads and does.

Journeys: sign in and out (zh by default for a zh browser, switched to English); a wrong
password, then the lock-out; a case raised on a device appears on the dashboard without a
reload; a case dispatched in the console reaches the device by sync, once; a broken
checklist is refused with its errors under its lines; a device is enrolled from the page.
"""

from __future__ import annotations

import subprocess

import pytest
from selenium.webdriver.common.by import By

from fieldkit.model import Target
from fieldkit.store import Store
from tests.console.conftest import PASSWORD, device_cli, enrol_device
from tests.console.pages import go, select, sign_in, wait_element, wait_for

SITE = "garden-court"


def _raise_case(folder, department: str = "", photo=None) -> str:
    """A leak reported at the desk of a device, as the desk's intake saves it (a repair,
    accepted, due by its urgency), optionally already sent to a department."""
    from fieldkit.services import intake

    with Store.open(folder, command="test") as store:
        request = intake.Request(
            kind="repair", target=Target("unit", "unit-3-2-1502"), category="water_leak",
            description="3号楼2单元1502 卫生间顶棚滴水", urgency="high", contact="phone",
            photos=(photo,) if photo else (), building="3", where="3-2-1502",
        )  # fmt: skip
        case = intake.take(store, request, by="刘洋")
        if department:
            intake.dispatch(store, case.id, department, "desk", by="刘洋")
    return case.id


def _sync(folder) -> subprocess.CompletedProcess:
    done = device_cli(folder, "sync")
    assert done.returncode == 0, done.stdout + done.stderr
    return done


def test_sign_in_in_chinese_switch_to_english_and_sign_out(console_server, browser):
    b = browser("zh").driver
    base = console_server.url
    go(b, base, "/console/cases")
    wait_for(b, "登录办公室控制台")
    assert "还没有管理员" not in b.page_source  # an admin exists: no first-run hint
    sign_in(b, base, "王敏", PASSWORD, path="/console/cases")
    wait_for(b, "王敏 · 客服主管 · garden-court", "header")
    assert b.current_url.endswith("/console/cases")  # back where the person was going
    wait_for(b, "没有符合条件的工单。")
    b.find_element(By.LINK_TEXT, "English").click()
    wait_for(b, "No case matches.")
    wait_for(b, "王敏 · Service supervisor", "header")
    b.find_element(By.XPATH, "//button[text()='Sign out']").click()
    wait_for(b, "Sign in to the office console")
    go(b, base, "/console/dashboard")  # the session has ended for good
    wait_for(b, "Sign in to the office console")


def test_first_run_says_how_to_make_the_first_admin(tmp_path, browser):
    from tests.sync.conftest import ServerProcess

    folder = tmp_path / "fresh"
    folder.mkdir()
    server = ServerProcess(f"sqlite:///{folder / 'fieldkit-server.sqlite3'}", folder)
    server.start()
    try:
        b = browser("en").driver
        go(b, server.url, "/console/")
        shown = wait_for(b, "There is no administrator yet", "#first-run")
        assert "fieldkit-server user add --name NAME --role admin --site '*'" in shown
        log = (folder / "server.log").read_text()
        assert "fieldkit-server user add --name NAME --role admin" in log  # and on the terminal
    finally:
        server.kill()


def test_a_wrong_password_is_refused_and_repeated_failures_lock_the_account(
    console_server, browser
):
    b = browser("zh").driver
    base = console_server.url
    for _ in range(4):
        sign_in(b, base, "王敏", "not-the-password")
        wait_for(b, "姓名或密码不对，请重新输入。", "#login-error")
    sign_in(b, base, "王敏", "not-the-password")  # the fifth: the account is locked now
    wait_for(b, "该账号已暂时锁定", "#login-error")
    sign_in(b, base, "王敏", PASSWORD)  # the right password, too late
    shown = wait_for(b, "该账号已暂时锁定", "#login-error")
    assert "15 分钟后再试" in shown
    assert "王敏 · 客服主管" not in b.page_source
    # another person at the same desk is not locked out by 王敏's slips
    sign_in(b, base, "刘洋", PASSWORD)
    wait_for(b, "刘洋 · 客服专员", "header")


def test_a_case_raised_on_a_device_appears_on_the_open_dashboard(console_server, browser, tmp_path):
    device = tmp_path / "desk"
    enrol_device(console_server, device, SITE, "desk", "客服台电脑 1 号")
    b = browser("zh").driver
    sign_in(b, console_server.url, "王敏", PASSWORD)
    wait_for(b, "没有未完成的工单。", "#open-cases")
    _raise_case(device, department="engineering")
    _sync(device)
    # the dashboard was not reloaded: its live part fetched the new count by itself
    shown = wait_for(b, "工程部", "#open-cases")
    assert "1" in shown
    wait_for(b, "客服台电脑 1 号", "#devices")


def test_a_case_dispatched_in_the_console_reaches_the_device_once(
    console_server, browser, tmp_path
):
    device = tmp_path / "desk"
    enrol_device(console_server, device, SITE, "desk", "客服台电脑")
    case_id = _raise_case(device)
    _sync(device)

    b = browser("zh").driver
    sign_in(b, console_server.url, "王敏", PASSWORD, path="/console/cases?q=1502")
    row = wait_element(b, f"tr[data-id='{case_id}'] a")
    assert "3-2-1502" in wait_for(b, "漏水渗水", "#case-list")
    row.click()
    wait_for(b, "已受理", "#status")
    select(b, "department-select", "engineering")
    b.find_element(By.ID, "assignee-input").send_keys("张师傅")
    b.find_element(By.ID, "dispatch").click()
    wait_for(b, "已派工，下次同步时发到各设备。", "#notice")
    history = wait_for(b, "派给工程部 张师傅", "#history")
    assert "王敏" in history
    assert "已受理 → 已派工" in history
    wait_for(b, "已派工", "#status")

    _sync(device)
    with Store.open(device, command="test", readonly=True) as store:
        case = store.get_case(case_id)
    assert (case.department, case.assignee, case.status) == ("engineering", "张师傅", "dispatched")
    by_console = [e for e in case.events if e.by == "王敏"]
    assert [e.type for e in by_console] == ["field", "status"]
    assert case.due is not None  # dispatch set the due time from the urgency, as the desk's does
    _sync(device)  # a second sync brings nothing again
    with Store.open(device, command="test", readonly=True) as store:
        again = store.get_case(case_id)
    assert [e.id for e in again.events] == [e.id for e in case.events]


def test_a_broken_checklist_is_refused_with_its_errors_under_their_lines(
    console_server, browser, tmp_path
):
    broken = tmp_path / "extinguisher.yaml"
    broken.write_text(
        "id: fire.extinguisher.monthly\n"
        "version: 1\n"
        "title: {zh: 灭火器月度检查, en: Fire extinguisher monthly check}\n"
        "applies_to: asset:extinguisher\n"
        "evry: month\n"
        "sections:\n"
        "  - id: condition\n"
        "    title: {zh: 外观与压力, en: Condition and pressure}\n"
        "    items:\n"
        "      - id: in_place\n"
        "        type: chek\n"
        "        label: {zh: 在指定位置且无遮挡, en: In its place and unobstructed}\n",
        encoding="utf-8",
    )
    b = browser("zh").driver
    sign_in(b, console_server.url, "王敏", PASSWORD, path="/console/checklists")
    wait_for(b, "还没有发布任何检查表。", "#versions")
    b.find_element(By.ID, "checklist-file").send_keys(str(broken))
    b.find_element(By.ID, "publish").click()
    shown = wait_for(b, "未发布", "#failed")
    assert "extinguisher.yaml 有" in shown
    line5 = text_of(b, ".diag[data-line='5']")
    line11 = text_of(b, ".diag[data-line='11']")
    assert "FK200" in line5 and "every" in line5  # the misspelt key, with a did-you-mean
    assert "FK210" in line11 and "check" in line11
    assert "还没有发布任何检查表。" in text_of(b, "#versions")  # nothing half-published

    fixed = tmp_path / "fixed.yaml"
    source = broken.read_text("utf-8").replace("evry:", "every:").replace("chek", "check")
    fixed.write_text(source, encoding="utf-8")
    b.find_element(By.ID, "checklist-file").send_keys(str(fixed))
    b.find_element(By.ID, "publish").click()
    wait_for(b, "fire.extinguisher.monthly", "#versions")
    b.find_element(By.LINK_TEXT, "fire.extinguisher.monthly").click()
    wait_for(b, "在指定位置且无遮挡")


def text_of(driver, css: str) -> str:
    return " ".join(e.text for e in driver.find_elements(By.CSS_SELECTOR, css))


def test_a_device_is_enrolled_from_the_page_with_its_code_and_qr(console_server, browser, tmp_path):
    b = browser("zh").driver
    sign_in(b, console_server.url, "王敏", PASSWORD, path="/console/devices")
    wait_element(b, "#device-name").send_keys("巡逻笔记本 3 号")  # the page after signing in
    select(b, "device-role", "patrol")
    b.find_element(By.ID, "enrol").click()
    code = wait_element(b, "#code").text.strip()
    assert len(code) == 12 and code.count("-") == 2
    wait_for(b, "只能用一次", "#enrolled")
    command = b.find_element(By.ID, "enrol-command").text
    assert command == f"fieldkit enroll {console_server.url} {code}"
    qr = tmp_path / "qr.png"
    b.find_element(By.CSS_SELECTOR, "#qr svg").screenshot(str(qr))
    assert _zbar(qr) == code.replace("-", "") or _zbar(qr) == code

    device = tmp_path / "new-device"
    done = device_cli(device, "enroll", console_server.url, code)
    assert done.returncode == 0, done.stdout + done.stderr
    go(b, console_server.url, "/console/devices")
    shown = wait_for(b, "巡逻笔记本 3 号", "#device-list")
    assert "使用中" in shown


def _zbar(png) -> str | None:
    import shutil

    if shutil.which("zbarimg") is None:
        pytest.skip("zbarimg not found: install zbar-tools (scripts/system-packages.txt)")
    done = subprocess.run(["zbarimg", "--raw", "-q", str(png)], capture_output=True, text=True)
    return done.stdout.strip() or None
