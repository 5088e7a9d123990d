"""A device's store files damaged one at a time, in a real terminal (tmux), in zh and en: the
service desk's demo device gets its active file filled with garbage (its previous copy older
than the last repair the office acknowledged), emptied, deleted; its register overwritten;
an archive month overwritten with no previous copy. Each time ``fieldkit doctor`` runs first
and must call it a problem and say which file, which copy is in use and what may be missing
(never "no problems"); then the demo opens on that device: home says the data was damaged,
``!`` lists the entry with what to do, and the repair the office had acknowledged is back
after the demo's sync."""

from __future__ import annotations

import re
import shutil
import sys
import time

import pytest

from fieldkit.model import Target
from fieldkit.services import demo_office as demo
from fieldkit.services import intake
from fieldkit.store import Store
from tests.journeys.session import start

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")

WORDS = {
    "zh": {
        "desk": "fieldkit 演示 — 客服岗 · 刘洋",
        "problems": "个问题。",
        "no_problems": "未发现问题",
        "home": "本机数据曾经损坏",
        "list": "待处理（",
        "todo": "按 x",
        "active": "active.json（本机进行中的检查、未完结工单和待发送记录）已损坏，现改用上一份副本",
        "lost_active": "的内容可能缺失",
        "reference": "reference.json（房屋、住户、装修和出租等登记资料）已损坏，现改用上一份副本",
        "not_back": "办公室没有发来这部分资料",
        "archive": "已损坏，且没有可用的上一份副本",
        "kept": "损坏的文件已另存为",
        "find": "查找工单",
        "cases": "状态：",
        "finding": "查找：{ref}",
        "said": "楼上卫生间渗水到客厅",
    },
    "en": {
        "desk": "fieldkit demo — Service desk · Liu Yang",
        "problems": "found.",
        "no_problems": "No problems found",
        "home": "This device's data was damaged",
        "list": "Needs attention (",
        "todo": "press x",
        "active": "active.json (this device's inspections in progress, unfinished cases and "
        "records waiting to be sent) was damaged; the previous copy",
        "lost_active": "may be missing",
        "reference": "reference.json (the register: flats, residents, renovation permits and "
        "rentals) was damaged; the previous copy",
        "not_back": "the office sent nothing of this part",
        "archive": "was damaged and had no usable previous copy",
        "kept": "The damaged file was kept as",
        "find": "Find a case",
        "cases": "Status: ",
        "finding": "Search: {ref}",
        "said": "Water through the living-room ceiling",
    },
}


def _until(pane, holds) -> str:
    """The screen once ``holds(screen)``; the last screen read in the failure if never."""
    end = time.monotonic() + pane.patience
    while True:
        screen = pane.text()
        if holds(screen):
            return screen
        assert time.monotonic() < end, screen
        time.sleep(0.05)


def _has(screen: str, needle: str) -> bool:
    """``needle`` on screen, wherever the terminal or the app wrapped the line (a list's
    border drawn at each line's ends included)."""
    return re.sub(r"[\s▎▊]+", "", needle) in re.sub(r"[\s▎▊]+", "", screen)


def _base(make_demo, folder, lang):
    """The demo, its devices enrolled, and a repair the desk took and the office has
    acknowledged; returns the desk's active file as it was before that repair, and its
    number."""
    make_demo(folder, cases=12, lang=lang)
    layout = demo.read_layout(folder)
    device = layout.device("desk")
    with demo.DemoOffice(layout) as office:
        office.connect_devices()
        before = (device / "active.json").read_bytes()
        store = Store.open(device)
        try:
            unit = store.reference("unit")[0]
            request = intake.Request("repair", Target("unit", unit.id), "water_leak",
                                     WORDS[lang]["said"], where=unit.number)  # fmt: skip
            case = intake.take(store, request, by=layout.person("desk", lang))
            assert demo.sync_device(store, device) == "" and store.outbox_count() == 0
        finally:
            store.close()
    return before, case.id[-6:]


def _damage(device, how, before):
    """One way a store file gets damaged; returns the text doctor and the list name it by."""
    active, reference = device / "active.json", device / "reference.json"
    if how == "active_garbage":  # and its previous copy is older than the last repair
        (device / "active.json.prev").write_bytes(before)
        active.write_bytes(b"\x00\x13garbage{{{")
    elif how == "active_empty":
        active.write_bytes(b"")
    elif how == "active_gone":
        active.unlink()
    elif how == "reference_garbage":
        reference.write_bytes(b"not json at all")
    else:  # an archive month overwritten, and no previous copy of it
        month = sorted((device / "archive").glob("*.json"))[0]
        month.write_bytes(b"[broken")
        month.with_name(month.name + ".prev").unlink(missing_ok=True)
        return f"archive/{month.name}"
    return "reference.json" if how.startswith("reference") else "active.json"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_each_damaged_store_file_is_said_by_doctor_and_on_screen(tmp_path, make_demo, lang):
    w = WORDS[lang]
    base = tmp_path / "base"
    before, ref = _base(make_demo, base, lang)
    for how in ("active_garbage", "active_empty", "active_gone", "reference_garbage", "archive"):
        folder = tmp_path / how
        shutil.copytree(base, folder)
        device = folder / "desk"
        name = _damage(device, how, before)
        run = f"{sys.executable} -m fieldkit"
        pane = start(
            tmp_path, f'{run} doctor; echo "[doctor exit $?]"; read _; '
            f"{run} demo --folder {folder} --role desk",
            lang, env={"FIELDKIT_DATA_DIR": str(device)},
        )  # fmt: skip
        try:
            screen = pane.wait_for("[doctor exit ")
            assert "[doctor exit 1]" in screen and w["problems"] in screen, screen
            assert w["no_problems"] not in screen, screen
            said = w["archive"] if how == "archive" else w[name.split(".")[0]]
            assert name in screen and _has(screen, said), (how, screen)
            if how == "active_garbage":
                assert _has(screen, w["lost_active"]) and _has(screen, w["kept"]), screen
            pane.keys("Enter")  # on to the app, on the same device
            screen = pane.wait_for(w["desk"])
            screen = pane.wait_for(w["home"])
            assert name in screen, screen
            pane.keys("!")
            pane.wait_for(w["list"])
            # its words once drawn whole: under load the office's sync changed the item's words
            # while it was drawn, and one frame held only their first line (CI)
            screen = _until(pane, lambda s, name=name: name in s and _has(s, w["todo"]))
            if how == "reference_garbage":  # the demo's office holds no register: said
                assert _has(screen, w["not_back"]), screen
            if how == "active_garbage":  # acknowledged by the office: back after the sync
                pane.keys("Escape")  # a key sent right after Esc reads as Alt+key
                pane.wait_gone(w["list"])
                pane.keys("c")
                pane.wait_for(w["cases"])
                pane.keys("/")
                pane.wait_for(w["find"])
                pane.typed(ref)
                screen = pane.wait_for(w["finding"].format(ref=ref))  # the list, filtered
                # the Problem column (after the kind's): the owner's words, the case's title
                assert re.search(rf"^\s*{ref}\s+\S+\s+{w['said']}", screen, re.M), screen
            pane.keys("C-q")
            pane.wait_for("FIELDKIT_DATA_DIR=")
        finally:
            pane.tmux("kill-server")
        with Store.open(device, readonly=True) as store:
            assert any(c.id.endswith(ref) for c in store.open_cases()), how  # nothing lost
