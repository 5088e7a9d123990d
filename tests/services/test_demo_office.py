"""The demo with every role: a real office server on SQLite, one enrolled device per role,
each with its person signed in and its role's permissions; a case raised on the patrol
device reaches the desk device after ``fieldkit sync`` on each."""

from __future__ import annotations

import re
import sys

import pytest
import requests

from fieldkit.cli import main
from fieldkit.cli.app import DEMO_ROLES
from fieldkit.i18n import set_language, t
from fieldkit.model import Target
from fieldkit.model.personal import is_masked
from fieldkit.services import demo_office as demo
from fieldkit.services.lifecycle import MoveRefused
from fieldkit.services.workspace import Workspace
from fieldkit.sync.client import Credentials

TITLE = "3号楼2单元消防通道被电动车堵住"


@pytest.fixture(scope="module")
def layout(tmp_path_factory):
    folder = tmp_path_factory.mktemp("demo") / "demo"
    demo.make(folder, cases=20, lang="zh")
    found = demo.read_layout(folder)
    assert found is not None
    return found


@pytest.fixture
def office(layout):
    server = demo.DemoOffice(layout)
    server.start()
    server.connect_devices()
    yield server
    server.stop()


@pytest.fixture
def cli_env(monkeypatch, tmp_path):
    monkeypatch.setenv("FIELDKIT_CONFIG", str(tmp_path / "none.toml"))
    monkeypatch.delenv("FIELDKIT_SCAN_GAP_MS", raising=False)
    yield monkeypatch
    set_language("en")


def test_the_cli_knows_every_demo_role():
    assert DEMO_ROLES == demo.ROLES


def test_server_starts_answers_and_stops(layout):
    server = demo.DemoOffice(layout)
    url = server.start()
    try:
        assert requests.get(url + "/v1/health", timeout=5).json()["status"] == "ok"
        assert server.running
    finally:
        server.stop()
    assert not server.running
    with pytest.raises(requests.ConnectionError):
        requests.get(url + "/v1/health", timeout=2)
    assert (layout.server_dir / "fieldkit-server.sqlite3").exists() or any(
        layout.server_dir.glob("*.sqlite3")
    )


def test_every_device_is_enrolled_for_its_role_with_its_person(layout, office):
    for role in demo.ROLES:
        creds = Credentials.load(layout.device(role))
        assert creds is not None and creds.role == role and creds.url == office.url
        ws = Workspace.open(layout.device(role))
        try:
            assert ws.role == role
            assert ws.actor == demo.PEOPLE[role]["zh"]
        finally:
            ws.close()
    assert office.connect_devices() == []  # enrolled once; a restart only repoints them


def test_each_device_holds_what_its_role_may_see(layout):
    def first_resident(role):
        ws = Workspace.open(layout.device(role))
        try:
            return min(ws.store.reference("resident"), key=lambda r: r.unit_id + r.role)
        finally:
            ws.close()

    patrol, desk, office = (first_resident(r) for r in ("patrol", "desk", "office"))
    assert patrol.unit_id == desk.unit_id == office.unit_id
    assert is_masked(patrol.name) and is_masked(patrol.phone) and is_masked(patrol.id_number)
    assert not is_masked(desk.phone) and is_masked(desk.id_number)
    assert not is_masked(office.id_number) and office.phone == desk.phone


def test_case_raised_on_patrol_reaches_the_desk_by_fieldkit_sync(layout, office, cli_env, capsys):
    ws = Workspace.open(layout.device("patrol"))
    try:
        unit = ws.store.reference("unit")[0]
        case = ws.store.create_case(
            "finding", Target("unit", unit.id), by=ws.actor, title=TITLE,
            severity="major", department="security",
        )  # fmt: skip
    finally:
        ws.close()
    for role in ("patrol", "desk"):
        cli_env.setenv("FIELDKIT_DATA_DIR", str(layout.device(role)))
        assert main(["--lang", "en", "sync"]) == 0, capsys.readouterr()
    desk = Workspace.open(layout.device("desk"))
    try:
        arrived = desk.store.get_case(case.id)
        assert arrived is not None and arrived.title == TITLE
        assert arrived.created_by == "张伟"
        desk.sign_in("刘洋")
        desk.dispatch_case(case.id, "security")  # the desk may dispatch it
        moved = desk.store.get_case(case.id)
        assert moved.status == "assigned"
        assert moved.events[-1].by == "刘洋"
    finally:
        desk.close()


def test_the_desk_moves_a_received_repair_that_patrol_may_not(layout, cli_env):
    set_language("zh")  # as the app is: the refusal is worded when it is made
    for role, allowed in (("desk", True), ("patrol", False)):
        ws = Workspace.open(layout.device(role))
        try:
            repair = next(
                c for c in ws.store.open_cases() if c.kind == "repair" and c.status == "accepted"
            )
            if allowed:
                ws.dispatch_case(repair.id, "engineering")
                assert ws.store.get_case(repair.id).status == "dispatched"
            else:
                with pytest.raises(MoveRefused) as refused:
                    ws.move_case(repair.id, "dispatched")
                message = t(refused.value.key, "zh", **refused.value.params)
                assert message.startswith("巡逻岗不能") and "客服岗" in message
                assert "patrol" not in message and "office" not in message
        finally:
            ws.close()


def test_rerun_with_other_cases_says_why_they_are_not_applied(tmp_path, cli_env, capsys):
    folder = tmp_path / "d"
    cli_env.setenv("FIELDKIT_DATA_DIR", str(tmp_path / "data"))
    assert main(["--lang", "en", "demo", "--folder", str(folder), "--cases", "5", "--no-open"]) == 0
    first = capsys.readouterr().out
    made = re.search(
        r"(\d+) cases \(5 of history, (\d+) renovation violations .*?(\d+) more"
        r".*?and (\d+) follow-ups",
        " ".join(first.split()),
    )  # as trends count
    total, violations, patterns, followups = (int(n) for n in made.groups())
    assert total == 5 + violations + patterns + followups and str(folder / "desk") in first
    assert (
        "export FIELDKIT_DATA_DIR=" in first and "report handover" in first
    )  # the patrol device last
    assert main(["--lang", "zh", "demo", "--folder", str(folder), "--cases", "9", "--no-open"]) == 0
    again = capsys.readouterr().out
    assert "这个演示是按 5 张历史工单生成的，--cases 9 只对新生成的演示有效" in again
    assert "--fresh" in again
    assert main(["--lang", "en", "demo", "--folder", str(folder), "--cases", "3", "--fresh",
                 "--no-open"]) == 0  # fmt: skip
    assert "(3 of history" in capsys.readouterr().out
    assert demo.read_layout(folder).cases == 3


def test_an_old_one_role_demo_or_a_data_folder_is_never_deleted(tmp_path, cli_env, capsys):
    folder = tmp_path / "old"
    folder.mkdir()
    (folder / "reference.json").write_text("{}")
    cli_env.setenv("FIELDKIT_DATA_DIR", str(tmp_path / "data"))
    assert main(["--lang", "zh", "demo", "--folder", str(folder), "--fresh", "--no-open"]) == 2
    err = capsys.readouterr().err
    assert "旧版的单岗位演示" in err and f"rm -rf {folder}" in err
    assert (folder / "reference.json").exists()


@pytest.mark.parametrize(
    ("lang", "said"), [("zh", "开具的整改通知书"), ("en", "The rectification notices written")]
)
def test_leaving_as_the_inspector_points_to_the_notices(layout, capsys, lang, said):
    """The inspector's work to take away is the notices he wrote: leaving the demo says
    where they are, not how to list incidents."""
    from dataclasses import replace

    from fieldkit.cli.app import _demo_guide

    set_language(lang)
    try:
        _demo_guide(replace(layout, last="renovation"), lang)
    finally:
        set_language("en")
    out = capsys.readouterr().out
    assert said in out and str(layout.device("renovation") / "notices") in out
    assert "report incident --list" not in out


@pytest.mark.parametrize(
    ("lang", "whole"),
    [("zh", "同步要在演示开着的时候做（演示办公室服务器刚才已随演示停止）"),
     ("en", "Syncing needs the demo open (its office server stopped with it just now)")],
)  # fmt: skip
def test_the_closing_lines_fit_an_80_column_terminal(layout, capsys, monkeypatch, lang, whole):
    """nc21: at 80 columns the closing lines broke mid-word ('Syncing needs the d / emo
    open', '切换岗位”） / ：'): each is wrapped to the terminal at a phrase boundary."""
    from rich.cells import cell_len

    from fieldkit.cli.app import _demo_guide

    monkeypatch.setenv("COLUMNS", "80")
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)  # as in a terminal
    set_language(lang)
    try:
        _demo_guide(layout, lang)
    finally:
        set_language("en")
    out = capsys.readouterr().out
    prose = [line for line in out.splitlines() if not line.startswith(" ")]
    assert len(prose) > 3 and all(cell_len(line) <= 80 for line in prose), prose
    assert whole in ("" if lang == "zh" else " ").join(prose)  # broken only between words
    assert not any(line[:1] in "，。、；：？！）》」』”’" for line in prose), prose


@pytest.mark.parametrize(
    ("lang", "waiting", "sent"),
    [("zh", "巡逻岗设备上还有 1 条记录未发送到办公室，留在本机，下次打开演示同步时会自动发送。",
      "巡逻岗设备上的记录已全部发送到演示办公室服务器。"),
     ("en", "1 change on the patrol device has not reached the office yet; it goes at its",
      "Every change on the patrol device has reached the demo office server.")],
)  # fmt: skip
def test_leaving_a_device_says_whether_its_changes_were_sent(
    layout, office, capsys, monkeypatch, lang, waiting, sent
):
    """The home said 待上传 1 条 just before quitting: leaving says whether it went. With the
    office stopped it still waits on the device; once the office is up it is sent."""
    from fieldkit.cli.app import say_closed

    monkeypatch.setenv("COLUMNS", "120")
    ws = Workspace.open(layout.device("patrol"))
    try:
        unit = ws.store.reference("unit")[0]
        ws.store.create_case("finding", Target("unit", unit.id), by=ws.actor, title=TITLE,
                             severity="minor", department="security")  # fmt: skip
    finally:
        ws.close()
    set_language(lang)
    try:
        say_closed("patrol", demo.close_device(layout, "patrol", None))
        assert waiting in capsys.readouterr().out
        say_closed("patrol", demo.close_device(layout, "patrol", office))
        assert sent in capsys.readouterr().out
    finally:
        set_language("en")
