"""Reports name people, never roles or the computer's login: the handover says who hands
over and who did each thing (the demo's history too), the incident report who logged each
entry; ids (departments, incident types) read as words in the reader's language."""

from __future__ import annotations

import getpass
from datetime import UTC, datetime, timedelta

from fieldkit.services import handover, incident_report, incidents
from fieldkit.services.demo import generate
from fieldkit.services.workspace import Workspace

ROLE_WORDS = ("patrol", "renovation", "emergency", "desk", "office", "巡逻岗", "客服岗")


def _no_role_or_login(text: str) -> None:
    login = getpass.getuser()
    for word in (*ROLE_WORDS, "root", login):
        assert word not in text, word


def test_handover_names_the_people(tmp_path):
    now = 1_800_000_000.0
    folder = tmp_path / "desk"
    generate(folder, cases=60, now=now, person="")
    ws = Workspace.open(folder)
    try:
        ws.sign_in("周芳")
        case = next(c for c in ws.store.open_cases() if c.kind == "repair")
        ws.store.add_case_event(case.id, "note", "已电话联系业主", by=ws.actor)
        at = datetime.fromtimestamp(now, UTC) + timedelta(minutes=1)
        h = handover.handover(ws.store, now=datetime.now(UTC))
        zh = handover.render(h, "text", "zh")
        en = handover.render(h, "md", "en")
        h_demo = handover.handover(ws.store, now=at, shift_hours=24 * 7, lang="zh")
    finally:
        ws.close()
    assert zh.splitlines()[0].endswith("（交班人：周芳）")
    assert "已电话联系业主（周芳）" in zh
    assert "- **Handed over by**: 周芳" in en  # the printed handover's cover block
    # the demo's history: every move names the person who made it
    assert h_demo.done and all(d.by for d in h_demo.done)
    demo_zh = handover.render(h_demo, "text", "zh")
    assert "（刘洋）" in demo_zh or "（周芳）" in demo_zh
    for line in demo_zh.splitlines():
        assert "engineering" not in line and "security" not in line  # 工程部, 安保部
    _no_role_or_login(zh + en + demo_zh)


def test_incident_report_names_who_logged_each_entry(tmp_path):
    folder = tmp_path / "emergency"
    generate(folder, cases=5, now=1_800_000_000.0, person="王敏")
    ws = Workspace.open(folder)
    try:
        incident = incidents.open_incident(ws, "rainstorm", place_text="3号楼地下车库")
        incidents.add_entry(ws, incident.id, "车库入口积水约 20 厘米，已放沙袋")
        ws.sign_in("张伟")
        incidents.add_entry(ws, incident.id, "巡逻到 2 号楼，地面无积水", by=ws.actor)
        text = incident_report.render(ws, incident.id, "md", "zh").decode("utf-8")
    finally:
        ws.close()
    assert "王敏" in text and "张伟" in text
    _no_role_or_login(text)
