"""Screenshots of the console's main pages for docs/console.md, from a real served office
with a desk device's cases, a patrol finding with its photo, an incident in progress and the
shipped checklists, taken in headless Chromium as 王敏 (客服主管) would see them.

    .venv/bin/python -m tests.console.gallery docs/console
"""

from __future__ import annotations

import io
import sys
import tempfile
from pathlib import Path

from selenium.webdriver.common.by import By

from fieldkit.model import Target
from fieldkit.services import intake
from fieldkit.store import Store
from tests.console.conftest import (
    PASSWORD,
    Browser,
    add_person,
    device_cli,
    enrol_device,
    server_cli,
)
from tests.console.pages import go, screenshot, select, sign_in, wait_element, wait_for
from tests.sync.conftest import ServerProcess

SITE = "garden-court"
REPO = Path(__file__).resolve().parents[2]

LEAKS = [
    ("repair", "water_leak", "3", "3-2-1502", "卫生间顶棚滴水，楼下已有水渍", "high"),
    ("repair", "lift", "5", "5-1-电梯", "5号楼1单元电梯门关不上", "urgent"),
    ("repair", "drain_blocked", "2", "2-1-301", "厨房下水返味、排水慢", "normal"),
    ("complaint", "noise", "3", "3-1-802", "楼上夜里十二点后还在装修", "high"),
    ("repair", "electrical", "1", "1-2-1101", "走廊灯不亮", "low"),
    ("complaint", "parking", "4", "4-地库", "消防通道被私家车占用", "urgent"),
    ("repair", "door_lock", "6", "6-1-单元门", "单元门禁刷卡无反应", "high"),
]


def _photo() -> Path:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (640, 480), (206, 214, 220))
    draw = ImageDraw.Draw(image)
    draw.rectangle((80, 60, 560, 420), outline=(90, 100, 110), width=6)
    draw.ellipse((250, 180, 390, 320), fill=(120, 150, 175))
    path = Path(tempfile.mkdtemp()) / "ceiling.jpg"
    out = io.BytesIO()
    image.save(out, "JPEG")
    path.write_bytes(out.getvalue())
    return path


def _fill(server: ServerProcess, root: Path) -> str:
    desk = root / "desk"
    enrol_device(server, desk, SITE, "desk", "客服台电脑")
    enrol_device(server, root / "patrol", SITE, "patrol", "巡逻笔记本 1 号")
    enrol_device(server, root / "emergency", SITE, "emergency", "应急岗平板")
    photo = _photo()
    first = ""
    with Store.open(desk, command="gallery") as store:
        for n, (kind, category, building, where, text, urgency) in enumerate(LEAKS):
            request = intake.Request(
                kind=kind, target=Target("unit", f"unit-{where}"), category=category,
                description=text, urgency=urgency, contact="phone",
                photos=(photo,) if n == 0 else (), building=building, where=where,
            )  # fmt: skip
            case = intake.take(store, request, by="刘洋")
            first = first or case.id
            if n in (1, 3, 5):
                department, person = {1: ("engineering", "张师傅"), 3: ("security", "赵队长"),
                                      5: ("security", "赵队长")}[n]  # fmt: skip
                intake.dispatch(store, case.id, department, "desk", assignee=person, by="刘洋")
        incident = store.create_incident(
            "flooding", by="王敏", place="3号楼地下车库", severity="major",
            title="3号楼地库进水", site_id=SITE,
        )  # fmt: skip
        for text in ("地库入口积水约 10 厘米，已设警戒", "已通知工程部开泵排水",
                     "已在业主群发通知，请车主暂勿驶入"):  # fmt: skip
            store.add_timeline_entry(incident.id, "note", text, by="王敏")
    for folder in ("desk",):
        done = device_cli(root / folder, "sync")
        assert done.returncode == 0, done.stdout + done.stderr
    server_cli(server.db_url, "publish", str(REPO / "checklists" / "fire"))
    from fieldkit_server.db import Database
    from fieldkit_server.imports import write_office_records

    database = Database(server.db_url)  # the compound's record, as an office device sends it
    names = {"zh": "翠湖苑", "en": "Cuihu Garden"}
    write_office_records(
        database,
        "site",
        [{"id": SITE, "site_id": SITE, "name": "翠湖苑", "code": "CH", "names": names}],
    )
    database.engine.dispose()
    (root / "units.csv").write_text(UNITS, encoding="utf-8-sig")
    (root / "units-bad.csv").write_text(UNITS_BAD, encoding="utf-8-sig")
    return first


UNITS = "site_id,number,building_id,floor,owner_name,owner_phone,special_care\n" + "".join(
    f"{SITE},{b}-{u}-{f}0{n},{b},{f},业主{b}{u}{f}{n},139{b}{u}{f:02d}{n}0000,\n"
    for b in (1, 2, 3)
    for u in (1, 2)
    for f in (5, 6)
    for n in (1, 2)
)
UNITS_BAD = (
    "site_id,number,building_id,floor,owner_name,owner_phone,special_care\n"
    f"{SITE},3-2-1501,3,15,王芳,13800001501,\n"
    f"{SITE},3-2-1502,3,十五,李建国,13800001502,elderly_alone\n"
    f"{SITE},3-2-1503,3,15,张秀英,1380,elderly\n"
    f"lake-view,1-1-101,1,1,陈明,13800000101,\n"
)


def main(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="fieldkit-gallery-") as tmp:
        root = Path(tmp)
        (root / "server").mkdir()
        server = ServerProcess(f"sqlite:///{root / 'server' / 'db.sqlite3'}", root / "server")
        server.start()
        try:
            add_person(server.db_url, "王敏", "supervisor", SITE)
            add_person(server.db_url, "admin", "admin", "*")
            add_person(server.db_url, "刘洋", "desk", SITE)
            first = _fill(server, root)
            for lang in ("zh", "en"):
                browser = Browser(lang)
                b = browser.driver
                try:
                    _shoot(b, server.url, first, out, lang, root)
                finally:
                    browser.close()
                browser = Browser(lang)
                try:
                    _shoot_people(browser.driver, server.url, out, lang)
                finally:
                    browser.close()
        finally:
            server.kill()


def _shoot(b, base: str, first: str, out: Path, lang: str, root: Path) -> None:
    go(b, base, "/console/login")
    wait_element(b, "#name")
    if lang == "zh":
        screenshot(b, out / "login-zh.png")
    sign_in(b, base, "王敏", PASSWORD, path="/console/dashboard")
    wait_element(b, "#open-cases")
    screenshot(b, out / f"dashboard-{lang}.png")
    go(b, base, "/console/cases")
    wait_element(b, "#case-list")
    screenshot(b, out / f"cases-{lang}.png")
    go(b, base, f"/console/cases/{first}")
    wait_element(b, "#history")
    if lang == "zh":
        select(b, "department-select", "engineering")
        b.find_element(By.ID, "assignee-input").send_keys("张师傅")
        b.find_element(By.ID, "dispatch").click()
        wait_element(b, "#notice")
    screenshot(b, out / f"case-{lang}.png")
    if lang == "zh":
        go(b, base, "/console/devices")
        b.find_element(By.ID, "device-name").send_keys("巡逻笔记本 3 号")
        select(b, "device-role", "patrol")
        b.find_element(By.ID, "enrol").click()
        wait_element(b, "#code")
        screenshot(b, out / "devices-zh.png")
        broken = root / "extinguisher.yaml"
        broken.write_text(
            "id: fire.extinguisher.basement\nversion: 1\n"
            "title: {zh: 地库灭火器检查, en: Basement extinguisher check}\n"
            "applies_to: asset:extinguisher\nevry: month\nsections:\n"
            "  - id: condition\n    title: {zh: 外观, en: Condition}\n    items:\n"
            "      - id: in_place\n        type: chek\n"
            "        label: {zh: 在指定位置, en: In its place}\n",
            encoding="utf-8",
        )
        go(b, base, "/console/checklists")
        b.find_element(By.ID, "checklist-file").send_keys(str(broken))
        b.find_element(By.ID, "publish").click()
        wait_element(b, "#failed")
        screenshot(b, out / "checklist-errors-zh.png")
        go(b, base, "/console/incidents")
        b.find_element(By.CSS_SELECTOR, "#incident-list a").click()
        wait_for(b, "地库入口积水", "#timeline")
        screenshot(b, out / "incident-zh.png")
        go(b, base, "/console/units")
        b.find_element(By.ID, "import-file").send_keys(str(root / "units.csv"))
        b.find_element(By.ID, "check").click()
        wait_element(b, "#import").click()
        wait_element(b, "#notice")
    go(b, base, "/console/units")
    b.find_element(By.ID, "import-file").send_keys(str(root / "units-bad.csv"))
    b.find_element(By.ID, "check").click()
    wait_element(b, "#failed")
    screenshot(b, out / f"units-errors-{lang}.png")
    go(b, base, "/console/reports?from=2026-01-01")
    wait_element(b, "#trends figure.chart")
    screenshot(b, out / f"reports-{lang}.png")
    b.find_element(By.ID, "tab-handover").click()
    wait_element(b, "#handover .report-section")
    screenshot(b, out / f"handover-{lang}.png")


def _shoot_people(b, base: str, out: Path, lang: str) -> None:
    sign_in(b, base, "admin", PASSWORD, path="/console/people")
    wait_element(b, "#add-form")
    if lang == "zh":
        b.find_element(By.ID, "account-name").send_keys("赵丽")
        select(b, "account-role", "desk")
        b.find_element(By.ID, "account-site").send_keys(SITE)
        b.find_element(By.ID, "account-password").send_keys("chushi-mima-1")
        b.find_element(By.ID, "add-account").click()
        wait_element(b, "#notice")
    screenshot(b, out / f"people-{lang}.png")


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/console"))
