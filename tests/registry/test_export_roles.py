"""``fieldkit export`` on each role's device, run as a person would: it masks exactly what
that role's screens mask (the registry always; other records as the office sends them to
the role), leaves the reveal log to the office, and a full export needs the office's
device, a reason, and is recorded before anything is written."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import orjson
import pytest

from fieldkit.model.personal import as_shown, personal_values
from fieldkit.store import Store

ROLES = ("patrol", "renovation", "emergency", "desk", "office")
CALLER_PHONE = "13912345678"


def fieldkit(data: Path, *args: str, lang: str = "en") -> subprocess.CompletedProcess:
    env = {**os.environ, "FIELDKIT_DATA_DIR": str(data), "LANG": f"{lang}.UTF-8",
           "FIELDKIT_CONFIG": str(data / "no-config.toml")}  # fmt: skip
    return subprocess.run(
        [sys.executable, "-m", "fieldkit", *args], capture_output=True, text=True, env=env
    )


def records(out: subprocess.CompletedProcess) -> list[dict]:
    return [orjson.loads(line) for line in out.stdout.splitlines()]


@pytest.fixture
def device(compound):
    """The compound as one device holds it, with an incident whose call names a caller,
    and one reveal already made on it."""
    with Store.open(compound) as store:
        incident = store.create_incident("fire", by="王敏", severity="major")
        store.add_timeline_entry(
            incident.id, "call", "", by="王敏",
            data={"service": "fire", "answered_by": "李警官", "caller": "周玉兰",
                  "phone": CALLER_PHONE},
        )  # fmt: skip
        from fieldkit.model import new_id
        from fieldkit.model.reveal import Reveal

        store.log_reveal(Reveal(new_id(), "r-1", "phone", "office", by="陈静",
                                reason_code="home_visit"))  # fmt: skip
    return compound


def set_role(folder: Path, role: str) -> None:
    with Store.open(folder) as store:
        store.set_device_state(role=role)


def stored(folder: Path, kinds: list[str]) -> list[tuple[str, dict]]:
    with Store.open(folder, readonly=True) as store:
        return list(store.iter_records(kinds))


@pytest.mark.parametrize("role", ROLES)
def test_each_role_exports_what_its_screens_show(device, role):
    set_role(device, role)
    out = fieldkit(device, "export", "--kind", "resident,unit,renovation_permit,incident")
    assert out.returncode == 0, out.stderr
    exported = {(r["entity"], r["record"]["id"]): r["record"] for r in records(out)}
    originals = stored(device, ["resident", "unit", "renovation_permit", "incident"])
    assert len(exported) == len(originals)
    for entity, doc in originals:
        assert exported[(entity, doc["id"])] == as_shown(entity, doc, role)
    registry = [(entity, doc) for (entity, _), doc in exported.items() if entity != "incident"]
    values = [v for entity, doc in registry for _, _, v in personal_values(entity, doc)]
    assert values and all("*" in str(v) for v in values if v)  # whatever the role
    # the caller's phone on the incident: as the office sends it to this role
    assert (CALLER_PHONE in out.stdout) == (role in ("emergency", "desk", "office"))
    assert "Personal data is masked" in out.stderr


@pytest.mark.parametrize("role", ["patrol", "emergency", "desk"])
def test_other_roles_leave_the_reveal_log_out_and_are_told_why(device, role):
    set_role(device, role)
    out = fieldkit(device, "export")
    assert out.returncode == 0, out.stderr
    assert "reveal" not in {r["entity"] for r in records(out)}
    out = fieldkit(device, "export", "--kind", "reveal", lang="zh")
    assert out.returncode == 2 and out.stdout == ""
    assert "个人信息查看记录只能在办公室的设备上导出" in out.stderr
    assert "Traceback" not in out.stderr


@pytest.mark.parametrize("role", ["patrol", "renovation", "emergency", "desk"])
def test_a_full_export_is_refused_on_other_roles(device, role):
    set_role(device, role)
    out = fieldkit(device, "export", "--kind", "resident", "--full", "--reason", "核查", lang="zh")
    assert out.returncode == 2 and out.stdout == ""
    assert "完整导出（个人信息不打码）只能在办公室的设备上进行" in out.stderr
    assert "patrol" not in out.stderr and "emergency" not in out.stderr
    assert len(stored(device, ["reveal"])) == 1  # nothing recorded, nothing written


def test_the_office_exports_in_full_for_a_reason_recorded_first(device, tmp_path):
    set_role(device, "office")
    out = fieldkit(device, "export", "--kind", "resident")
    assert out.returncode == 0 and "--full --reason" in out.stderr
    assert {r["record"]["phone"].count("*") for r in records(out)} != {0}
    out = fieldkit(device, "export", "--kind", "resident", "--full", lang="zh")
    assert out.returncode == 2 and "完整导出需要说明原因" in out.stderr and out.stdout == ""
    target = tmp_path / "residents.jsonl"
    out = fieldkit(device, "export", "--kind", "resident", "--full", "--reason",
                   "街道办核查住户名单", "--out", str(target), lang="zh")  # fmt: skip
    assert out.returncode == 0, out.stderr
    assert (
        "这是完整导出：其中的个人信息没有打码" in out.stderr and "街道办核查住户名单" in out.stderr
    )
    residents = stored(device, ["resident"])
    lines = [orjson.loads(line) for line in target.read_text("utf-8").splitlines()]
    assert [r["record"] for r in lines] == [doc for _, doc in residents]
    export = [doc for _, doc in stored(device, ["reveal"]) if doc["item"] == "export"]
    assert len(export) == 1 and export[0]["kinds"] == ["resident"]
    assert export[0]["reason"] == "街道办核查住户名单" and export[0]["role"] == "office"
    with Store.open(device, command="fieldkit app"):  # the app holds the folder
        out = fieldkit(device, "export", "--full", "--reason", "x", "--kind", "resident")
        assert out.returncode == 2 and "Close the app" in out.stderr and out.stdout == ""


def test_fieldkit_reveals_lists_them_for_the_office_only(device):
    set_role(device, "desk")
    out = fieldkit(device, "reveals", lang="zh")
    assert out.returncode == 2 and "办公室的设备上查看" in out.stderr
    set_role(device, "office")
    out = fieldkit(device, "reveals", lang="zh")
    assert out.returncode == 0, out.stderr
    assert "陈静（办公室）" in out.stdout and "原因：上门核实" in out.stdout
    out = fieldkit(device, "reveals", "--format", "csv")
    assert out.stdout.splitlines()[0].startswith("time,by,role,field")
    assert "Chen" not in out.stdout and "陈静,office,phone number" in out.stdout
    out = fieldkit(device, "reveals", "--since", "2999-01-01")
    assert out.returncode == 0 and out.stdout == "" and "0 reveals." in out.stderr
    out = fieldkit(device, "reveals", "--since", "last week")
    assert out.returncode == 2 and "is not a date" in out.stderr
