"""Units and people, reports and accounts in a real headless Chromium against a real
``fieldkit-server serve``, with real device data folders synced by ``fieldkit sync``.

Journeys: a units file with bad rows is refused with each problem under its row and nothing
written, then the right file is checked, previewed, imported and reaches a patrol laptop at
its next sync; the trends page draws its charts for the cases the desk raised, and exports
them; the administrator adds a desk account, and the new person signs in with the first
password and must choose their own before anything else opens.
"""

from __future__ import annotations

import urllib.request

from selenium.webdriver.common.by import By

from fieldkit.model import Target
from fieldkit.store import Store
from tests.console.conftest import PASSWORD, device_cli, enrol_device
from tests.console.pages import go, select, sign_in, wait_element, wait_for

SITE = "garden-court"
HEADER = "site_id,number,building_id,floor,owner_name,owner_phone,special_care\n"
GOOD = HEADER + "".join(f"{SITE},3-2-{n},3,15,业主{n},1380000{n},\n" for n in (1501, 1502, 1503))
BAD = (
    HEADER
    + f"{SITE},3-2-1501,3,15,业主1501,13800001501,\n"
    + f"{SITE},3-2-1502,3,十五,业主1502,13800001502,\n"
    + f"{SITE},3-2-1503,3,15,业主1503,1380,elderly\n"
)


def _sync(folder) -> None:
    done = device_cli(folder, "sync")
    assert done.returncode == 0, done.stdout + done.stderr


def test_a_units_file_with_bad_rows_writes_nothing_and_the_fixed_one_reaches_the_device(
    console_server, browser, tmp_path
):
    laptop = tmp_path / "patrol"
    enrol_device(console_server, laptop, SITE, "patrol", "巡逻笔记本 1 号")
    bad, good = tmp_path / "building-3.csv", tmp_path / "building-3-fixed.csv"
    bad.write_text(BAD, encoding="utf-8-sig")  # as Excel saves "CSV UTF-8"
    good.write_text(GOOD, encoding="utf-8-sig")
    b = browser("zh").driver
    sign_in(b, console_server.url, "王敏", PASSWORD, path="/console/units")
    wait_for(b, "服务器上还没有房屋、住户或装修许可。", "#registry-counts")
    b.find_element(By.ID, "import-file").send_keys(str(bad))
    b.find_element(By.ID, "check").click()
    shown = wait_for(b, "有 3 个问题，未导入任何数据", "#failed")
    assert "building-3.csv" in shown
    row3 = wait_element(b, "tr.problem-text[data-row='3']").text
    assert "floor 列：“十五”不是整数" in row3
    row4 = b.find_element(By.CSS_SELECTOR, "tr.problem-text[data-row='4']").text
    assert "owner_phone 列：“1380”不是电话号码" in row4
    assert "special_care 列：“elderly”不是可用的特别关照标记" in row4
    marked = [e.get_attribute("data-column") for e in b.find_elements(By.CSS_SELECTOR,
                                                                       "td.cell-bad")]  # fmt: skip
    assert marked == ["floor", "owner_phone", "special_care"]
    assert not b.find_elements(By.CSS_SELECTOR, "tr.problem-row[data-row='2']")  # a good row
    assert "服务器上还没有房屋" in b.find_element(By.ID, "registry-counts").text  # nothing half

    b.find_element(By.ID, "import-file").send_keys(str(good))
    b.find_element(By.ID, "check").click()
    wait_for(b, "检查无误，共 3 行，尚未导入", "#preview")
    assert "服务器上还没有房屋" in b.find_element(By.ID, "registry-counts").text  # not yet
    b.find_element(By.ID, "import").click()
    wait_for(b, "已导入房屋：新增 3 户，更新 0 户。", "#notice")
    wait_for(b, "garden-court 3 0 0", "#registry-counts")

    _sync(laptop)
    with Store.open(laptop, command="test", readonly=True) as store:
        numbers = sorted(u.number for u in store.reference("unit"))
        owners = {u.number: u.owner_phone for u in store.reference("unit")}
    assert numbers == ["3-2-1501", "3-2-1502", "3-2-1503"]
    assert owners["3-2-1501"] != "13800001501"  # a patrol laptop gets the phone masked

    # the compound's record reaches the server (from an office device): labels can be printed
    from fieldkit_server.db import Database
    from fieldkit_server.imports import write_office_records

    database = Database(console_server.db_url)
    write_office_records(database, "site", [{"id": SITE, "site_id": SITE, "code": "CH",
                                             "name": "翠湖苑"}])  # fmt: skip
    database.engine.dispose()
    go(b, console_server.url, "/console/units")
    wait_for(b, "garden-court · CH", "#labels")
    select(b, "label-building-1", "3")
    form = b.find_element(By.CSS_SELECTOR, "form.label-form")
    query = "&".join(f"{e.get_attribute('name')}={e.get_attribute('value')}"
                     for e in form.find_elements(By.CSS_SELECTOR, "input, select"))  # fmt: skip
    sheet = tmp_path / "labels.pdf"
    sheet.write_bytes(_download(b, f"{console_server.url}/console/units/labels?{query}"))
    _sync(laptop)  # the laptop learns the compound's record: it knows the labels' flats
    read = device_cli(laptop, "qr", "decode", str(sheet))
    assert read.returncode == 0, read.stdout + read.stderr
    assert sorted(line.split("\t")[0] for line in read.stdout.splitlines()) == [
        "FK1:U:CH:3-2-1501:0", "FK1:U:CH:3-2-1502:H", "FK1:U:CH:3-2-1503:Y",
    ]  # fmt: skip


def _download(driver, url: str) -> bytes:
    """What a link of the page gives the signed-in person (the browser's own cookie)."""
    cookie = driver.get_cookie("fk_session")["value"]
    request = urllib.request.Request(url, headers={"Cookie": f"fk_session={cookie}"})
    with urllib.request.urlopen(request, timeout=60) as answer:
        return answer.read()


def _raise(folder, rows) -> None:
    from fieldkit.services import intake

    with Store.open(folder, command="test") as store:
        for category, building, where, text in rows:
            request = intake.Request(
                kind="repair", target=Target("unit", f"unit-{where}"), category=category,
                description=text, urgency="normal", contact="phone", building=building,
                where=where,
            )  # fmt: skip
            intake.take(store, request, by="刘洋")


def test_the_trends_page_draws_its_charts_and_exports_them(console_server, browser, tmp_path):
    desk = tmp_path / "desk"
    enrol_device(console_server, desk, SITE, "desk", "客服台电脑")
    _raise(desk, [("water_leak", "3", "3-2-1502", "卫生间顶棚滴水"),
                  ("water_leak", "3", "3-1-802", "阳台漏水"),
                  ("lift", "5", "5-1-电梯", "电梯门关不上")])  # fmt: skip
    _sync(desk)
    b = browser("zh").driver
    sign_in(b, console_server.url, "刘洋", PASSWORD, path="/console/reports")
    shown = wait_for(b, "高发问题统计（按类别）", "#trends")
    assert "工单数\n3\n" in shown and "漏水渗水 2" in shown and "电梯故障 1" in shown
    charts = b.find_elements(By.CSS_SELECTOR, "#trends figure.chart svg")
    assert len(charts) >= 2  # the ranking and the buildings' heat map
    assert "漏水渗水" in charts[0].get_attribute("innerHTML")
    select(b, "report-by", "building")
    b.find_element(By.ID, "show-report").click()
    wait_for(b, "高发问题统计（按楼栋）", "#trends")
    body = _download(b, b.find_element(By.ID, "export-trends-csv").get_attribute("href"))
    assert body.startswith("\ufeff".encode())  # Excel reads it as UTF-8
    assert "楼栋,工单数" in body.decode("utf-8-sig").splitlines()[0]
    b.find_element(By.LINK_TEXT, "English").click()
    wait_for(b, "Recurring problems, by building", "#trends")


def test_the_admin_adds_a_desk_account_and_the_new_person_signs_in(console_server, browser):
    base = console_server.url
    admin = browser("zh").driver
    sign_in(admin, base, "admin", PASSWORD, path="/console/people")
    wait_element(admin, "#add-form")
    admin.find_element(By.ID, "account-name").send_keys("赵丽")
    select(admin, "account-role", "desk")
    admin.find_element(By.ID, "account-site").send_keys(SITE)
    admin.find_element(By.ID, "account-password").send_keys("chushi-mima-1")
    admin.find_element(By.ID, "add-account").click()
    wait_for(admin, "已新建账号：赵丽（客服专员）", "#notice")
    wait_for(admin, "赵丽 客服专员 garden-court 待本人改密码 从未", "#accounts")

    zhao = browser("zh").driver
    sign_in(zhao, base, "赵丽", "chushi-mima-1", path="/console/cases")
    wait_for(zhao, "您用的是管理员设置的初始密码", "#first-password")
    assert "工单" not in zhao.find_element(By.CSS_SELECTOR, "header").text  # no menu yet
    go(zhao, base, "/console/dashboard")  # nothing else opens
    wait_for(zhao, "您用的是管理员设置的初始密码", "#first-password")
    zhao.find_element(By.ID, "current").send_keys("chushi-mima-1")
    zhao.find_element(By.ID, "new").send_keys("zhaoli-own-2026")
    zhao.find_element(By.ID, "again").send_keys("zhaoli-own-2026")
    zhao.find_element(By.ID, "change-password").click()
    wait_for(zhao, "密码已修改", "#notice")
    zhao.find_element(By.ID, "to-dashboard").click()
    wait_for(zhao, "赵丽 · 客服专员 · garden-court", "header")
    wait_for(zhao, "各部门未完成工单")

    admin.refresh()
    wait_for(admin, "赵丽 客服专员 garden-court 可用", "#accounts")
