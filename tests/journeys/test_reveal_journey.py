"""Reveal with a reason, in a real terminal on the demo, in zh and en: the emergency
coordinator opens a fire in building 3, goes to the residents who need help (F6), reveals
one phone (r, the phone, then 1: emergency contact) and reads it in full; switched to the
office supervisor (F12), the reveal log (ctrl+e) names the coordinator, the flat, the
field, the reason and the incident — reached through the demo's office server."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import uuid

import pytest

from fieldkit.model.personal import mask
from fieldkit.store import Store
from tests.terminal import Pane

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")

WORDS = {
    "zh": {"lang": "zh_CN.UTF-8", "title": "fieldkit 演示 — 应急岗 · 王敏",
           "where": "火情：在哪里？", "severity": "3号楼的火情：严重程度？",
           "people": "需要帮助的住户（已确认 0/", "pick": "查看哪一项？",
           "why": "为什么要查看电话？",
           "id_who": "可以查看的岗位：办公室", "shown": "已显示电话",
           "picker": "选择岗位：以谁的身份使用演示", "office": "fieldkit 演示 — 办公室主管 · 陈静",
           "log": "个人信息查看记录（全部）：共",
           "line": "王敏（应急岗）  查看 {flat} {name} 的电话",
           "reason": "原因：应急联系  事件 #"},
    "en": {"lang": "en_US.UTF-8", "title": "fieldkit demo — Emergency coordinator · Wang Min",
           "where": "Fire: where?", "severity": "Fire at Building 3: how serious?",
           "people": "Residents who need help (0/", "pick": "Which one?",
           "why": "Why do you need the phone number?", "id_who": "Who may: office",
           "shown": "The phone number is shown", "picker": "Choose a role: who you are in the demo",
           "office": "fieldkit demo — Office supervisor · Chen Jing",
           "log": "Personal data access log (all):",
           "line": "Wang Min (emergency coordinator)  saw the phone number of {name} at {flat}",
           "reason": "Reason: Emergency contact  incident #"},
}  # fmt: skip
FIRST_FLAT = re.compile(r"☐ (\d+-\d+-\d+) ")


def residents_by_flat(device) -> dict[str, tuple[str, str]]:
    """Flat code -> (name, phone) of its first flagged resident, from the office device
    (which holds them in full)."""
    with Store.open(device, readonly=True) as store:
        units = {u.id: (u.label or u.number) for u in store.reference("unit")}
        out: dict[str, tuple[str, str]] = {}
        for resident in store.reference("resident"):
            if resident.special_care and resident.unit_id in units:
                out.setdefault(units[resident.unit_id], (resident.name, resident.phone))
    return out


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_coordinator_reveals_a_phone_and_the_office_sees_who_and_why(tmp_path, make_demo, lang):
    words = WORDS[lang]
    folder = tmp_path / "demo"
    make_demo(folder, cases=10, lang=lang)
    full = residents_by_flat(folder / "office")

    socket, name = f"reveal-{uuid.uuid4().hex[:8]}", "demo"
    env = {"FIELDKIT_DATA_DIR": str(tmp_path / "data"),
           "FIELDKIT_CONFIG": str(tmp_path / "no.toml"),
           "LANG": words["lang"], "TERM": "xterm-256color"}  # fmt: skip
    command = " ".join(f"{k}={v}" for k, v in env.items())
    command += f" {sys.executable} -m fieldkit demo --folder {folder} --role emergency; sleep 30"
    subprocess.run(
        ["tmux", "-L", socket, "new-session", "-d", "-s", name, "-x", "120", "-y", "40", command],
        check=True, env={**os.environ, **env},
    )  # fmt: skip
    pane = Pane(name, socket, patience=60.0)
    try:
        pane.wait_for(words["title"])
        pane.keys("F2")
        pane.keys("1")  # fire
        pane.wait_for(words["where"])
        pane.typed("3")  # building 3, the first match
        pane.wait_for(words["severity"])
        pane.keys("2")
        screen = pane.wait_for(words["people"])
        flat = FIRST_FLAT.search(screen[screen.index(words["people"]) :]).group(1)
        resident, phone = full[flat]
        masked = phone[:3] + "****" + phone[-4:]
        assert phone not in screen and masked in screen
        pane.keys("F6", gap=1.0)  # a person looks at the list before pressing r
        pane.keys("r")
        screen = pane.wait_for(words["pick"])
        assert words["id_who"] in screen  # the ID number is not the coordinator's to see
        pane.keys("2")
        pane.wait_for(words["why"])
        pane.keys("1")  # emergency contact
        pane.wait_for(words["shown"])
        screen = pane.wait_for(phone)
        people = screen[screen.index(words["people"]) :]
        assert people.count(phone) == 1 and resident not in people  # that phone only

        pane.keys("F12")
        pane.wait_for(words["picker"])
        pane.keys("5")
        pane.wait_for(words["office"])
        pane.keys("C-e")
        screen = pane.wait_for(words["log"])
        masked_name = mask("name", resident)
        # the demo holds last week's reveals too: this one is the newest, first in the log
        entries = [line.strip("▊▎ ") for line in screen.splitlines() if line.startswith("▊ ")]
        entries = [line for line in entries if line]
        assert words["line"].format(flat=flat, name=masked_name) in entries[0], screen
        assert entries[1].startswith(words["reason"]), screen
        assert phone not in screen and resident not in screen
        pane.keys("Escape", "C-q")
    finally:
        pane.tmux("kill-server")
